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
