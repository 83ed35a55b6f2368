// RUN: hlox-opt %s --hlox-cpu-outline-loops | FileCheck %s
// RUN: hlox-opt %s --hlox-cpu-outline-loops="min-outline-ops=0" | FileCheck %s --check-prefix=NOSERIAL

// A large scf.parallel becomes a kernel over [begin, end) of its first
// dimension, called on all of it (constants cloned in, other values passed);
// small ones and ones with reductions stay; serial loop nests become
// functions of their own, loops carrying values are looked into.

// CHECK-LABEL: func.func @large_parallel
// CHECK-SAME: (%[[X:.*]]: memref<1024x1024xf32>, %[[Y:.*]]: memref<1024x1024xf32>, %[[S:.*]]: f32)
// CHECK: call @[[KERNEL:__hlox_parallel_[0-9]+]](%c0_{{[0-9]+}}, %c1024_{{[0-9]+}}, %[[X]], %[[S]], %[[Y]])
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @large_parallel(%x: memref<1024x1024xf32>, %y: memref<1024x1024xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1024, %c1024) step (%c1, %c1) {
    %v = memref.load %x[%i, %j] : memref<1024x1024xf32>
    %w = arith.mulf %v, %s : f32
    memref.store %w, %y[%i, %j] : memref<1024x1024xf32>
    scf.reduce
  }
  return
}
// CHECK: func.func private @[[KERNEL]](%[[BEGIN:.*]]: index, %[[END:.*]]: index, %{{.*}}: memref<1024x1024xf32>, %{{.*}}: f32, %{{.*}}: memref<1024x1024xf32>)
// CHECK-SAME: hlox.parallel_min_chunk = 4 : i64
// CHECK-DAG: %[[C1024:.*]] = arith.constant 1024 : index
// CHECK: %[[LO:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: %[[HI_UNCLAMPED:.*]] = arith.addi
// CHECK: %[[HI:.*]] = arith.minsi %[[HI_UNCLAMPED]], %[[C1024]]
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%[[LO]], %{{.*}}) to (%[[HI]], %[[C1024]])

// A small parallel loop is an ordinary (serial) function; one computing a
// value stays in place.
// CHECK-LABEL: func.func @small_and_reducing
// CHECK-NOT: call @__hlox_parallel
// CHECK: call @__hlox_loop_{{[0-9]+}}(%arg0)
// CHECK-NOT: call @__hlox_parallel
// CHECK: scf.parallel {{.*}} init
// CHECK: scf.reduce(
// CHECK-NOT: call @__hlox_parallel
// CHECK: return
func.func @small_and_reducing(%x: memref<64xf32>, %big: memref<1048576xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %cbig = arith.constant 1048576 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    memref.store %zero, %x[%i] : memref<64xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i) = (%c0) to (%cbig) step (%c1) init (%zero) -> f32 {
    %v = memref.load %big[%i] : memref<1048576xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %r = arith.addf %a, %b : f32
      scf.reduce.return %r : f32
    }
  }
  return %sum : f32
}

// A leading dimension that runs once is not the one split.
// CHECK-LABEL: func.func @unit_batch
// CHECK: call @[[UNIT:__hlox_parallel_[0-9]+]](%c0_{{[0-9]+}}, %c512_{{[0-9]+}}, %arg0)
// CHECK: func.func private @[[UNIT]](%[[B:.*]]: index, %[[E:.*]]: index, %{{.*}}: memref<1x512x512xf32>)
// CHECK: %[[LO:.*]] = arith.addi
// CHECK: %[[HI:.*]] = arith.minsi
// CHECK: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %[[LO]], %c0) to (%c1, %[[HI]], %c512)
func.func @unit_batch(%x: memref<1x512x512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%b, %i, %j) = (%c0, %c0, %c0) to (%c1, %c512, %c512) step (%c1, %c1, %c1) {
    memref.store %zero, %x[%b, %i, %j] : memref<1x512x512xf32>
    scf.reduce
  }
  return
}

