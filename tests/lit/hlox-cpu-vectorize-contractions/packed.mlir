// RUN: hlox-opt %s --hlox-cpu-vectorize-contractions --canonicalize | FileCheck %s

// Contractions large enough to pay for packing, of any layout, batch and
// element type, become one canonical kernel: A as [batch, M, K] rows (its
// prologue evaluated once per element, bf16 widened to f32), B in column
// panels [batch, N/32, K, 32] (read straight into them), C [batch, M, N/32,
// 32] accumulated in f32; an scf.forall over (batch, row blocks, groups of
// panels: contraction_blocks) of 8 x 32 register tiles held in vector
// registers across K. Sizes that are not multiples are
// zero-padded and the result sliced.

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>
#bt = affine_map<(i, j, k) -> (j, k)>
#q = affine_map<(b, h, q, k, d) -> (b, q, h, d)>
#k = affine_map<(b, h, q, k, d) -> (b, k, h, d)>
#s = affine_map<(b, h, q, k, d) -> (b, h, q, k)>
#x = affine_map<(n, h, w, f, kh, kw, c) -> (n, h + kh, w + kw, c)>
#w = affine_map<(n, h, w, f, kh, kw, c) -> (kh, kw, c, f)>
#o = affine_map<(n, h, w, f, kh, kw, c) -> (n, h, w, f)>
#xs = affine_map<(n, h, w, f, kh, kw, c) -> (n, h * 2 + kh, w * 2 + kw, c)>

// The register tiles of AVX-512 (8 x 32 float32), whatever the host, and
// bf16 widened to f32 (the dot-product kernels: bf16_dot.mlir):
module attributes {hlox.cpu_vector_bits = 512 : i64, hlox.cpu_bf16_kernel = "fma"} {

// CHECK-LABEL: func.func @bf16_operands
// CHECK-NOT: "reduction"
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: scf.forall ({{.*}}) in (2)
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<128x32xbf16>) outs({{.*}} : tensor<1x128x32xf32>)
// CHECK: arith.extf {{.*}} : bf16 to f32
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x64x2x32xf32> into tensor<64x64xf32>
func.func @bf16_operands(%A: tensor<64x128xbf16>, %B: tensor<128x64xbf16>, %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xbf16>, tensor<128x64xbf16>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: bf16, %y: bf16, %z: f32):
    %xf = arith.extf %x : bf16 to f32
    %yf = arith.extf %y : bf16 to f32
    %m = arith.mulf %xf, %yf : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// A row-major f32 A with whole register tiles of rows is read where it is
// (its packing copy, an identity generic, folds away); only B is packed, by
// each task into its own panel (one row block: no task shares a panel).
// CHECK-LABEL: func.func @row_major_a_in_place
// CHECK-SAME: (%[[A:.*]]: tensor<64x128xf32>, %[[B:.*]]: tensor<128x64xf32>
// CHECK-NOT: "reduction"
// CHECK: scf.forall ({{.*}}) in (2)
// CHECK: %[[AV:.*]] = tensor.expand_shape %[[A]] {{\[}}[0, 1], [2]] output_shape [1, 64, 128]
// CHECK: %[[BS:.*]] = tensor.extract_slice %[[B]]{{.*}} to tensor<128x32xf32>
// CHECK-NOT: ins(%[[A]]
// CHECK: linalg.generic {{.*}} ins(%[[BS]] : tensor<128x32xf32>) outs({{.*}} : tensor<1x128x32xf32>)
// CHECK-NOT: ins(%[[A]]
// CHECK: tensor.extract_slice %[[AV]]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
func.func @row_major_a_in_place(%A: tensor<64x128xf32>, %B: tensor<128x64xf32>, %C: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<64x128xf32>, tensor<128x64xf32>) outs(%C : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// B^T is transposed while packing; 37 rows pad to 40, 53 columns to 64. The
// zeros C' starts from are filled by each task, on its own block.
// CHECK-LABEL: func.func @transposed_b_odd_sizes
// CHECK-NOT: "reduction"
// CHECK: tensor.insert_slice {{.*}} into tensor<1x40x64xf32>
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<53x64xf32>) outs({{.*}} : tensor<64x53xf32>)
// CHECK: tensor.insert_slice {{.*}} into tensor<1x64x64xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.forall ({{.*}}) in (2)
// CHECK: linalg.fill {{.*}} -> tensor<1x40x1x32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK: tensor.extract_slice {{.*}}[0, 0, 0] [1, 37, 53] [1, 1, 1]
func.func @transposed_b_odd_sizes(%A: tensor<37x64xf32>, %B: tensor<53x64xf32>) -> tensor<37x53xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<37x53xf32>
  %C = linalg.fill ins(%zero : f32) outs(%e : tensor<37x53xf32>) -> tensor<37x53xf32>
  %r = linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<37x64xf32>, tensor<53x64xf32>) outs(%C : tensor<37x53xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<37x53xf32>
  return %r : tensor<37x53xf32>
}

