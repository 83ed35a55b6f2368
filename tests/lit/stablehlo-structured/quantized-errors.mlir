// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// The spec's constraints of quantized dot_general (C14-C20) and convolution
// (C28-C34).

func.func @float_rhs(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op on quantized tensors needs a quantized rhs and lhs and result both quantized or both not
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @float_result(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op on quantized tensors needs a quantized rhs and lhs and result both quantized or both not
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @storage(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x4x!quant.uniform<u8:f32, 0.25>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op needs one storage type for quantized lhs and rhs
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x4x!quant.uniform<u8:f32, 0.25>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @expressed(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4x!quant.uniform<i8:f16, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op needs one expressed type for quantized lhs, rhs and result
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4x!quant.uniform<i8:f16, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f16, 2.0>>
}

// -----

func.func @granularity(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x2x!quant.uniform<i8:f32:1, {2.0, 1.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op with a per-tensor quantized rhs needs a per-tensor quantized result
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x2x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x2x!quant.uniform<i8:f32:1, {2.0, 1.0}>>
  return %0 : tensor<2x2x!quant.uniform<i8:f32:1, {2.0, 1.0}>>
}

// -----

func.func @hybrid_types(%a: tensor<2x3xf16>, %b: tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4xf16> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op with a float lhs and a quantized rhs needs lhs and result of rhs's expressed type
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3xf16>, tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

// -----

func.func @rhs_zero_point(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x4x!quant.uniform<i8:f32, 0.25:1>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op needs a quantized rhs with zero point 0
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x4x!quant.uniform<i8:f32, 0.25:1>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @contracted_axis(%a: tensor<2x2x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<2x4x!quant.uniform<i8:f32:0, {0.25, 0.5}>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op needs rhs's quantization dimension 0 outside its contracting dimensions
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x2x!quant.uniform<i8:f32, 0.5:-3>>, tensor<2x4x!quant.uniform<i8:f32:0, {0.25, 0.5}>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @per_axis_lhs(%a: tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, %b: tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op operand #0 must be ranked tensor of {{.*}} per-tensor uniform quantized integer values, but got 'tensor<2x3x!quant.uniform<i8:f32:0
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32:0, {0.5, 0.25}>>, tensor<3x4x!quant.uniform<i8:f32, 0.25>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @per_axis_scales(%a: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, %b: tensor<3x4x!quant.uniform<i8:f32:1, {0.25, 0.5}>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op per-axis quantized type '!quant.uniform<i8:f32:1, {2.500000e-01,5.000000e-01}>' has 2 scales for dimension 1 of size 4
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x4x!quant.uniform<i8:f32:1, {0.25, 0.5}>>) -> tensor<2x4x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @conv_rhs_axis(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x2x2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.convolution' op needs rhs's quantization dimension 2 to be kernel_output_feature_dimension 3
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x4x4x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x2x3x!quant.uniform<i8:f32:2, {0.5, 0.25}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<1x3x3x3x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @conv_result_axis(%x: tensor<1x4x4x2x!quant.uniform<i8:f32, 0.5>>, %w: tensor<2x2x2x3x!quant.uniform<i8:f32:3, {0.5, 0.25, 1.0}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32:1, {2.0, 1.0, 4.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.convolution' op needs the result's quantization dimension 1 to be output_feature_dimension 3
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x4x4x2x!quant.uniform<i8:f32, 0.5>>, tensor<2x2x2x3x!quant.uniform<i8:f32:3, {0.5, 0.25, 1.0}>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32:1, {2.0, 1.0, 4.0}>>
  return %0 : tensor<1x3x3x3x!quant.uniform<i8:f32:1, {2.0, 1.0, 4.0}>>
}

// -----

func.func @conv_hybrid(%x: tensor<1x4x4x2xf32>, %w: tensor<2x2x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 2.0>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.convolution' op on quantized tensors needs a quantized rhs and lhs and result both quantized or both not
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x4x4x2xf32>, tensor<2x2x2x3x!quant.uniform<i8:f32, 0.5>>) -> tensor<1x3x3x3x!quant.uniform<i8:f32, 2.0>>
  return %0 : tensor<1x3x3x3x!quant.uniform<i8:f32, 2.0>>
}

// -----

func.func @gather_per_axis(%x: tensor<4x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>, %i: tensor<2x1xi32>) -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.gather' op operand #0 must be ranked tensor of {{.*}} per-tensor uniform quantized integer values, but got 'tensor<4x3x!quant.uniform<i8:f32:1
  %0 = "stablehlo.gather"(%x, %i) {dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, slice_sizes = array<i64: 1, 3>} : (tensor<4x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>, tensor<2x1xi32>) -> tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
  return %0 : tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
}
