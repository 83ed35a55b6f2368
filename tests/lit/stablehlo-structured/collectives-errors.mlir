// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.all_reduce' op replica id 1 appears more than once in replica_groups
func.func @all_reduce_groups(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.all_reduce"(%x) <{replica_groups = dense<[[0, 1], [1, 2]]> : tensor<2x2xi64>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.all_reduce' op computation argument #1 must be 'tensor<f32>', got 'tensor<i32>'
func.func @all_reduce_body(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.all_reduce"(%x) <{replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<i32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.all_gather' op result shape 4x8 does not match the inferred shape 8x4
func.func @all_gather_shape(%x: tensor<2x4xf32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.all_gather"(%x) <{all_gather_dim = 0 : i64, replica_groups = dense<[[0, 1, 2, 3]]> : tensor<1x4xi64>}> : (tensor<2x4xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.all_gather' op use_global_device_ids needs a channel_handle with handle > 0
func.func @all_gather_ids(%x: tensor<2x4xf32>) -> tensor<8x4xf32> {
  %0 = "stablehlo.all_gather"(%x) <{all_gather_dim = 0 : i64, replica_groups = dense<[[0, 1, 2, 3]]> : tensor<1x4xi64>, use_global_device_ids}> : (tensor<2x4xf32>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce_scatter' op operand dimension 1 (size 4) is not divisible by the group size 3
func.func @reduce_scatter_size(%x: tensor<2x4xf32>) -> tensor<2x1xf32> {
  %0 = "stablehlo.reduce_scatter"(%x) <{replica_groups = dense<[[0, 1, 2]]> : tensor<1x3xi64>, scatter_dimension = 1 : i64}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<2x4xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.all_to_all' op split_count 2 must equal the replica group size 4
func.func @all_to_all_count(%x: tensor<2x4xf32>) -> tensor<4x2xf32> {
  %0 = "stablehlo.all_to_all"(%x) <{concat_dimension = 0 : i64, replica_groups = dense<[[0, 1, 2, 3]]> : tensor<1x4xi64>, split_count = 2 : i64, split_dimension = 1 : i64}> : (tensor<2x4xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.collective_permute' op source_target_pairs targets has dimension 1 twice
func.func @permute_targets(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.collective_permute"(%x) <{source_target_pairs = dense<[[0, 1], [2, 1]]> : tensor<2x2xi64>}> : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: collectives-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.collective_broadcast' op result type 'tensor<3xf32>' differs from the operand type 'tensor<4xf32>'
func.func @broadcast_type(%x: tensor<4xf32>) -> tensor<3xf32> {
  %0 = "stablehlo.collective_broadcast"(%x) <{replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>}> : (tensor<4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
