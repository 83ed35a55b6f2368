// RUN: hlox-opt %s --split-input-file --hlox-stablehlo-resolve-shape-operands | FileCheck %s

// Dynamic ops whose shape operands are constants, with a static result, are
// their static forms.

// CHECK-LABEL: func.func @iota_reshape_broadcast
// CHECK: stablehlo.iota dim = 1 : tensor<3x4xi64>
// CHECK: stablehlo.reshape %{{.*}} : (tensor<3x4xi64>) -> tensor<12xi64>
// CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [1] : (tensor<12xi64>) -> tensor<2x12xi64>
// CHECK-NOT: dynamic
func.func @iota_reshape_broadcast() -> tensor<2x12xi64> {
  %shape = stablehlo.constant dense<[3, 4]> : tensor<2xi64>
  %flat = stablehlo.constant dense<12> : tensor<1xi32>
  %out = stablehlo.constant dense<[2, 12]> : tensor<2xi64>
  %0 = stablehlo.dynamic_iota %shape, dim = 1 : (tensor<2xi64>) -> tensor<3x4xi64>
  %1 = stablehlo.dynamic_reshape %0, %flat : (tensor<3x4xi64>, tensor<1xi32>) -> tensor<12xi64>
  %2 = stablehlo.dynamic_broadcast_in_dim %1, %out, dims = [1] : (tensor<12xi64>, tensor<2xi64>) -> tensor<2x12xi64>
  return %2 : tensor<2x12xi64>
}

// -----

// CHECK-LABEL: func.func @pad_gather
// CHECK: stablehlo.pad %{{.*}}, %{{.*}}, low = [1, -1], high = [1, -1], interior = [0, 1]
// CHECK: "stablehlo.gather"
// CHECK-SAME: slice_sizes = array<i64: 1, 2>
func.func @pad_gather(%x: tensor<5x4xi64>, %v: tensor<i64>, %i: tensor<2x1xi64>) -> (tensor<7x5xi64>, tensor<2x2xi64>) {
  %low = stablehlo.constant dense<[1, -1]> : tensor<2xi64>
  %high = stablehlo.constant dense<[1, -1]> : tensor<2xi64>
  %interior = stablehlo.constant dense<[0, 1]> : tensor<2xi64>
  %0 = stablehlo.dynamic_pad %x, %v, %low, %high, %interior
    : (tensor<5x4xi64>, tensor<i64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<7x5xi64>
  %sizes = stablehlo.constant dense<[1, 2]> : tensor<2xi64>
  %1 = "stablehlo.dynamic_gather"(%x, %i, %sizes) {
    dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0],
                                          start_index_map = [0], index_vector_dim = 1>
  } : (tensor<5x4xi64>, tensor<2x1xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  return %0, %1 : tensor<7x5xi64>, tensor<2x2xi64>
}

// -----

// A computed shape stays dynamic.
// CHECK-LABEL: func.func @computed
// CHECK: stablehlo.dynamic_reshape
func.func @computed(%x: tensor<6xi32>, %shape: tensor<2xi64>) -> tensor<2x3xi32> {
  %0 = stablehlo.dynamic_reshape %x, %shape : (tensor<6xi32>, tensor<2xi64>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// dynamic_conv with a constant padding: a convolution with that padding.
// CHECK-LABEL: func.func @dynamic_conv
// CHECK: stablehlo.convolution
// CHECK-SAME: pad = {{\[\[}}1, 2], [0, 2]]
// CHECK-NOT: dynamic_conv
func.func @dynamic_conv(%x: tensor<1x6x6x2xf32>, %w: tensor<3x3x2x4xf32>) -> tensor<1x4x4x4xf32> {
  %p = stablehlo.constant dense<[[1, 2], [0, 2]]> : tensor<2x2xi64>
  %r = "stablehlo.dynamic_conv"(%x, %w, %p) {window_strides = array<i64: 2, 1>, rhs_dilation = array<i64: 1, 2>, dimension_numbers = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>, batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>, tensor<2x2xi64>) -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}
