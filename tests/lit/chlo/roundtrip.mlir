// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// Every CHLO op in the syntax JAX prints; the output parses again.

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<4xf32>, %c: tensor<2xcomplex<f32>>) -> tensor<4xf32> {
  // CHECK: chlo.acos %{{.*}} : tensor<4xf32> -> tensor<4xf32>
  %0 = chlo.acos %x : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.acosh
  %1 = chlo.acosh %0 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.asin
  %2 = chlo.asin %1 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.asinh
  %3 = chlo.asinh %2 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.atan
  %4 = chlo.atan %3 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.atanh
  %5 = chlo.atanh %4 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.cosh
  %6 = chlo.cosh %5 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.sinh
  %7 = chlo.sinh %6 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.tan
  %8 = chlo.tan %7 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.square
  %9 = chlo.square %8 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.bessel_i1e
  %10 = chlo.bessel_i1e %9 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.digamma
  %11 = chlo.digamma %10 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.erf %{{.*}} : tensor<4xf32> -> tensor<4xf32>
  %12 = chlo.erf %11 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.erf_inv %{{.*}} : tensor<4xf32> -> tensor<4xf32>
  %13 = chlo.erf_inv %12 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.erfc
  %14 = chlo.erfc %13 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.lgamma
  %15 = chlo.lgamma %14 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.conj %{{.*}} : tensor<4xf32> -> tensor<4xf32>
  %16 = chlo.conj %15 : tensor<4xf32> -> tensor<4xf32>
  // CHECK: chlo.is_inf %{{.*}} : tensor<4xf32> -> tensor<4xi1>
  %17 = chlo.is_inf %16 : tensor<4xf32> -> tensor<4xi1>
  // CHECK: chlo.is_neg_inf
  %18 = chlo.is_neg_inf %16 : tensor<4xf32> -> tensor<4xi1>
  // CHECK: chlo.is_pos_inf
  %19 = chlo.is_pos_inf %16 : tensor<4xf32> -> tensor<4xi1>
  // CHECK: chlo.asin %{{.*}} : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  %20 = chlo.asin %c : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  // CHECK: chlo.square %{{.*}} : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  %21 = chlo.square %20 : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  // CHECK: chlo.conj %{{.*}} : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  %22 = chlo.conj %21 : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  return %16 : tensor<4xf32>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<4xf64>, %y: tensor<4xf64>) -> tensor<4xf64> {
  // CHECK: chlo.next_after %{{.*}}, %{{.*}} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %0 = chlo.next_after %x, %y : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  // CHECK: chlo.polygamma %{{.*}}, %{{.*}} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %1 = chlo.polygamma %0, %y : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  // CHECK: chlo.zeta %{{.*}}, %{{.*}} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  %2 = chlo.zeta %1, %y : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  return %2 : tensor<4xf64>
}

// CHECK-LABEL: func.func @top_k
func.func @top_k(%x: tensor<4x4xf32>, %i: tensor<8xi32>) -> (tensor<4x2xf32>, tensor<3xi32>) {
  // CHECK: %values, %indices = chlo.top_k(%{{.*}}, k = 2) : tensor<4x4xf32> -> (tensor<4x2xf32>, tensor<4x2xi32>)
  %values, %indices = chlo.top_k(%x, k = 2) : tensor<4x4xf32> -> (tensor<4x2xf32>, tensor<4x2xi32>)
  // CHECK: chlo.top_k(%{{.*}}, k = 3) : tensor<8xi32> -> (tensor<3xi32>, tensor<3xi32>)
  %0:2 = "chlo.top_k"(%i) <{k = 3 : i64}> : (tensor<8xi32>) -> (tensor<3xi32>, tensor<3xi32>)
  return %values, %0#0 : tensor<4x2xf32>, tensor<3xi32>
}

