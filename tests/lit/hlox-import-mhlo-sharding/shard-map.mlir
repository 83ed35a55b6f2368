// RUN: hlox-opt %s --split-input-file --hlox-import-mhlo-sharding | FileCheck %s

// jax.shard_map lowered with Shardy off (P("x", "y"), P() in; P("x"), P() out
// on a 2x4 mesh): Sharding -> SPMDFullToShardShape per operand, a call of the
// body, Sharding{manual} -> SPMDShardToFullShape per result. It becomes the
// sdy.manual_computation JAX writes with Shardy on, manual over every axis,
// its body calling the same function.

// CHECK: sdy.mesh @mesh = <["axis_0"=2, "axis_1"=4]>
// CHECK: %[[R:.*]]:2 = sdy.manual_computation(%arg0, %arg1)
// CHECK-SAME: in_shardings=[<@mesh, [{"axis_0"}, {"axis_1"}]>, <@mesh, [{}]>]
// CHECK-SAME: out_shardings=[<@mesh, [{"axis_0"}, {}]>, <@mesh, [{}]>]
// CHECK-SAME: manual_axes={"axis_0", "axis_1"} (%[[A:.*]]: tensor<4x4xf32>, %[[B:.*]]: tensor<4xf32>) {
// CHECK-NEXT: %[[C:.*]]:2 = func.call @shmap_body(%[[A]], %[[B]])
// CHECK-NEXT: sdy.return %[[C]]#0, %[[C]]#1 : tensor<4x4xf32>, tensor<4xf32>
// CHECK-NEXT: } : (tensor<8x16xf32>, tensor<4xf32>) -> (tensor<8x4xf32>, tensor<4xf32>)
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1
// CHECK-NOT: custom_call
module @jit_body attributes {mhlo.num_partitions = 8 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%arg0: tensor<8x16xf32>, %arg1: tensor<4xf32>) -> (tensor<8x4xf32> {jax.result_info = "result[0]"}, tensor<4xf32> {jax.result_info = "result[1]"}) {
    %0 = stablehlo.custom_call @Sharding(%arg0) {backend_config = "", mhlo.sharding = "{devices=[2,4]<=[8]}"} : (tensor<8x16xf32>) -> tensor<8x16xf32>
    %1 = stablehlo.custom_call @SPMDFullToShardShape(%0) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<8x16xf32>) -> tensor<4x4xf32>
    %2 = stablehlo.custom_call @Sharding(%arg1) {backend_config = "", mhlo.sharding = "{replicated}"} : (tensor<4xf32>) -> tensor<4xf32>
    %3 = stablehlo.custom_call @SPMDFullToShardShape(%2) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<4xf32>) -> tensor<4xf32>
    %4:2 = call @shmap_body(%1, %3) : (tensor<4x4xf32>, tensor<4xf32>) -> (tensor<4x4xf32>, tensor<4xf32>)
    %5 = stablehlo.custom_call @Sharding(%4#0) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<4x4xf32>) -> tensor<4x4xf32>
    %6 = stablehlo.custom_call @SPMDShardToFullShape(%5) {backend_config = "", mhlo.sharding = "{devices=[2,1,4]<=[8] last_tile_dim_replicate}"} : (tensor<4x4xf32>) -> tensor<8x4xf32>
    %7 = stablehlo.custom_call @Sharding(%4#1) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<4xf32>) -> tensor<4xf32>
    %8 = stablehlo.custom_call @SPMDShardToFullShape(%7) {backend_config = "", mhlo.sharding = "{replicated}"} : (tensor<4xf32>) -> tensor<4xf32>
    return %6, %8 : tensor<8x4xf32>, tensor<4xf32>
  }
  func.func private @shmap_body(%arg0: tensor<4x4xf32>, %arg1: tensor<4xf32>) -> (tensor<4x4xf32>, tensor<4xf32>) {
    %0 = stablehlo.multiply %arg0, %arg0 : tensor<4x4xf32>
    %1 = stablehlo.add %arg1, %arg1 : tensor<4xf32>
    return %0, %1 : tensor<4x4xf32>, tensor<4xf32>
  }
}

// -----

// The operand's Sharding also feeds another op: it stays, as a constraint,
// and the manual_computation takes the constrained value.
// CHECK: sdy.mesh @mesh = <["axis_0"=2]>
// CHECK: %[[S:.*]] = sdy.sharding_constraint %arg0 <@mesh, [{"axis_0"}]>
// CHECK-NEXT: %[[N:.*]] = stablehlo.negate %[[S]]
// CHECK-NEXT: %[[R:.*]] = sdy.manual_computation(%[[S]]) in_shardings=[<@mesh, [{"axis_0"}]>] out_shardings=[<@mesh, [{"axis_0"}]>] manual_axes={"axis_0"} (%[[A:.*]]: tensor<4xf32>) {
// CHECK-NEXT: %[[C:.*]] = func.call @body(%[[A]])
// CHECK-NEXT: sdy.return %[[C]]
// CHECK: return %[[R]], %[[N]]
module attributes {mhlo.num_partitions = 2 : i32} {
  func.func @shared(%arg0: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %0 = stablehlo.custom_call @Sharding(%arg0) {backend_config = "", mhlo.sharding = "{devices=[2]<=[2]}"} : (tensor<8xf32>) -> tensor<8xf32>
    %n = stablehlo.negate %0 : tensor<8xf32>
    %1 = stablehlo.custom_call @SPMDFullToShardShape(%0) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<8xf32>) -> tensor<4xf32>
    %2 = call @body(%1) : (tensor<4xf32>) -> tensor<4xf32>
    %3 = stablehlo.custom_call @Sharding(%2) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<4xf32>) -> tensor<4xf32>
    %4 = stablehlo.custom_call @SPMDShardToFullShape(%3) {backend_config = "", mhlo.sharding = "{devices=[2]<=[2]}"} : (tensor<4xf32>) -> tensor<8xf32>
    return %4, %n : tensor<8xf32>, tensor<8xf32>
  }
  func.func private @body(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    return %arg0 : tensor<4xf32>
  }
}
