// RUN: hlox-opt %s --hlox-import-mhlo-sharding | FileCheck %s

// A tuple sharding on a multi-result op: one #sdy.sharding_per_value entry per result.
// CHECK: sdy.mesh @mesh = <["axis_0"=2]>
// CHECK: stablehlo.sort
// CHECK: {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}]>, <@mesh, [{"axis_0"}]>]>}
// CHECK-NOT: mhlo.sharding
module attributes {mhlo.num_partitions = 2 : i32} {
  func.func @main(%arg0: tensor<4xf32>, %arg1: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
    %0:2 = "stablehlo.sort"(%arg0, %arg1) <{dimension = 0 : i64}> ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>, %c: tensor<i32>, %d: tensor<i32>):
      %p = stablehlo.compare LT, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %p : tensor<i1>
    }) {mhlo.sharding = "{{replicated}, {devices=[2]<=[2]}}"} : (tensor<4xf32>, tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>)
    return %0#0, %0#1 : tensor<4xf32>, tensor<4xi32>
  }
}
