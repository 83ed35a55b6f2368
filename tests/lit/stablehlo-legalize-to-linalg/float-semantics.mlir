// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// Float elementwise ops of ElementwiseSemanticsToLinalg.cpp.

// sign: +-1 by copysign; +-0 and NaN (unordered-equal to 0) are returned as is.
// CHECK-LABEL: func.func @sign_f32
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[S:.*]] = math.copysign %{{.*}}, %[[X]] : f32
// CHECK: %[[Z:.*]] = arith.cmpf ueq, %[[X]], %{{.*}} : f32
// CHECK: %[[R:.*]] = arith.select %[[Z]], %[[X]], %[[S]] : f32
// CHECK: linalg.yield %[[R]]
func.func @sign_f32(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.sign %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// is_finite: |x| ordered-not-equal to inf (false for NaN), an i1 result.
// CHECK-LABEL: func.func @is_finite
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4xi1>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf64>) outs(%[[INIT]] : tensor<4xi1>)
// CHECK: %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK: %[[ABS:.*]] = math.absf %{{.*}} : f64
// CHECK: %[[R:.*]] = arith.cmpf one, %[[ABS]], %[[INF]] : f64
// CHECK: linalg.yield %[[R]] : i1
func.func @is_finite(%a: tensor<4xf64>) -> tensor<4xi1> {
  %0 = stablehlo.is_finite %a : (tensor<4xf64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @rounding
// CHECK: math.round %{{.*}} : f32
// CHECK: math.roundeven %{{.*}} : f32
func.func @rounding(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.round_nearest_afz %a : tensor<4xf32>
  %1 = stablehlo.round_nearest_even %a : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// Half-precision transcendental functions are computed in f32.
// CHECK-LABEL: func.func @tan_f16
// CHECK: ^bb0(%[[X:.*]]: f16, %{{.*}}: f16):
// CHECK: %[[W:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK: %[[T:.*]] = math.tan %[[W]] : f32
// CHECK: %[[R:.*]] = arith.truncf %[[T]] : f32 to f16
// CHECK: linalg.yield %[[R]] : f16
func.func @tan_f16(%a: tensor<4xf16>) -> tensor<4xf16> {
  %0 = stablehlo.tan %a : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// expm1 and log1p by Kahan's formulas (math.expm1/log1p would become the
// imprecise exp(x) - 1 / log(1 + x) in convert-math-to-llvm), the ratio
// x / log(u) (x / (u - 1)) first so that nothing overflows near max; logistic is
// 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @transcendental
// CHECK: math.cbrt %{{.*}} : f32
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[U:.*]] = math.exp %[[X]] : f32
// CHECK: %[[UM1:.*]] = arith.subf %[[U]], %{{.*}} : f32
// CHECK: %[[LOGU:.*]] = math.log %[[U]] : f32
// CHECK: %[[Q:.*]] = arith.divf %[[X]], %[[LOGU]] : f32
// CHECK: arith.mulf %[[UM1]], %[[Q]] : f32
// CHECK: ^bb0(%[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[V:.*]] = arith.addf %[[Y]], %{{.*}} : f32
// CHECK: %[[LOGV:.*]] = math.log %[[V]] : f32
// CHECK: %[[VM1:.*]] = arith.subf %[[V]], %{{.*}} : f32
// CHECK: %[[Q2:.*]] = arith.divf %[[Y]], %[[VM1]] : f32
// CHECK: arith.mulf %[[LOGV]], %[[Q2]] : f32
// CHECK: arith.negf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.divf
// CHECK: math.atan2 %{{.*}}, %{{.*}} : f32
func.func @transcendental(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = stablehlo.cbrt %a : tensor<4xf32>
  %1 = stablehlo.exponential_minus_one %a : tensor<4xf32>
  %2 = stablehlo.log_plus_one %a : tensor<4xf32>
  %3 = stablehlo.logistic %a : tensor<4xf32>
  %4 = stablehlo.atan2 %a, %a : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @power_f32
// CHECK: math.powf %{{.*}}, %{{.*}} : f32
func.func @power_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.power %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// reduce_precision to e5m2 on f32 bits: round the mantissa to 2 bits (nearest
// even: bias 2^20 - 1 + the last kept bit, mask off 21 bits), then exponents
// above 15 (biased 127 + 15 = 142) overflow to inf and those at or below
// -15 (biased 112) underflow to signed zero; NaN is kept.
// CHECK-LABEL: func.func @reduce_precision
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK: arith.andi %[[BITS]], %c2097152_i32 : i32
// CHECK: arith.shrui %{{.*}}, %c21_i32 : i32
// CHECK: arith.addi %{{.*}}, %c1048575_i32 : i32
// CHECK: %[[ROUNDED:.*]] = arith.andi %{{.*}}, %c-2097152_i32 : i32
// CHECK: %[[EXP:.*]] = arith.andi %[[ROUNDED]], %c2139095040_i32 : i32
// CHECK: %[[OVER:.*]] = arith.cmpi ugt, %[[EXP]], %c1191182336_i32 : i32
// CHECK: %[[UNDER:.*]] = arith.cmpi ule, %[[EXP]], %c939524096_i32 : i32
// CHECK: %[[F:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: arith.select %[[NAN]], %[[X]], %[[F]] : f32
func.func @reduce_precision(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.reduce_precision %a, format = e5m2 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// With no mantissa bits left NaN cannot stay NaN: it becomes the infinity of
// its sign (the spec's reference interpreter: 0x7FFFFFFFFFFFFFFF -> +inf).
// CHECK-LABEL: func.func @reduce_precision_no_mantissa
// CHECK: ^bb0(%[[X:.*]]: f64, %{{.*}}: f64):
// CHECK: %[[F:.*]] = arith.bitcast %{{.*}} : i64 to f64
// CHECK: %[[XBITS:.*]] = arith.bitcast %[[X]] : f64 to i64
// CHECK: %[[SIGN:.*]] = arith.andi %[[XBITS]], %c-9223372036854775808_i64{{.*}} : i64
// CHECK: %[[INFBITS:.*]] = arith.ori %[[SIGN]], %c9218868437227405312_i64{{.*}} : i64
// CHECK: %[[INF:.*]] = arith.bitcast %[[INFBITS]] : i64 to f64
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f64
// CHECK: arith.select %[[NAN]], %[[INF]], %[[F]] : f64
func.func @reduce_precision_no_mantissa(%a: tensor<4xf64>) -> tensor<4xf64> {
  %0 = stablehlo.reduce_precision %a, format = e5m0 : tensor<4xf64>
  return %0 : tensor<4xf64>
}
