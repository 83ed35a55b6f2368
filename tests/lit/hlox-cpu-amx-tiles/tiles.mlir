// RUN: hlox-opt %s --hlox-cpu-amx-tiles | FileCheck %s

// A bf16 AMX register tile (marked by hlox-cpu-vectorize-contractions, here
// after bufferization): C [32, 32] f32 += A [32, 32 pairs, 2] x B [32 pairs,
// 64] (VNNI) becomes its four 16 x 16 C tiles loaded once, per 16 pairs two
// A tiles (A's pairs seen as 64 bf16 columns), two B tiles and four
// tdpbf16ps (amx.tile_mulf), then the C tiles stored: straight-line code.

#a = affine_map<(m, r, k2, j) -> (m, k2, j)>
#b = affine_map<(m, r, k2, j) -> (k2, r * 2 + j)>
#c = affine_map<(m, r, k2, j) -> (m, r)>

// CHECK-LABEL: func.func @tile
// CHECK-NOT: linalg.generic
// CHECK: %[[A:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : memref<32x32x2xbf16, strided<[128, 2, 1], offset: ?>> into memref<32x64xbf16, strided<[128, 1], offset: ?>>
// CHECK-COUNT-4: amx.tile_load {{.*}} into !amx.tile<16x16xf32>
// CHECK-COUNT-2: amx.tile_load %[[A]]{{.*}} into !amx.tile<16x32xbf16>
// CHECK-COUNT-2: amx.tile_load %arg1{{.*}} into !amx.tile<16x32xbf16>
// CHECK-COUNT-4: amx.tile_mulf
// CHECK-COUNT-2: amx.tile_load %[[A]]{{.*}} into !amx.tile<16x32xbf16>
// CHECK-COUNT-2: amx.tile_load %arg1{{.*}} into !amx.tile<16x32xbf16>
// CHECK-COUNT-4: amx.tile_mulf
// CHECK-COUNT-4: amx.tile_store %arg2
// CHECK-NOT: amx.tile_
// CHECK: return
func.func @tile(%A: memref<32x32x2xbf16, strided<[128, 2, 1], offset: ?>>,
                %B: memref<32x64xbf16, strided<[64, 1], offset: ?>>,
                %C: memref<32x32xf32, strided<[64, 1], offset: ?>>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%A, %B : memref<32x32x2xbf16, strided<[128, 2, 1], offset: ?>>, memref<32x64xbf16, strided<[64, 1], offset: ?>>)
      outs(%C : memref<32x32xf32, strided<[64, 1], offset: ?>>) attrs = {hlox.bf16_amx_tile} {
  ^bb0(%x: bf16, %y: bf16, %z: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %m = arith.mulf %xf, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}

// Not whole tiles (24 rows): left to the loops that lower the generic.
// CHECK-LABEL: func.func @partial
// CHECK-NOT: amx.tile_
// CHECK: linalg.generic
func.func @partial(%A: memref<24x32x2xbf16>, %B: memref<32x64xbf16>, %C: memref<24x32xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%A, %B : memref<24x32x2xbf16>, memref<32x64xbf16>) outs(%C : memref<24x32xf32>)
      attrs = {hlox.bf16_amx_tile} {
  ^bb0(%x: bf16, %y: bf16, %z: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %m = arith.mulf %xf, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  }
  return
}
