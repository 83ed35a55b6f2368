// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// Batch dimensions split alike and a free dimension split in the result:
// one local dot, no communication.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<2x4x8xf32> {{.*}}, %[[B:.*]]: tensor<2x8x2xf32>
// CHECK-NEXT: %[[D:.*]] = stablehlo.dot_general %[[A]], %[[B]], batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<2x4x8xf32>, tensor<2x8x2xf32>) -> tensor<2x4x2xf32>
// CHECK-NEXT: return %[[D]]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<4x4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}, {}]>}, %b: tensor<4x8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}, {"y"}]>}) -> (tensor<4x4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}, {"y"}]>}) {
  %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [2] x [1] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}, {"y"}]>]>} : (tensor<4x4x8xf32>, tensor<4x8x8xf32>) -> tensor<4x4x8xf32>
  return %0 : tensor<4x4x8xf32>
}

// -----

// Contracting dimensions split over "y" on both operands (Megatron's row
// parallel layer): a local dot and an all_reduce over "y"'s groups.

// CHECK-LABEL: func.func public @main(
// CHECK-NEXT: %[[D:.*]] = stablehlo.dot_general %{{.*}}, %{{.*}}, contracting_dims = [1] x [0] : (tensor<4x2xf32>, tensor<2x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[R:.*]] = "stablehlo.all_reduce"(%[[D]]) <{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, replica_groups = dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7]]> : tensor<2x4xi64>, use_global_device_ids}>
// CHECK: stablehlo.add
// CHECK: return %[[R]]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}, %b: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// The result split over the contracted axes: reduce_scatter instead.

// CHECK-LABEL: func.func public @main(
// CHECK-NEXT: %[[D:.*]] = stablehlo.dot_general {{.*}} -> tensor<4x8xf32>
// CHECK-NEXT: %[[R:.*]] = "stablehlo.reduce_scatter"(%[[D]]) <{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, replica_groups = dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7]]> : tensor<2x4xi64>, scatter_dimension = 1 : i64, use_global_device_ids}>
// CHECK: }) : (tensor<4x8xf32>) -> tensor<4x2xf32>
// CHECK-NOT: all_reduce
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}, %b: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>} : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Mismatched operand: the rhs is split on its free dimension over "x",
// which the result does not want: it is gathered (all_gather over "x").

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<2x8xf32> {{.*}}, %[[B:.*]]: tensor<8x4xf32>
// CHECK-NEXT: %[[G:.*]] = "stablehlo.all_gather"(%[[B]]) <{all_gather_dim = 1 : i64, {{.*}}replica_groups = dense<{{\[\[}}0, 4], [1, 5], [2, 6], [3, 7]]>
// CHECK-SAME: (tensor<8x4xf32>) -> tensor<8x8xf32>
// CHECK-NEXT: stablehlo.dot_general %[[A]], %[[G]], contracting_dims = [1] x [0] : (tensor<2x8xf32>, tensor<8x8xf32>) -> tensor<2x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}, %b: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}, {}]>]>} : (tensor<8x8xf32>, tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// A contracting dimension of 6 over 4 devices: chunks of 2 with padding,
// masked to zero on both operands before the local dot.

// CHECK-LABEL: func.func public @main(
// CHECK-COUNT-2: stablehlo.select
// CHECK: stablehlo.dot_general {{.*}} : (tensor<8x2xf32>, tensor<2x8xf32>) -> tensor<8x8xf32>
// CHECK-NEXT: "stablehlo.all_reduce"
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}, %b: tensor<6x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) {
  %0 = sdy.sharding_constraint %a <@mesh, [{}, {"y"}]> : tensor<8x6xf32>
  %1 = sdy.sharding_constraint %b <@mesh, [{"y"}, {}]> : tensor<6x8xf32>
  %2 = stablehlo.dot_general %0, %1, contracting_dims = [1] x [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}, {}]>]>} : (tensor<8x6xf32>, tensor<6x8xf32>) -> tensor<8x8xf32>
  return %2 : tensor<8x8xf32>
}
