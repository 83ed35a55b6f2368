// RUN: not hlox-opt %s --split-input-file --hlox-stablehlo-legalize-to-linalg 2>&1 | FileCheck %s

// Simple ops that are not lowered (dynamic shapes, tuples, tokens, complex
// numbers) make the pass fail with an error naming the op at its location.

func.func @real_dynamic_slice(%a: tensor<8xf32>, %i: tensor<1xi32>) -> tensor<?xf32> {
  // CHECK: rejected.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: no lowering for 'stablehlo.real_dynamic_slice' yet
  %0 = stablehlo.real_dynamic_slice %a, %i, %i, %i : (tensor<8xf32>, tensor<1xi32>, tensor<1xi32>, tensor<1xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @dynamic_iota(%s: tensor<1xi32>) -> tensor<?xf32> {
  // CHECK: rejected.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: no lowering for 'stablehlo.dynamic_iota' yet
  %0 = stablehlo.dynamic_iota %s, dim = 0 : (tensor<1xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @tuple(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: rejected.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: no lowering for 'stablehlo.tuple' yet
  %t = stablehlo.tuple %a : tuple<tensor<4xf32>>
  %0 = stablehlo.get_tuple_element %t[0] : (tuple<tensor<4xf32>>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @complex_mixed_dot(%a: tensor<4xcomplex<f32>>, %b: tensor<4xcomplex<f64>>) -> tensor<complex<f64>> {
  // CHECK: rejected.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: 'stablehlo.dot_general' on complex numbers ('tensor<4xcomplex<f32>>') has no lowering yet
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [0] x [0] : (tensor<4xcomplex<f32>>, tensor<4xcomplex<f64>>) -> tensor<complex<f64>>
  return %0 : tensor<complex<f64>>
}

// -----

func.func @dynamic_pad(%a: tensor<4xf32>, %v: tensor<f32>, %p: tensor<1xi64>) -> tensor<?xf32> {
  // CHECK: rejected.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: no lowering for 'stablehlo.dynamic_pad' yet
  %0 = stablehlo.dynamic_pad %a, %v, %p, %p, %p : (tensor<4xf32>, tensor<f32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// A custom_call names its target: JAX's LAPACK kernels (cholesky) have no
// implementation on this backend.
func.func @custom_call(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK: rejected.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: 'stablehlo.custom_call' to target 'lapack_spotrf_ffi' cannot run on this backend: hlox has no implementation of that call target
  %0 = stablehlo.custom_call @lapack_spotrf_ffi(%a) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
