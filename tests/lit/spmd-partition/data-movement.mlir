// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// slice, pad, concatenate, sort, dynamic_slice: the dimensions they leave
// alone keep their split (sizes in attributes become local); the others
// are computed whole (gathered first).

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x8xf32>
// CHECK-NEXT: %[[S:.*]] = stablehlo.slice %[[A]] [0:4, 2:6] : (tensor<4x8xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %[[P:.*]] = stablehlo.pad %[[S]], %{{.*}}, low = [0, 1], high = [0, 1], interior = [0, 0] : (tensor<4x4xf32>, tensor<f32>) -> tensor<4x6xf32>
// CHECK-NEXT: %[[C:.*]] = stablehlo.concatenate %[[P]], %[[P]], dim = 1 : (tensor<4x6xf32>, tensor<4x6xf32>) -> tensor<4x12xf32>
// CHECK-NEXT: %[[O:.*]] = "stablehlo.sort"(%[[C]]) <{dimension = 1 : i64
// CHECK: return %[[O]] : tensor<4x12xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}, %z: tensor<f32> {sdy.sharding = #sdy.sharding<@mesh, []>}) -> (tensor<8x12xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) {
  %0 = stablehlo.slice %a [0:8, 2:6] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : (tensor<8x8xf32>) -> tensor<8x4xf32>
  %1 = stablehlo.pad %0, %z, low = [0, 1], high = [0, 1], interior = [0, 0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : (tensor<8x4xf32>, tensor<f32>) -> tensor<8x6xf32>
  %2 = stablehlo.concatenate %1, %1, dim = 1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : (tensor<8x6xf32>, tensor<8x6xf32>) -> tensor<8x12xf32>
  %3 = "stablehlo.sort"(%2) <{dimension = 1 : i64, is_stable = true}> ({
  ^bb0(%p: tensor<f32>, %q: tensor<f32>):
    %lt = stablehlo.compare LT, %p, %q : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  }) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : (tensor<8x12xf32>) -> tensor<8x12xf32>
  return %3 : tensor<8x12xf32>
}

// -----

// A slice along the split dimension: that dimension is gathered, sliced,
// and the result is split again where a use (here @main's result) wants it.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<2x8xf32>
// CHECK-NEXT: %[[G:.*]] = "stablehlo.all_gather"(%[[A]]) <{all_gather_dim = 0 : i64
// CHECK-SAME: (tensor<2x8xf32>) -> tensor<8x8xf32>
// CHECK-NEXT: %[[S:.*]] = stablehlo.slice %[[G]] [4:8, 0:8]
// CHECK: stablehlo.dynamic_slice %[[S]]
// CHECK-SAME: sizes = [1, 8]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) -> (tensor<4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) {
  %0 = stablehlo.slice %a [4:8, 0:8] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}, {}]>]>} : (tensor<8x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Convolution with the batch split over "x" and the output features over
// "y": one local convolution.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[X:.*]]: tensor<2x3x6x6xf32> {{.*}}, %[[K:.*]]: tensor<2x3x3x3xf32>
// CHECK-NEXT: %[[C:.*]] = stablehlo.convolution(%[[X]], %[[K]])
// CHECK-SAME: (tensor<2x3x6x6xf32>, tensor<2x3x3x3xf32>) -> tensor<2x2x6x6xf32>
// CHECK-NEXT: return %[[C]]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%x: tensor<4x3x6x6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}, {}, {}]>}, %k: tensor<8x3x3x3xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}, {}]>}) -> (tensor<4x8x6x6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}, {}, {}]>}) {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1], window = {pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64, sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}, {}, {}]>]>} : (tensor<4x3x6x6xf32>, tensor<8x3x3x3xf32>) -> tensor<4x8x6x6xf32>
  return %0 : tensor<4x8x6x6xf32>
}

// -----

// optimization_barrier (JAX's remat) keeps each value's split.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x8xf32> {{.*}}, %[[B:.*]]: tensor<8x2xf32>
// CHECK-NEXT: %[[O:.*]]:2 = stablehlo.optimization_barrier %[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x2xf32>
// CHECK-NEXT: return %[[O]]#0, %[[O]]#1
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}, %b: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}, tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}) {
  %0:2 = "stablehlo.optimization_barrier"(%a, %b) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>, <@mesh, [{}, {"y"}]>]>} : (tensor<8x8xf32>, tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>)
  return %0#0, %0#1 : tensor<8x8xf32>, tensor<8x8xf32>
}
