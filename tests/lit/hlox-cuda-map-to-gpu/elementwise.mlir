// RUN: hlox-opt %s --hlox-cuda-map-to-gpu | FileCheck %s

// A 2-d parallel loop becomes blocks x threads over its row-major linear
// index (consecutive threads: consecutive elements of the last dimension),
// 256 threads a block, 4 blocks for 1000 elements, with a bounds check
// (1000 is not a multiple of 256).

// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[TOTAL:.*]] = arith.constant 1000 : index
// CHECK-DAG: %[[BLOCKS:.*]] = arith.constant 4 : index
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[BLOCKS]])
// CHECK: %[[THREADS:.*]] = arith.constant 256 : index
// CHECK: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[THREADS]])
// CHECK: %[[SCALED:.*]] = arith.muli %[[B]], %{{.*}}
// CHECK: %[[LINEAR:.*]] = arith.addi %[[SCALED]], %[[T]]
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[LINEAR]], %[[TOTAL]]
// CHECK: scf.if %[[IN]]
// CHECK: %[[J:.*]] = arith.remui %[[LINEAR]], %{{.*}}
// CHECK: %[[I:.*]] = arith.divui %[[LINEAR]], %{{.*}}
// CHECK: memref.load %{{.*}}[%[[I]], %[[J]]]
// CHECK: processor = thread_x
// CHECK: processor = block_x
func.func @main(%a: memref<10x100xf32>, %b: memref<10x100xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c100 = arith.constant 100 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c10, %c100) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<10x100xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %b[%i, %j] : memref<10x100xf32>
    scf.reduce
  }
  return
}

// A count that is a multiple of the block: no bounds check.
// CHECK-LABEL: func.func @exact
// CHECK-NOT: scf.if
// CHECK: return
func.func @exact(%a: memref<512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  scf.parallel (%i) = (%c0) to (%c512) step (%c1) {
    %x = memref.load %a[%i] : memref<512xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %a[%i] : memref<512xf32>
    scf.reduce
  }
  return
}
