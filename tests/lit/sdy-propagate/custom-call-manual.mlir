// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// A custom call without a sharding rule: its result is replicated, and
// nothing flows through it (the argument after it stays replicated too).
// CHECK-LABEL: func.func @opaque(
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>})
// CHECK: stablehlo.custom_call @foo{{.*}}<@mesh, [{}, {}]>
func.func @opaque(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<8x16xf32> {
  %0 = stablehlo.custom_call @foo(%a) : (tensor<8x16xf32>) -> tensor<8x16xf32>
  %1 = stablehlo.abs %0 : tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// A custom call with its own sdy.sharding_rule (as JAX writes for LAPACK):
// the batch factor i carries, the need_replication factors j, k do not.
// CHECK-LABEL: func.func @with_rule(
// CHECK-SAME: -> (tensor<4x8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}]>})
func.func @with_rule(%a: tensor<4x8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {"x"}, {}]>}) -> tensor<4x8x8xf32> {
  %0 = stablehlo.custom_call @lapack_spotrf(%a) {sdy.sharding_rule = #sdy.op_sharding_rule<([i, j, k])->([i, j, k]) {i=4, j=8, k=8} need_replication={j, k}>} : (tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
  return %0 : tensor<4x8x8xf32>
}

// sdy.manual_computation (shard_map): its in/out shardings are fixed; the
// operand's producer takes the in_sharding, the result's users the out_sharding.
// The body is left alone (local values).
// CHECK-LABEL: func.func @manual(
// CHECK-SAME: %arg0: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>})
// CHECK: stablehlo.exponential %arg0 {{.*}}<@mesh, [{"x"}, {}]>
// CHECK: sdy.manual_computation
// CHECK-NEXT: stablehlo.negate %arg1 :
// CHECK: {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>}
// CHECK: stablehlo.abs {{.*}}<@mesh, [{"x"}, {}]>
func.func @manual(%a: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %e = stablehlo.exponential %a : tensor<8x16xf32>
  %0 = sdy.manual_computation(%e) in_shardings=[<@mesh, [{"x"}, {}]>] out_shardings=[<@mesh, [{"x"}, {}]>] manual_axes={"x"} (%l: tensor<4x16xf32>) {
    %n = stablehlo.negate %l : tensor<4x16xf32>
    sdy.return %n : tensor<4x16xf32>
  } : (tensor<8x16xf32>) -> tensor<8x16xf32>
  %1 = stablehlo.abs %0 : tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}
