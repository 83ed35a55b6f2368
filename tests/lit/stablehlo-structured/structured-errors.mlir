// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// convolution, gather, dynamic_gather, scatter: the spec's constraints are
// diagnostics with the op's location.

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: {{.*}}result shape 1x6x6x16 does not match the inferred shape 1x8x8x16
func.func @conv_result(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {pad = [[1, 1], [1, 1]]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.convolution' op input feature dimension (3) / feature_group_count (1) must equal the kernel input feature dimension (4)
func.func @conv_features(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x4x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<3x3x4x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.convolution' op window_strides must have 2 entries (one per spatial dimension), got 1
func.func @conv_strides(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.convolution' op feature_group_count and batch_group_count cannot both exceed 1, got 3 and 2
func.func @conv_groups(%x: tensor<2x8x8x3xf32>, %k: tensor<3x3x1x6xf32>) -> tensor<1x6x6x6xf32> {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {} {batch_group_count = 2 : i64, feature_group_count = 3 : i64} : (tensor<2x8x8x3xf32>, tensor<3x3x1x6xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.convolution' op input dimension numbers name 3 dimensions, but the rank is 4
func.func @conv_layout(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = "stablehlo.convolution"(%x, %k) {dimension_numbers = #stablehlo.conv<raw input_batch_dimension = 0, input_feature_dimension = 3, input_spatial_dimensions = [1], kernel_input_feature_dimension = 2, kernel_output_feature_dimension = 3, kernel_spatial_dimensions = [0, 1], output_batch_dimension = 0, output_feature_dimension = 3, output_spatial_dimensions = [1, 2]>, batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: custom op 'stablehlo.convolution' unknown window attribute 'strides', expected stride, pad, lhs_dilate, rhs_dilate or reverse
func.func @conv_syntax(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = stablehlo.convolution(%x, %k) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {strides = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.gather' op result shape 2x4 does not match the inferred shape 2x8
func.func @gather_result(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>) -> tensor<2x4xf32> {
  %0 = "stablehlo.gather"(%g, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 8>}> : (tensor<4x8xf32>, tensor<2x1xi32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.gather' op slice size of collapsed or batching dimension 0 must be 0 or 1, got 2
func.func @gather_collapsed(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>) -> tensor<2x8xf32> {
  %0 = "stablehlo.gather"(%g, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 2, 8>}> : (tensor<4x8xf32>, tensor<2x1xi32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.gather' op offset_dims (1) + collapsed_slice_dims (0) + operand_batching_dims (0) must add up to the operand rank 2
func.func @gather_rank(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>) -> tensor<2x8xf32> {
  %0 = "stablehlo.gather"(%g, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 8>}> : (tensor<4x8xf32>, tensor<2x1xi32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.gather' op index_vector_dim 3 out of range [0, 2]
func.func @gather_ivd(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>) -> tensor<2x8xf32> {
  %0 = "stablehlo.gather"(%g, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 3>, slice_sizes = array<i64: 1, 8>}> : (tensor<4x8xf32>, tensor<2x1xi32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.dynamic_gather' op slice_sizes has 3 entries, expected the operand rank 2
func.func @dynamic_gather(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>, %s: tensor<3xi32>) -> tensor<2x8xf32> {
  %0 = "stablehlo.dynamic_gather"(%g, %i, %s) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>}> : (tensor<4x8xf32>, tensor<2x1xi32>, tensor<3xi32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.scatter' op update scatter dimension 0 (size 3) differs from the scatter_indices' size 2
func.func @scatter_updates(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>, %u: tensor<3x8xf32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.scatter"(%g, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %b : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<2x1xi32>, tensor<3x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.scatter' op update_computation argument #1 must be 'tensor<f32>', got 'tensor<i32>'
func.func @scatter_body(%g: tensor<4x8xf32>, %i: tensor<2x1xi32>, %u: tensor<2x8xf32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.scatter"(%g, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<i32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<2x1xi32>, tensor<2x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: structured-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.scatter' op inserted_window_dims must be sorted ascending without repeats, got [1, 0]
func.func @scatter_dims(%g: tensor<4x8x2xf32>, %i: tensor<2x2xi32>, %u: tensor<2x2xf32>) -> tensor<4x8x2xf32> {
  %0 = "stablehlo.scatter"(%g, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [1, 0], scatter_dims_to_operand_dims = [0, 1], index_vector_dim = 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %b : tensor<f32>
  }) : (tensor<4x8x2xf32>, tensor<2x2xi32>, tensor<2x2xf32>) -> tensor<4x8x2xf32>
  return %0 : tensor<4x8x2xf32>
}
