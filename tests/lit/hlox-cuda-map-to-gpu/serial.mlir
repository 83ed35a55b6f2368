// RUN: hlox-opt %s --hlox-cuda-map-to-gpu | FileCheck %s

// Work that is not a top-level parallel loop (here a full reduction's loop)
// runs as a one-thread kernel: one block, no thread loop. Allocations stay
// on the host (the launch plan makes them), before the kernel.

// CHECK-LABEL: func.func @main
// CHECK: memref.alloc
// CHECK: scf.parallel
// CHECK-NEXT: memref.store
// CHECK-NEXT: scf.for
// CHECK: processor = block_x
// CHECK-NOT: processor = thread_x
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

// A column reduction (sequential loop around a parallel one, each parallel
// iteration owning its output element) is interchanged: one thread per column.
// CHECK-LABEL: func.func @columns
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: arith.maximumf
// CHECK: processor = thread_x
// CHECK: processor = block_x
func.func @columns(%a: memref<4x4xf32>, %out: memref<4xf32>) {
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

// Not when iterations of different rows may touch the same element (out[i + j]):
// one thread, the nested parallel loop as a sequential scf.for.
// CHECK-LABEL: func.func @shifted
// CHECK: scf.parallel
// CHECK-NEXT: scf.for
// CHECK-NEXT: scf.for
// CHECK-NOT: processor = thread_x
// CHECK: processor = block_x
func.func @shifted(%a: memref<4x4xf32>, %out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      %k = arith.addi %i, %j : index
      %x = memref.load %a[%i, %j] : memref<4x4xf32>
      %s = memref.load %out[%k] : memref<8xf32>
      %y = arith.addf %s, %x : f32
      memref.store %y, %out[%k] : memref<8xf32>
      scf.reduce
    }
  }
  return
}
