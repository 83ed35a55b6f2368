// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// Embedding lookup (jnp.take(table, ids, axis=0)) with the table split along
// features: the result's feature dimension takes the table's axis, its batch
// dimension the indices' axis.
// CHECK-LABEL: func.func @embedding(
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>})
func.func @embedding(%table: tensor<100x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>},
                     %ids: tensor<8x1xi32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>}) -> tensor<8x16xf32> {
  %0 = "stablehlo.gather"(%table, %ids) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1, 16>}> : (tensor<100x16xf32>, tensor<8x1xi32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// A table split along its rows (the indexed dimension): nothing flows to the
// result through that dimension.
// CHECK-LABEL: func.func @row_split_table(
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>})
func.func @row_split_table(%table: tensor<100x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>},
                           %ids: tensor<8x1xi32>) -> tensor<8x16xf32> {
  %0 = "stablehlo.gather"(%table, %ids) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1, 16>}> : (tensor<100x16xf32>, tensor<8x1xi32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// take_along_axis(x, idx, axis=1) as JAX writes it (batching dimensions):
// operand, indices and result share the batch dimension.
// CHECK-LABEL: func.func @take_along_axis(
// CHECK-SAME: %arg1: tensor<8x3x1xi32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}, {}]>}
// CHECK-SAME: -> (tensor<8x3xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>})
func.func @take_along_axis(%x: tensor<8x5xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}, {}]>},
                           %idx: tensor<8x3x1xi32>) -> tensor<8x3xf32> {
  %0 = "stablehlo.gather"(%x, %idx) <{dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [1], operand_batching_dims = [0], start_indices_batching_dims = [0], start_index_map = [1], index_vector_dim = 2>, indices_are_sorted = false, slice_sizes = array<i64: 1, 1>}> : (tensor<8x5xf32>, tensor<8x3x1xi32>) -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}

// Scatter-add of rows (the embedding gradient): input and result alike; the
// updates' feature dimension shares the input's.
// CHECK-LABEL: func.func @scatter_rows(
// CHECK-SAME: %arg2: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}
// CHECK-SAME: -> (tensor<100x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>})
func.func @scatter_rows(%acc: tensor<100x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"y"}]>},
                        %ids: tensor<8x1xi32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>},
                        %upd: tensor<8x16xf32>) -> tensor<100x16xf32> {
  %0 = "stablehlo.scatter"(%acc, %ids, %upd) <{indices_are_sorted = false, scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>, unique_indices = false}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) : (tensor<100x16xf32>, tensor<8x1xi32>, tensor<8x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}
