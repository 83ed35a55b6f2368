// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s
// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s --check-prefix=NOCHLO

// NOCHLO-NOT: chlo.

// CHECK-LABEL: func.func @square
// CHECK-NEXT: %[[R:.*]] = stablehlo.multiply %arg0, %arg0 : tensor<4xf32>
// CHECK-NEXT: return %[[R]]
func.func @square(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.square %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @conj
// (Operands built by nested calls may come out in either order: CHECK-DAG.)
// CHECK-DAG: %[[RE:.*]] = stablehlo.real %arg0
// CHECK-DAG: %[[IM:.*]] = stablehlo.imag %arg0
// CHECK-DAG: %[[NEG:.*]] = stablehlo.negate %[[IM]]
// CHECK: stablehlo.complex %[[RE]], %[[NEG]]
func.func @conj(%x: tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>> {
  %0 = chlo.conj %x : tensor<2xcomplex<f32>> -> tensor<2xcomplex<f32>>
  return %0 : tensor<2xcomplex<f32>>
}

// CHECK-LABEL: func.func @conj_real
// CHECK-NEXT: return %arg0
func.func @conj_real(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = chlo.conj %x : tensor<2xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @is_inf
// CHECK-DAG: %[[A:.*]] = stablehlo.abs %arg0
// CHECK-DAG: %[[INF:.*]] = stablehlo.constant dense<0x7F800000>
// CHECK: stablehlo.compare EQ, %[[A]], %[[INF]], FLOAT
// CHECK: %[[NINF:.*]] = stablehlo.constant dense<0xFF800000>
// CHECK: stablehlo.compare EQ, %arg0, %[[NINF]], FLOAT
func.func @is_inf(%x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = chlo.is_inf %x : tensor<4xf32> -> tensor<4xi1>
  %1 = chlo.is_neg_inf %x : tensor<4xf32> -> tensor<4xi1>
  %2 = chlo.is_pos_inf %x : tensor<4xf32> -> tensor<4xi1>
  return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// CHECK-LABEL: func.func @next_after
// CHECK: stablehlo.bitcast_convert %arg0 : (tensor<4xf64>) -> tensor<4xi64>
// CHECK: stablehlo.bitcast_convert %{{.*}} : (tensor<4xi64>) -> tensor<4xf64>
func.func @next_after(%x: tensor<4xf64>, %y: tensor<4xf64>) -> tensor<4xf64> {
  %0 = chlo.next_after %x, %y : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// CHECK-LABEL: func.func @constants
// CHECK: stablehlo.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: stablehlo.constant dense<5.000000e-01> : tensor<2x3xf32>
func.func @constants(%x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2x3xf32>) {
  %0 = chlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = "chlo.constant_like"(%x) {value = 0.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @bessel_i1e
// CHECK: stablehlo.sqrt
// CHECK: return %{{.*}} : tensor<4xf32>
func.func @bessel_i1e(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = chlo.bessel_i1e %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
