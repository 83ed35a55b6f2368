// RUN: hlox-opt %s --hlox-cpu-outline-loops | FileCheck %s
// RUN: hlox-opt %s --hlox-cpu-outline-loops | FileCheck %s --check-prefix=COUNT

// Equal loop nests (here: the same loop on two pairs of buffers, and the same
// large parallel loop twice) are outlined once and called twice; a loop that
// differs in a constant gets a function of its own.
// CHECK-LABEL: func.func @equal_loops
// CHECK: call @[[SERIAL:__hlox_loop_[0-9]+]](%arg0, %arg1)
// CHECK: call @[[SERIAL]](%arg1, %arg2)
// CHECK: call @[[OTHER:__hlox_loop_[0-9]+]](%arg0, %arg1)
// CHECK: call @[[PAR:__hlox_parallel_[0-9]+]](%c0{{.*}}, %c1024{{.*}}, %arg3)
// CHECK: call @[[PAR]](%c0{{.*}}, %c1024{{.*}}, %arg4)
// CHECK: return
// CHECK-DAG: func.func private @[[SERIAL]](
// CHECK-DAG: func.func private @[[OTHER]](
// CHECK-DAG: func.func private @[[PAR]](

// COUNT-COUNT-3: func.func private
// COUNT-NOT: func.func private
func.func @equal_loops(%a: memref<64xf32>, %b: memref<64xf32>, %c: memref<64xf32>,
                       %big0: memref<1024x1024xf32>, %big1: memref<1024x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %two = arith.constant 2.0 : f32
  %three = arith.constant 3.0 : f32
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %a[%i] : memref<64xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %b[%i] : memref<64xf32>
  }
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %b[%i] : memref<64xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %c[%i] : memref<64xf32>
  }
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %a[%i] : memref<64xf32>
    %w = arith.mulf %v, %three : f32
    memref.store %w, %b[%i] : memref<64xf32>
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1024, %c1024) step (%c1, %c1) {
    memref.store %two, %big0[%i, %j] : memref<1024x1024xf32>
    scf.reduce
  }
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1024, %c1024) step (%c1, %c1) {
    memref.store %two, %big1[%i, %j] : memref<1024x1024xf32>
    scf.reduce
  }
  return
}
