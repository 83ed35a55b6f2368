// RUN: hlox-opt %s --hlox-stablehlo-canonicalize | FileCheck %s

// CHECK-LABEL: func.func @float_neutral
// CHECK-NEXT: return %arg0, %arg0, %arg0, %arg0, %arg0
func.func @float_neutral(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %nz = stablehlo.constant dense<-0.0> : tensor<4xf32>
  %z = stablehlo.constant dense<0.0> : tensor<4xf32>
  %one = stablehlo.constant dense<1.0> : tensor<4xf32>
  %0 = stablehlo.add %x, %nz : tensor<4xf32>
  %1 = stablehlo.add %nz, %x : tensor<4xf32>
  %2 = stablehlo.subtract %x, %z : tensor<4xf32>
  %3 = stablehlo.multiply %one, %x : tensor<4xf32>
  %4 = stablehlo.divide %x, %one : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// x + (+0.0) is not x when x = -0.0, and 1 / x is not x: both stay.
// CHECK-LABEL: func.func @not_neutral
// CHECK: stablehlo.add
// CHECK: stablehlo.divide
func.func @not_neutral(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<4xf32>
  %one = stablehlo.constant dense<1.0> : tensor<4xf32>
  %0 = stablehlo.add %x, %z : tensor<4xf32>
  %1 = stablehlo.divide %one, %x : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @int_neutral
// CHECK-NEXT: return %arg0, %arg0, %arg0, %arg0, %arg0, %arg0
func.func @int_neutral(%x: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %z = stablehlo.constant dense<0> : tensor<4xi32>
  %one = stablehlo.constant dense<1> : tensor<4xi32>
  %ones = stablehlo.constant dense<-1> : tensor<4xi32>
  %0 = stablehlo.add %z, %x : tensor<4xi32>
  %1 = stablehlo.subtract %x, %z : tensor<4xi32>
  %2 = stablehlo.multiply %x, %one : tensor<4xi32>
  %3 = stablehlo.or %x, %z : tensor<4xi32>
  %4 = stablehlo.xor %z, %x : tensor<4xi32>
  %5 = stablehlo.and %ones, %x : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// CHECK-LABEL: func.func @data_movement
// CHECK-NEXT: return %arg0, %arg0, %arg0, %arg0
func.func @data_movement(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = stablehlo.slice %x [0:2, 0:3] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %pv = stablehlo.constant dense<0.0> : tensor<f32>
  %1 = stablehlo.pad %x, %pv, low = [0, 0], high = [0, 0], interior = [0, 0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = stablehlo.concatenate %x, dim = 0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = stablehlo.reverse %x, dims = [1, 0] : tensor<2x3xf32>
  %3 = stablehlo.reverse %r, dims = [0, 1] : tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @convert_constants
// CHECK-DAG: stablehlo.constant dense<[1.000000e+00, -2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: stablehlo.constant dense<[1, -2, 3]> : tensor<3xi8>
// CHECK-DAG: stablehlo.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: stablehlo.constant dense<0.10000000149011612> : tensor<3xf64>
// 2.5 -> i32 is inexact and stays a convert.
// CHECK: stablehlo.convert %{{.*}} : (tensor<3xf32>) -> tensor<3xi32>
func.func @convert_constants() -> (tensor<3xf32>, tensor<3xi8>, tensor<3xi1>, tensor<3xf64>, tensor<3xi32>) {
  %i = stablehlo.constant dense<[1, -2, 3]> : tensor<3xi32>
  %b = stablehlo.constant dense<[5, -1, 0]> : tensor<3xi32>
  %f = stablehlo.constant dense<0.1> : tensor<3xf32>
  %g = stablehlo.constant dense<[1.0, 2.5, 3.0]> : tensor<3xf32>
  %0 = stablehlo.convert %i : (tensor<3xi32>) -> tensor<3xf32>
  %1 = stablehlo.convert %i : (tensor<3xi32>) -> tensor<3xi8>
  %2 = stablehlo.convert %b : (tensor<3xi32>) -> tensor<3xi1>
  %3 = stablehlo.convert %f : (tensor<3xf32>) -> tensor<3xf64>
  %4 = stablehlo.convert %g : (tensor<3xf32>) -> tensor<3xi32>
  return %0, %1, %2, %3, %4 : tensor<3xf32>, tensor<3xi8>, tensor<3xi1>, tensor<3xf64>, tensor<3xi32>
}
