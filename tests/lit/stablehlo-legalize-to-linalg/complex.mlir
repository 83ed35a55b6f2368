// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// Complex elementwise ops: a linalg.generic whose body is the complex
// dialect op of the same meaning; real/imag/complex move between the parts.

// CHECK-LABEL: func.func @parts(
// CHECK-SAME: %[[RE:.*]]: tensor<4xf32>, %[[IM:.*]]: tensor<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[RE]], %[[IM]] : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xcomplex<f32>>)
// CHECK:   complex.create %{{.*}}, %{{.*}} : complex<f32>
// CHECK: linalg.generic
// CHECK:   complex.re %{{.*}} : complex<f32>
// CHECK: linalg.generic
// CHECK:   complex.im %{{.*}} : complex<f32>
// Of a real operand: the operand, and zeros.
// CHECK: linalg.generic
// CHECK:   linalg.yield %{{.*}} : f32
// CHECK: linalg.generic
// CHECK:   %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:   linalg.yield %[[ZERO]] : f32
func.func @parts(%re: tensor<4xf32>, %im: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %z = stablehlo.complex %re, %im : tensor<4xcomplex<f32>>
  %0 = stablehlo.real %z : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %1 = stablehlo.imag %z : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %2 = stablehlo.real %re : (tensor<4xf32>) -> tensor<4xf32>
  %3 = stablehlo.imag %re : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @arithmetic
// CHECK: complex.add %{{.*}}, %{{.*}} : complex<f64>
// CHECK: complex.sub
// CHECK: complex.mul
// CHECK: complex.div
// CHECK: complex.neg
// CHECK: complex.pow
// CHECK: complex.exp
// CHECK: complex.log
// CHECK: complex.sqrt
// CHECK: complex.tanh
// CHECK: complex.sign
// CHECK-NOT: stablehlo.
func.func @arithmetic(%a: tensor<2x3xcomplex<f64>>, %b: tensor<2x3xcomplex<f64>>) -> tensor<2x3xcomplex<f64>> {
  %0 = stablehlo.add %a, %b : tensor<2x3xcomplex<f64>>
  %1 = stablehlo.subtract %0, %b : tensor<2x3xcomplex<f64>>
  %2 = stablehlo.multiply %1, %a : tensor<2x3xcomplex<f64>>
  %3 = stablehlo.divide %2, %b : tensor<2x3xcomplex<f64>>
  %4 = stablehlo.negate %3 : tensor<2x3xcomplex<f64>>
  %5 = stablehlo.power %4, %a : tensor<2x3xcomplex<f64>>
  %6 = stablehlo.exponential %5 : tensor<2x3xcomplex<f64>>
  %7 = stablehlo.log %6 : tensor<2x3xcomplex<f64>>
  %8 = stablehlo.sqrt %7 : tensor<2x3xcomplex<f64>>
  %9 = stablehlo.tanh %8 : tensor<2x3xcomplex<f64>>
  %10 = stablehlo.sign %9 : tensor<2x3xcomplex<f64>>
  return %10 : tensor<2x3xcomplex<f64>>
}

// |z| is real; compare takes EQ and NE.
// CHECK-LABEL: func.func @abs_compare
// CHECK: outs(%{{.*}} : tensor<4xf32>)
// CHECK:   complex.abs %{{.*}} : complex<f32>
// CHECK: outs(%{{.*}} : tensor<4xi1>)
// CHECK:   complex.eq %{{.*}}, %{{.*}} : complex<f32>
// CHECK:   complex.neq %{{.*}}, %{{.*}} : complex<f32>
func.func @abs_compare(%a: tensor<4xcomplex<f32>>, %b: tensor<4xcomplex<f32>>) -> (tensor<4xf32>, tensor<4xi1>, tensor<4xi1>) {
  %0 = stablehlo.abs %a : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %1 = stablehlo.compare EQ, %a, %b : (tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>) -> tensor<4xi1>
  %2 = stablehlo.compare NE, %a, %b : (tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>) -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi1>, tensor<4xi1>
}

// convert: real -> complex (imaginary 0), complex -> wider complex (each
// part), complex -> real (the real part).
// CHECK-LABEL: func.func @convert
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: complex.create %{{.*}}, %{{.*}} : complex<f32>
// CHECK: complex.re %{{.*}} : complex<f32>
// CHECK: arith.extf
// CHECK: complex.im %{{.*}} : complex<f32>
// CHECK: arith.extf
// CHECK: complex.create %{{.*}}, %{{.*}} : complex<f64>
// CHECK: complex.re %{{.*}} : complex<f64>
// CHECK: arith.truncf %{{.*}} : f64 to f16
func.func @convert(%i: tensor<3xi32>) -> tensor<3xf16> {
  %0 = stablehlo.convert %i : (tensor<3xi32>) -> tensor<3xcomplex<f32>>
  %1 = stablehlo.convert %0 : (tensor<3xcomplex<f32>>) -> tensor<3xcomplex<f64>>
  %2 = stablehlo.convert %1 : (tensor<3xcomplex<f64>>) -> tensor<3xf16>
  return %2 : tensor<3xf16>
}

// Ops that ignore the element type take complex values as they are.
// CHECK-LABEL: func.func @moves
// CHECK: linalg.transpose
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : complex<f32>
func.func @moves(%p: tensor<2x2xi1>, %a: tensor<2x2xcomplex<f32>>) -> tensor<2x2xcomplex<f32>> {
  %0 = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x2xcomplex<f32>>) -> tensor<2x2xcomplex<f32>>
  %1 = stablehlo.select %p, %0, %a : tensor<2x2xi1>, tensor<2x2xcomplex<f32>>
  return %1 : tensor<2x2xcomplex<f32>>
}
