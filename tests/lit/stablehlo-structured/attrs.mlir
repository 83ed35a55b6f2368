// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// The struct-like attributes on their own: fields in any order and optional
// list fields when parsing; empty lists left out when printing.

// CHECK-LABEL: func.func @attrs
// CHECK-SAME: a.dot = #stablehlo.dot<lhs_batching_dimensions = [0], rhs_batching_dimensions = [0], lhs_contracting_dimensions = [2], rhs_contracting_dimensions = [1]>
// CHECK-SAME: a.dot_empty = #stablehlo.dot<>
// CHECK-SAME: b.precision = #stablehlo<precision HIGHEST>
// CHECK-SAME: c.algorithm = #stablehlo.dot_algorithm<lhs_precision_type = tf32, rhs_precision_type = tf32, accumulation_type = f32, lhs_component_count = 1, rhs_component_count = 1, num_primitive_operations = 3, allow_imprecise_accumulation = false>
// CHECK-SAME: d.gather = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], operand_batching_dims = [2], start_indices_batching_dims = [0], start_index_map = [0], index_vector_dim = 1>
// CHECK-SAME: d.gather_min = #stablehlo.gather<>
// CHECK-SAME: e.scatter = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], input_batching_dims = [2], scatter_indices_batching_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>
// CHECK-SAME: f.conv = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>
// CHECK-SAME: f.conv_raw = #stablehlo.conv<[b, f, 0]x[o, i, 0]->[b, f, 0]>
// CHECK-SAME: f.conv_unspellable = #stablehlo.conv<raw input_batch_dimension = 0, input_feature_dimension = 0, input_spatial_dimensions = [1], kernel_input_feature_dimension = 1, kernel_output_feature_dimension = 0, kernel_spatial_dimensions = [2], output_batch_dimension = 0, output_feature_dimension = 1, output_spatial_dimensions = [2]>
// CHECK-SAME: g.channel = #stablehlo.channel_handle<handle = 1, type = 0>
// CHECK-SAME: h.alias = #stablehlo.output_operand_alias<output_tuple_indices = [], operand_index = 0, operand_tuple_indices = []>
// CHECK-SAME: h.alias2 = #stablehlo.output_operand_alias<output_tuple_indices = [1], operand_index = 2, operand_tuple_indices = [0, 1]>
// CHECK-SAME: i.bounds = #stablehlo.bounds<?, 3>
// CHECK-SAME: i.bounds_spelled = #stablehlo.bounds<4, ?>
func.func @attrs() attributes {
    a.dot = #stablehlo.dot<rhs_contracting_dimensions = [1], lhs_batching_dimensions = [0], rhs_batching_dimensions = [0], lhs_contracting_dimensions = [2]>,
    a.dot_empty = #stablehlo.dot<lhs_batching_dimensions = [], rhs_batching_dimensions = []>,
    b.precision = #stablehlo<precision HIGHEST>,
    c.algorithm = #stablehlo.dot_algorithm<lhs_precision_type = tf32, rhs_precision_type = tf32, accumulation_type = f32, lhs_component_count = 1, rhs_component_count = 1, num_primitive_operations = 3, allow_imprecise_accumulation = false>,
    d.gather = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], operand_batching_dims = [2], start_indices_batching_dims = [0], start_index_map = [0], index_vector_dim = 1>,
    d.gather_min = #stablehlo.gather<index_vector_dim = 0>,
    e.scatter = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], input_batching_dims = [2], scatter_indices_batching_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>,
    f.conv = #stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>,
    f.conv_raw = #stablehlo.conv<raw input_batch_dimension = 0, input_feature_dimension = 1, input_spatial_dimensions = [2], kernel_input_feature_dimension = 1, kernel_output_feature_dimension = 0, kernel_spatial_dimensions = [2], output_batch_dimension = 0, output_feature_dimension = 1, output_spatial_dimensions = [2]>,
    f.conv_unspellable = #stablehlo.conv<raw input_batch_dimension = 0, input_feature_dimension = 0, input_spatial_dimensions = [1], kernel_input_feature_dimension = 1, kernel_output_feature_dimension = 0, kernel_spatial_dimensions = [2], output_batch_dimension = 0, output_feature_dimension = 1, output_spatial_dimensions = [2]>,
    g.channel = #stablehlo.channel_handle<type = 0, handle = 1>,
    h.alias = #stablehlo.output_operand_alias<output_tuple_indices = [], operand_index = 0, operand_tuple_indices = []>,
    h.alias2 = #stablehlo.output_operand_alias<output_tuple_indices = [1], operand_index = 2, operand_tuple_indices = [0, 1]>,
    i.bounds = #stablehlo.bounds<?, 3>,
    i.bounds_spelled = #stablehlo.type_extensions<bounds = [4, ?]>} {
  return
}

// A bounded dynamic tensor, as JAX prints it for shape polymorphism.
// CHECK-LABEL: func.func @bounded
// CHECK-SAME: tensor<?x3xf32, #stablehlo.bounds<8, ?>>
func.func @bounded(%a: tensor<?x3xf32, #stablehlo.type_extensions<bounds = [8, ?]>>) -> tensor<?x3xf32, #stablehlo.bounds<8, ?>> {
  return %a : tensor<?x3xf32, #stablehlo.bounds<8, ?>>
}
