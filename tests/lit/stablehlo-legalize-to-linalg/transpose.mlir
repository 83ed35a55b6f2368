// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @transpose
func.func @transpose(%a: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4x2x3xf32>
  // CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
  // CHECK-NOT: stablehlo
  %0 = stablehlo.transpose %a, dims = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}
