// RUN: hlox-opt %s | FileCheck %s
// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// Shardy as JAX prints it (a jitted function with a one-device Mesh).

// CHECK: sdy.mesh @mesh = <["x"=1]> {stablehlo.mesh = {axes = [{name = "x", size = 1 : i64}]}}
sdy.mesh @mesh = <["x"=1]> {stablehlo.mesh = {axes = [{name = "x", size = 1 : i64}]}}
// CHECK: sdy.mesh @mesh2 = <["a"=2, "b"=2], device_ids=[0, 2, 1, 3]>
sdy.mesh @mesh2 = <["a"=2, "b"=2], device_ids=[0, 2, 1, 3]>
// CHECK: sdy.mesh @empty = <[]>
sdy.mesh @empty = <[]>
// CHECK: sdy.mesh @maximal = <[], device_ids=[3]>
sdy.mesh @maximal = <[], device_ids=[3]>

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>})
// CHECK-SAME: -> (tensor<4xf32> {jax.result_info = "result", sdy.sharding = #sdy.sharding<@mesh, [{}]>})
func.func public @main(%arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> (tensor<4xf32> {jax.result_info = "result", sdy.sharding = #sdy.sharding<@mesh, [{}]>}) {
  // CHECK: %[[C:.*]] = sdy.sharding_constraint %arg0 <@mesh, [{}, {"x"}]> : tensor<4x4xf32>
  %0 = sdy.sharding_constraint %arg0 <@mesh, [{}, {"x"}]> : tensor<4x4xf32>
  %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
  %1 = stablehlo.reduce(%0 init: %cst) applies stablehlo.add across dimensions = [0] : (tensor<4x4xf32>, tensor<f32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// Open dimensions, priorities, replicated/unreduced axes, sub-axes, inline meshes.
// CHECK-LABEL: func.func @forms(
// CHECK-SAME: #sdy.sharding<@mesh2, [{"a", ?}p1, {?}]>
// CHECK-SAME: #sdy.sharding<@mesh2, [{"a":(1)2}, {}p0], replicated={"b"}>
// CHECK-SAME: #sdy.sharding<mesh<["z"=4]>, [{}, {"z"}]>
// CHECK-SAME: #sdy.sharding<@mesh2, [{}, {}], unreduced={"a"}>
// CHECK-SAME: #sdy.sharding<@mesh2, [{}, {}], replicated={"a"}, unreduced=max{"b"}>
// CHECK-SAME: #sdy.sharding<@maximal, []>
func.func @forms(%a: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh2, [{"a", ?}p1, {?}]>},
                 %b: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh2, [{"a":(1)2}, {}p0], replicated={"b"}>},
                 %c: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<mesh<["z"=4]>, [{}, {"z"}]>},
                 %d: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh2, [{}, {}], unreduced={"a"}>},
                 %e: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh2, [{}, {}], replicated={"a"}, unreduced=max{"b"}>},
                 %f: tensor<f32> {sdy.sharding = #sdy.sharding<@maximal, []>}) {
  // CHECK: sdy.reshard %arg0 <@mesh2, [{"b"}, {"a"}]> : tensor<4x4xf32>
  %0 = sdy.reshard %a <@mesh2, [{"b"}, {"a"}]> : tensor<4x4xf32>
  // CHECK: stablehlo.add %arg0, %arg1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh2, [{"a"}, {}]>]>}
  %1 = stablehlo.add %a, %b {sdy.sharding = #sdy.sharding_per_value<[<@mesh2, [{"a"}, {}]>]>} : tensor<4x4xf32>
  return
}

// The factor rules JAX attaches to LAPACK custom calls (and a few more forms).
// CHECK-LABEL: func.func @rules(
func.func @rules(%a: tensor<4x4xf32>, %b: tensor<2x8xf32>, %s: tensor<f32>) {
  // CHECK: sdy.sharding_rule = #sdy.op_sharding_rule<([i, j])->([k, l], []) {i=4, j=4, k=4, l=4}, custom>
  %0:2 = stablehlo.custom_call @lapack_spotrf_ffi(%a) {sdy.sharding_rule = #sdy.op_sharding_rule<([i, j])->([k, l], []) {i=4, j=4, k=4, l=4}, custom>} : (tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<i32>)
  // CHECK: sdy.sharding_rule = #sdy.op_sharding_rule<([i, j], [k, l])->([m, n]) {i=4, j=4, k=4, l=4, m=4, n=4}, custom>
  %1 = stablehlo.custom_call @lapack_strsm_ffi(%a, %a) {sdy.sharding_rule = #sdy.op_sharding_rule<([i, j], [k, l])->([m, n]) {i=4, j=4, k=4, l=4, m=4, n=4}, custom>} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  // A dimension of two factors, a reduction factor, and factors past z.
  // CHECK: #sdy.op_sharding_rule<([ij], [k])->([l]) {i=2, j=8, k=16, l=1} reduction={k} need_replication={l}>
  %2 = stablehlo.custom_call @f(%b, %b) {sdy.sharding_rule = #sdy.op_sharding_rule<([ij], [k])->([l]) {i=2, j=8, k=16, l=1} reduction={k} need_replication={l}>} : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: #sdy.op_sharding_rule<([z_1, z])->([z, z_1]) {i=1, j=1, k=1, l=1, m=1, n=1, o=1, p=1, q=1, r=1, s=1, t=1, u=1, v=1, w=1, x=1, y=1, z=2, z_1=8} permutation={z} blocked_propagation={z_1}>
  %3 = stablehlo.custom_call @g(%b) {sdy.sharding_rule = #sdy.op_sharding_rule<([z_1, z])->([z, z_1]) {i=1, j=1, k=1, l=1, m=1, n=1, o=1, p=1, q=1, r=1, s=1, t=1, u=1, v=1, w=1, x=1, y=1, z=2, z_1=8} permutation={z} blocked_propagation={z_1}>} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: #sdy.op_sharding_rule<([])->([])>
  %4 = stablehlo.custom_call @h(%s) {sdy.sharding_rule = #sdy.op_sharding_rule<([])->([])>} : (tensor<f32>) -> tensor<f32>
  return
}

// jax.shard_map
// CHECK-LABEL: func.func @manual(
// CHECK: %[[R:.*]] = sdy.manual_computation(%arg0) in_shardings=[<@mesh2, [{"a"}, {}]>] out_shardings=[<@mesh2, [{"a"}, {}]>] manual_axes={"a"} (%arg1: tensor<2x4xf32>) {
// CHECK-NEXT: %[[M:.*]] = stablehlo.multiply %arg1, %arg1 : tensor<2x4xf32>
// CHECK-NEXT: sdy.return %[[M]] : tensor<2x4xf32>
// CHECK-NEXT: } : (tensor<4x4xf32>) -> tensor<4x4xf32>
func.func @manual(%arg0: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sdy.manual_computation(%arg0) in_shardings=[<@mesh2, [{"a"}, {}]>] out_shardings=[<@mesh2, [{"a"}, {}]>] manual_axes={"a"} (%arg1: tensor<2x4xf32>) {
    %1 = stablehlo.multiply %arg1, %arg1 : tensor<2x4xf32>
    sdy.return %1 : tensor<2x4xf32>
  } : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
