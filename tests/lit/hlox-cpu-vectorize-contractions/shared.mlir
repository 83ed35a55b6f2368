// RUN: hlox-opt %s --hlox-cpu-vectorize-contractions --canonicalize | FileCheck %s

// Contractions of the same shape share one transform script (one tag, one
// application, a transform.foreach over them): each one is still tiled and
// vectorized, also when several are in one function, chained (the second
// reads the first's result) or in different functions, and next to a
// contraction of another shape.

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

module attributes {hlox.cpu_vector_bits = 512 : i64} {

// Small (plain path): three of one shape, one of another.
// CHECK-LABEL: func.func @plain
// CHECK-NOT: linalg.generic
// CHECK-COUNT-3: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<5x24xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @plain(%A: tensor<16x32xf32>, %B: tensor<32x32xf32>, %C: tensor<16x32xf32>,
                 %D: tensor<5x7xf32>, %E: tensor<7x24xf32>, %F: tensor<5x24xf32>)
    -> (tensor<16x32xf32>, tensor<16x32xf32>, tensor<5x24xf32>) {
  %r1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x32xf32>, tensor<32x32xf32>) outs(%C : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  %r2 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%r1, %B : tensor<16x32xf32>, tensor<32x32xf32>) outs(%C : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  %r3 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x32xf32>, tensor<32x32xf32>) outs(%r2 : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  %r4 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%D, %E : tensor<5x7xf32>, tensor<7x24xf32>) outs(%F : tensor<5x24xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<5x24xf32>
  return %r1, %r3, %r4 : tensor<16x32xf32>, tensor<16x32xf32>, tensor<5x24xf32>
}

// The same shape in another function.
// CHECK-LABEL: func.func @plain_elsewhere
// CHECK-NOT: linalg.generic
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @plain_elsewhere(%A: tensor<16x32xf32>, %B: tensor<32x32xf32>, %C: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x32xf32>, tensor<32x32xf32>) outs(%C : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}

// Large (packed path): two chained of one shape, each its own forall of
// register tiles held across K.
// CHECK-LABEL: func.func @packed
// CHECK-NOT: "reduction"
// CHECK: scf.forall
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK: scf.forall
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK-NOT: "reduction"
// CHECK: return
func.func @packed(%A: tensor<64x128xf32>, %B: tensor<128x64xf32>, %B2: tensor<64x64xf32>,
                  %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xf32>, tensor<128x64xf32>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  %r2 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%r1, %B2 : tensor<64x64xf32>, tensor<64x64xf32>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r2 : tensor<64x64xf32>
}

}
