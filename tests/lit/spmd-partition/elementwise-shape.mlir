// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// Elementwise ops compute on local shards in their result's sharding; the
// module gets its partition counts, the mesh and @main's shardings stay,
// every other sdy annotation goes.

// CHECK: module attributes {mhlo.num_partitions = 8 : i32, mhlo.num_replicas = 1 : i32}
// CHECK: sdy.mesh @mesh = <["x"=2, "y"=4]>
// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4x2xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}
// CHECK-SAME: -> (tensor<4x2xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>})
// CHECK-NEXT: %[[E:.*]] = stablehlo.exponential %[[A]] : tensor<4x2xf32>
// CHECK-NEXT: %[[M:.*]] = stablehlo.multiply %[[E]], %[[A]] : tensor<4x2xf32>
// CHECK-NEXT: return %[[M]]
// CHECK-NOT: sdy.sharding_per_value
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) {
  %0 = stablehlo.exponential %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>} : tensor<8x8xf32>
  %1 = stablehlo.multiply %0, %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>} : tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}

// -----

// broadcast_in_dim and transpose map the result's axes back to the operand;
// a new (broadcast) dimension may be split for free.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<4xf32>
// CHECK-NEXT: %[[B:.*]] = stablehlo.broadcast_in_dim %[[A]], dims = [0] : (tensor<4xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: %[[T:.*]] = stablehlo.transpose %[[B]], dims = [1, 0] : (tensor<4x2xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: return %[[T]]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}]>}) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {"x"}]>}) {
  %0 = stablehlo.broadcast_in_dim %a, dims = [0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {"y"}]>]>} : (tensor<8xf32>) -> tensor<8x8xf32>
  %1 = stablehlo.transpose %0, dims = [1, 0] {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}, {"x"}]>]>} : (tensor<8x8xf32>) -> tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}

// -----

// reshape keeps a split on the major dimension of a split/merged group when
// it divides; iota adds this partition's chunk offset, looked up by
// partition id; a splat constant is built at the local shape.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[A:.*]]: tensor<2x8xf32>
// CHECK-NEXT: %[[R:.*]] = stablehlo.reshape %[[A]] : (tensor<2x8xf32>) -> tensor<2x2x4xf32>
// CHECK: %[[I:.*]] = stablehlo.iota dim = 0 : tensor<2x2x4xf32>
// CHECK: %[[TABLE:.*]] = stablehlo.constant dense<[0, 0, 0, 0, 2, 2, 2, 2]> : tensor<8xi32>
// CHECK: %[[P:.*]] = stablehlo.partition_id : tensor<ui32>
// CHECK: %[[PI:.*]] = stablehlo.convert %[[P]] : (tensor<ui32>) -> tensor<i32>
// CHECK: %[[E:.*]] = stablehlo.dynamic_slice %[[TABLE]], %[[PI]], sizes = [1]
// CHECK: %[[OFF:.*]] = stablehlo.reshape %[[E]] : (tensor<1xi32>) -> tensor<i32>
// CHECK: %[[OFFF:.*]] = stablehlo.convert %[[OFF]] : (tensor<i32>) -> tensor<f32>
// CHECK: %[[OB:.*]] = stablehlo.broadcast_in_dim %[[OFFF]], dims = [] : (tensor<f32>) -> tensor<2x2x4xf32>
// CHECK: %[[IOTA:.*]] = stablehlo.add %[[I]], %[[OB]] : tensor<2x2x4xf32>
// CHECK: %[[C:.*]] = stablehlo.constant dense<1.000000e+00> : tensor<2x2x4xf32>
// CHECK: %[[S:.*]] = stablehlo.add %[[R]], %[[IOTA]] : tensor<2x2x4xf32>
// CHECK: stablehlo.add %[[S]], %[[C]] : tensor<2x2x4xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<4x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> (tensor<4x2x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}, {}]>}) {
  %0 = stablehlo.reshape %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}, {}]>]>} : (tensor<4x8xf32>) -> tensor<4x2x4xf32>
  %1 = stablehlo.iota dim = 0 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}, {}]>]>} : tensor<4x2x4xf32>
  %2 = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}, {}]>]>} dense<1.0> : tensor<4x2x4xf32>
  %3 = stablehlo.add %0, %1 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}, {}]>]>} : tensor<4x2x4xf32>
  %4 = stablehlo.add %3, %2 {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}, {}, {}]>]>} : tensor<4x2x4xf32>
  return %4 : tensor<4x2x4xf32>
}

// -----

// A non-splat constant is sliced per partition (dynamic_slice at the
// partition's offset).

// CHECK-LABEL: func.func public @main(
// CHECK: %[[C:.*]] = stablehlo.constant dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<4xf32>
// CHECK: %[[TABLE:.*]] = stablehlo.constant dense<[0, 1, 2, 3, 0, 1, 2, 3]> : tensor<8xi32>
// CHECK: %[[OFF:.*]] = stablehlo.reshape
// CHECK: %[[S:.*]] = stablehlo.dynamic_slice %[[C]], %[[OFF]], sizes = [1] : (tensor<4xf32>, tensor<i32>) -> tensor<1xf32>
// CHECK: stablehlo.add %{{.*}}, %[[S]] : tensor<1xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> (tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) {
  %c = stablehlo.constant {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}]>]>} dense<[0.0, 1.0, 2.0, 3.0]> : tensor<4xf32>
  %0 = stablehlo.add %a, %c {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}]>]>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
