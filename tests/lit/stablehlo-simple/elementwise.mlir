// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// Every elementwise op, compare, select, clamp and the conversions, in the
// syntax JAX prints; the generic form parses back to the same ops.

// CHECK-LABEL: func.func {{.*}}@unary_float(
func.func @unary_float(%x: tensor<4xf32>, %h: tensor<2x3xbf16>) -> tensor<4xf32> {
  // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<4xf32>
  %0 = stablehlo.abs %x : tensor<4xf32>
  // CHECK: stablehlo.cbrt %{{[a-z0-9_#]+}} : tensor<4xf32>
  %1 = stablehlo.cbrt %x : tensor<4xf32>
  // CHECK: stablehlo.ceil %{{[a-z0-9_#]+}} : tensor<4xf32>
  %2 = stablehlo.ceil %x : tensor<4xf32>
  // CHECK: stablehlo.cosine %{{[a-z0-9_#]+}} : tensor<4xf32>
  %3 = stablehlo.cosine %x : tensor<4xf32>
  // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<4xf32>
  %4 = stablehlo.exponential %x : tensor<4xf32>
  // CHECK: stablehlo.exponential_minus_one %{{[a-z0-9_#]+}} : tensor<4xf32>
  %5 = stablehlo.exponential_minus_one %x : tensor<4xf32>
  // CHECK: stablehlo.floor %{{[a-z0-9_#]+}} : tensor<4xf32>
  %6 = stablehlo.floor %x : tensor<4xf32>
  // CHECK: stablehlo.is_finite %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xi1>
  %7 = stablehlo.is_finite %x : (tensor<4xf32>) -> tensor<4xi1>
  // CHECK: stablehlo.log %{{[a-z0-9_#]+}} : tensor<4xf32>
  %8 = stablehlo.log %x : tensor<4xf32>
  // CHECK: stablehlo.log_plus_one %{{[a-z0-9_#]+}} : tensor<4xf32>
  %9 = stablehlo.log_plus_one %x : tensor<4xf32>
  // CHECK: stablehlo.logistic %{{[a-z0-9_#]+}} : tensor<4xf32>
  %10 = stablehlo.logistic %x : tensor<4xf32>
  // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<4xf32>
  %11 = stablehlo.negate %x : tensor<4xf32>
  // CHECK: stablehlo.round_nearest_afz %{{[a-z0-9_#]+}} : tensor<4xf32>
  %12 = stablehlo.round_nearest_afz %x : tensor<4xf32>
  // CHECK: stablehlo.round_nearest_even %{{[a-z0-9_#]+}} : tensor<4xf32>
  %13 = stablehlo.round_nearest_even %x : tensor<4xf32>
  // CHECK: stablehlo.rsqrt %{{[a-z0-9_#]+}} : tensor<4xf32>
  %14 = stablehlo.rsqrt %x : tensor<4xf32>
  // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<4xf32>
  %15 = stablehlo.sign %x : tensor<4xf32>
  // CHECK: stablehlo.sine %{{[a-z0-9_#]+}} : tensor<4xf32>
  %16 = stablehlo.sine %x : tensor<4xf32>
  // CHECK: stablehlo.sqrt %{{[a-z0-9_#]+}} : tensor<4xf32>
  %17 = stablehlo.sqrt %x : tensor<4xf32>
  // CHECK: stablehlo.tan %{{[a-z0-9_#]+}} : tensor<4xf32>
  %18 = stablehlo.tan %x : tensor<4xf32>
  // CHECK: stablehlo.tanh %{{[a-z0-9_#]+}} : tensor<2x3xbf16>
  %19 = stablehlo.tanh %h : tensor<2x3xbf16>
  // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : tensor<4xf32>
  %20 = stablehlo.real %x : tensor<4xf32>
  // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : tensor<4xf32>
  %21 = stablehlo.imag %x : tensor<4xf32>
  // CHECK: stablehlo.reduce_precision %{{[a-z0-9_#]+}}, format = e5m10 : tensor<4xf32>
  %22 = stablehlo.reduce_precision %x, format = e5m10 : tensor<4xf32>
  // CHECK: stablehlo.reduce_precision %{{[a-z0-9_#]+}}, format = e8m7 : tensor<2x3xbf16>
  %23 = stablehlo.reduce_precision %h, format = e8m7 : tensor<2x3xbf16>
  // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} {result_accuracy = #stablehlo.result_accuracy<atol = 0.000000e+00, rtol = 0.000000e+00, ulps = 0, mode = #stablehlo.result_accuracy_mode<HIGHEST>>} : tensor<4xf32>
  %24 = stablehlo.exponential %x {result_accuracy = #stablehlo.result_accuracy<mode = #stablehlo.result_accuracy_mode<HIGHEST>>} : tensor<4xf32>
  // CHECK: stablehlo.tanh %{{[a-z0-9_#]+}} {result_accuracy = #stablehlo.result_accuracy<atol = 1.000000e-05, rtol = 0.000000e+00, ulps = 2, mode = #stablehlo.result_accuracy_mode<TOLERANCE>>} : tensor<4xf32>
  %25 = stablehlo.tanh %x {result_accuracy = #stablehlo.result_accuracy<atol = 1.0e-05, rtol = 0.0, ulps = 2, mode = #stablehlo.result_accuracy_mode<TOLERANCE>>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func {{.*}}@unary_int(
func.func @unary_int(%i: tensor<4xi32>, %u: tensor<4xui8>, %p: tensor<4xi1>) -> tensor<4xi32> {
  // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<4xi32>
  %0 = stablehlo.abs %i : tensor<4xi32>
  // CHECK: stablehlo.count_leading_zeros %{{[a-z0-9_#]+}} : tensor<4xi32>
  %1 = stablehlo.count_leading_zeros %i : tensor<4xi32>
  // CHECK: stablehlo.popcnt %{{[a-z0-9_#]+}} : tensor<4xui8>
  %2 = stablehlo.popcnt %u : tensor<4xui8>
  // CHECK: stablehlo.not %{{[a-z0-9_#]+}} : tensor<4xi32>
  %3 = stablehlo.not %i : tensor<4xi32>
  // CHECK: stablehlo.not %{{[a-z0-9_#]+}} : tensor<4xi1>
  %4 = stablehlo.not %p : tensor<4xi1>
  // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<4xi32>
  %5 = stablehlo.negate %i : tensor<4xi32>
  // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<4xi32>
  %6 = stablehlo.sign %i : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func {{.*}}@complex(
func.func @complex(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xcomplex<f64>>) -> tensor<4xcomplex<f32>> {
  // CHECK: stablehlo.complex %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xcomplex<f32>>
  %0 = stablehlo.complex %a, %b : tensor<4xcomplex<f32>>
  // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %1 = stablehlo.abs %0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  %2 = stablehlo.real %c : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  %3 = stablehlo.imag %c : (tensor<4xcomplex<f64>>) -> tensor<4xf64>
  // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<4xcomplex<f64>>
  %4 = stablehlo.exponential %c : tensor<4xcomplex<f64>>
  // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<4xcomplex<f64>>
  %5 = stablehlo.sign %c : tensor<4xcomplex<f64>>
  // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<4xcomplex<f64>>, tensor<4xcomplex<f64>>) -> tensor<4xi1>
  %6 = stablehlo.compare EQ, %c, %c, FLOAT : (tensor<4xcomplex<f64>>, tensor<4xcomplex<f64>>) -> tensor<4xi1>
  // CHECK: stablehlo.atan2 %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xcomplex<f64>>
  %7 = stablehlo.atan2 %c, %c : tensor<4xcomplex<f64>>
  return %0 : tensor<4xcomplex<f32>>
}

// CHECK-LABEL: func.func {{.*}}@binary(
func.func @binary(%x: tensor<2x2xf32>, %i: tensor<3xi64>, %u: tensor<3xui32>, %p: tensor<i1>) -> tensor<2x2xf32> {
  // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %0 = stablehlo.add %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.atan2 %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %1 = stablehlo.atan2 %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.divide %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %2 = stablehlo.divide %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.maximum %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %3 = stablehlo.maximum %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.minimum %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %4 = stablehlo.minimum %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %5 = stablehlo.multiply %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.power %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %6 = stablehlo.power %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %7 = stablehlo.remainder %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.subtract %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<2x2xf32>
  %8 = stablehlo.subtract %x, %x : tensor<2x2xf32>
  // CHECK: stablehlo.shift_left %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xi64>
  %9 = stablehlo.shift_left %i, %i : tensor<3xi64>
  // CHECK: stablehlo.shift_right_arithmetic %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xi64>
  %10 = stablehlo.shift_right_arithmetic %i, %i : tensor<3xi64>
  // CHECK: stablehlo.shift_right_logical %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xui32>
  %11 = stablehlo.shift_right_logical %u, %u : tensor<3xui32>
  // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xi64>
  %12 = stablehlo.and %i, %i : tensor<3xi64>
  // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xui32>
  %13 = stablehlo.or %u, %u : tensor<3xui32>
  // CHECK: stablehlo.xor %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<i1>
  %14 = stablehlo.xor %p, %p : tensor<i1>
  // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<i1>
  %15 = stablehlo.add %p, %p : tensor<i1>
  // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xi64>
  %16 = stablehlo.remainder %i, %i : tensor<3xi64>
  // CHECK: stablehlo.power %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xi64>
  %17 = stablehlo.power %i, %i : tensor<3xi64>
  // CHECK: stablehlo.maximum %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<i1>
  %18 = stablehlo.maximum %p, %p : tensor<i1>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func {{.*}}@compare_select_clamp(
func.func @compare_select_clamp(%x: tensor<3xf32>, %u: tensor<3xui32>, %p: tensor<3xi1>, %s: tensor<f32>) -> tensor<3xf32> {
  // CHECK: stablehlo.compare GE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, TOTALORDER : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %0 = stablehlo.compare GE, %x, %x, TOTALORDER : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xi1>
  %1 = stablehlo.compare NE, %u, %u, UNSIGNED : (tensor<3xui32>, tensor<3xui32>) -> tensor<3xi1>
  // CHECK: stablehlo.compare LE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %2 = stablehlo.compare LE, %p, %p, UNSIGNED : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %3 = stablehlo.compare LT, %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xi1>, tensor<3xf32>
  %4 = stablehlo.select %0, %x, %x : tensor<3xi1>, tensor<3xf32>
  // CHECK: stablehlo.clamp %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<f32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  %5 = stablehlo.clamp %s, %x, %s : (tensor<f32>, tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  // CHECK: stablehlo.clamp %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3xf32>
  %6 = stablehlo.clamp %x, %x, %x : tensor<3xf32>
  // CHECK: stablehlo.compare GT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %7 = "stablehlo.compare"(%x, %x) {comparison_direction = #stablehlo<comparison_direction GT>} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return %5 : tensor<3xf32>
}

// CHECK-LABEL: func.func {{.*}}@conversions(
func.func @conversions(%x: tensor<4xf32>, %d: tensor<2xf64>, %c: tensor<2xcomplex<f32>>) -> tensor<4xi32> {
  // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xi32>
  %0 = stablehlo.convert %x : (tensor<4xf32>) -> tensor<4xi32>
  // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xcomplex<f32>>
  %1 = stablehlo.convert %x : (tensor<4xf32>) -> tensor<4xcomplex<f32>>
  // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xi32>
  %2 = stablehlo.bitcast_convert %x : (tensor<4xf32>) -> tensor<4xi32>
  // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4x4xui8>
  %3 = stablehlo.bitcast_convert %x : (tensor<4xf32>) -> tensor<4x4xui8>
  // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<4x4xui8>) -> tensor<4xf32>
  %4 = stablehlo.bitcast_convert %3 : (tensor<4x4xui8>) -> tensor<4xf32>
  // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<2xf64>) -> tensor<2x2xf32>
  %5 = stablehlo.bitcast_convert %d : (tensor<2xf64>) -> tensor<2x2xf32>
  // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>>
  %6 = stablehlo.bitcast_convert %c : (tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>>
  // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  %7 = stablehlo.convert %x : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  return %0 : tensor<4xi32>
}
