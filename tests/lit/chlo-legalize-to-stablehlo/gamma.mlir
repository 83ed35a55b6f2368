// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s
// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s --check-prefix=NOCHLO

// lgamma, digamma, polygamma, zeta: recurrence shifts, asymptotic series,
// reflection for negative arguments, Euler-Maclaurin for zeta.
// NOCHLO-NOT: chlo.

// CHECK-LABEL: func.func @lgamma_f32
// Reflection: log(pi) - log|sin(pi x)| - lgamma(1 - x).
// CHECK-DAG: stablehlo.sine
// CHECK-DAG: stablehlo.constant dense<1.14472985> : tensor<4xf32>
// CHECK: return %{{.*}} : tensor<4xf32>
func.func @lgamma_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.lgamma %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @lgamma_f64
// Stirling's constant log(2 pi) / 2.
// CHECK: stablehlo.constant dense<0.91893853320467{{[0-9]*}}> : tensor<4xf64>
// CHECK: return %{{.*}} : tensor<4xf64>
func.func @lgamma_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = chlo.lgamma %x : tensor<4xf64> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @digamma_f32
// Reflection uses pi / tan(pi frac(x)); poles give nan.
// CHECK: stablehlo.tan
// CHECK: stablehlo.constant dense<0x7FC00000> : tensor<4xf32>
// CHECK: return %{{.*}} : tensor<4xf32>
func.func @digamma_f32(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.digamma %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @zeta_f64
// CHECK: stablehlo.power
// CHECK: return %{{.*}} : tensor<3xf64>
func.func @zeta_f64(%x: tensor<3xf64>, %q: tensor<3xf64>) -> tensor<3xf64> {
  %0 = chlo.zeta %x, %q : tensor<3xf64>, tensor<3xf64> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// CHECK-LABEL: func.func @polygamma_f32
// n! = exp(lgamma(n + 1)), times zeta(n + 1, x); digamma for n = 0.
// CHECK: stablehlo.exponential
// CHECK: stablehlo.power
// CHECK: return %{{.*}} : tensor<4xf32>
func.func @polygamma_f32(%n: tensor<4xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.polygamma %n, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