// CHECK-LABEL: func.func @serial_nest
// CHECK-SAME: (%[[A:.*]]: memref<16x16xf32>, %[[B:.*]]: memref<16xf32>)
// CHECK: call @[[LOOP:__hlox_loop_[0-9]+]](%[[A]], %[[B]])
// CHECK-NEXT: return
// CHECK: func.func private @[[LOOP]](%{{.*}}: memref<16x16xf32>, %{{.*}}: memref<16xf32>) attributes {hlox.outlined}
// CHECK: scf.for
// CHECK: scf.for
// NOSERIAL-LABEL: func.func @serial_nest
// NOSERIAL: scf.for
// NOSERIAL-NOT: func.func private @__hlox_loop
func.func @serial_nest(%a: memref<16x16xf32>, %b: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %v = memref.load %a[%i, %j] : memref<16x16xf32>
      %acc = memref.load %b[%i] : memref<16xf32>
      %e = math.exp %v : f32
      %l = math.log %e : f32
      %t = math.tanh %l : f32
      %m = arith.mulf %t, %v : f32
      %n = arith.addf %m, %e : f32
      %o = arith.subf %n, %l : f32
      %o2 = arith.mulf %o, %o : f32
      %o3 = arith.mulf %o2, %o : f32
      %o4 = arith.mulf %o3, %o : f32
      %s = arith.addf %acc, %o4 : f32
      memref.store %s, %b[%i] : memref<16xf32>
    }
  }
  return
}

// A loop carrying a scalar (a while loop's counter) is outlined whole and
// returns it: its inner nest stays inside, not a call on every iteration.
// CHECK-LABEL: func.func @carried
// CHECK-NOT: scf.for
// CHECK: %[[R:.*]] = call @__hlox_loop_{{.*}} -> index
// CHECK-NEXT: return %[[R]] : index
// CHECK: func.func private @__hlox_loop_{{.*}} -> index
// CHECK: %[[OUT:.*]] = scf.for {{.*}} iter_args
// CHECK-NOT: call
// CHECK: scf.yield
// CHECK: return %[[OUT]] : index
func.func @carried(%a: memref<16x16xf32>, %n: index) -> index {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%count = %c0) -> index {
    scf.for %i = %c0 to %c16 step %c1 {
      scf.for %j = %c0 to %c16 step %c1 {
        %v = memref.load %a[%i, %j] : memref<16x16xf32>
        %e = math.exp %v : f32
        %l = math.log %e : f32
        %t = math.tanh %l : f32
        %m = arith.mulf %t, %v : f32
        %p = arith.addf %m, %e : f32
        %o = arith.subf %p, %l : f32
        %q = arith.mulf %o, %o : f32
        %q2 = arith.mulf %q, %o : f32
        %q3 = arith.mulf %q2, %o : f32
        %q4 = arith.mulf %q3, %o : f32
        memref.store %q4, %a[%i, %j] : memref<16x16xf32>
      }
    }
    %next = arith.addi %count, %c1 : index
    scf.yield %next : index
  }
  return %r : index
}

// A loop carrying a buffer stays; the nest inside it is outlined.
// CHECK-LABEL: func.func @carried_buffer
// CHECK: scf.for {{.*}} iter_args
// CHECK: call @__hlox_loop_
// CHECK: scf.yield
func.func @carried_buffer(%a: memref<16xf32>, %b: memref<16xf32>, %n: index) -> memref<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%buf = %a) -> memref<16xf32> {
    scf.for %i = %c0 to %c16 step %c1 {
      %v = memref.load %buf[%i] : memref<16xf32>
      %e = math.exp %v : f32
      memref.store %e, %b[%i] : memref<16xf32>
    }
    scf.yield %b : memref<16xf32>
  }
  return %r : memref<16xf32>
}
