// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// Merge [4, 8] -> [32]: the major dimension's axis carries to the merged one.
// CHECK-LABEL: func.func @merge_major(
// CHECK-SAME: -> (tensor<32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>})
func.func @merge_major(%a: tensor<4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) -> tensor<32xf32> {
  %0 = stablehlo.reshape %a : (tensor<4x8xf32>) -> tensor<32xf32>
  return %0 : tensor<32xf32>
}

// Merge with only the minor dimension split: not expressible, replicated.
// CHECK-LABEL: func.func @merge_minor(
// CHECK-SAME: -> (tensor<32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}]>})
func.func @merge_minor(%a: tensor<4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}) -> tensor<32xf32> {
  %0 = stablehlo.reshape %a : (tensor<4x8xf32>) -> tensor<32xf32>
  return %0 : tensor<32xf32>
}

// Both merged dimensions split, the major one exactly: both axes carry.
// CHECK-LABEL: func.func @merge_both(
// CHECK-SAME: -> (tensor<32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", "x"}]>})
func.func @merge_both(%a: tensor<4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {"x"}]>}) -> tensor<32xf32> {
  %0 = stablehlo.reshape %a : (tensor<4x8xf32>) -> tensor<32xf32>
  return %0 : tensor<32xf32>
}

// Split [32] -> [4, 8]: "y" (4) fills the major factor exactly, "x" goes to
// the minor one.
// CHECK-LABEL: func.func @split(
// CHECK-SAME: -> (tensor<4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {"x"}]>})
func.func @split(%a: tensor<32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", "x"}]>}) -> tensor<4x8xf32> {
  %0 = stablehlo.reshape %a : (tensor<32xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// Split [8] -> [2, 4] with "y" (4): 4 does not divide the major factor (2):
// the result stays replicated.
// CHECK-LABEL: func.func @split_not_divisible(
// CHECK-SAME: -> (tensor<2x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>})
func.func @split_not_divisible(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> tensor<2x4xf32> {
  %0 = stablehlo.reshape %a : (tensor<8xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// Backward through a split, size-1 dimensions ignored:
// [16, 6] <- [16, 1, 2, 3]: both axes reach the argument ("x" = 2 fills the
// major factor of 6 = 2 x 3).
// CHECK-LABEL: func.func @backward_unit_dims(
// CHECK-SAME: %arg0: tensor<16x6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {"x"}]>}
func.func @backward_unit_dims(%a: tensor<16x6xf32>)
    -> (tensor<16x1x2x3xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {"x"}, {}]>}) {
  %0 = stablehlo.reshape %a : (tensor<16x6xf32>) -> tensor<16x1x2x3xf32>
  return %0 : tensor<16x1x2x3xf32>
}

// [6, 4] -> [4, 6] share only a factor 2 in the leading dimensions.
// CHECK-LABEL: func.func @common_factor(
// CHECK-SAME: -> (tensor<4x6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>})
func.func @common_factor(%a: tensor<6x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<4x6xf32> {
  %0 = stablehlo.reshape %a : (tensor<6x4xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
