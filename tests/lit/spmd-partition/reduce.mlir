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

// -----

// argmax (a reduce of values and indices) over a split dimension: padding
// masked with the init values, a local reduce, the partials gathered and
// reduced again with the same body.

// CHECK-LABEL: func.func public @main(
// CHECK: %[[R:.*]]:2 = stablehlo.reduce(%{{.*}} init: %{{.*}}), (%{{.*}} init: %{{.*}}) across dimensions = [1] : (tensor<4x2xf32>, tensor<4x2xi32>, tensor<f32>, tensor<i32>) -> (tensor<4xf32>, tensor<4xi32>)
// CHECK: %[[V:.*]] = stablehlo.reshape %[[R]]#0 : (tensor<4xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: %[[GV:.*]] = "stablehlo.all_gather"(%[[V]]) {{.*}} : (tensor<1x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %[[I:.*]] = stablehlo.reshape %[[R]]#1 : (tensor<4xi32>) -> tensor<1x4xi32>
// CHECK-NEXT: %[[GI:.*]] = "stablehlo.all_gather"(%[[I]]) {{.*}} : (tensor<1x4xi32>) -> tensor<4x4xi32>
// CHECK-NEXT: %[[F:.*]]:2 = stablehlo.reduce(%[[GV]] init: %{{.*}}), (%[[GI]] init: %{{.*}}) across dimensions = [0] : (tensor<4x4xf32>, tensor<4x4xi32>, tensor<f32>, tensor<i32>) -> (tensor<4xf32>, tensor<4xi32>)
// CHECK: return %[[F]]#1 : tensor<4xi32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> (tensor<8xi32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}]>}) {
  %i = stablehlo.iota dim = 1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>} : tensor<8x8xi32>
  %ninf = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<0xFF800000> : tensor<f32>
  %zero = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} dense<0> : tensor<i32>
  %r:2 = stablehlo.reduce(%a init: %ninf), (%i init: %zero) across dimensions = [1] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}]>, <@mesh, [{"x"}]>]>} : (tensor<8x8xf32>, tensor<8x8xi32>, tensor<f32>, tensor<i32>) -> (tensor<8xf32>, tensor<8xi32>)
    reducer(%v0: tensor<f32>, %v1: tensor<f32>) (%i0: tensor<i32>, %i1: tensor<i32>) {
    %gt = stablehlo.compare GT, %v0, %v1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %eq = stablehlo.compare EQ, %v0, %v1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %lt = stablehlo.compare LT, %i0, %i1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %tie = stablehlo.and %eq, %lt {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : tensor<i1>
    %pick = stablehlo.or %gt, %tie {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : tensor<i1>
    %v = stablehlo.select %pick, %v0, %v1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : tensor<i1>, tensor<f32>
    %j = stablehlo.select %pick, %i0, %i1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, []>]>} : tensor<i1>, tensor<i32>
    stablehlo.return %v, %j : tensor<f32>, tensor<i32>
  }
  return %r#1 : tensor<8xi32>
}
