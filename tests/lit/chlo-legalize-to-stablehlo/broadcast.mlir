// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s

// CHECK-LABEL: func.func @numpy_broadcast
// CHECK: %[[B:.*]] = stablehlo.broadcast_in_dim %arg0, dims = [1] : (tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: stablehlo.add %[[B]], %arg1 : tensor<2x4xf32>
func.func @numpy_broadcast(%a: tensor<4xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = chlo.broadcast_add %a, %b : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @explicit_dims
// CHECK: %[[B:.*]] = stablehlo.broadcast_in_dim %arg0, dims = [0] : (tensor<2xf32>) -> tensor<2x4xf32>
// CHECK: stablehlo.multiply %[[B]], %arg1 : tensor<2x4xf32>
func.func @explicit_dims(%a: tensor<2xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = chlo.broadcast_multiply %a, %b {broadcast_dimensions = array<i64: 0>} : (tensor<2xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @degenerate
// CHECK: %[[L:.*]] = stablehlo.broadcast_in_dim %arg0, dims = [0, 1] : (tensor<2x1xi32>) -> tensor<2x3xi32>
// CHECK: %[[R:.*]] = stablehlo.broadcast_in_dim %arg1, dims = [0, 1] : (tensor<1x3xi32>) -> tensor<2x3xi32>
// CHECK: stablehlo.shift_left %[[L]], %[[R]] : tensor<2x3xi32>
func.func @degenerate(%a: tensor<2x1xi32>, %b: tensor<1x3xi32>) -> tensor<2x3xi32> {
  %0 = chlo.broadcast_shift_left %a, %b : (tensor<2x1xi32>, tensor<1x3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @compare_select
// CHECK: stablehlo.compare LT, %{{.*}}, %arg1, TOTALORDER : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
// CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [0, 1] : (tensor<2x1xi1>) -> tensor<2x4xi1>
// CHECK: stablehlo.select
func.func @compare_select(%a: tensor<4xf32>, %b: tensor<2x4xf32>, %p: tensor<2x1xi1>) -> (tensor<2x4xi1>, tensor<2x4xf32>) {
  %0 = chlo.broadcast_compare %a, %b {comparison_direction = #chlo<comparison_direction LT>, compare_type = #chlo<comparison_type TOTALORDER>} : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  %1 = chlo.broadcast_select %p, %a, %b : (tensor<2x1xi1>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<2x4xi1>, tensor<2x4xf32>
}

// CHECK-LABEL: func.func @complex_zeta
// CHECK: stablehlo.complex
// CHECK: stablehlo.power
func.func @complex_zeta(%a: tensor<4xf32>, %b: tensor<1xf32>) -> (tensor<4xcomplex<f32>>, tensor<4xf32>) {
  %0 = chlo.broadcast_complex %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xcomplex<f32>>
  %1 = chlo.broadcast_zeta %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0, %1 : tensor<4xcomplex<f32>>, tensor<4xf32>
}
