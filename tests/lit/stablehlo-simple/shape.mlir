// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// The shape ops, static and dynamic, in the syntax JAX prints.

// CHECK-LABEL: func.func {{.*}}@static_shapes(
func.func @static_shapes(%x: tensor<4x4xf32>, %s: tensor<f32>, %i: tensor<i32>, %u: tensor<ui64>) -> tensor<4x4xf32> {
  // CHECK: stablehlo.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %c = stablehlo.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: stablehlo.iota dim = 0 : tensor<5xi32>
  %0 = stablehlo.iota dim = 0 : tensor<5xi32>
  // CHECK: stablehlo.iota dim = 1 : tensor<2x3xf32>
  %1 = stablehlo.iota dim = 1 : tensor<2x3xf32>
  // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<4x4xf32>
  %2 = stablehlo.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<4x4xf32>
  // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [1, 2] : (tensor<4x4xf32>) -> tensor<2x4x4xf32>
  %3 = stablehlo.broadcast_in_dim %x, dims = [1, 2] : (tensor<4x4xf32>) -> tensor<2x4x4xf32>
  // CHECK: stablehlo.broadcast %{{[a-z0-9_#]+}}, sizes = [2, 3] : (tensor<4x4xf32>) -> tensor<2x3x4x4xf32>
  %4 = stablehlo.broadcast %x, sizes = [2, 3] : (tensor<4x4xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: stablehlo.reshape %{{[a-z0-9_#]+}} : (tensor<4x4xf32>) -> tensor<2x8xf32>
  %5 = stablehlo.reshape %x : (tensor<4x4xf32>) -> tensor<2x8xf32>
  // CHECK: stablehlo.transpose %{{[a-z0-9_#]+}}, dims = [2, 0, 1] : (tensor<2x4x4xf32>) -> tensor<4x2x4xf32>
  %6 = stablehlo.transpose %3, dims = [2, 0, 1] : (tensor<2x4x4xf32>) -> tensor<4x2x4xf32>
  // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [1:3, 0:4:2] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  %7 = stablehlo.slice %x [1:3, 0:4:2] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [] : (tensor<f32>) -> tensor<f32>
  %8 = stablehlo.slice %s [] : (tensor<f32>) -> tensor<f32>
  // CHECK: stablehlo.dynamic_slice %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, sizes = [2, 2] : (tensor<4x4xf32>, tensor<i32>, tensor<i32>) -> tensor<2x2xf32>
  %9 = stablehlo.dynamic_slice %x, %i, %i, sizes = [2, 2] : (tensor<4x4xf32>, tensor<i32>, tensor<i32>) -> tensor<2x2xf32>
  // CHECK: stablehlo.dynamic_update_slice %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<i32>, tensor<i32>) -> tensor<4x4xf32>
  %10 = stablehlo.dynamic_update_slice %x, %c, %i, %i : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<i32>, tensor<i32>) -> tensor<4x4xf32>
  // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 1 : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x6xf32>
  %11 = stablehlo.concatenate %c, %7, %c, dim = 1 : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x6xf32>
  // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, dim = 1 : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %12 = stablehlo.concatenate %x, dim = 1 : (tensor<4x4xf32>) -> tensor<4x4xf32>
  // CHECK: stablehlo.pad %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, low = [1, 0], high = [2, -1], interior = [1, 0] : (tensor<4x4xf32>, tensor<f32>) -> tensor<10x3xf32>
  %13 = stablehlo.pad %x, %s, low = [1, 0], high = [2, -1], interior = [1, 0] : (tensor<4x4xf32>, tensor<f32>) -> tensor<10x3xf32>
  // CHECK: stablehlo.reverse %{{[a-z0-9_#]+}}, dims = [0, 1] : tensor<4x4xf32>
  %14 = stablehlo.reverse %x, dims = [0, 1] : tensor<4x4xf32>
  // CHECK: stablehlo.get_dimension_size %{{[a-z0-9_#]+}}, dim = 1 : (tensor<4x4xf32>) -> tensor<i32>
  %15 = stablehlo.get_dimension_size %x, dim = 1 : (tensor<4x4xf32>) -> tensor<i32>
  // CHECK: stablehlo.dynamic_slice %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, sizes = [4, 0] : (tensor<4x4xf32>, tensor<ui64>, tensor<ui64>) -> tensor<4x0xf32>
  %16 = stablehlo.dynamic_slice %x, %u, %u, sizes = [4, 0] : (tensor<4x4xf32>, tensor<ui64>, tensor<ui64>) -> tensor<4x0xf32>
  return %x : tensor<4x4xf32>
}

// CHECK-LABEL: func.func {{.*}}@dynamic_shapes(
func.func @dynamic_shapes(%x: tensor<?x4xf32>, %shape: tensor<2xindex>, %shape64: tensor<2xi64>, %s: tensor<f32>, %v: tensor<2xi32>) -> tensor<?x?xf32> {
  // CHECK: stablehlo.dynamic_broadcast_in_dim %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dims = [0, 1] : (tensor<?x4xf32>, tensor<2xindex>) -> tensor<?x?xf32>
  %0 = stablehlo.dynamic_broadcast_in_dim %x, %shape, dims = [0, 1] : (tensor<?x4xf32>, tensor<2xindex>) -> tensor<?x?xf32>
  // CHECK: stablehlo.dynamic_broadcast_in_dim %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dims = [0, 1] {known_expanding_dimensions = array<i64: 0>, known_nonexpanding_dimensions = array<i64: 1>} : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  %1 = stablehlo.dynamic_broadcast_in_dim %x, %shape64, dims = [0, 1] {known_expanding_dimensions = array<i64: 0>, known_nonexpanding_dimensions = array<i64: 1>} : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x4xf32>
  // CHECK: stablehlo.dynamic_reshape %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<?x4xf32>, tensor<2xindex>) -> tensor<?x?xf32>
  %2 = stablehlo.dynamic_reshape %x, %shape : (tensor<?x4xf32>, tensor<2xindex>) -> tensor<?x?xf32>
  // CHECK: stablehlo.dynamic_iota %{{[a-z0-9_#]+}}, dim = 1 : (tensor<2xi64>) -> tensor<?x?xf32>
  %3 = stablehlo.dynamic_iota %shape64, dim = 1 : (tensor<2xi64>) -> tensor<?x?xf32>
  // CHECK: stablehlo.dynamic_pad %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<?x4xf32>, tensor<f32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
  %4 = stablehlo.dynamic_pad %x, %s, %v, %v, %v : (tensor<?x4xf32>, tensor<f32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
  // CHECK: stablehlo.real_dynamic_slice %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<?x4xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
  %5 = stablehlo.real_dynamic_slice %x, %v, %v, %v : (tensor<?x4xf32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?x?xf32>
  // CHECK: stablehlo.get_dimension_size %{{[a-z0-9_#]+}}, dim = 0 : (tensor<?x4xf32>) -> tensor<i32>
  %6 = stablehlo.get_dimension_size %x, dim = 0 : (tensor<?x4xf32>) -> tensor<i32>
  // CHECK: stablehlo.transpose %{{[a-z0-9_#]+}}, dims = [1, 0] : (tensor<?x4xf32>) -> tensor<4x?xf32>
  %7 = stablehlo.transpose %x, dims = [1, 0] : (tensor<?x4xf32>) -> tensor<4x?xf32>
  // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 0 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %8 = stablehlo.concatenate %x, %x, dim = 0 : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<?x4xf32>
  %9 = stablehlo.add %x, %x : tensor<?x4xf32>
  // CHECK: stablehlo.reshape %{{[a-z0-9_#]+}} : (tensor<?x4xf32>) -> tensor<8xf32>
  %10 = stablehlo.reshape %x : (tensor<?x4xf32>) -> tensor<8xf32>
  return %0 : tensor<?x?xf32>
}
