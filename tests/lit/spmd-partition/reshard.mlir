// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// sdy.sharding_constraint / sdy.reshard move a value to a new sharding.

// An axis moving from one dimension to another: all_to_all.
// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x8xf32>
// CHECK-NEXT: %[[T:.*]] = "stablehlo.all_to_all"(%[[A]]) <{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, concat_dimension = 0 : i64, replica_groups = dense<{{\[\[}}0, 4], [1, 5], [2, 6], [3, 7]]> : tensor<4x2xi64>, split_count = 2 : i64, split_dimension = 1 : i64}> : (tensor<4x8xf32>) -> tensor<8x4xf32>
// CHECK-NEXT: return %[[T]]
// CHECK-NOT: sdy.sharding_constraint
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}) {
  %0 = sdy.sharding_constraint %a <@mesh, [{}, {"x"}]> : tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Same chunk counts, other devices: collective_permute (partition p = (x, y)
// needs chunk 2y + x, which partition 2y + x holds).
// CHECK-LABEL: func.func public @main(
// CHECK-NEXT: %[[P:.*]] = "stablehlo.collective_permute"(%{{.*}}) <{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, source_target_pairs = dense<{{\[\[}}0, 0], [2, 1], [4, 2], [6, 3], [1, 4], [3, 5], [5, 6], [7, 7]]> : tensor<8x2xi64>}> : (tensor<1x8xf32>) -> tensor<1x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x", "y"}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", "x"}, {}]>}) {
  %0 = sdy.reshard %a <@mesh, [{"y", "x"}, {}]> : tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Splitting further along a prefix: a local dynamic_slice, no collective.
// CHECK-LABEL: func.func public @main(
// CHECK-NOT: stablehlo.all_
// CHECK: stablehlo.partition_id
// CHECK: stablehlo.dynamic_slice %{{.*}}, sizes = [1, 8] : (tensor<4x8xf32>, tensor<i32>, tensor<i32>) -> tensor<1x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x", "y"}, {}]>}) {
  %0 = sdy.sharding_constraint %a <@mesh, [{"x", "y"}, {}]> : tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// 6 over 2x4 devices and back: an uneven split pads the gathered value to
// 8 before slicing, and the all_gather's padding is sliced off again.
// CHECK-LABEL: func.func public @main(
// CHECK: stablehlo.pad %{{.*}}, low = [0], high = [2], interior = [0] : (tensor<6xf32>, tensor<f32>) -> tensor<8xf32>
// CHECK: %[[D:.*]] = stablehlo.dynamic_slice %{{.*}}, sizes = [1] : (tensor<8xf32>, tensor<i32>) -> tensor<1xf32>
// CHECK: %[[N:.*]] = stablehlo.negate %[[D]] : tensor<1xf32>
// CHECK: %[[G:.*]] = "stablehlo.all_gather"(%[[N]]) {{.*}} : (tensor<1xf32>) -> tensor<8xf32>
// CHECK: stablehlo.slice %[[G]] [0:6] : (tensor<8xf32>) -> tensor<6xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}]>}) -> (tensor<6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}]>}) {
  %0 = sdy.sharding_constraint %a <@mesh, [{"x", "y"}]> : tensor<6xf32>
  %1 = stablehlo.negate %0 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x", "y"}]>]>} : tensor<6xf32>
  return %1 : tensor<6xf32>
}
