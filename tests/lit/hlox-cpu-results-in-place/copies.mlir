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