// CHECK-LABEL: func.func @broadcasting
func.func @broadcasting(%a: tensor<4xf32>, %b: tensor<2x4xf32>, %p: tensor<2x1xi1>,
                        %i: tensor<3xi32>) -> tensor<2x4xi1> {
  // CHECK: chlo.broadcast_add %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %0 = chlo.broadcast_add %a, %b : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  // CHECK: chlo.broadcast_multiply %{{.*}}, %{{.*}} {broadcast_dimensions = array<i64: 1>}
  %1 = chlo.broadcast_multiply %a, %0 {broadcast_dimensions = array<i64: 1>} : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %2 = chlo.broadcast_subtract %1, %b : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %3 = chlo.broadcast_divide %2, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %4 = chlo.broadcast_maximum %3, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %5 = chlo.broadcast_minimum %4, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %6 = chlo.broadcast_power %5, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %7 = chlo.broadcast_remainder %6, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %8 = chlo.broadcast_atan2 %7, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %9 = chlo.broadcast_next_after %8, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %10 = chlo.broadcast_zeta %9, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %11 = chlo.broadcast_polygamma %10, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: chlo.broadcast_complex %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xcomplex<f32>>
  %12 = chlo.broadcast_complex %11, %a : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xcomplex<f32>>
  %13 = chlo.broadcast_shift_left %i, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %14 = chlo.broadcast_shift_right_arithmetic %13, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %15 = chlo.broadcast_shift_right_logical %14, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %16 = chlo.broadcast_and %15, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %17 = chlo.broadcast_or %16, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %18 = chlo.broadcast_xor %17, %i : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  // CHECK: chlo.broadcast_compare %{{.*}}, %{{.*}} {comparison_direction = #chlo<comparison_direction GT>} : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  %19 = chlo.broadcast_compare %a, %11 {comparison_direction = #chlo<comparison_direction GT>} : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xi1>
  // CHECK: chlo.broadcast_select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x1xi1>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %20 = chlo.broadcast_select %p, %a, %b : (tensor<2x1xi1>, tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %19 : tensor<2x4xi1>
}

// CHECK-LABEL: func.func @constants
func.func @constants(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  // CHECK: chlo.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = chlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: "chlo.constant_like"(%{{.*}}) <{value = 5.000000e-01 : f32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = "chlo.constant_like"(%x) {value = 0.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @structured
// CHECK: chlo.mulhi %{{.*}}, %{{.*}} : tensor<4xi16>, tensor<4xi16> -> tensor<4xi16>
// CHECK: chlo.scan(%{{.*}}) inits(%{{.*}}) dimension=1 attributes {is_reverse = true} {
// CHECK: } : (tensor<2x3xi32>, tensor<2xi32>) -> (tensor<2x3xi32>, tensor<2xi32>)
// CHECK: "chlo.ragged_dot"
// CHECK-SAME: #chlo<precision HIGHEST>
// CHECK-SAME: #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [1], lhs_ragged_dimensions = [0], rhs_group_dimensions = [0]>
func.func @structured(%m: tensor<4xi16>, %x: tensor<2x3xi32>, %c: tensor<2xi32>, %l: tensor<11x5xf32>,
                      %r: tensor<3x5x7xf32>, %g: tensor<3xi64>) -> (tensor<4xi16>, tensor<2x3xi32>, tensor<11x7xf32>) {
  %0 = chlo.mulhi %m, %m : tensor<4xi16>, tensor<4xi16> -> tensor<4xi16>
  %1:2 = chlo.scan(%x) inits(%c) dimension=1 attributes {is_reverse = true} {
  ^bb0(%a: tensor<2xi32>, %b: tensor<2xi32>):
    %s = stablehlo.add %a, %b : tensor<2xi32>
    stablehlo.return %s, %s : tensor<2xi32>, tensor<2xi32>
  } : (tensor<2x3xi32>, tensor<2xi32>) -> (tensor<2x3xi32>, tensor<2xi32>)
  %2 = "chlo.ragged_dot"(%l, %r, %g) {ragged_dot_dimension_numbers = #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [1], lhs_ragged_dimensions = [0], rhs_group_dimensions = [0]>, precision_config = [#chlo<precision DEFAULT>, #chlo<precision HIGHEST>]} : (tensor<11x5xf32>, tensor<3x5x7xf32>, tensor<3xi64>) -> tensor<11x7xf32>
  return %0, %1#0, %2 : tensor<4xi16>, tensor<2x3xi32>, tensor<11x7xf32>
}
