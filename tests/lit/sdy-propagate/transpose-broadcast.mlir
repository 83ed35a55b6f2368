// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: -> (tensor<4x8x2xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {"x"}]>})
func.func @transpose(%a: tensor<2x4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}, {}]>}) -> tensor<4x8x2xf32> {
  %0 = stablehlo.transpose %a, dims = [1, 2, 0] : (tensor<2x4x8xf32>) -> tensor<4x8x2xf32>
  return %0 : tensor<4x8x2xf32>
}

// Backward through a transpose.
// CHECK-LABEL: func.func @transpose_backward(
// CHECK-SAME: %arg0: tensor<2x4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}, {"x"}]>}
func.func @transpose_backward(%a: tensor<2x4x8xf32>)
    -> (tensor<8x2x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}, {"y"}]>}) {
  %0 = stablehlo.transpose %a, dims = [2, 0, 1] : (tensor<2x4x8xf32>) -> tensor<8x2x4xf32>
  return %0 : tensor<8x2x4xf32>
}

// broadcast_in_dim: a kept dimension carries its axes both ways; an expanded
// (1 -> n) dimension does not.
// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: %arg1: tensor<1x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}
// CHECK: stablehlo.broadcast_in_dim %arg0, {{.*}}<@mesh, [{"x"}, {"y"}]>
// CHECK: stablehlo.broadcast_in_dim %arg1, {{.*}}<@mesh, [{"x"}, {"y"}]>
func.func @broadcast(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}]>}, %b: tensor<1x16xf32>)
    -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{?}, {"y"}]>}) {
  %0 = stablehlo.broadcast_in_dim %a, dims = [0] : (tensor<8xf32>) -> tensor<8x16xf32>
  %1 = stablehlo.broadcast_in_dim %b, dims = [0, 1] : (tensor<1x16xf32>) -> tensor<8x16xf32>
  %2 = stablehlo.add %0, %1 : tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}
