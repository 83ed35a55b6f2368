// RUN: hlox-opt %s --hlox-cpu-hoist-loop-buffers | FileCheck %s

// A row block's scratch buffers, allocated and freed in every iteration of the
// (now serial) loop, are allocated before it and freed after it; out of the
// inner loop first, then out of the outer one.
// CHECK-LABEL: func.func @blocks
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<8xf32>
// CHECK-NEXT: memref.alloc() : memref<4xf32>
// CHECK-NEXT: scf.parallel
// CHECK: scf.for
// CHECK-NOT: memref.alloc
// CHECK: memref.store
// CHECK: }
// CHECK-NOT: memref.dealloc
// CHECK: scf.reduce
// CHECK: }
// CHECK-NEXT: memref.dealloc %{{.*}} : memref<4xf32>
// CHECK-NEXT: memref.dealloc %{{.*}} : memref<8xf32>
func.func @blocks(%out: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %v = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c8) {
    %a = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
    scf.for %j = %c0 to %c8 step %c1 {
      %b = memref.alloc() : memref<4xf32>
      memref.store %v, %b[%c0] : memref<4xf32>
      memref.store %v, %a[%j] : memref<8xf32>
      memref.dealloc %b : memref<4xf32>
    }
    memref.dealloc %a : memref<8xf32>
    scf.reduce
  }
  return
}

// Left in place: a buffer of a dynamic size, one freed outside the iteration
// (here: not at all), one freed under a condition.
// CHECK-LABEL: func.func @kept
// CHECK: scf.for
// CHECK-NEXT: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK-NEXT: memref.alloc() : memref<4xf32>
// CHECK-NEXT: memref.alloc() : memref<2xf32>
func.func @kept(%n: index, %c: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %j = %c0 to %c8 step %c1 {
    %d = memref.alloc(%n) : memref<?xf32>
    %e = memref.alloc() : memref<4xf32>
    %f = memref.alloc() : memref<2xf32>
    memref.dealloc %d : memref<?xf32>
    scf.if %c {
      memref.dealloc %f : memref<2xf32>
    }
  }
  return
}
