// RUN: not hlox-opt %s --hlox-stablehlo-resolve-shape-operands 2>&1 | FileCheck %s

// A constant shape operand that contradicts the static result type is an
// error naming the op, not a silent choice of one of the two.

// CHECK: error: hlox-stablehlo-resolve-shape-operands: 'stablehlo.dynamic_iota': its output_shape operand is [4, 3], but its result type tensor<3x4xi64> needs [3, 4]
func.func @contradiction() -> tensor<3x4xi64> {
  %shape = stablehlo.constant dense<[4, 3]> : tensor<2xi64>
  %0 = stablehlo.dynamic_iota %shape, dim = 0 : (tensor<2xi64>) -> tensor<3x4xi64>
  return %0 : tensor<3x4xi64>
}
