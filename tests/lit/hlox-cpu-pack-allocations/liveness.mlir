// RUN: hlox-opt %s --split-input-file --hlox-cpu-pack-allocations | FileCheck %s

// Three temporaries of 4 KiB: %a is dead once %b is written, so %c reuses
// its bytes; %b is live across both and gets its own. One arena of 8 KiB,
// freed once at the end.

// CHECK: module attributes {hlox.dynamic_temps = 0 : i64, hlox.temp_bytes = 8192 : i64}
// CHECK-LABEL: func.func @chain
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8192xi8>
// CHECK: %c0 = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%c0][] : memref<8192xi8> to memref<1024xf32>
// CHECK: %c4096 = arith.constant 4096 : index
// CHECK: memref.view %[[ARENA]][%c4096][] : memref<8192xi8> to memref<1024xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[C0]]][] : memref<8192xi8> to memref<1024xf32>
// CHECK-NOT: memref.alloc
// CHECK: memref.dealloc %[[ARENA]]
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @chain(%x: memref<1024xf32>, %out: memref<1024xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  memref.copy %x, %a : memref<1024xf32> to memref<1024xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  memref.copy %a, %b : memref<1024xf32> to memref<1024xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<1024xf32>
  memref.copy %b, %c : memref<1024xf32> to memref<1024xf32>
  memref.copy %b, %out : memref<1024xf32> to memref<1024xf32>
  memref.copy %c, %out : memref<1024xf32> to memref<1024xf32>
  memref.dealloc %a : memref<1024xf32>
  memref.dealloc %b : memref<1024xf32>
  memref.dealloc %c : memref<1024xf32>
  return
}

// -----

// A use through a view, and one inside a loop, keep the buffer alive until
// that top-level op: %a (used by the loop) and %b overlap and must not share.

// CHECK: module attributes {hlox.dynamic_temps = 0 : i64, hlox.temp_bytes = 8192 : i64}
// CHECK-LABEL: func.func @uses_in_views_and_loops
// CHECK-DAG: memref.view %{{.*}}[%c0{{.*}}][] : memref<8192xi8> to memref<1024xf32>
// CHECK-DAG: memref.view %{{.*}}[%c4096{{.*}}][] : memref<8192xi8> to memref<1024xf32>
func.func @uses_in_views_and_loops(%x: memref<1024xf32>, %out: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  %a = memref.alloc() : memref<1024xf32>
  %b = memref.alloc() : memref<1024xf32>
  %a2 = memref.expand_shape %a [[0, 1]] output_shape [32, 32] : memref<1024xf32> into memref<32x32xf32>
  memref.copy %x, %b : memref<1024xf32> to memref<1024xf32>
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %b[%i] : memref<1024xf32>
    memref.store %v, %a[%i] : memref<1024xf32>
  }
  %a3 = memref.collapse_shape %a2 [[0, 1]] : memref<32x32xf32> into memref<1024xf32>
  memref.copy %a3, %out : memref<1024xf32> to memref<1024xf32>
  memref.dealloc %a : memref<1024xf32>
  memref.dealloc %b : memref<1024xf32>
  return
}

// -----

// Left alone: a returned buffer, one passed into a loop's iteration
// arguments, an i1 buffer (widened to bytes later), a dynamic shape. With
// fewer than two packable buffers nothing changes. Its temporaries: 64 + 64
// + 16 static bytes and one of unknown size.

// CHECK: module attributes {hlox.dynamic_temps = 1 : i64, hlox.temp_bytes = 144 : i64}
// CHECK-LABEL: func.func @escaping
// CHECK-NOT: memref.view
// CHECK: memref.alloc() : memref<16xf32>
// CHECK: memref.alloc() : memref<16xf32>
// CHECK: memref.alloc() : memref<16xi1>
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
func.func @escaping(%n: index) -> memref<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = memref.alloc() : memref<16xf32>
  %l = memref.alloc() : memref<16xf32>
  %loop = scf.for %i = %c0 to %c1 step %c1 iter_args(%it = %l) -> (memref<16xf32>) {
    scf.yield %it : memref<16xf32>
  }
  %m = memref.alloc() : memref<16xi1>
  %d = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %l : memref<16xf32>
  memref.dealloc %m : memref<16xi1>
  memref.dealloc %d : memref<?xf32>
  return %r : memref<16xf32>
}
