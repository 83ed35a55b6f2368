// RUN: hlox-opt %s --hlox-cuda-register-tiles | FileCheck %s

// An 8x16 = 8x12 @ 12x16 matmul: one iteration per 4x4 result tile (2 x 4 tiles),
// 16 sums carried through the k loop, 4 loads of each operand and 16
// multiply-adds per k, then each sum added to the result's initial value.

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

// CHECK-LABEL: func.func @matmul
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%c2, %c4)
// CHECK: scf.for %{{.*}} = %{{.*}} to %c12 step %{{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)
// CHECK-COUNT-4: memref.load %{{.*}} : memref<8x12xf32>
// CHECK-COUNT-4: memref.load %{{.*}} : memref<12x16xf32>
// CHECK-COUNT-16: arith.mulf
// CHECK: scf.yield
// CHECK-COUNT-16: memref.store
// CHECK-NOT: linalg.generic
func.func @matmul(%x: memref<8x12xf32>, %y: memref<12x16xf32>, %z: memref<8x16xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %y : memref<8x12xf32>, memref<12x16xf32>) outs(%z : memref<8x16xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}

// A dimension that 4 does not divide: left to the generic path.
// CHECK-LABEL: func.func @odd
// CHECK: linalg.generic
func.func @odd(%x: memref<6x5xf32>, %y: memref<5x7xf32>, %z: memref<6x7xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %y : memref<6x5xf32>, memref<5x7xf32>) outs(%z : memref<6x7xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}
