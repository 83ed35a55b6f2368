// RUN: hlox-opt %s --hlox-cpu-tile-transposes | FileCheck %s

// A copy reading its input across the input's contiguous dim is tiled into
// 16 x 16 blocks of float32 (a cache line each way); every other dim by 1.

#id2 = affine_map<(i, j) -> (i, j)>
#tr2 = affine_map<(i, j) -> (j, i)>

// CHECK-LABEL: func.func @transpose
// CHECK: scf.forall ({{.*}}) in (16, 32)
// CHECK: linalg.generic
// CHECK-SAME: ins({{.*}} : tensor<16x16xf32>) outs({{.*}} : tensor<16x16xf32>)
// CHECK-NOT: hlox.tile_transpose
func.func @transpose(%x: tensor<512x256xf32>) -> tensor<256x512xf32> {
  %e = tensor.empty() : tensor<256x512xf32>
  %r = linalg.generic {indexing_maps = [#tr2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<512x256xf32>) outs(%e : tensor<256x512xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<256x512xf32>
  return %r : tensor<256x512xf32>
}

// An im2col copy (a convolution's filter gradient packing its input): the
// channels (the input's contiguous dim) and x (the output's) are tiled.
#im2col_in = affine_map<(kh, kw, c, n, y, x) -> (n, y + kh, x + kw, c)>
#im2col_out = affine_map<(kh, kw, c, n, y, x) -> (kh, kw, c, n, y, x)>

// CHECK-LABEL: func.func @im2col
// CHECK: scf.forall ({{.*}}) in (3, 3, 2, 4, 32, 2)
// CHECK: tensor<1x1x16x1x1x16xf32>
func.func @im2col(%x: tensor<4x34x34x32xf32>) -> tensor<3x3x32x4x32x32xf32> {
  %e = tensor.empty() : tensor<3x3x32x4x32x32xf32>
  %r = linalg.generic {indexing_maps = [#im2col_in, #im2col_out],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<4x34x34x32xf32>) outs(%e : tensor<3x3x32x4x32x32xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<3x3x32x4x32x32xf32>
  return %r : tensor<3x3x32x4x32x32xf32>
}

// Left alone: a copy along the contiguous dims, a broadcast of a column
// (the input does not read the output's contiguous dim), a small transpose
// (it stays in L1), and a dim without a divisor of at least 8.
#col = affine_map<(i, j) -> (i)>

// CHECK-LABEL: func.func @untouched
// CHECK-NOT: scf.forall
// CHECK: return
func.func @untouched(%x: tensor<512x256xf32>, %v: tensor<512xf32>, %s: tensor<64x64xf32>,
                     %p: tensor<512x254xf32>)
    -> (tensor<512x256xf32>, tensor<512x256xf32>, tensor<64x64xf32>, tensor<254x512xf32>) {
  %e = tensor.empty() : tensor<512x256xf32>
  %copy = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<512x256xf32>) outs(%e : tensor<512x256xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<512x256xf32>
  %bcast = linalg.generic {indexing_maps = [#col, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%v : tensor<512xf32>) outs(%e : tensor<512x256xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<512x256xf32>
  %es = tensor.empty() : tensor<64x64xf32>
  %small = linalg.generic {indexing_maps = [#tr2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<64x64xf32>) outs(%es : tensor<64x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<64x64xf32>
  %ep = tensor.empty() : tensor<254x512xf32>
  %prime = linalg.generic {indexing_maps = [#tr2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%p : tensor<512x254xf32>) outs(%ep : tensor<254x512xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<254x512xf32>
  return %copy, %bcast, %small, %prime : tensor<512x256xf32>, tensor<512x256xf32>, tensor<64x64xf32>, tensor<254x512xf32>
}
