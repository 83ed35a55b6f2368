// RUN: hlox-opt %s --hlox-stablehlo-lower-quantized | FileCheck %s

// Quantized tensors become their storage integers; the spec's formulas in
// integer/float StableHLO, with scales, zero points and the storage range as
// exact f64/i64 constants converted to the expressed type.

// quantize: convert(clamp(min, round_nearest_even(x / scale) + zp, max), storage)
// CHECK-LABEL: func.func @quantize
// CHECK-NOT: quant.uniform
// CHECK: %[[S:.*]] = stablehlo.constant dense<5.000000e-01> : tensor<4xf64>
// CHECK: %[[SF:.*]] = stablehlo.convert %[[S]] : (tensor<4xf64>) -> tensor<4xf32>
// CHECK: %[[D:.*]] = stablehlo.divide %arg0, %[[SF]] : tensor<4xf32>
// CHECK: %[[R:.*]] = stablehlo.round_nearest_even %[[D]] : tensor<4xf32>
// CHECK: %[[Z:.*]] = stablehlo.constant dense<-3> : tensor<4xi64>
// CHECK: %[[ZF:.*]] = stablehlo.convert %[[Z]] : (tensor<4xi64>) -> tensor<4xf32>
// CHECK: %[[A:.*]] = stablehlo.add %[[R]], %[[ZF]] : tensor<4xf32>
// CHECK: %[[LO:.*]] = stablehlo.constant dense<-127> : tensor<4xi64>
// CHECK: %[[HI:.*]] = stablehlo.constant dense<127> : tensor<4xi64>
// CHECK: %[[C:.*]] = stablehlo.clamp %{{.*}}, %[[A]], %{{.*}} : tensor<4xf32>
// CHECK: %[[Q:.*]] = stablehlo.convert %[[C]] : (tensor<4xf32>) -> tensor<4xi8>
// CHECK: return %[[Q]] : tensor<4xi8>
func.func @quantize(%x: tensor<4xf32>) -> tensor<4xi8> {
  %q = stablehlo.uniform_quantize %x : (tensor<4xf32>) -> tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-3>>
  %s = stablehlo.bitcast_convert %q : (tensor<4x!quant.uniform<i8<-127:127>:f32, 0.5:-3>>) -> tensor<4xi8>
  return %s : tensor<4xi8>
}

// dequantize: convert(x - zp, expressed) * scale, the difference in i64; an
// unsigned storage type is ui8; per-axis parameters are broadcast along their axis.
// CHECK-LABEL: func.func @dequantize_per_axis
// CHECK-NOT: quant.uniform
// CHECK: %[[W:.*]] = stablehlo.convert %arg0 : (tensor<2x3xui8>) -> tensor<2x3xi64>
// CHECK: %[[Z:.*]] = stablehlo.constant dense<[3, 4, 5]> : tensor<3xi64>
// CHECK: %[[ZB:.*]] = stablehlo.broadcast_in_dim %[[Z]], dims = [1] : (tensor<3xi64>) -> tensor<2x3xi64>
// CHECK: %[[D:.*]] = stablehlo.subtract %[[W]], %[[ZB]] : tensor<2x3xi64>
// CHECK: %[[F:.*]] = stablehlo.convert %[[D]] : (tensor<2x3xi64>) -> tensor<2x3xf16>
// CHECK: %[[S:.*]] = stablehlo.constant dense<[1.000000e-01, 2.000000e-01, 2.500000e-01]> : tensor<3xf64>
// CHECK: %[[SB:.*]] = stablehlo.broadcast_in_dim %[[S]], dims = [1] : (tensor<3xf64>) -> tensor<2x3xf64>
// CHECK: %[[SF:.*]] = stablehlo.convert %[[SB]] : (tensor<2x3xf64>) -> tensor<2x3xf16>
// CHECK: %[[X:.*]] = stablehlo.multiply %[[F]], %[[SF]] : tensor<2x3xf16>
// CHECK: return %[[X]]
func.func @dequantize_per_axis(%s: tensor<2x3xui8>) -> tensor<2x3xf16> {
  %q = stablehlo.bitcast_convert %s : (tensor<2x3xui8>) -> tensor<2x3x!quant.uniform<u8:f16:1, {0.1:3, 0.2:4, 0.25:5}>>
  %x = stablehlo.uniform_dequantize %q : (tensor<2x3x!quant.uniform<u8:f16:1, {0.1:3, 0.2:4, 0.25:5}>>) -> tensor<2x3xf16>
  return %x : tensor<2x3xf16>
}

// An op on quantized tensors: its operands dequantized, the op in the expressed
// type, the result quantized (each with its own scale and zero point).
// CHECK-LABEL: func.func @add
// CHECK-NOT: quant.uniform
// CHECK-COUNT-2: stablehlo.multiply {{.*}} : tensor<2xf32>
// CHECK: %[[SUM:.*]] = stablehlo.add %{{.*}}, %{{.*}} : tensor<2xf32>
// CHECK: stablehlo.divide %[[SUM]], %{{.*}} : tensor<2xf32>
// CHECK: %[[Q:.*]] = stablehlo.convert %{{.*}} : (tensor<2xf32>) -> tensor<2xi8>
// CHECK: return %[[Q]] : tensor<2xi8>
func.func @add(%a: tensor<2xi8>, %b: tensor<2xi8>) -> tensor<2xi8> {
  %qa = stablehlo.bitcast_convert %a : (tensor<2xi8>) -> tensor<2x!quant.uniform<i8:f32, 0.1:-30>>
  %qb = stablehlo.bitcast_convert %b : (tensor<2xi8>) -> tensor<2x!quant.uniform<i8:f32, 0.5:-20>>
  %r = stablehlo.add %qa, %qb : (tensor<2x!quant.uniform<i8:f32, 0.1:-30>>, tensor<2x!quant.uniform<i8:f32, 0.5:-20>>) -> tensor<2x!quant.uniform<i8:f32, 0.5:-20>>
  %s = stablehlo.bitcast_convert %r : (tensor<2x!quant.uniform<i8:f32, 0.5:-20>>) -> tensor<2xi8>
  return %s : tensor<2xi8>
}
