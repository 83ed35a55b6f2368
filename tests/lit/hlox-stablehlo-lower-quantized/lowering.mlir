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

// dot_general on quantized tensors: both operands dequantized (a per-axis rhs
// along its axis), the float dot_general, its result quantized per axis.
// CHECK-LABEL: func.func @dot_general
// CHECK-NOT: quant.uniform
// CHECK: %[[L:.*]] = stablehlo.multiply %{{.*}}, %{{.*}} : tensor<2x3xf32>
// CHECK: stablehlo.constant dense<[2.500000e-01, 5.000000e-01]> : tensor<2xf64>
// CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [1] : (tensor<2xf64>) -> tensor<3x2xf64>
// CHECK: %[[R:.*]] = stablehlo.multiply %{{.*}}, %{{.*}} : tensor<3x2xf32>
// CHECK: %[[D:.*]] = stablehlo.dot_general %[[L]], %[[R]], contracting_dims = [1] x [0] : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
// CHECK: stablehlo.constant dense<[2.000000e+00, 4.000000e+00]> : tensor<2xf64>
// CHECK: stablehlo.divide %[[D]], %{{.*}} : tensor<2x2xf32>
// CHECK: %[[Q:.*]] = stablehlo.convert %{{.*}} : (tensor<2x2xf32>) -> tensor<2x2xi8>
// CHECK: return %[[Q]] : tensor<2x2xi8>
func.func @dot_general(%a: tensor<2x3xi8>, %b: tensor<3x2xi8>) -> tensor<2x2xi8> {
  %qa = stablehlo.bitcast_convert %a : (tensor<2x3xi8>) -> tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>
  %qb = stablehlo.bitcast_convert %b : (tensor<3x2xi8>) -> tensor<3x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>>
  %r = stablehlo.dot_general %qa, %qb, contracting_dims = [1] x [0] : (tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x2x!quant.uniform<i8:f32:1, {0.25, 0.5}>>) -> tensor<2x2x!quant.uniform<i8:f32:1, {2.0:1, 4.0:-1}>>
  %s = stablehlo.bitcast_convert %r : (tensor<2x2x!quant.uniform<i8:f32:1, {2.0:1, 4.0:-1}>>) -> tensor<2x2xi8>
  return %s : tensor<2x2xi8>
}

// A hybrid convolution: the float lhs as it is, the rhs dequantized, the float
// result kept.
// CHECK-LABEL: func.func @hybrid_convolution
// CHECK-NOT: quant.uniform
// CHECK: %[[W:.*]] = stablehlo.multiply %{{.*}}, %{{.*}} : tensor<2x2x1x2xf32>
// CHECK: %[[C:.*]] = stablehlo.convolution(%arg0, %[[W]]) {{.*}} : (tensor<1x3x3x1xf32>, tensor<2x2x1x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: return %[[C]] : tensor<1x2x2x2xf32>
func.func @hybrid_convolution(%x: tensor<1x3x3x1xf32>, %w: tensor<2x2x1x2xi8>) -> tensor<1x2x2x2xf32> {
  %qw = stablehlo.bitcast_convert %w : (tensor<2x2x1x2xi8>) -> tensor<2x2x1x2x!quant.uniform<i8:f32:3, {0.25, 0.5}>>
  %r = stablehlo.convolution(%x, %qw) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x3x3x1xf32>, tensor<2x2x1x2x!quant.uniform<i8:f32:3, {0.25, 0.5}>>) -> tensor<1x2x2x2xf32>
  return %r : tensor<1x2x2x2xf32>
}

// Data movement: the same ops on the storage integers, nothing dequantized.
// CHECK-LABEL: func.func @moves
// CHECK-NOT: quant.uniform
// CHECK-NOT: stablehlo.multiply
// CHECK: %[[T:.*]] = stablehlo.transpose %arg0, dims = [1, 0] : (tensor<2x3xui8>) -> tensor<3x2xui8>
// CHECK: %[[R:.*]] = stablehlo.reshape %[[T]] : (tensor<3x2xui8>) -> tensor<3x1x2xui8>
// CHECK: %[[S:.*]] = stablehlo.slice %[[R]] [0:2, 0:1, 0:2] : (tensor<3x1x2xui8>) -> tensor<2x1x2xui8>
// CHECK: %[[C:.*]] = stablehlo.concatenate %[[S]], %[[S]], dim = 0 : (tensor<2x1x2xui8>, tensor<2x1x2xui8>) -> tensor<4x1x2xui8>
// CHECK: return %[[C]] : tensor<4x1x2xui8>
func.func @moves(%s: tensor<2x3xui8>) -> tensor<4x1x2xui8> {
  %q = stablehlo.bitcast_convert %s : (tensor<2x3xui8>) -> tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>
  %t = stablehlo.transpose %q, dims = [1, 0] : (tensor<2x3x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<3x2x!quant.uniform<u8:f32, 0.5:128>>
  %r = stablehlo.reshape %t : (tensor<3x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<3x1x2x!quant.uniform<u8:f32, 0.5:128>>
  %sl = stablehlo.slice %r [0:2, 0:1, 0:2] : (tensor<3x1x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<2x1x2x!quant.uniform<u8:f32, 0.5:128>>
  %c = stablehlo.concatenate %sl, %sl, dim = 0 : (tensor<2x1x2x!quant.uniform<u8:f32, 0.5:128>>, tensor<2x1x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x1x2x!quant.uniform<u8:f32, 0.5:128>>
  %o = stablehlo.bitcast_convert %c : (tensor<4x1x2x!quant.uniform<u8:f32, 0.5:128>>) -> tensor<4x1x2xui8>
  return %o : tensor<4x1x2xui8>
}

// select on quantized tensors: dequantize -> select -> quantize (its operands may
// quantize differently).
// CHECK-LABEL: func.func @select
// CHECK-NOT: quant.uniform
// CHECK: %[[T:.*]] = stablehlo.multiply %{{.*}}, %{{.*}} : tensor<3xf32>
// CHECK: %[[F:.*]] = stablehlo.multiply %{{.*}}, %{{.*}} : tensor<3xf32>
// CHECK: %[[S:.*]] = stablehlo.select %arg0, %[[T]], %[[F]] : tensor<3xi1>, tensor<3xf32>
// CHECK: stablehlo.divide %[[S]], %{{.*}} : tensor<3xf32>
func.func @select(%p: tensor<3xi1>, %a: tensor<3xi8>, %b: tensor<3xi8>) -> tensor<3xi8> {
  %qa = stablehlo.bitcast_convert %a : (tensor<3xi8>) -> tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
  %qb = stablehlo.bitcast_convert %b : (tensor<3xi8>) -> tensor<3x!quant.uniform<i8:f32, 0.25:1>>
  %r = stablehlo.select %p, %qa, %qb : (tensor<3xi1>, tensor<3x!quant.uniform<i8:f32, 0.5:-3>>, tensor<3x!quant.uniform<i8:f32, 0.25:1>>) -> tensor<3x!quant.uniform<i8:f32, 0.5:-3>>
  %s = stablehlo.bitcast_convert %r : (tensor<3x!quant.uniform<i8:f32, 0.5:-3>>) -> tensor<3xi8>
  return %s : tensor<3xi8>
}
