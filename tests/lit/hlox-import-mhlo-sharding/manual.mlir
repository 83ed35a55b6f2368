// RUN: not hlox-opt %s --split-input-file --hlox-import-mhlo-sharding 2>&1 | FileCheck %s

// A manual sharding has no Shardy tensor-sharding form (Shardy says it with
// sdy.manual_computation, which hlox makes from GSPMD's shard_map pattern only:
// see shard-map.mlir).

// CHECK: error: 'func.func' op: cannot import its mhlo.sharding: argument #0: '{manual}': a manual sharding outside an sdy.manual_computation has no Shardy form
module attributes {mhlo.num_partitions = 2 : i32} {
  func.func @manual(%arg0: tensor<4xf32> {mhlo.sharding = "{manual}"}) {
    return
  }
}

// -----

// The body's result is used before it reaches SPMDShardToFullShape: not a shard_map hlox recognizes.
// CHECK: error: 'stablehlo.custom_call' op: cannot import its mhlo.sharding: @SPMDFullToShardShape is not part of a shard_map that hlox recognizes (Sharding -> SPMDFullToShardShape -> call -> Sharding -> SPMDShardToFullShape)
// CHECK: error: 'stablehlo.custom_call' op: cannot import its mhlo.sharding: '{manual}': a manual sharding outside an sdy.manual_computation has no Shardy form
// CHECK: error: 'stablehlo.custom_call' op: cannot import its mhlo.sharding: @SPMDShardToFullShape is not part of a shard_map
module attributes {mhlo.num_partitions = 2 : i32} {
  func.func @shard_map(%arg0: tensor<8xf32> {mhlo.sharding = "{devices=[2]<=[2]}"}) -> (tensor<8xf32> {mhlo.sharding = "{devices=[2]<=[2]}"}) {
    %0 = stablehlo.custom_call @Sharding(%arg0) {backend_config = "", mhlo.sharding = "{devices=[2]<=[2]}"} : (tensor<8xf32>) -> tensor<8xf32>
    %1 = stablehlo.custom_call @SPMDFullToShardShape(%0) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<8xf32>) -> tensor<4xf32>
    %2 = call @body(%1) : (tensor<4xf32>) -> tensor<4xf32>
    %3 = stablehlo.sine %2 : tensor<4xf32>
    %4 = stablehlo.custom_call @Sharding(%3) {backend_config = "", mhlo.sharding = "{manual}"} : (tensor<4xf32>) -> tensor<4xf32>
    %5 = stablehlo.custom_call @SPMDShardToFullShape(%4) {backend_config = "", mhlo.sharding = "{devices=[2]<=[2]}"} : (tensor<4xf32>) -> tensor<8xf32>
    return %5 : tensor<8xf32>
  }
  func.func private @body(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    return %arg0 : tensor<4xf32>
  }
}

// -----

// CHECK: error: 'func.func' op: cannot import its mhlo.sharding: argument #0: '{devices=[2,2]<=[4] last_tile_dims={manual}}' is manual over a subgroup of devices
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @partly_manual(%arg0: tensor<4x4xf32> {mhlo.sharding = "{devices=[2,2]<=[4] last_tile_dims={manual}}"}) {
    return
  }
}
