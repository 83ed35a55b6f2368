// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// Layernorm-style statistics over sharded rows: the row axis stays, the
// reduced dimension's axis does not reach the result.
// CHECK-LABEL: func.func @rows(
// CHECK: stablehlo.reduce{{.*}}<@mesh, [{"y"}]>
// CHECK: stablehlo.broadcast_in_dim {{.*}}<@mesh, [{"y"}, {"x"}]>
// CHECK: stablehlo.subtract {{.*}}<@mesh, [{"y"}, {"x"}]>
func.func @rows(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {"x"}]>}) -> tensor<8x16xf32> {
  %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
  %0 = stablehlo.reduce(%a init: %cst) applies stablehlo.add across dimensions = [1] : (tensor<8x16xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = stablehlo.broadcast_in_dim %0, dims = [0] : (tensor<8xf32>) -> tensor<8x16xf32>
  %2 = stablehlo.subtract %a, %1 : tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}

// Backward: the result's sharding reaches the kept input dimension; the
// reduced one stays open and unsplit. The scalar init is replicated.
// CHECK-LABEL: func.func @backward(
// CHECK-SAME: %arg0: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK: stablehlo.constant {{.*}}<@mesh, []>
func.func @backward(%a: tensor<8x16xf32>) -> (tensor<16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) {
  %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
  %0 = stablehlo.reduce(%a init: %cst) applies stablehlo.add across dimensions = [0] : (tensor<8x16xf32>, tensor<f32>) -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// A variadic reduce (argmax): both inputs and both results alike.
// CHECK-LABEL: func.func @argmax(
// CHECK-SAME: %arg1: tensor<8x16xi32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}
// CHECK: stablehlo.reduce{{.*}}<@mesh, [{"x"}]>, <@mesh, [{"x"}]>
func.func @argmax(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}, %i: tensor<8x16xi32>) -> (tensor<8xf32>, tensor<8xi32>) {
  %c0 = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %c1 = stablehlo.constant dense<0> : tensor<i32>
  %0:2 = stablehlo.reduce(%a init: %c0), (%i init: %c1) across dimensions = [1] : (tensor<8x16xf32>, tensor<8x16xi32>, tensor<f32>, tensor<i32>) -> (tensor<8xf32>, tensor<8xi32>)
    reducer(%p0: tensor<f32>, %q0: tensor<f32>) (%p1: tensor<i32>, %q1: tensor<i32>) {
      %m = stablehlo.maximum %p0, %q0 : tensor<f32>
      %n = stablehlo.maximum %p1, %q1 : tensor<i32>
      stablehlo.return %m, %n : tensor<f32>, tensor<i32>
    }
  return %0#0, %0#1 : tensor<8xf32>, tensor<8xi32>
}

// reduce_window (a cumulative sum along dimension 1): the windowed dimension
// is not related; the other one is.
// CHECK-LABEL: func.func @window(
// CHECK: "stablehlo.reduce_window"
// CHECK: }) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}]>]>}
func.func @window(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<8x16xf32> {
  %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
  %0 = "stablehlo.reduce_window"(%a, %cst) <{padding = dense<[[0, 0], [15, 0]]> : tensor<2x2xi64>, window_dimensions = array<i64: 1, 16>}> ({
  ^bb0(%p: tensor<f32>, %q: tensor<f32>):
    %s = stablehlo.add %p, %q : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) : (tensor<8x16xf32>, tensor<f32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
