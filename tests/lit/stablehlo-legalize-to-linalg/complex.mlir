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

// Complex constants as JAX prints them stay dense constants (LLVM lays them
// out as {re, im} pairs, as NumPy does).
// CHECK-LABEL: func.func @constant
// CHECK: arith.constant dense<[(1.000000e+00,2.000000e+00), (3.000000e+00,-1.000000e+00)]> : tensor<2xcomplex<f32>>
func.func @constant() -> tensor<2xcomplex<f32>> {
  %0 = stablehlo.constant dense<[(1.0, 2.0), (3.0, -1.0)]> : tensor<2xcomplex<f32>>
  return %0 : tensor<2xcomplex<f32>>
}

// A complex contraction is the generic form (the matmul kernels are
// real-valued), accumulating complex.mul into a complex zero.
// CHECK-LABEL: func.func @dot_general
// CHECK: %[[ZERO:.*]] = complex.constant [0.000000e+00, 0.000000e+00] : complex<f64>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : complex<f64>)
// CHECK-NOT: linalg.matmul
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} {{.*}} outs(%[[ACC]] : tensor<3x5xcomplex<f64>>)
// CHECK: ^bb0(%[[X:.*]]: complex<f64>, %[[Y:.*]]: complex<f64>, %[[OUT:.*]]: complex<f64>):
// CHECK:   %[[P:.*]] = complex.mul %[[X]], %[[Y]] : complex<f64>
// CHECK:   %[[S:.*]] = complex.add %[[OUT]], %[[P]] : complex<f64>
// CHECK:   linalg.yield %[[S]] : complex<f64>
func.func @dot_general(%a: tensor<3x4xcomplex<f64>>, %b: tensor<4x5xcomplex<f64>>) -> tensor<3x5xcomplex<f64>> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<3x4xcomplex<f64>>, tensor<4x5xcomplex<f64>>) -> tensor<3x5xcomplex<f64>>
  return %0 : tensor<3x5xcomplex<f64>>
}

// A reducer body on complex scalars: the complex op.
// CHECK-LABEL: func.func @reduce
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK: ^bb0(%[[IN:.*]]: complex<f32>, %[[OUT:.*]]: complex<f32>):
// CHECK:   %[[R:.*]] = complex.mul %[[OUT]], %[[IN]] : complex<f32>
// CHECK:   linalg.yield %[[R]] : complex<f32>
func.func @reduce(%a: tensor<4x3xcomplex<f32>>) -> tensor<3xcomplex<f32>> {
  %one = stablehlo.constant dense<(1.0, 0.0)> : tensor<complex<f32>>
  %0 = stablehlo.reduce(%a init: %one) applies stablehlo.multiply across dimensions = [0] : (tensor<4x3xcomplex<f32>>, tensor<complex<f32>>) -> tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}

// A comparator ordering complex numbers by their parts (jnp.sort).
// CHECK-LABEL: func.func @sort_by_parts
// CHECK: complex.re %{{.*}} : complex<f32>
// CHECK: complex.im %{{.*}} : complex<f32>
func.func @sort_by_parts(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  %0 = "stablehlo.sort"(%a) <{dimension = 0 : i64, is_stable = true}> ({
  ^bb0(%x: tensor<complex<f32>>, %y: tensor<complex<f32>>):
    %xr = stablehlo.real %x : (tensor<complex<f32>>) -> tensor<f32>
    %yr = stablehlo.real %y : (tensor<complex<f32>>) -> tensor<f32>
    %xi = stablehlo.imag %x : (tensor<complex<f32>>) -> tensor<f32>
    %yi = stablehlo.imag %y : (tensor<complex<f32>>) -> tensor<f32>
    %lt = stablehlo.compare LT, %xr, %yr, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %eq = stablehlo.compare EQ, %xr, %yr, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %lti = stablehlo.compare LT, %xi, %yi, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %t = stablehlo.and %eq, %lti : tensor<i1>
    %r = stablehlo.or %lt, %t : tensor<i1>
    stablehlo.return %r : tensor<i1>
  }) : (tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// iota: the index as the real part, imaginary part zero.
// CHECK-LABEL: func.func @iota
// CHECK: %[[RE:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[IM:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: complex.create %[[RE]], %[[IM]] : complex<f32>
func.func @iota() -> tensor<3xcomplex<f32>> {
  %0 = stablehlo.iota dim = 0 : tensor<3xcomplex<f32>>
  return %0 : tensor<3xcomplex<f32>>
}
