// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// gather -> linalg.generic over the result: the operand index from
// linalg.index and the start indices (tensor.extract), clamped to
// [0, dim - slice_size] per the spec.

// CHECK-LABEL: func.func @take
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<3x4xf32>)
// CHECK:   %[[B:.*]] = linalg.index 0 : index
// CHECK:   %[[O:.*]] = linalg.index 1 : index
// CHECK:   %[[S:.*]] = tensor.extract %{{.*}}[%[[B]], %{{.*}}] : tensor<3x1xi32>
// CHECK:   %[[SI:.*]] = arith.index_cast %[[S]] : i32 to index
// CHECK:   %[[LO:.*]] = arith.maxsi %[[SI]], %{{.*}} : index
// CHECK:   %[[C:.*]] = arith.minsi %[[LO]], %{{.*}} : index
// CHECK:   %[[COL:.*]] = arith.addi %{{.*}}, %[[O]] : index
// CHECK:   %[[V:.*]] = tensor.extract %{{.*}}[%[[C]], %[[COL]]] : tensor<5x4xf32>
// CHECK:   linalg.yield %[[V]] : f32
func.func @take(%x: tensor<5x4xf32>, %i: tensor<3x1xi32>) -> tensor<3x4xf32> {
  %0 = "stablehlo.gather"(%x, %i) <{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1, 4>}> : (tensor<5x4xf32>, tensor<3x1xi32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}
