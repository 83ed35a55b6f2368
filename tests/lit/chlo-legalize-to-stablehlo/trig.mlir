// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s
// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s --check-prefix=NOCHLO

// NOCHLO-NOT: chlo.

// CHECK-LABEL: func.func @asin
// asin(x) = 2 atan2(x, 1 + sqrt((1 - x)(1 + x)))
// CHECK: stablehlo.sqrt
// CHECK: %[[T:.*]] = stablehlo.atan2 %arg0,
// CHECK: stablehlo.add %[[T]], %[[T]]
func.func @asin(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.asin %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @acos
// CHECK: stablehlo.atan2
// CHECK: stablehlo.constant dense<3.14159274> : tensor<4xf32>
// CHECK: stablehlo.select
func.func @acos(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.acos %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @atan
// CHECK: %[[ONE:.*]] = stablehlo.constant dense<1.000000e+00> : tensor<4xf64>
// CHECK: stablehlo.atan2 %arg0, %[[ONE]] : tensor<4xf64>
func.func @atan(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = chlo.atan %x : tensor<4xf64> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @hyperbolic
// CHECK: stablehlo.log_plus_one
// CHECK: stablehlo.exponential_minus_one
// CHECK: stablehlo.exponential
func.func @hyperbolic(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = chlo.asinh %x : tensor<4xf32> -> tensor<4xf32>
  %1 = chlo.acosh %x : tensor<4xf32> -> tensor<4xf32>
  %2 = chlo.atanh %x : tensor<4xf32> -> tensor<4xf32>
  %3 = chlo.sinh %x : tensor<4xf32> -> tensor<4xf32>
  %4 = chlo.cosh %x : tensor<4xf32> -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @tan
// CHECK-NEXT: stablehlo.tan %arg0 : tensor<4xf32>
func.func @tan(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.tan %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Complex arguments use the log/sqrt identities on complex StableHLO ops.
// CHECK-LABEL: func.func @complex_asin
// CHECK: stablehlo.sqrt %{{.*}} : tensor<2xcomplex<f32>>
// CHECK: stablehlo.log %{{.*}} : tensor<2xcomplex<f32>>
func.func @complex_asin(%z: tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>> {
  %0 = chlo.asin %z : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  return %0 : tensor<2xcomplex<f32>>
}
