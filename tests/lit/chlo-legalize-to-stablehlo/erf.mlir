// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s
// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s --check-prefix=NOCHLO

// erf, erfc, erf_inv: Chebyshev series (Clenshaw) selected by range; float64
// uses more terms than float32; float16 is computed in float32.
// NOCHLO-NOT: chlo.

// CHECK-LABEL: func.func @erf_f32
// CHECK: stablehlo.abs
// The e^(-x^2) of the tail is computed from x = hi + lo, hi = floor(16 x) / 16.
// CHECK: stablehlo.floor
// CHECK: stablehlo.exponential
// CHECK: stablehlo.exponential
// CHECK: stablehlo.select
// CHECK: stablehlo.compare LE
// CHECK: %[[R:.*]] = stablehlo.select
// CHECK: return %[[R]] : tensor<4xf32>
func.func @erf_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.erf %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @erfc_f64
// CHECK: stablehlo.constant dense<2.000000e+00> : tensor<3xf64>
// CHECK: stablehlo.subtract
// CHECK: return %{{.*}} : tensor<3xf64>
func.func @erfc_f64(%x: tensor<3xf64>) -> tensor<3xf64> {
  %0 = chlo.erfc %x : tensor<3xf64> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// CHECK-LABEL: func.func @erf_inv_f32
// w = -log((1 - x)(1 + x)), then sqrt(w) for the tail pieces.
// CHECK: stablehlo.log
// CHECK: stablehlo.negate
// CHECK: stablehlo.sqrt
// +-1 maps to +-inf.
// CHECK: stablehlo.constant dense<0x7F800000> : tensor<2x2xf32>
// CHECK: return %{{.*}} : tensor<2x2xf32>
func.func @erf_inv_f32(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = chlo.erf_inv %x : tensor<2x2xf32> -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @erf_f16
// CHECK: %[[UP:.*]] = stablehlo.convert %{{.*}} : (tensor<4xf16>) -> tensor<4xf32>
// CHECK: stablehlo.abs %[[UP]] : tensor<4xf32>
// CHECK: %[[DOWN:.*]] = stablehlo.convert %{{.*}} : (tensor<4xf32>) -> tensor<4xf16>
// CHECK: return %[[DOWN]]
func.func @erf_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = chlo.erf %x : tensor<4xf16> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}
