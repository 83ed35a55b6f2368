// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// NHWC x HWIO: batch and output feature carry; the 3x3 spatial window does not.
// CHECK-LABEL: func.func @conv(
// CHECK-SAME: -> (tensor<8x6x6x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}, {"x"}]>})
func.func @conv(%in: tensor<8x8x8x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}, {}]>},
                %k: tensor<3x3x4x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}, {}, {"x"}]>}) -> tensor<8x6x6x16xf32> {
  %0 = stablehlo.convolution(%in, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[0, 0], [0, 0]], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<8x8x8x4xf32>, tensor<3x3x4x16xf32>) -> tensor<8x6x6x16xf32>
  return %0 : tensor<8x6x6x16xf32>
}

// Backward: the output's batch axis reaches the input; input features split
// like the kernel's (a reduction factor).
// CHECK-LABEL: func.func @conv_backward(
// CHECK-SAME: %arg0: tensor<8x8x8x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}, {"x"}]>}
func.func @conv_backward(%in: tensor<8x8x8x4xf32>,
                         %k: tensor<3x3x4x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}, {"x"}, {}]>})
    -> (tensor<8x6x6x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}, {}]>}) {
  %0 = stablehlo.convolution(%in, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[0, 0], [0, 0]], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<8x8x8x4xf32>, tensor<3x3x4x16xf32>) -> tensor<8x6x6x16xf32>
  return %0 : tensor<8x6x6x16xf32>
}

// A 1x1 window relates the spatial dimensions too.
// CHECK-LABEL: func.func @pointwise(
// CHECK-SAME: -> (tensor<8x8x8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}, {}, {}]>})
func.func @pointwise(%in: tensor<8x8x8x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}, {}, {}]>},
                     %k: tensor<1x1x4x16xf32>) -> tensor<8x8x8x16xf32> {
  %0 = stablehlo.convolution(%in, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1], pad = [[0, 0], [0, 0]], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<8x8x8x4xf32>, tensor<1x1x4x16xf32>) -> tensor<8x8x8x16xf32>
  return %0 : tensor<8x8x8x16xf32>
}