// Batch dims (b, h) in the middle of the operands' layouts: one batch of 8,
// a task per batch (the pool splits the batch).
// CHECK-LABEL: func.func @attention_scores
// CHECK-NOT: "reduction"
// CHECK: tensor.collapse_shape {{.*}} into tensor<8x64x16xf32>
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<2x64x4x16xf32>) outs({{.*}} : tensor<2x4x2x16x32xf32>)
// CHECK: scf.forall ({{.*}}) in (8) {{.*}}tensor<8x64x2x32xf32>
// CHECK: scf.for {{.*}} to %c2 step %c1
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK: tensor.expand_shape {{.*}} output_shape [2, 4, 64, 64]
func.func @attention_scores(%Q: tensor<2x64x4x16xf32>, %K: tensor<2x64x4x16xf32>, %S: tensor<2x4x64x64xf32>) -> tensor<2x4x64x64xf32> {
  %r = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%Q, %K : tensor<2x64x4x16xf32>, tensor<2x64x4x16xf32>) outs(%S : tensor<2x4x64x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4x64x64xf32>
  return %r : tensor<2x4x64x64xf32>
}

// A stride-1 convolution whose input is read as is, channels innermost, is
// an implicit GEMM: no copy of the input; the filter in column panels
// [F/32, KH, KW, C, 32]; one task per (n, h, panel) with the window offsets
// (kh, kw) as loops around a (w x 32) block of 8-row register tiles.
// CHECK-LABEL: func.func @convolution
// CHECK-NOT: "reduction"
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<3x3x16x64xf32>) outs({{.*}} : tensor<2x3x3x16x32xf32>)
// CHECK: scf.forall ({{.*}}) in (2, 8, 2)
// CHECK-NOT: linalg.generic
// CHECK: scf.for {{.*}} to %c3
// CHECK: scf.for {{.*}} to %c3
// CHECK: scf.for {{.*}} to %c16 {{.*}} -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: tensor.collapse_shape {{.*}} : tensor<2x8x8x2x32xf32> into tensor<2x8x8x64xf32>
func.func @convolution(%X: tensor<2x10x10x16xf32>, %W: tensor<3x3x16x64xf32>, %O: tensor<2x8x8x64xf32>) -> tensor<2x8x8x64xf32> {
  %r = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%X, %W : tensor<2x10x10x16xf32>, tensor<3x3x16x64xf32>) outs(%O : tensor<2x8x8x64xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x8x8x64xf32>
  return %r : tensor<2x8x8x64xf32>
}

