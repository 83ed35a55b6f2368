// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// slice: the pass-through dimension carries, the sliced one does not.
// CHECK-LABEL: func.func @slice(
// CHECK-SAME: -> (tensor<4x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>})
func.func @slice(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<4x16xf32> {
  %0 = stablehlo.slice %a [2:6, 0:16] : (tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// pad: only unpadded dimensions carry.
// CHECK-LABEL: func.func @pad(
// CHECK-SAME: -> (tensor<10x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>})
func.func @pad(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<10x16xf32> {
  %z = stablehlo.constant dense<0.000000e+00> : tensor<f32>
  %0 = stablehlo.pad %a, %z, low = [1, 0], high = [1, 0], interior = [0, 0] : (tensor<8x16xf32>, tensor<f32>) -> tensor<10x16xf32>
  return %0 : tensor<10x16xf32>
}

// concatenate: every operand and the result share the other dimensions.
// CHECK-LABEL: func.func @concatenate(
// CHECK-SAME: %arg1: tensor<4x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK-SAME: -> (tensor<12x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>})
func.func @concatenate(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>},
                       %b: tensor<4x16xf32>) -> tensor<12x16xf32> {
  %0 = stablehlo.concatenate %a, %b, dim = 0 : (tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<12x16xf32>
  return %0 : tensor<12x16xf32>
}

// dynamic_slice: whole dimensions carry; dynamic_update_slice: the operand
// and the result alike, the update where it covers a whole dimension.
// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME: %arg2: tensor<1x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK: stablehlo.dynamic_slice {{.*}}<@mesh, [{}, {"y"}]>
// CHECK: stablehlo.dynamic_update_slice {{.*}}<@mesh, [{"x"}, {"y"}]>
func.func @dynamic(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}, %i: tensor<i32>,
                   %u: tensor<1x16xf32>) -> (tensor<2x16xf32>, tensor<8x16xf32>) {
  %c = stablehlo.constant dense<0> : tensor<i32>
  %0 = stablehlo.dynamic_slice %a, %i, %c, sizes = [2, 16] : (tensor<8x16xf32>, tensor<i32>, tensor<i32>) -> tensor<2x16xf32>
  %1 = stablehlo.dynamic_update_slice %a, %u, %i, %c : (tensor<8x16xf32>, tensor<1x16xf32>, tensor<i32>, tensor<i32>) -> tensor<8x16xf32>
  return %0, %1 : tensor<2x16xf32>, tensor<8x16xf32>
}

// reverse: the reversed dimension does not carry.
// CHECK-LABEL: func.func @reverse(
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>})
func.func @reverse(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<8x16xf32> {
  %0 = stablehlo.reverse %a, dims = [1] : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
