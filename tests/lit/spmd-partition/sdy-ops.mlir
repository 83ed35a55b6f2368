// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// A shard_map body (sdy.manual_computation) is inlined on the local values,
// its operands resharded to its in_shardings first; its own collectives
// keep their channels and new ones take the next free handles.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<8x2xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK: %[[L:.*]] = stablehlo.dynamic_slice %[[A]], {{.*}} sizes = [4, 2]
// CHECK-NEXT: %[[R:.*]] = "stablehlo.all_reduce"(%[[L]]) <{channel_handle = #stablehlo.channel_handle<handle = 7, type = 1>
// CHECK: %[[T:.*]] = stablehlo.transpose %[[R]]
// CHECK: "stablehlo.all_gather"(%{{.*}}) <{all_gather_dim = 0 : i64, channel_handle = #stablehlo.channel_handle<handle = 8, type = 1>
// CHECK-NOT: sdy.manual_computation
// CHECK-NOT: sdy.return
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}) {
  %0 = sdy.manual_computation(%a) in_shardings=[<@mesh, [{"x"}, {"y"}]>] out_shardings=[<@mesh, [{"y"}, {"x"}]>] manual_axes={"x", "y"} (%l: tensor<4x2xf32>) {
    %s = "stablehlo.all_reduce"(%l) <{channel_handle = #stablehlo.channel_handle<handle = 7, type = 1>, replica_groups = dense<[[0, 1, 2, 3], [4, 5, 6, 7]]> : tensor<2x4xi64>, use_global_device_ids}> ({
    ^bb0(%p: tensor<f32>, %q: tensor<f32>):
      %r = stablehlo.add %p, %q : tensor<f32>
      stablehlo.return %r : tensor<f32>
    }) : (tensor<4x2xf32>) -> tensor<4x2xf32>
    %t = stablehlo.transpose %s, dims = [1, 0] : (tensor<4x2xf32>) -> tensor<2x4xf32>
    sdy.return %t : tensor<2x4xf32>
  } : (tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Functions other than @main run replicated where they are called: their
// annotations go, their constraints become identities.

// CHECK-LABEL: func.func private @helper(
// CHECK-SAME: %[[X:.*]]: tensor<8xf32>) -> tensor<8xf32>
// CHECK-NEXT: %[[S:.*]] = stablehlo.sine %[[X]] : tensor<8xf32>
// CHECK-NEXT: return %[[S]]
// CHECK-LABEL: func.func public @main(
// CHECK: %[[G:.*]] = "stablehlo.all_gather"
// CHECK: call @helper(%[[G]]) : (tensor<8xf32>) -> tensor<8xf32>
// CHECK-NOT: sdy.sharding_per_value
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func private @helper(%x: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> tensor<8xf32> {
  %0 = sdy.sharding_constraint %x <@mesh, [{"x"}]> : tensor<8xf32>
  %1 = stablehlo.sine %0 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}]>]>} : tensor<8xf32>
  return %1 : tensor<8xf32>
}
func.func public @main(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> (tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) {
  %0 = func.call @helper(%a) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}]>]>} : (tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// A shard_map manual over "x" only: the body's types follow "x"; over the
// free axis "y" (after "x" in the in_shardings) it runs replicated.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<1x8xf32>
// CHECK: %[[G:.*]] = "stablehlo.all_gather"(%[[A]]) <{all_gather_dim = 0 : i64, {{.*}}replica_groups = dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7]]>
// CHECK-SAME: (tensor<1x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[E:.*]] = stablehlo.exponential %[[G]] : tensor<4x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x", "y"}, {}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) {
  %0 = sdy.manual_computation(%a) in_shardings=[<@mesh, [{"x", "y"}, {}]>] out_shardings=[<@mesh, [{"x"}, {}]>] manual_axes={"x"} (%l: tensor<4x8xf32>) {
    %e = stablehlo.exponential %l {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}, {}]>]>} : tensor<4x8xf32>
    sdy.return %e : tensor<4x8xf32>
  } : (tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
