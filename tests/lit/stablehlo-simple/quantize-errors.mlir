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
