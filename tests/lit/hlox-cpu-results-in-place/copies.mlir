// RUN: hlox-opt %s --hlox-cpu-results-in-place | FileCheck %s

// A result computed into a temporary and copied into its out-parameter is
// computed into the out-parameter instead.

// CHECK-LABEL: func.func @one_result
// CHECK-SAME: (%[[X:.*]]: memref<8xf32>, %[[OUT:.*]]: memref<8xf32>)
// CHECK-NOT: memref.alloc
// CHECK: linalg.map {{.*}} outs(%[[OUT]] : memref<8xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @one_result(%x: memref<8xf32>, %out: memref<8xf32>) {
  %tmp = memref.alloc() : memref<8xf32>
  linalg.map { math.exp } ins(%x : memref<8xf32>) outs(%tmp : memref<8xf32>)
  memref.copy %tmp, %out : memref<8xf32> to memref<8xf32>
  return
}

// `return y, y`: y is computed into the first out-parameter, and copied
// from there into the second.
// CHECK-LABEL: func.func @same_result_twice
// CHECK-SAME: (%[[X:.*]]: memref<8xf32>, %[[OUT0:.*]]: memref<8xf32>, %[[OUT1:.*]]: memref<8xf32>)
// CHECK: linalg.map {{.*}} outs(%[[OUT0]] : memref<8xf32>)
// CHECK-NEXT: memref.copy %[[OUT0]], %[[OUT1]]
func.func @same_result_twice(%x: memref<8xf32>, %out0: memref<8xf32>, %out1: memref<8xf32>) {
  %tmp = memref.alloc() : memref<8xf32>
  linalg.map { math.exp } ins(%x : memref<8xf32>) outs(%tmp : memref<8xf32>)
  memref.copy %tmp, %out0 : memref<8xf32> to memref<8xf32>
  memref.copy %tmp, %out1 : memref<8xf32> to memref<8xf32>
  return
}

// An argument returned as is keeps its copy (the caller's input is never
// written); so does a temporary of another type than the out-parameter.
// CHECK-LABEL: func.func @kept
// CHECK: memref.copy %arg0, %arg1
// CHECK: memref.alloc
// CHECK: memref.copy
func.func @kept(%x: memref<8xf32>, %out0: memref<8xf32>, %out1: memref<8xf32, strided<[1], offset: ?>>) {
  memref.copy %x, %out0 : memref<8xf32> to memref<8xf32>
  %tmp = memref.alloc() : memref<8xf32>
  linalg.map { math.exp } ins(%x : memref<8xf32>) outs(%tmp : memref<8xf32>)
  memref.copy %tmp, %out1 : memref<8xf32> to memref<8xf32, strided<[1], offset: ?>>
  return
}

// A temporary copied out through a reshape (a packed contraction's
// [M, N/32, 32] accumulator as [M, N]) becomes the inverse reshape of the
// out-parameter: a view of it, no alloc, no copy.
// CHECK-LABEL: func.func @through_collapse
// CHECK-SAME: (%[[X:.*]]: memref<4x64xf32>, %[[OUT:.*]]: memref<4x64xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[VIEW:.*]] = memref.expand_shape %[[OUT]] {{\[}}[0], [1, 2]] output_shape [4, 2, 32] : memref<4x64xf32> into memref<4x2x32xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[VIEW]] : memref<4x2x32xf32>)
// CHECK-NOT: memref.copy
// CHECK: return
func.func @through_collapse(%x: memref<4x64xf32>, %out: memref<4x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %tmp = memref.alloc() : memref<4x2x32xf32>
  linalg.fill ins(%zero : f32) outs(%tmp : memref<4x2x32xf32>)
  %flat = memref.collapse_shape %tmp [[0], [1, 2]] : memref<4x2x32xf32> into memref<4x64xf32>
  memref.copy %flat, %out : memref<4x64xf32> to memref<4x64xf32>
  return
}

// CHECK-LABEL: func.func @through_expand
// CHECK-SAME: (%[[X:.*]]: memref<8xf32>, %[[OUT:.*]]: memref<2x4xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[VIEW:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1]] : memref<2x4xf32> into memref<8xf32>
// CHECK: linalg.map {{.*}} outs(%[[VIEW]] : memref<8xf32>)
// CHECK-NOT: memref.copy
func.func @through_expand(%x: memref<8xf32>, %out: memref<2x4xf32>) {
  %tmp = memref.alloc() : memref<8xf32>
  linalg.map { math.exp } ins(%x : memref<8xf32>) outs(%tmp : memref<8xf32>)
  %shaped = memref.expand_shape %tmp [[0, 1]] output_shape [2, 4] : memref<8xf32> into memref<2x4xf32>
  memref.copy %shaped, %out : memref<2x4xf32> to memref<2x4xf32>
  return
}

// A reshape read by more than the copy, or a strided out-parameter, keeps
// the temporary and its copy.
// CHECK-LABEL: func.func @reshape_kept
// CHECK: memref.alloc
// CHECK: memref.copy
// CHECK: memref.alloc
// CHECK: memref.copy
func.func @reshape_kept(%x: memref<8xf32>, %out0: memref<2x4xf32>, %out1: memref<2x4xf32>,
                        %out2: memref<2x4xf32, strided<[8, 1]>>) {
  %tmp = memref.alloc() : memref<8xf32>
  linalg.map { math.exp } ins(%x : memref<8xf32>) outs(%tmp : memref<8xf32>)
  %shaped = memref.expand_shape %tmp [[0, 1]] output_shape [2, 4] : memref<8xf32> into memref<2x4xf32>
  memref.copy %shaped, %out0 : memref<2x4xf32> to memref<2x4xf32>
  memref.copy %shaped, %out1 : memref<2x4xf32> to memref<2x4xf32>
  %tmp2 = memref.alloc() : memref<8xf32>
  linalg.map { math.exp } ins(%x : memref<8xf32>) outs(%tmp2 : memref<8xf32>)
  %shaped2 = memref.expand_shape %tmp2 [[0, 1]] output_shape [2, 4] : memref<8xf32> into memref<2x4xf32>
  memref.copy %shaped2, %out2 : memref<2x4xf32> to memref<2x4xf32, strided<[8, 1]>>
  return
}

// A chain of reshapes (a batched accumulator collapsed, then expanded to the
// result's dims): the inverse chain on the out-parameter.
// CHECK-LABEL: func.func @through_a_chain
// CHECK-SAME: (%[[X:.*]]: memref<4x16x64xf32>, %[[OUT:.*]]: memref<4x16x64xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1], [2]] : memref<4x16x64xf32> into memref<64x64xf32>
// CHECK: %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1], [2, 3]] output_shape [1, 64, 2, 32] : memref<64x64xf32> into memref<1x64x2x32xf32>
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[VIEW]] : memref<1x64x2x32xf32>)
// CHECK-NOT: memref.copy
func.func @through_a_chain(%x: memref<4x16x64xf32>, %out: memref<4x16x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %tmp = memref.alloc() : memref<1x64x2x32xf32>
  linalg.fill ins(%zero : f32) outs(%tmp : memref<1x64x2x32xf32>)
  %flat = memref.collapse_shape %tmp [[0, 1], [2, 3]] : memref<1x64x2x32xf32> into memref<64x64xf32>
  %shaped = memref.expand_shape %flat [[0, 1], [2]] output_shape [4, 16, 64] : memref<64x64xf32> into memref<4x16x64xf32>
  memref.copy %shaped, %out : memref<4x16x64xf32> to memref<4x16x64xf32>
  return
}
