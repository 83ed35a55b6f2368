// RUN: hlox-opt %s --hlox-cpu-vectorize-contractions --canonicalize | FileCheck %s

// The AMX kernel (pinned by hlox.cpu_bf16_kernel = "amx", whatever the
// host) packs like the vdpbf16ps one (bf16_dot.mlir) with K padded to whole
// tile rows of 32 (99 -> 128); its register tiles are 32 rows x one
// 32-column panel x the whole K block, left marked for hlox-cpu-amx-tiles
// (which writes them as AMX tiles after bufferization).

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

module attributes {hlox.cpu_vector_bits = 512 : i64, hlox.cpu_bf16_kernel = "amx"} {

// CHECK-LABEL: func.func @odd_k
// CHECK: tensor.insert_slice {{.*}} : tensor<1x64x99xbf16> into tensor<1x64x128xbf16>
// CHECK: tensor.insert_slice {{.*}} : tensor<1x2x99x32xbf16> into tensor<1x2x128x32xbf16>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x2x64x2x32xbf16>) outs({{.*}} : tensor<1x2x64x32x2xbf16>)
// CHECK: scf.forall ({{.*}}) in (2)
// CHECK: scf.for {{.*}} step %c32
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<32x64x2xbf16>, tensor<64x64xbf16>) outs({{.*}} : tensor<32x32xf32>) attrs = {hlox.bf16_amx_tile}
// CHECK-NOT: vector.
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

}
