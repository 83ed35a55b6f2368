// RUN: not hlox-opt %s --split-input-file --hlox-stablehlo-legalize-to-linalg 2>&1 | FileCheck %s

// An op without a lowering is an error naming the op, at its location; the
// pass fails cleanly (exit status 1, no abort).

func.func @no_lowering(%a: tensor<4xf32>, %i: tensor<1xi64>) -> tensor<?xf32> {
  // CHECK: errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: no lowering for 'stablehlo.real_dynamic_slice' yet
  %0 = stablehlo.real_dynamic_slice %a, %i, %i, %i : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @complex(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  // CHECK: errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: 'stablehlo.atan2' on complex numbers ('tensor<4xcomplex<f32>>') has no lowering yet
  %0 = stablehlo.atan2 %a, %a : tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  // CHECK: errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: 'stablehlo.add' has the dynamically shaped type 'tensor<?xf32>'; only static shapes are supported yet
  %0 = stablehlo.add %a, %a : tensor<?xf32>
  return %0 : tensor<?xf32>
}
