// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// broadcast_in_dim: linalg.broadcast when it only adds dimensions (in order),
// a linalg.generic when a size-1 dimension expands or dimensions are permuted.

// CHECK-DAG: #[[EXPAND:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[PERM:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// CHECK-LABEL: func.func @scalar
func.func @scalar(%a: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
  // CHECK: linalg.broadcast ins(%{{.*}} : tensor<f32>) outs(%[[INIT]] : tensor<2x3xf32>) dimensions = [0, 1]
  %0 = stablehlo.broadcast_in_dim %a, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @rows
func.func @rows(%a: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: linalg.broadcast ins(%{{.*}} : tensor<3xf32>) outs(%{{.*}} : tensor<2x3xf32>) dimensions = [0]
  %0 = stablehlo.broadcast_in_dim %a, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @expand_size_one
func.func @expand_size_one(%a: tensor<1x3xf32>) -> tensor<4x3xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[EXPAND]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins(%{{.*}} : tensor<1x3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
  // CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: linalg.yield %[[IN]] : f32
  %0 = stablehlo.broadcast_in_dim %a, dims = [0, 1] : (tensor<1x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @permuted
func.func @permuted(%a: tensor<2x3xf32>) -> tensor<3x4x2xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[PERM]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
  %0 = stablehlo.broadcast_in_dim %a, dims = [2, 0] : (tensor<2x3xf32>) -> tensor<3x4x2xf32>
  return %0 : tensor<3x4x2xf32>
}

// CHECK-LABEL: func.func @identity
func.func @identity(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK-NEXT: return %{{.*}} : tensor<2x3xf32>
  %0 = stablehlo.broadcast_in_dim %a, dims = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
