// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// A sharding constraint wins over what flows into it: the value after it has
// exactly the constraint's sharding (its dimension 0 is closed), the value
// before it keeps the argument's axis and gains the constraint's on its open
// dimension 1, and an unannotated argument on the constrained side takes the
// constraint's.
// CHECK-LABEL: func.func @constraint(
// CHECK-SAME: %arg1: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>})
// CHECK: stablehlo.negate {{.*}}<@mesh, [{"x"}, {"y"}]>
// CHECK: sdy.sharding_constraint {{.*}} <@mesh, [{}, {"y"}]> {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}, {"y"}]>]>}
// CHECK: stablehlo.add {{.*}}<@mesh, [{}, {"y"}]>
func.func @constraint(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}, %b: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = stablehlo.negate %a : tensor<8x16xf32>
  %1 = sdy.sharding_constraint %0 <@mesh, [{}, {"y"}]> : tensor<8x16xf32>
  %2 = stablehlo.add %1, %b : tensor<8x16xf32>
  return %2 : tensor<8x16xf32>
}

// An open dimension ({?} / {"x", ?}) may be extended; a closed one not.
// CHECK-LABEL: func.func @open(
// CHECK-SAME: %arg0: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x", "y"}, {}]>}
// CHECK-SAME: %arg2: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}
func.func @open(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x", ?}, {?}]>},
                %b: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x", "y"}, {}]>},
                %c: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> tensor<8x16xf32> {
  %0 = stablehlo.add %a, %b : tensor<8x16xf32>
  %1 = stablehlo.add %0, %c : tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// Priorities: p0 propagates to its fixpoint first, so the multiply takes
// "y" on dimension 1 from %b, and so does %a; %a's p1 sharding of dimension
// 0 by "y" then conflicts (the axis is used) and is dropped.
// CHECK-LABEL: func.func @priorities(
// CHECK-SAME: %arg0: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>}
// CHECK: stablehlo.multiply {{.*}}<@mesh, [{}, {"y"}]>
func.func @priorities(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", ?}p1, {?}]>},
                      %b: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{?}, {"y", ?}p0]>}) -> tensor<8x16xf32> {
  %0 = stablehlo.multiply %a, %b : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// Without priorities, the same program lets the larger/first sharding win
// per factor; both dimensions cannot use "y": dimension 0 (first) keeps it.
// CHECK-LABEL: func.func @no_priorities(
// CHECK: stablehlo.multiply {{.*}}<@mesh, [{"y"}, {}]>
func.func @no_priorities(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", ?}, {?}]>},
                         %b: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{?}, {"y", ?}]>}) -> tensor<8x16xf32> {
  %0 = stablehlo.multiply %a, %b : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// A function without any sharding in a module with one mesh: everything
// replicated on it.
// CHECK-LABEL: func.func @unsharded(
// CHECK-SAME: %arg0: tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}]>}
// CHECK: stablehlo.sine {{.*}}<@mesh, [{}]>
func.func @unsharded(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.sine %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
