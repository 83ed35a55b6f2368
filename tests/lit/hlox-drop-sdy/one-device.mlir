// RUN: hlox-opt %s --hlox-drop-sdy | FileCheck %s

// Shardy's annotations do not change what a one-device program computes:
// constraints and reshards are identities, shard_map bodies over size-1 axes
// are inlined, meshes and sdy.* attributes go.

// CHECK-NOT: sdy.
// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x4xf32>) -> (tensor<4x4xf32> {jax.result_info = "result"})
// CHECK-NEXT: %[[S:.*]] = stablehlo.sine %[[A]] : tensor<4x4xf32>
// CHECK-NEXT: %[[M:.*]] = stablehlo.multiply %[[S]], %[[S]] : tensor<4x4xf32>
// CHECK-NEXT: %[[C:.*]] = stablehlo.custom_call @lapack_spotrf_ffi(%[[M]]) : (tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: return %[[C]] : tensor<4x4xf32>
// CHECK-NOT: sdy.
sdy.mesh @mesh = <["x"=1]> {stablehlo.mesh = {axes = [{name = "x", size = 1 : i64}]}}
func.func public @main(%arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> (tensor<4x4xf32> {jax.result_info = "result", sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) {
  %0 = sdy.sharding_constraint %arg0 <@mesh, [{}, {"x"}]> : tensor<4x4xf32>
  %1 = stablehlo.sine %0 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : tensor<4x4xf32>
  %2 = sdy.reshard %1 <@mesh, [{"x"}, {}]> : tensor<4x4xf32>
  %3 = sdy.manual_computation(%2) in_shardings=[<@mesh, [{"x"}, {}]>] out_shardings=[<@mesh, [{"x"}, {}]>] manual_axes={"x"} (%arg1: tensor<4x4xf32>) {
    %4 = stablehlo.multiply %arg1, %arg1 : tensor<4x4xf32>
    sdy.return %4 : tensor<4x4xf32>
  } : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %5 = stablehlo.custom_call @lapack_spotrf_ffi(%3) {sdy.sharding_rule = #sdy.op_sharding_rule<([i, j])->([k, l]) {i=4, j=4, k=4, l=4}, custom>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %5 : tensor<4x4xf32>
}
