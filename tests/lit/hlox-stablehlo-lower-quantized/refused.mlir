// RUN: not hlox-opt %s --hlox-stablehlo-lower-quantized --split-input-file 2>&1 | FileCheck %s

// A quantized type the pass cannot lower is an error naming the op and the type;
// nothing is changed.

// CHECK: error: hlox-stablehlo-lower-quantized: 'func.func' on quantized type tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> is not supported as a function argument or result
func.func @argument(%a: tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32> {
  %x = stablehlo.uniform_dequantize %a : (tensor<4x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// CHECK: error: hlox-stablehlo-lower-quantized: 'stablehlo.uniform_quantize' on quantized type tensor<?x!quant.uniform<i8:f32, 5.000000e-01:-3>>: only static shapes are supported
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %q = stablehlo.uniform_quantize %x : (tensor<?xf32>) -> tensor<?x!quant.uniform<i8:f32, 0.5:-3>>
  %y = stablehlo.uniform_dequantize %q : (tensor<?x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}
