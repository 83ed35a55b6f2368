// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Data movement on quantized tensors: the result keeps the operand's scales and
// zero points; per-axis types only where the spec allows them (reshape,
// transpose, broadcast_in_dim), their quantization dimension moving with its
// dimension; the ops the spec gives no quantized operands stay refused.

func.func @reshape_scales(%x: tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<6x!quant.uniform<i8:f32, 0.25:-3>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reshape' op requires the operand's element type for the result, got '!quant.uniform<i8:f32, 5.000000e-01:-3>' and '!quant.uniform<i8:f32, 2.500000e-01:-3>'
  %0 = stablehlo.reshape %x : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<6x!quant.uniform<i8:f32, 0.25:-3>>
  return %0 : tensor<6x!quant.uniform<i8:f32, 0.25:-3>>
}

// -----

func.func @reshape_merges_axis(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<6x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0, 0.5, 0.25, 1.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reshape' op result quantization dimension 0 does not follow the operand's (1): its size and the product of the dimensions before it are kept
  %0 = stablehlo.reshape %x : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<6x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0, 0.5, 0.25, 1.0}>>
  return %0 : tensor<6x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0, 0.5, 0.25, 1.0}>>
}

// -----

func.func @reshape_per_axis_to_per_tensor(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<6x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reshape' op requires a per-axis quantized result like the operand's
  %0 = stablehlo.reshape %x : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<6x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<6x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @transpose_axis(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.transpose' op inferred type(s) 'tensor<3x2x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01,1.000000e+00}>>' are incompatible with return type(s) of operation 'tensor<3x2x!quant.uniform<i8:f32:1
  %0 = stablehlo.transpose %x, dims = [1, 0] : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
  return %0 : tensor<3x2x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
}

// -----

func.func @broadcast_axis(%x: tensor<3x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0}>>) -> tensor<3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op result quantization dimension 0 does not follow the operand's (0): broadcast_dimensions[operand's] = result's
  %0 = stablehlo.broadcast_in_dim %x, dims = [1] : (tensor<3x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0}>>) -> tensor<3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0}>>
  return %0 : tensor<3x3x!quant.uniform<i8:f32:0, {0.5, 0.25, 1.0}>>
}

// -----

func.func @broadcast_scales(%x: tensor<1x!quant.uniform<i8:f32:0, {0.5}>>) -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op requires the operand's scales and zero points for the result
  %0 = stablehlo.broadcast_in_dim %x, dims = [0] : (tensor<1x!quant.uniform<i8:f32:0, {0.5}>>) -> tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
  return %0 : tensor<2x!quant.uniform<i8:f32:0, {0.5, 0.25}>>
}

// -----

func.func @slice_per_axis(%x: tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<1x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.slice' op operand #0 must be ranked tensor of {{.*}} per-tensor uniform quantized integer values, but got 'tensor<2x3x!quant.uniform<i8:f32:1
  %0 = stablehlo.slice %x [0:1, 0:3] : (tensor<2x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>) -> tensor<1x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
  return %0 : tensor<1x3x!quant.uniform<i8:f32:1, {0.5, 0.25, 1.0}>>
}

// -----

func.func @concatenate_scales(%a: tensor<2x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.concatenate' op requires the same element type for all operands and results
  %0 = stablehlo.concatenate %a, %b, dim = 0 : (tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<i8:f32, 0.25>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @select_storage(%p: tensor<2xi1>, %a: tensor<2x!quant.uniform<i8:f32, 0.5>>, %b: tensor<2x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.select' op requires quantized operands and results with one storage type, expressed type and quantization dimension
  %0 = stablehlo.select %p, %a, %b : (tensor<2xi1>, tensor<2x!quant.uniform<i8:f32, 0.5>>, tensor<2x!quant.uniform<u8:f32, 0.5>>) -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @sort(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.sort' op operand #0 must be variadic of ranked tensor of {{.*}}, but got 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>'
  %0 = "stablehlo.sort"(%x) ({
  ^bb0(%a: tensor<!quant.uniform<i8:f32, 0.5>>, %b: tensor<!quant.uniform<i8:f32, 0.5>>):
    %c = stablehlo.constant dense<true> : tensor<i1>
    stablehlo.return %c : tensor<i1>
  }) {dimension = 0 : i64} : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @dynamic_reshape(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>, %s: tensor<2xi64>) -> tensor<?x?x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_reshape' op operand #0 must be ranked tensor of {{.*}}, but got 'tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>'
  %0 = stablehlo.dynamic_reshape %x, %s : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<2xi64>) -> tensor<?x?x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<?x?x!quant.uniform<i8:f32, 0.5>>
}
