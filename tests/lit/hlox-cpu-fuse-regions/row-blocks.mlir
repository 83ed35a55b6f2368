// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg --linalg-generalize-named-ops --hlox-cpu-fuse-regions | FileCheck %s
// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg --linalg-generalize-named-ops --hlox-cpu-fuse-regions=row-block-bytes=4096 | FileCheck %s --check-prefix=SMALL

// Softmax: the division is tiled over blocks of 32 rows (32 x 256 float32,
// row-block-bytes' default 32 KiB) and the max, the exp and the sum are
// computed per block inside that loop; nothing is left outside it. With 4 KiB
// blocks, 4 rows.
// SMALL-LABEL: func.func @softmax
// SMALL: scf.forall (%{{.*}}) = (0) to (64) step (4)
// CHECK-LABEL: func.func @softmax
// CHECK-NOT: linalg.generic
// CHECK: scf.forall (%[[I:.*]]) = (0) to (64) step (32) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<64x256xf32>)
// CHECK: tensor.extract_slice %arg0[%[[I]], 0] [32, 256] [1, 1]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf
// CHECK: tensor.extract_slice %[[OUT]][%[[I]], 0] [32, 256] [1, 1]
// CHECK: arith.divf
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[I]], 0] [32, 256] [1, 1]
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %m = stablehlo.reduce(%x init: %ninf) applies stablehlo.maximum across dimensions = [1] : (tensor<64x256xf32>, tensor<f32>) -> tensor<64xf32>
  %mb = stablehlo.broadcast_in_dim %m, dims = [0] : (tensor<64xf32>) -> tensor<64x256xf32>
  %d = stablehlo.subtract %x, %mb : tensor<64x256xf32>
  %e = stablehlo.exponential %d : tensor<64x256xf32>
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%e init: %z) applies stablehlo.add across dimensions = [1] : (tensor<64x256xf32>, tensor<f32>) -> tensor<64xf32>
  %sb = stablehlo.broadcast_in_dim %s, dims = [0] : (tensor<64xf32>) -> tensor<64x256xf32>
  %r = stablehlo.divide %e, %sb : tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// Layernorm's mean and variance reach the normalization through elementwise
// ops (the division by the row length): all in the loop, whose intermediates
// are per-block tensors. The outer dimension is tiled by one.
// CHECK-LABEL: func.func @layernorm
// CHECK-NOT: linalg.generic
// CHECK: scf.forall (%[[B:.*]], %[[I:.*]]) = (0, 0) to (2, 64) step (1, 32)
// CHECK: tensor.extract_slice %arg0[%[[B]], %[[I]], 0] [1, 32, 256] [1, 1, 1]
// CHECK: tensor.empty() : tensor<1x32xf32>
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: math.rsqrt
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @layernorm(%x: tensor<2x64x256xf32>) -> tensor<2x64x256xf32> {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %n = stablehlo.constant dense<256.0> : tensor<2x64xf32>
  %eps = stablehlo.constant dense<1.0e-5> : tensor<2x64xf32>
  %s = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [2] : (tensor<2x64x256xf32>, tensor<f32>) -> tensor<2x64xf32>
  %mean = stablehlo.divide %s, %n : tensor<2x64xf32>
  %mb = stablehlo.broadcast_in_dim %mean, dims = [0, 1] : (tensor<2x64xf32>) -> tensor<2x64x256xf32>
  %c = stablehlo.subtract %x, %mb : tensor<2x64x256xf32>
  %sq = stablehlo.multiply %c, %c : tensor<2x64x256xf32>
  %v = stablehlo.reduce(%sq init: %z) applies stablehlo.add across dimensions = [2] : (tensor<2x64x256xf32>, tensor<f32>) -> tensor<2x64xf32>
  %var = stablehlo.divide %v, %n : tensor<2x64xf32>
  %ve = stablehlo.add %var, %eps : tensor<2x64xf32>
  %rs = stablehlo.rsqrt %ve : tensor<2x64xf32>
  %rb = stablehlo.broadcast_in_dim %rs, dims = [0, 1] : (tensor<2x64xf32>) -> tensor<2x64x256xf32>
  %r = stablehlo.multiply %c, %rb : tensor<2x64x256xf32>
  return %r : tensor<2x64x256xf32>
}

// A reduction over the rows (each block would need all of them) and a sum
// also returned (needed whole outside the loop): no row blocks.
// CHECK-LABEL: func.func @column_sum
// CHECK-NOT: scf.forall
// CHECK: return
func.func @column_sum(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [0] : (tensor<64x256xf32>, tensor<f32>) -> tensor<256xf32>
  %sb = stablehlo.broadcast_in_dim %s, dims = [1] : (tensor<256xf32>) -> tensor<64x256xf32>
  %r = stablehlo.subtract %x, %sb : tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// CHECK-LABEL: func.func @sum_also_returned
// CHECK-NOT: scf.forall
// CHECK: return
func.func @sum_also_returned(%x: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64xf32>) {
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [1] : (tensor<64x256xf32>, tensor<f32>) -> tensor<64xf32>
  %sb = stablehlo.broadcast_in_dim %s, dims = [0] : (tensor<64xf32>) -> tensor<64x256xf32>
  %r = stablehlo.divide %x, %sb : tensor<64x256xf32>
  return %r, %s : tensor<64x256xf32>, tensor<64xf32>
}

// A contraction is no row reduction: its epilogue is not tiled (the matmul
// stays whole for hlox-cpu-vectorize-contractions).
// CHECK-LABEL: func.func @bias_after_matmul
// CHECK-NOT: scf.forall
// CHECK: return
func.func @bias_after_matmul(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<64xf32>) -> tensor<64x16xf32> {
  %m = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<64x32xf32>, tensor<32x16xf32>) -> tensor<64x16xf32>
  %cb = stablehlo.broadcast_in_dim %c, dims = [0] : (tensor<64xf32>) -> tensor<64x16xf32>
  %r = stablehlo.add %m, %cb : tensor<64x16xf32>
  return %r : tensor<64x16xf32>
}
