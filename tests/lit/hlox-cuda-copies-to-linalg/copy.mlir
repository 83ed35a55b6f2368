// RUN: hlox-opt %s --hlox-cuda-copies-to-linalg | FileCheck %s

// Kernels cannot call memrefCopy: a buffer copy becomes linalg.copy, which
// convert-linalg-to-parallel-loops turns into a parallel loop (a kernel).

// CHECK-LABEL: func.func @main
// CHECK-NOT: memref.copy
// CHECK: linalg.copy {{.*}}ins(%{{.*}} : memref<4x8xf32>) outs(%{{.*}} : memref<4x8xf32>)
func.func @main(%a: memref<4x8xf32>, %b: memref<4x8xf32>) {
  memref.copy %a, %b : memref<4x8xf32> to memref<4x8xf32>
  return
}
