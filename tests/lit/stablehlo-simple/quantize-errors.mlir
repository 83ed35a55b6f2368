// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Verifier errors of uniform_quantize / uniform_dequantize.

func.func @quantize_to_float(%x: tensor<4xf32>) -> tensor<4xf16> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.uniform_quantize' op needs a result of quantized type, got 'tensor<4xf16>'
  %0 = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @quantize_expressed(%x: tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.uniform_quantize' op operand element type 'f16' must be the result's expressed type 'f32'
  %0 = stablehlo.uniform_quantize %x : (tensor<4xf16>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<4x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @dequantize_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.uniform_dequantize' op needs an operand of quantized type, got 'tensor<4xf32>'
  %0 = stablehlo.uniform_dequantize %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dequantize_expressed(%x: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf16> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.uniform_dequantize' op result element type 'f16' must be the operand's expressed type 'f32'
  %0 = stablehlo.uniform_dequantize %x : (tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) -> tensor<3x!quant.uniform<i8:f32, 0.5>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.uniform_quantize' op all non-scalar operands/results must have the same shape and base type
  %0 = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<3x!quant.uniform<i8:f32, 0.5>>
  return %0 : tensor<3x!quant.uniform<i8:f32, 0.5>>
}

// -----

func.func @add_mixed(%a: tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, %b: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.add' op requires all operands and results to be quantized or none
  %0 = "stablehlo.add"(%a, %b) : (tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @add_storage(%a: tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, %b: tensor<2x!quant.uniform<i16:f32, 0.1:-30>>) -> tensor<2x!quant.uniform<i8:f32, 0.1:-30>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.add' op requires quantized operands and results with one storage type, expressed type and quantization dimension
  %0 = "stablehlo.add"(%a, %b) : (tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, tensor<2x!quant.uniform<i16:f32, 0.1:-30>>) -> tensor<2x!quant.uniform<i8:f32, 0.1:-30>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.1:-30>>
}

// -----

func.func @per_axis_size(%x: tensor<3xf32>) -> tensor<3x!quant.uniform<i8:f32:0, {0.1:0, 0.2:0}>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.uniform_quantize' op per-axis quantized type '!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>' has 2 scales for dimension 0 of size 3
  %0 = stablehlo.uniform_quantize %x : (tensor<3xf32>) -> tensor<3x!quant.uniform<i8:f32:0, {0.1:0, 0.2:0}>>
  return %0 : tensor<3x!quant.uniform<i8:f32:0, {0.1:0, 0.2:0}>>
}

// -----

func.func @and_quantized(%a: tensor<2x!quant.uniform<i8:f32, 0.1:-30>>) -> tensor<2x!quant.uniform<i8:f32, 0.1:-30>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.and' op operand #0 must be
  %0 = stablehlo.and %a, %a : tensor<2x!quant.uniform<i8:f32, 0.1:-30>>
  return %0 : tensor<2x!quant.uniform<i8:f32, 0.1:-30>>
}

