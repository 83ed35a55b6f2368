// RUN: hlox-opt %s --split-input-file --hlox-spmd-partition | FileCheck %s

// An embedding lookup from a table split along its rows: each partition
// gathers from its own rows (the index clamped as gather clamps, shifted by
// the partition's first row), zeroes the rows it does not hold, and an
// all_reduce adds the partitions' results; the table is never gathered.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[T:.*]]: tensor<4x8xf32> {{.*}}, %[[I:.*]]: tensor<6x1xi32>
// CHECK-NOT: all_gather
// CHECK: %[[LO:.*]] = stablehlo.maximum
// CHECK: %[[C:.*]] = stablehlo.minimum %[[LO]]
// CHECK: %[[L:.*]] = stablehlo.subtract %[[C]]
// CHECK: %[[G:.*]] = "stablehlo.gather"(%[[T]], %{{.*}}) {{.*}} : (tensor<4x8xf32>, tensor<6x1xi32>) -> tensor<6x8xf32>
// CHECK: %[[Z:.*]] = stablehlo.select %{{.*}}, %[[G]], %{{.*}} : tensor<6x8xi1>, tensor<6x8xf32>
// CHECK: "stablehlo.all_reduce"(%[[Z]]) <{{.*}}replica_groups = dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7]]>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%t: tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}, %i: tensor<6x1xi32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) -> (tensor<6x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) {
  %0 = "stablehlo.gather"(%t, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1, 8>}> {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}, {}]>]>} : (tensor<16x8xf32>, tensor<6x1xi32>) -> tensor<6x8xf32>
  return %0 : tensor<6x8xf32>
}

// -----

// A gather along a dimension that is not split into single rows runs
// replicated: the table is gathered first.

// CHECK-LABEL: func.func public @main(
// CHECK: %[[G:.*]] = "stablehlo.all_gather"
// CHECK: "stablehlo.gather"(%[[G]], %{{.*}}) {{.*}} : (tensor<16x8xf32>, tensor<6x1xi32>) -> tensor<6x2x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%t: tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}, %i: tensor<6x1xi32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) -> (tensor<6x2x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}, {}]>}) {
  %0 = "stablehlo.gather"(%t, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1, 2], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 2, 8>}> {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{}, {}, {}]>]>} : (tensor<16x8xf32>, tensor<6x1xi32>) -> tensor<6x2x8xf32>
  return %0 : tensor<6x2x8xf32>
}

// -----

// The lookup's gradient, a scatter-add into the row-split table: updates for
// rows another partition holds are zeroed and aimed at local row 0; the
// table stays split and nothing is communicated.

// CHECK-LABEL: func.func public @main(
// CHECK-SAME: %[[T:.*]]: tensor<4x8xf32> {{.*}}, %[[I:.*]]: tensor<6x1xi32> {{.*}}, %[[U:.*]]: tensor<6x8xf32>
// CHECK-NOT: stablehlo.all_
// CHECK: %[[MU:.*]] = stablehlo.select %{{.*}}, %[[U]], %{{.*}} : tensor<6x8xi1>, tensor<6x8xf32>
// CHECK: %[[S:.*]] = "stablehlo.scatter"(%[[T]], %{{.*}}, %[[MU]])
// CHECK: }) : (tensor<4x8xf32>, tensor<6x1xi32>, tensor<6x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[S]] : tensor<4x8xf32>
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%t: tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}, %i: tensor<6x1xi32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}, %u: tensor<6x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}) -> (tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>}) {
  %0 = "stablehlo.scatter"(%t, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}, {}]>]>} : (tensor<16x8xf32>, tensor<6x1xi32>, tensor<6x8xf32>) -> tensor<16x8xf32>
  return %0 : tensor<16x8xf32>
}
