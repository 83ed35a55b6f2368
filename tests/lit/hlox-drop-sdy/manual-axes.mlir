// RUN: not hlox-opt %s --hlox-drop-sdy 2>&1 | FileCheck %s

// A shard_map body over an axis of 2 devices computes on half-size shards:
// not something one device can run by dropping annotations.
// CHECK: error: 'sdy.manual_computation' op: manual axis 'x' has size 2: the body computes on per-device shards, and this backend runs on one device
sdy.mesh @mesh = <["x"=2]>
func.func public @main(%arg0: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sdy.manual_computation(%arg0) in_shardings=[<@mesh, [{"x"}, {}]>] out_shardings=[<@mesh, [{"x"}, {}]>] manual_axes={"x"} (%arg1: tensor<2x4xf32>) {
    sdy.return %arg1 : tensor<2x4xf32>
  } : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
