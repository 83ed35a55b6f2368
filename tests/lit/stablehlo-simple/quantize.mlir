// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// uniform_quantize / uniform_dequantize with the quant dialect's element types
// (per-tensor and per-axis).

// CHECK-LABEL: func.func {{.*}}@q(
func.func @q(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: stablehlo.uniform_quantize %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  %0 = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  // CHECK: stablehlo.uniform_quantize %{{[a-z0-9_#]+}} : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>
  %1 = stablehlo.uniform_quantize %0 : (tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>
  // CHECK: stablehlo.uniform_dequantize %{{[a-z0-9_#]+}} : (tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<4xf32>
  %2 = stablehlo.uniform_dequantize %1 : (tensor<4x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<4xf32>
  // CHECK: stablehlo.uniform_quantize %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32:0, {1.000000e+00,2.000000e+00,3.000000e+00,4.000000e+00}>>
  %3 = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32:0, {1.0, 2.0, 3.0, 4.0}>>
  return %2 : tensor<4xf32>
}

// Elementwise ops on quantized tensors: operands and result quantized alike (one
// storage and expressed type) but each with its own scale and zero point; and
// bitcast_convert between a quantized type and its storage integers.
// CHECK-LABEL: func.func {{.*}}@ops(
func.func @ops(%a: tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, %b: tensor<2x!quant.uniform<i8:f32, 0.5:-20>>) -> tensor<2xi8> {
  // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<2x!quant.uniform<i8:f32, 1.000000e-01:-30>>, tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-20>>) -> tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-20>>
  %0 = stablehlo.add %a, %b : (tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, tensor<2x!quant.uniform<i8:f32, 0.5:-20>>) -> tensor<2x!quant.uniform<i8:f32, 0.5:-20>>
  // CHECK: stablehlo.tanh %{{[a-z0-9_#]+}} : tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-20>>
  %1 = stablehlo.tanh %0 : tensor<2x!quant.uniform<i8:f32, 0.5:-20>>
  // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<2x!quant.uniform<i8:f32, 5.000000e-01:-20>>) -> tensor<2xi8>
  %2 = stablehlo.bitcast_convert %1 : (tensor<2x!quant.uniform<i8:f32, 0.5:-20>>) -> tensor<2xi8>
  return %2 : tensor<2xi8>
}

// CHECK-LABEL: func.func {{.*}}@per_axis(
func.func @per_axis(%a: tensor<2x3x!quant.uniform<u8:f32:0, {0.1:3, 0.2:4}>>) -> tensor<2x3x!quant.uniform<u8:f32:0, {0.5:0, 0.5:1}>> {
  // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : (tensor<2x3x!quant.uniform<u8:f32:0, {1.000000e-01:3,2.000000e-01:4}>>) -> tensor<2x3x!quant.uniform<u8:f32:0, {5.000000e-01,5.000000e-01:1}>>
  %0 = stablehlo.negate %a : (tensor<2x3x!quant.uniform<u8:f32:0, {0.1:3, 0.2:4}>>) -> tensor<2x3x!quant.uniform<u8:f32:0, {0.5:0, 0.5:1}>>
  return %0 : tensor<2x3x!quant.uniform<u8:f32:0, {0.5:0, 0.5:1}>>
}
