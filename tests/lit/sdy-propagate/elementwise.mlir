// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// Forward from an argument, through a scalar-operand select and a clamp.
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>})
func.func @forward(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>},
                   %b: tensor<8x16xf32>, %p: tensor<i1>, %lo: tensor<f32>) -> tensor<8x16xf32> {
  // CHECK: stablehlo.add {{.*}}sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>
  %0 = stablehlo.add %a, %b : tensor<8x16xf32>
  // CHECK: stablehlo.select {{.*}}sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>
  %1 = stablehlo.select %p, %0, %b : tensor<i1>, tensor<8x16xf32>
  // CHECK: stablehlo.clamp {{.*}}sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>
  %2 = stablehlo.clamp %lo, %1, %lo : (tensor<f32>, tensor<8x16xf32>, tensor<f32>) -> tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}

// Backward: the unannotated argument takes the sharding the result asks for;
// the scalar stays replicated.
// CHECK-LABEL: func.func @backward(
// CHECK-SAME: %arg0: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x", "y"}]>}
// CHECK-SAME: %arg1: tensor<f32> {sdy.sharding = #sdy.sharding<@mesh, []>}
func.func @backward(%a: tensor<8x16xf32>, %s: tensor<f32>)
    -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x", "y"}]>}) {
  // CHECK: stablehlo.broadcast_in_dim {{.*}}<@mesh, [{}, {"x", "y"}]>
  %b = stablehlo.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<8x16xf32>
  // CHECK: stablehlo.multiply {{.*}}<@mesh, [{}, {"x", "y"}]>
  %0 = stablehlo.multiply %a, %b : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// Operands that are both given and disagree: each closed argument keeps its
// own sharding; the result takes the first operand's (equal size, first in
// operand order).
// CHECK-LABEL: func.func @conflict(
// CHECK: stablehlo.subtract {{.*}}<@mesh, [{"x"}, {}]>
func.func @conflict(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>},
                    %b: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}) -> tensor<8x16xf32> {
  %0 = stablehlo.subtract %a, %b : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// More shards win a conflict; a compatible longer sharding extends a shorter one.
// CHECK-LABEL: func.func @more_shards(
// CHECK: stablehlo.add {{.*}}<@mesh, [{"y"}, {}]>
// CHECK: stablehlo.add {{.*}}<@mesh, [{"y", "x"}, {}]>
func.func @more_shards(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>},
                       %b: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>},
                       %c: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", "x"}, {}]>}) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %0 = stablehlo.add %a, %b : tensor<8x16xf32>
  %1 = stablehlo.add %b, %c : tensor<8x16xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<8x16xf32>
}
