// RUN: hlox-opt %s --hlox-cpu-vectorize-contractions --canonicalize | FileCheck %s

// With AVX2's 16 vector registers the register tile is 4 rows x 16 floats
// (8 ymm accumulators: B's row and A's broadcast fit beside them); the B
// panels are 16 wide. float64: 4 x 8.

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

// The register tiles of AVX2, whatever the host:
module attributes {hlox.cpu_vector_bits = 256 : i64} {

// CHECK-LABEL: func.func @packed_f32
// CHECK: scf.forall ({{.*}}) in (4)
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<1x128x16xf32>)
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4x16xf32>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: return
func.func @packed_f32(%A: tensor<64x128xf32>, %B: tensor<128x64xf32>, %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xf32>, tensor<128x64xf32>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// CHECK-LABEL: func.func @packed_f64
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4x8xf64>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<8xf64>
func.func @packed_f64(%A: tensor<64x128xf64>, %B: tensor<128x64xf64>, %C: tensor<64x64xf64>) -> tensor<64x64xf64> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xf64>, tensor<128x64xf64>) outs(%C : tensor<64x64xf64>) {
  ^bb0(%x: f64, %y: f64, %z: f64):
    %m = arith.mulf %x, %y : f64
    %s = arith.addf %z, %m : f64
    linalg.yield %s : f64
  } -> tensor<64x64xf64>
  return %r : tensor<64x64xf64>
}

// The unpacked path (8 rows: too few to pay for packing) tiles the same way.
// CHECK-LABEL: func.func @unpacked_f32
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<4x16xf32>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<16xf32>
func.func @unpacked_f32(%A: tensor<8x256xf32>, %B: tensor<256x64xf32>, %C: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<8x256xf32>, tensor<256x64xf32>) outs(%C : tensor<8x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}
}
