// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Bad IR is reported with its location and exit status 1; nothing aborts.

// CHECK: errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: use of undeclared SSA value
func.func @undeclared(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.add %a, %missing : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: {{.*}}
func.func @wrong_result_type(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.compare GT, %a, %a, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
