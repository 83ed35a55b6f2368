// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// while carries local values in the shardings of its results; its regions
// are partitioned recursively, and what the body yields is resharded to the
// carried sharding (here: the body computes split over "x" on dim 0, the
// loop carries dim 1 split over "y").

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<8x2xf32>
// CHECK: %[[W:.*]]:2 = stablehlo.while(%[[I:.*]] = %{{.*}}, %[[V:.*]] = %[[A]]) : tensor<i32>, tensor<8x2xf32>
// CHECK: cond {
// CHECK: stablehlo.compare LT
// CHECK: } do {
// CHECK: stablehlo.dynamic_slice %[[V]]
// CHECK-SAME: -> tensor<4x2xf32>
// CHECK: %[[T:.*]] = stablehlo.tanh %{{.*}} : tensor<4x2xf32>
// CHECK: "stablehlo.all_gather"(%[[T]]) <{all_gather_dim = 0 : i64
// CHECK: stablehlo.return %{{.*}}, %{{.*}} : tensor<i32>, tensor<8x2xf32>
// CHECK: return %[[W]]#1 : tensor<8x2xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}) {
  %zero = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<0> : tensor<i32>
  %w:2 = stablehlo.while(%i = %zero, %v = %a) : tensor<i32>, tensor<8x8xf32> attributes {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>, <@mesh, [{}, {"y"}]>]>}
  cond {
    %three = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<3> : tensor<i32>
    %lt = stablehlo.compare LT, %i, %three {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  } do {
    %one = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<1> : tensor<i32>
    %n = stablehlo.add %i, %one {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : tensor<i32>
    %t = stablehlo.tanh %v {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>} : tensor<8x8xf32>
    stablehlo.return %n, %t : tensor<i32>, tensor<8x8xf32>
  }
  return %w#1 : tensor<8x8xf32>
}

// -----

// case: the index is replicated; each branch is partitioned and returns its
// value in the case result's sharding.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x8xf32> {{.*}}, %[[K:.*]]: tensor<i32>
// CHECK: %[[C:.*]] = "stablehlo.case"(%[[K]]) ({
// CHECK: stablehlo.negate %[[A]] : tensor<4x8xf32>
// CHECK: }, {
// CHECK: %[[G:.*]] = "stablehlo.all_gather"(%[[A]])
// CHECK: stablehlo.exponential %[[G]] : tensor<8x8xf32>
// CHECK: stablehlo.dynamic_slice
// CHECK: }) : (tensor<i32>) -> tensor<4x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}, %k: tensor<i32> {sdy.sharding = #sdy.sharding<@mesh, []>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) {
  %r = "stablehlo.case"(%k) ({
    %x = stablehlo.negate %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : tensor<8x8xf32>
    stablehlo.return %x : tensor<8x8xf32>
  }, {
    %x = stablehlo.exponential %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}, {}]>]>} : tensor<8x8xf32>
    stablehlo.return %x : tensor<8x8xf32>
  }) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>} : (tensor<i32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}
