// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// A scan (while loop) over sharded state: the carried value, the block
// arguments, the values in the body and the loop's result agree.
// CHECK-LABEL: func.func @scan(
// CHECK-SAME: -> (tensor<i32> {sdy.sharding = #sdy.sharding<@mesh, []>}, tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>})
// CHECK: stablehlo.while{{.*}}<@mesh, []>, <@mesh, [{"x"}, {"y"}]>
// CHECK: stablehlo.compare {{.*}}<@mesh, []>
// CHECK: stablehlo.tanh {{.*}}<@mesh, [{"x"}, {"y"}]>
func.func @scan(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> (tensor<i32>, tensor<8x16xf32>) {
  %c0 = stablehlo.constant dense<0> : tensor<i32>
  %0:2 = stablehlo.while(%i = %c0, %x = %a) : tensor<i32>, tensor<8x16xf32>
   cond {
    %n = stablehlo.constant dense<4> : tensor<i32>
    %lt = stablehlo.compare LT, %i, %n : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  } do {
    %one = stablehlo.constant dense<1> : tensor<i32>
    %j = stablehlo.add %i, %one : tensor<i32>
    %y = stablehlo.tanh %x : tensor<8x16xf32>
    stablehlo.return %j, %y : tensor<i32>, tensor<8x16xf32>
  }
  return %0#0, %0#1 : tensor<i32>, tensor<8x16xf32>
}

// A while whose loop-carried value gets its sharding from a use in the body
// (a constraint), flowing back to the initial value's argument.
// CHECK-LABEL: func.func @backward_from_body(
// CHECK-SAME: %arg0: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}
func.func @backward_from_body(%a: tensor<8x16xf32>, %n: tensor<i32>) -> tensor<8x16xf32> {
  %0:2 = stablehlo.while(%i = %n, %x = %a) : tensor<i32>, tensor<8x16xf32>
   cond {
    %z = stablehlo.constant dense<0> : tensor<i32>
    %gt = stablehlo.compare GT, %i, %z : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %gt : tensor<i1>
  } do {
    %c = sdy.sharding_constraint %x <@mesh, [{"y"}, {}]> : tensor<8x16xf32>
    %y = stablehlo.exponential %c : tensor<8x16xf32>
    stablehlo.return %i, %y : tensor<i32>, tensor<8x16xf32>
  }
  return %0#1 : tensor<8x16xf32>
}

// case: every branch's returned value and the result agree.
// CHECK-LABEL: func.func @case(
// CHECK-SAME: %arg2: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>}
// CHECK: "stablehlo.case"
// CHECK: stablehlo.negate {{.*}}<@mesh, [{}, {"x"}]>
// CHECK: }) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}, {"x"}]>]>}
func.func @case(%k: tensor<i32>, %a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>},
                %b: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = "stablehlo.case"(%k) ({
    %n = stablehlo.negate %a : tensor<8x16xf32>
    stablehlo.return %n : tensor<8x16xf32>
  }, {
    stablehlo.return %b : tensor<8x16xf32>
  }) : (tensor<i32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
