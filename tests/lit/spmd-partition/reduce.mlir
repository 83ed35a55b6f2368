// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// A reduction over a split dimension: local reduce, then an all_reduce
// with the same op over the axes that split it; the kept dimension keeps
// its split.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x2xf32>
// CHECK: %[[R:.*]] = stablehlo.reduce(%[[A]] init: %{{.*}}) applies stablehlo.maximum across dimensions = [1] : (tensor<4x2xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK-NEXT: %[[S:.*]] = "stablehlo.all_reduce"(%[[R]]) <{{.*}}replica_groups = dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7]]>
// CHECK: stablehlo.maximum
// CHECK: return %[[S]] : tensor<4xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> (tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}]>}) {
  %init = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<0xFF800000> : tensor<f32>
  %0 = stablehlo.reduce(%a init: %init) applies stablehlo.maximum across dimensions = [1] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}]>]>} : (tensor<8x8xf32>, tensor<f32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// 6 over 4 devices: the padding is replaced by the init value (the op's
// identity) before the local reduce.

// CHECK-LABEL: func.func public @main(
// CHECK: %[[LT:.*]] = stablehlo.compare LT
// CHECK: %[[M:.*]] = stablehlo.select %[[LT]], %{{.*}}, %{{.*}} : tensor<2x2xi1>, tensor<2x2xf32>
// CHECK-NEXT: %[[R:.*]] = stablehlo.reduce(%[[M]] init: %{{.*}}) applies stablehlo.add across dimensions = [0]
// CHECK-NEXT: "stablehlo.all_reduce"(%[[R]])
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<6x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}) -> (tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}]>}) {
  %c = sdy.sharding_constraint %a <@mesh, [{"y"}, {"x"}]> : tensor<6x4xf32>
  %init = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<0.0> : tensor<f32>
  %0 = stablehlo.reduce(%c init: %init) applies stablehlo.add across dimensions = [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}]>]>} : (tensor<6x4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An init value that is not the op's identity would be counted once per
// partition: the reduced dimension is gathered instead.

// CHECK-LABEL: func.func public @main(
// CHECK: %[[G:.*]] = "stablehlo.all_gather"
// CHECK: stablehlo.reduce(%[[G]] init: %{{.*}}) applies stablehlo.add across dimensions = [0] : (tensor<8xf32>, tensor<f32>) -> tensor<f32>
// CHECK-NOT: all_reduce
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> (tensor<f32> {sdy.sharding = #sdy.sharding<@mesh, []>}) {
  %init = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<1.0> : tensor<f32>
  %0 = stablehlo.reduce(%a init: %init) applies stablehlo.add across dimensions = [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : (tensor<8xf32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
