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