// Strided (or dilated, or channels-first) convolutions are im2col GEMMs:
// the input's windows packed as [N*H*W, KH*KW*C] rows (K in the input's
// layout order: windows, then the contiguous channels), the filter as
// [KH*KW*C, F]. (One task: the forall is folded away.)
// CHECK-LABEL: func.func @strided_convolution
// CHECK-NOT: "reduction"
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<2x9x9x16xf32>) outs({{.*}} : tensor<2x4x4x3x3x16xf32>)
// CHECK: tensor.collapse_shape {{.*}} into tensor<32x144xf32>
// CHECK: scf.for {{.*}} to %c144 {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK: tensor.expand_shape {{.*}} output_shape [2, 4, 4, 32]
func.func @strided_convolution(%X: tensor<2x9x9x16xf32>, %W: tensor<3x3x16x32xf32>, %O: tensor<2x4x4x32xf32>) -> tensor<2x4x4x32xf32> {
  %r = linalg.generic {indexing_maps = [#xs, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%X, %W : tensor<2x9x9x16xf32>, tensor<3x3x16x32xf32>) outs(%O : tensor<2x4x4x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4x4x32xf32>
  return %r : tensor<2x4x4x32xf32>
}

// Blocks of C rows as large as keep the A block (rows x K) within 1 MiB, with
// 8 tasks or more: 1024 x 1024 in 8 blocks of 128 rows (each reading B once,
// all of it packed once before them).
// CHECK-LABEL: func.func @row_blocks
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<32x1024x32xf32>)
// CHECK: scf.forall ({{.*}}) in (8) {{.*}}tensor<1x1024x32x32xf32>
// CHECK: tensor.extract_slice {{.*}} [1, 128, 32, 32]
// CHECK-NOT: scf.forall
// CHECK: scf.for {{.*}} to %c32 step %c1
// CHECK: scf.for {{.*}} to %c1024 step %c256
// CHECK: scf.for {{.*}} to %c128 step %c8
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
func.func @row_blocks(%A: tensor<1024x1024xf32>, %B: tensor<1024x1024xf32>, %C: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<1024x1024xf32>, tensor<1024x1024xf32>) outs(%C : tensor<1024x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// Too few rows for 8 row blocks (an MLP's batch of 256): one block of all
// rows, and 8 tasks of 2 of the 16 panels each (B read once in all), each
// packing its own 2 panels.
// CHECK-LABEL: func.func @panel_groups
// CHECK-NOT: linalg.generic
// CHECK: scf.forall ({{.*}}) in (8) {{.*}}tensor<1x256x16x32xf32>
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<256x64xf32>) outs({{.*}} : tensor<2x256x32xf32>)
// CHECK: tensor.extract_slice {{.*}} [1, 256, 2, 32]
// CHECK: scf.for {{.*}} to %c2 step %c1
// CHECK: scf.for {{.*}} to %c256 step %c8
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
func.func @panel_groups(%A: tensor<256x256xf32>, %B: tensor<256x512xf32>, %C: tensor<256x512xf32>) -> tensor<256x512xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<256x256xf32>, tensor<256x512xf32>) outs(%C : tensor<256x512xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<256x512xf32>
  return %r : tensor<256x512xf32>
}

// Too few rows for 8 row blocks and a K too long for all of A in L2 (4 MiB):
// one block of all rows, 8 tasks of 4 panels, K blocks outside the panels
// (A's 256-row K block reused across them).
// CHECK-LABEL: func.func @panel_groups_in_k_blocks
// CHECK: scf.forall ({{.*}}) in (8) {{.*}}tensor<1x256x32x32xf32>
// CHECK: scf.for {{.*}} to %c4096 step %c256
// CHECK: scf.for {{.*}} to %c4 step %c1
// CHECK: scf.for {{.*}} to %c256 step %c8
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
func.func @panel_groups_in_k_blocks(%A: tensor<256x4096xf32>, %B: tensor<4096x1024xf32>, %C: tensor<256x1024xf32>) -> tensor<256x1024xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<256x4096xf32>, tensor<4096x1024xf32>) outs(%C : tensor<256x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<256x1024xf32>
  return %r : tensor<256x1024xf32>
}
}
