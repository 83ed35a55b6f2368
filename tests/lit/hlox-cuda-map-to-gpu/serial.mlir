// RUN: hlox-opt %s --hlox-cuda-map-to-gpu | FileCheck %s

// Work that is not a top-level parallel loop (here a full reduction's loop)
// runs as a one-thread kernel: one block, no thread loop. Allocations stay
// on the host (the launch plan makes them), before the kernel.

// CHECK-LABEL: func.func @main
// CHECK: memref.alloc
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[ONE:.*]]) step
// CHECK-NEXT: scf.for
// CHECK: processor = block_x
// CHECK: return
func.func @main(%a: memref<64xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  memref.store %zero, %out[] : memref<f32>
  %tmp = memref.alloc() : memref<f32>
  scf.for %i = %c0 to %c64 step %c1 {
    %x = memref.load %a[%i] : memref<64xf32>
    %s = memref.load %out[] : memref<f32>
    %y = arith.addf %s, %x : f32
    memref.store %y, %out[] : memref<f32>
  }
  return
}

// Parallel loops nested in a one-thread kernel run sequentially (scf.for).
// CHECK-LABEL: func.func @nested
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: scf.for
// CHECK-NOT: scf.parallel
// CHECK: processor = block_x
func.func @nested(%a: memref<4x4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      %x = memref.load %a[%i, %j] : memref<4x4xf32>
      %s = memref.load %out[%j] : memref<4xf32>
      %y = arith.maximumf %s, %x : f32
      memref.store %y, %out[%j] : memref<4xf32>
      scf.reduce
    }
  }
  return
}
