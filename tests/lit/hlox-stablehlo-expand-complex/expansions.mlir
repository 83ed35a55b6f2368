// RUN: hlox-opt %s --hlox-stablehlo-expand-complex | FileCheck %s

// Complex maximum: lexicographic on (real, imaginary).
// CHECK-LABEL: func.func @maximum
// CHECK-DAG: %[[RA:.*]] = stablehlo.real %arg0
// CHECK-DAG: %[[IA:.*]] = stablehlo.imag %arg0
// CHECK-DAG: %[[RB:.*]] = stablehlo.real %arg1
// CHECK-DAG: %[[IB:.*]] = stablehlo.imag %arg1
// CHECK-DAG: %[[EQ:.*]] = stablehlo.compare  EQ, %[[RA]], %[[RB]]
// CHECK-DAG: %[[GTI:.*]] = stablehlo.compare  GT, %[[IA]], %[[IB]]
// CHECK-DAG: %[[GTR:.*]] = stablehlo.compare  GT, %[[RA]], %[[RB]]
// CHECK: %[[PICK:.*]] = stablehlo.select %[[EQ]], %[[GTI]], %[[GTR]]
// CHECK: stablehlo.select %[[PICK]], %arg0, %arg1
func.func @maximum(%a: tensor<4xcomplex<f32>>, %b: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  %0 = stablehlo.maximum %a, %b : tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// CHECK-LABEL: func.func @others
// CHECK-NOT: stablehlo.cbrt {{.*}}complex
// CHECK-NOT: stablehlo.logistic
// CHECK-NOT: stablehlo.atan2 {{.*}}complex
// Real operands are left alone.
// CHECK: stablehlo.maximum %{{.*}} : tensor<2xf32>
func.func @others(%z: tensor<2xcomplex<f64>>, %x: tensor<2xf32>) -> (tensor<2xcomplex<f64>>, tensor<2xcomplex<f64>>, tensor<2xcomplex<f64>>, tensor<2xf32>) {
  %0 = stablehlo.cbrt %z : tensor<2xcomplex<f64>>
  %1 = stablehlo.logistic %z : tensor<2xcomplex<f64>>
  %2 = stablehlo.atan2 %z, %z : tensor<2xcomplex<f64>>
  %3 = stablehlo.maximum %x, %x : tensor<2xf32>
  return %0, %1, %2, %3 : tensor<2xcomplex<f64>>, tensor<2xcomplex<f64>>, tensor<2xcomplex<f64>>, tensor<2xf32>
}

// A bitcast between complex types regroups the parts' bytes.
// CHECK-LABEL: func.func @bitcast
// CHECK-DAG: stablehlo.real %arg0 : (tensor<complex<f64>>) -> tensor<f64>
// CHECK-DAG: stablehlo.bitcast_convert %{{.*}} : (tensor<f64>) -> tensor<8xui8>
// CHECK: stablehlo.concatenate {{.*}} dim = 0
// CHECK: stablehlo.reshape %{{.*}} : (tensor<16xui8>) -> tensor<2x8xui8>
// CHECK: stablehlo.complex
// CHECK-NOT: stablehlo.bitcast_convert %arg0
func.func @bitcast(%z: tensor<complex<f64>>) -> tensor<2xcomplex<f32>> {
  %0 = stablehlo.bitcast_convert %z : (tensor<complex<f64>>) -> tensor<2xcomplex<f32>>
  return %0 : tensor<2xcomplex<f32>>
}
