// RUN: hlox-opt %s --hlox-cpu-math-approximations | FileCheck %s

// float32 exp becomes arith: range reduction (floor), a polynomial (its
// multiply-adds contractible into FMAs), the exponent bits of 2^n, and a
// select for NaN (overflow reaches +inf through the scaling). No libm call is
// left for the loop vectorizer to stumble on.

// CHECK-LABEL: func.func @exp_f32
// CHECK-NOT: math.exp
// CHECK: math.floor
// CHECK: arith.mulf {{.*}} fastmath<contract>
// CHECK-NEXT: arith.addf {{.*}} fastmath<contract>
// CHECK: arith.fptosi {{.*}} : f32 to i32
// CHECK: arith.shli
// CHECK: arith.bitcast {{.*}} : i32 to f32
// CHECK-NOT: arith.cmpf ogt
// CHECK: arith.cmpf uno
// CHECK: return
func.func @exp_f32(%x: f32) -> f32 {
  %y = math.exp %x : f32
  return %y : f32
}

// float64 exp (and every other op) is left as it is.
// CHECK-LABEL: func.func @exp_f64
// CHECK: math.exp {{.*}} : f64
func.func @exp_f64(%x: f64) -> f64 {
  %y = math.exp %x : f64
  return %y : f64
}

// float16 and bfloat16 are computed in float32 and rounded back.
// CHECK-LABEL: func.func @exp_f16
// CHECK-NOT: math.exp
// CHECK: arith.extf {{.*}} : f16 to f32
// CHECK: arith.truncf {{.*}} : f32 to f16
func.func @exp_f16(%x: f16) -> f16 {
  %y = math.exp %x : f16
  return %y : f16
}
