// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s

// mulhi below 64 bits: the product in twice the width, shifted down.
// CHECK-LABEL: func.func @mulhi_i16
// CHECK: stablehlo.convert %{{.*}} : (tensor<4xi16>) -> tensor<4xi32>
// CHECK: stablehlo.multiply
// CHECK: stablehlo.shift_right_arithmetic
// CHECK: stablehlo.convert %{{.*}} : (tensor<4xi32>) -> tensor<4xi16>
func.func @mulhi_i16(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = chlo.mulhi %a, %b : tensor<4xi16>, tensor<4xi16> -> tensor<4xi16>
  return %0 : tensor<4xi16>
}

// 64 bits: 32-bit halves, no wider type.
// CHECK-LABEL: func.func @mulhi_ui64
// CHECK-NOT: i128
// CHECK: stablehlo.shift_right_logical
// CHECK-NOT: i128
func.func @mulhi_ui64(%a: tensor<4xui64>, %b: tensor<4xui64>) -> tensor<4xui64> {
  %0 = chlo.mulhi %a, %b : tensor<4xui64>, tensor<4xui64> -> tensor<4xui64>
  return %0 : tensor<4xui64>
}

// scan: a while loop over the dimension, the body inlined.
// CHECK-LABEL: func.func @scan
// CHECK: stablehlo.while
// CHECK: stablehlo.dynamic_slice
// CHECK: stablehlo.add
// CHECK: stablehlo.dynamic_update_slice
// CHECK-NOT: chlo.scan
func.func @scan(%x: tensor<4xi32>, %c: tensor<i32>) -> (tensor<4xi32>, tensor<i32>) {
  %0:2 = chlo.scan(%x) inits(%c) dimension=0 {
  ^bb0(%a: tensor<i32>, %b: tensor<i32>):
    %s = stablehlo.add %a, %b : tensor<i32>
    stablehlo.return %s, %s : tensor<i32>, tensor<i32>
  } : (tensor<4xi32>, tensor<i32>) -> (tensor<4xi32>, tensor<i32>)
  return %0#0, %0#1 : tensor<4xi32>, tensor<i32>
}

// ragged_dot, mode 1: every row against every group, then a select of the
// row's group and a sum over the group dimension.
// CHECK-LABEL: func.func @ragged_dot
// CHECK: stablehlo.dot_general %{{.*}}, %{{.*}}, contracting_dims = [1] x [1]{{.*}} -> tensor<11x3x7xf32>
// CHECK: stablehlo.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<11x3x7xi1>, tensor<11x3x7xf32>
// CHECK: stablehlo.reduce{{.*}} across dimensions = [1] : (tensor<11x3x7xf32>, tensor<f32>) -> tensor<11x7xf32>
func.func @ragged_dot(%l: tensor<11x5xf32>, %r: tensor<3x5x7xf32>, %g: tensor<3xi64>) -> tensor<11x7xf32> {
  %0 = "chlo.ragged_dot"(%l, %r, %g) {ragged_dot_dimension_numbers = #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [1], lhs_ragged_dimensions = [0], rhs_group_dimensions = [0]>} : (tensor<11x5xf32>, tensor<3x5x7xf32>, tensor<3xi64>) -> tensor<11x7xf32>
  return %0 : tensor<11x7xf32>
}
