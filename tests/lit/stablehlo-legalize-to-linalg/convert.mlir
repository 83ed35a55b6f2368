// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// convert: a linalg.generic whose body is the arith cast.

// CHECK-LABEL: func.func @convert
func.func @convert(%a: tensor<3xf32>, %i: tensor<3xi32>, %p: tensor<3xi1>)
    -> (tensor<3xf64>, tensor<3xf16>, tensor<3xi32>, tensor<3xf32>, tensor<3xi64>, tensor<3xi8>, tensor<3xf32>, tensor<3xi1>) {
  // CHECK: arith.extf %{{.*}} : f32 to f64
  %0 = stablehlo.convert %a : (tensor<3xf32>) -> tensor<3xf64>
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %1 = stablehlo.convert %a : (tensor<3xf32>) -> tensor<3xf16>
  // CHECK: arith.fptosi %{{.*}} : f32 to i32
  %2 = stablehlo.convert %a : (tensor<3xf32>) -> tensor<3xi32>
  // CHECK: arith.sitofp %{{.*}} : i32 to f32
  %3 = stablehlo.convert %i : (tensor<3xi32>) -> tensor<3xf32>
  // CHECK: arith.extsi %{{.*}} : i32 to i64
  %4 = stablehlo.convert %i : (tensor<3xi32>) -> tensor<3xi64>
  // CHECK: arith.trunci %{{.*}} : i32 to i8
  %5 = stablehlo.convert %i : (tensor<3xi32>) -> tensor<3xi8>
  // CHECK: arith.uitofp %{{.*}} : i1 to f32
  %6 = stablehlo.convert %p : (tensor<3xi1>) -> tensor<3xf32>
  // CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: arith.cmpf une, %{{.*}}, %[[Z]] : f32
  %7 = stablehlo.convert %a : (tensor<3xf32>) -> tensor<3xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<3xf64>, tensor<3xf16>, tensor<3xi32>, tensor<3xf32>, tensor<3xi64>, tensor<3xi8>, tensor<3xf32>, tensor<3xi1>
}
