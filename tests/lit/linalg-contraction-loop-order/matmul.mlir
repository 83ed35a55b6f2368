// RUN: hlox-opt %s --linalg-generalize-named-ops --hlox-linalg-contraction-loop-order | FileCheck %s

// A matmul's loops (m, n, k) become (m, k, n): the result's contiguous
// dimension innermost. Loops whose inner reduction is already contiguous
// (matvec) and elementwise generics are left alone.

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[MV_A:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[MV_X:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[MV_Y:.*]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>) -> tensor<3x5xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "reduction", "parallel"]}
  %0 = linalg.matmul ins(%a, %b : tensor<3x4xf32>, tensor<4x5xf32>) outs(%c : tensor<3x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @matvec
func.func @matvec(%a: tensor<3x4xf32>, %x: tensor<4xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[MV_A]], #[[MV_X]], #[[MV_Y]]], iterator_types = ["parallel", "reduction"]}
  %0 = linalg.matvec ins(%a, %x : tensor<3x4xf32>, tensor<4xf32>) outs(%y : tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// A row reduction reading a per-row value (softmax's sum of exp(x - max)):
// that input is contiguous along the result but not read along the
// reduction; the rows stay innermost (walking columns would stride).
// CHECK-LABEL: func.func @row_sum_of_shifted
// CHECK: iterator_types = ["parallel", "reduction"]
#rows = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @row_sum_of_shifted(%x: tensor<8x64xf32>, %m: tensor<8xf32>, %init: tensor<8xf32>) -> tensor<8xf32> {
  %r = linalg.generic {indexing_maps = [#rows, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : tensor<8x64xf32>, tensor<8xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %s = arith.addf %acc, %d : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}
