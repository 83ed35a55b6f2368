// RUN: hlox-opt %s --hlox-cpu-math-approximations | FileCheck %s

// float32 log: exponent and mantissa from the bits, a polynomial in m - 1,
// selects for 0 (-inf), inf and negative/NaN inputs. No libm call is left.
// CHECK-LABEL: func.func @log_f32
// CHECK-NOT: math.log
// CHECK: arith.bitcast {{.*}} : f32 to i32
// CHECK: arith.shrui
// CHECK: arith.sitofp
// CHECK: arith.cmpf ult
// CHECK: return
func.func @log_f32(%x: f32) -> f32 {
  %y = math.log %x : f32
  return %y : f32
}

// float32 tanh: an odd polynomial near 0, through exp (the floor of its range
// reduction) beyond, the sign copied back; bfloat16 in float32.
// CHECK-LABEL: func.func @tanh_bf16
// CHECK-NOT: math.tanh
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: math.floor
// CHECK: math.copysign
// CHECK: arith.truncf {{.*}} : f32 to bf16
func.func @tanh_bf16(%x: bf16) -> bf16 {
  %y = math.tanh %x : bf16
  return %y : bf16
}

// float64 keeps libm's routines.
// CHECK-LABEL: func.func @log_f64
// CHECK: math.log {{.*}} : f64
func.func @log_f64(%x: f64) -> f64 {
  %y = math.log %x : f64
  return %y : f64
}

// float32 sin in float64: the reduction's floors, one truncation back, NaN for
// infinities; powf takes both operands.
// CHECK-LABEL: func.func @sin_pow_f32
// CHECK-NOT: math.sin
// CHECK-NOT: math.powf
// CHECK: arith.extf {{.*}} : f32 to f64
// CHECK: math.floor {{.*}} : f64
// CHECK: arith.truncf {{.*}} : f64 to f32
// CHECK: return
func.func @sin_pow_f32(%x: f32, %y: f32) -> (f32, f32) {
  %s = math.sin %x : f32
  %p = math.powf %x, %y : f32
  return %s, %p : f32, f32
}
