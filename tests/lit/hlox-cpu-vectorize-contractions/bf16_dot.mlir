// RUN: hlox-opt %s --hlox-cpu-vectorize-contractions --canonicalize | FileCheck %s

// With AVX512-BF16 (pinned here by hlox.cpu_bf16_kernel = "dot", whatever the host), a
// contraction of two bf16 factors accumulated in f32 stays bf16 when packed:
// A as rows with K padded to whole pairs (99 -> 100), B in 32-wide column
// panels rearranged into the VNNI layout [panels, K/2, 32 x 2] (each
// column's (k, k + 1) pair adjacent); each 8 x 32 register tile is 16
// x86vector.avx512.dot per K pair (A's pair broadcast as one 32-bit word), C
// held in registers across the K loop.

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

module attributes {hlox.cpu_vector_bits = 512 : i64, hlox.cpu_bf16_kernel = "dot"} {

// CHECK-LABEL: func.func @odd_k
// CHECK-NOT: arith.extf
// CHECK: tensor.insert_slice {{.*}} : tensor<1x64x99xbf16> into tensor<1x64x100xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<99x64xbf16>) outs({{.*}} : tensor<2x99x32xbf16>)
// CHECK: tensor.insert_slice {{.*}} : tensor<1x2x99x32xbf16> into tensor<1x2x100x32xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x2x50x2x32xbf16>) outs({{.*}} : tensor<1x2x50x32x2xbf16>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<1x2x50x64xbf16>
// CHECK: scf.forall ({{.*}}) in (2)
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK: vector.transfer_read {{.*}} : tensor<8x1x2xbf16>, vector<2xbf16>
// CHECK: vector.bitcast {{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: vector.broadcast {{.*}} : vector<1xi32> to vector<16xi32>
// CHECK: vector.bitcast {{.*}} : vector<16xi32> to vector<32xbf16>
// CHECK: vector.transfer_read {{.*}} : tensor<1x64xbf16>, vector<32xbf16>
// CHECK-COUNT-16: x86vector.avx512.dot {{.*}} : vector<32xbf16> -> vector<16xf32>
// CHECK-NOT: x86vector.avx512.dot
// CHECK: scf.yield {{.*}} : vector<8x32xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @odd_k(%A: tensor<64x99xbf16>, %B: tensor<99x64xbf16>, %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x99xbf16>, tensor<99x64xbf16>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: bf16, %y: bf16, %z: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %m = arith.mulf %xf, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// N of 16 columns: one panel of one dot output per row.
// CHECK-LABEL: func.func @narrow_n
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x16xf32>)
// CHECK-COUNT-8: x86vector.avx512.dot
// CHECK-NOT: x86vector.avx512.dot
// CHECK: return
func.func @narrow_n(%A: tensor<64x128xbf16>, %B: tensor<128x16xbf16>, %C: tensor<64x16xf32>) -> tensor<64x16xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xbf16>, tensor<128x16xbf16>) outs(%C : tensor<64x16xf32>) {
  ^bb0(%x: bf16, %y: bf16, %z: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %m = arith.mulf %xf, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x16xf32>
  return %r : tensor<64x16xf32>
}

// A factor computed in f32 (not a widened bf16 value) and f16 operands
// (AVX512-FP16 has no f32-accumulating dot) keep the f32 FMA kernel.
// CHECK-LABEL: func.func @f32_factor
// CHECK-NOT: x86vector
// CHECK: vector.fma
// CHECK: return
func.func @f32_factor(%A: tensor<64x128xbf16>, %B: tensor<128x64xbf16>, %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xbf16>, tensor<128x64xbf16>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: bf16, %y: bf16, %z: f32):
    %xf = arith.extf %x : bf16 to f32
    %e = math.exp %xf : f32
    %yf = arith.extf %y : bf16 to f32
    %m = arith.mulf %e, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// CHECK-LABEL: func.func @f16_operands
// CHECK-NOT: x86vector
// CHECK: arith.extf {{.*}} : f16 to f32
// CHECK: vector.fma
// CHECK: return
func.func @f16_operands(%A: tensor<64x128xf16>, %B: tensor<128x64xf16>, %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xf16>, tensor<128x64xf16>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: f16, %y: f16, %z: f32):
    %xf = arith.extf %x : f16 to f32
    %yf = arith.extf %y : f16 to f32
    %m = arith.mulf %xf, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

}
