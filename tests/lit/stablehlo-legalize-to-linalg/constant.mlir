// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<f32>, tensor<2xi32>) {
  // CHECK-DAG: arith.constant dense<2.500000e+00> : tensor<f32>
  // CHECK-DAG: arith.constant dense<[1, 2]> : tensor<2xi32>
  // CHECK-NOT: stablehlo
  %0 = stablehlo.constant dense<2.5> : tensor<f32>
  %1 = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  return %0, %1 : tensor<f32>, tensor<2xi32>
}
