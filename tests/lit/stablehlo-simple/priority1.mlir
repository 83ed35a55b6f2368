// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// The ops of the first end-to-end path, in the syntax JAX prints.

// CHECK-LABEL: func.func @arith
func.func @arith(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK: stablehlo.multiply %{{.*}}, %{{.*}} : tensor<4x4xf32>
  %0 = stablehlo.multiply %a, %b : tensor<4x4xf32>
  // CHECK: stablehlo.subtract %{{.*}}, %{{.*}} : tensor<4x4xf32>
  %1 = stablehlo.subtract %0, %b : tensor<4x4xf32>
  // CHECK: stablehlo.divide %{{.*}}, %{{.*}} : tensor<4x4xf32>
  %2 = stablehlo.divide %1, %b : tensor<4x4xf32>
  // CHECK: stablehlo.exponential %{{.*}} : tensor<4x4xf32>
  %3 = stablehlo.exponential %2 : tensor<4x4xf32>
  // CHECK: stablehlo.negate %{{.*}} : tensor<4x4xf32>
  %4 = stablehlo.negate %3 : tensor<4x4xf32>
  // CHECK: stablehlo.maximum %{{.*}}, %{{.*}} : tensor<4x4xf32>
  %5 = stablehlo.maximum %4, %a : tensor<4x4xf32>
  return %5 : tensor<4x4xf32>
}

// CHECK-LABEL: func.func @convert
func.func @convert(%p: tensor<4xi1>, %u: tensor<3xui64>) -> tensor<4xi32> {
  // CHECK: stablehlo.convert %{{.*}} : (tensor<4xi1>) -> tensor<4xi32>
  %0 = stablehlo.convert %p : (tensor<4xi1>) -> tensor<4xi32>
  // CHECK: stablehlo.convert %{{.*}} : (tensor<3xui64>) -> tensor<3xui32>
  %1 = stablehlo.convert %u : (tensor<3xui64>) -> tensor<3xui32>
  // Same types: the short form.
  // CHECK: stablehlo.convert %{{.*}} : tensor<4xi32>
  %2 = stablehlo.convert %0 : tensor<4xi32>
  return %2 : tensor<4xi32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%s: tensor<f32>, %v: tensor<2xi32>, %m: tensor<2x3xf32>, %one: tensor<1xf32>) -> tensor<3x2xf32> {
  // CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [] : (tensor<f32>) -> tensor<4x4xf32>
  %0 = stablehlo.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<4x4xf32>
  // CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [1] : (tensor<2xi32>) -> tensor<3x2xi32>
  %1 = stablehlo.broadcast_in_dim %v, dims = [1] : (tensor<2xi32>) -> tensor<3x2xi32>
  // CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = stablehlo.broadcast_in_dim %m, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: stablehlo.broadcast_in_dim %{{.*}}, dims = [0] : (tensor<1xf32>) -> tensor<3xf32>
  %3 = stablehlo.broadcast_in_dim %one, dims = [0] : (tensor<1xf32>) -> tensor<3xf32>
  // CHECK: stablehlo.reshape %{{.*}} : (tensor<1xf32>) -> tensor<f32>
  %4 = stablehlo.reshape %one : (tensor<1xf32>) -> tensor<f32>
  // CHECK: stablehlo.reshape %{{.*}} : (tensor<2x3xf32>) -> tensor<6xf32>
  %5 = stablehlo.reshape %m : (tensor<2x3xf32>) -> tensor<6xf32>
  // CHECK: stablehlo.transpose %{{.*}}, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %6 = stablehlo.transpose %m, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  // CHECK: stablehlo.iota dim = 0 : tensor<4xi32>
  %7 = stablehlo.iota dim = 0 : tensor<4xi32>
  // CHECK: stablehlo.iota dim = 1 : tensor<2x3xui64>
  %8 = stablehlo.iota dim = 1 : tensor<2x3xui64>
  return %6 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @select
func.func @select(%p: tensor<2xi1>, %a: tensor<2xi32>, %b: tensor<2xi32>, %s: tensor<i1>) -> tensor<2xi32> {
  // CHECK: stablehlo.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<2xi1>, tensor<2xi32>
  %0 = stablehlo.select %p, %a, %b : tensor<2xi1>, tensor<2xi32>
  // A scalar predicate.
  // CHECK: stablehlo.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<i1>, tensor<2xi32>
  %1 = stablehlo.select %s, %0, %b : tensor<i1>, tensor<2xi32>
  // The functional form parses too.
  // CHECK: stablehlo.select %{{.*}}, %{{.*}}, %{{.*}} : tensor<2xi1>, tensor<2xi32>
  %2 = stablehlo.select %p, %1, %b : (tensor<2xi1>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %2 : tensor<2xi32>
}

// CHECK-LABEL: func.func @compare
func.func @compare(%a: tensor<4xf32>, %i: tensor<i32>) -> tensor<4xi1> {
  // CHECK: stablehlo.compare GT, %{{.*}}, %{{.*}}, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %0 = stablehlo.compare GT, %a, %a, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  // CHECK: stablehlo.compare LT, %{{.*}}, %{{.*}}, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
  %1 = stablehlo.compare LT, %i, %i, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
  // CHECK: stablehlo.compare EQ, %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %2 = stablehlo.compare EQ, %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
