// RUN: hlox-opt %s --hlox-cuda-warp-reductions | FileCheck %s

// A sum over the contiguous last dimension: one warp per row, 8 rows a block
// (64 rows: 8 blocks of 256 threads); each lane folds elements lane, lane+32,
// ... from 0.0, five xor shuffles combine the lanes, lane 0 adds the result to
// the output's initial value.

#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @row_sum
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%{{.*}}) step
// CHECK: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%{{.*}}) step
// CHECK: %[[LANE:.*]] = arith.remui %[[T]]
// CHECK: %[[PART:.*]] = scf.for %[[K:.*]] = %[[LANE]] to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK: %[[X:.*]] = memref.load %{{.*}}[%{{.*}}, %[[K]]] : memref<64x1000xf32>
// CHECK: %[[S:.*]] = arith.addf %[[ACC]], %[[X]] : f32
// CHECK: scf.yield %[[S]] : f32
// CHECK-COUNT-5: gpu.shuffle  xor
// CHECK: scf.if
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<64xf32>
// CHECK: arith.addf
// CHECK: memref.store
// CHECK: processor = thread_x
// CHECK: processor = block_x
// CHECK-NOT: linalg.generic
func.func @row_sum(%a: memref<64x1000xf32>, %o: memref<64xf32>) {
  linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<64x1000xf32>) outs(%o : memref<64xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}

// A column sum reads along the reduction with a stride: left to the generic path.
#col = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @column_sum
// CHECK: linalg.generic
// CHECK-NOT: gpu.shuffle
func.func @column_sum(%a: memref<1000x64xf32>, %o: memref<64xf32>) {
  linalg.generic {indexing_maps = [#col, #out], iterator_types = ["parallel", "reduction"]}
      ins(%a : memref<1000x64xf32>) outs(%o : memref<64xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  }
  return
}
