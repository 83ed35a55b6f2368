// RUN: not hlox-opt %s --split-input-file --hlox-stablehlo-legalize-to-linalg 2>&1 | FileCheck %s

// What the structured lowerings cannot handle is an error naming the op, at
// its location; the pass fails cleanly.

func.func @body_op(%x: tensor<4xf32>) -> tensor<f32> {
  %c = stablehlo.constant dense<0.0> : tensor<f32>
  %r = stablehlo.reduce(%x init: %c) across dimensions = [0] : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
   reducer(%a: tensor<f32>, %b: tensor<f32>) {
    // CHECK: structured-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: 'stablehlo.broadcast_in_dim' in the body of 'stablehlo.reduce' cannot be lowered to scalar code (not supported yet)
    %t = stablehlo.broadcast_in_dim %a, dims = [] : (tensor<f32>) -> tensor<1xf32>
    %u = stablehlo.reshape %t : (tensor<1xf32>) -> tensor<f32>
    stablehlo.return %u : tensor<f32>
  }
  return %r : tensor<f32>
}

// -----

module attributes {mhlo.num_partitions = 2 : i32, mhlo.num_replicas = 1 : i32} {
func.func @two_devices(%x: tensor<4xf32>) -> tensor<8xf32> {
  // CHECK: structured-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: hlox-stablehlo-legalize-to-linalg: 'stablehlo.all_gather' communicates between devices; the CPU backend runs on one device (only groups of one process are supported)
  %0 = "stablehlo.all_gather"(%x) <{all_gather_dim = 0 : i64, replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>}> : (tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
}
