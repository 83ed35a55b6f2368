// RUN: hlox-opt %s --hlox-cpu-vectorize-contractions --canonicalize | FileCheck %s

// Contractions too small to pay for packing (under 2 * 32^3 flops; larger
// ones: packed.mlir) are tiled in place. A float matmul becomes register
// tiles of vector FMAs: 8 rows x 32 columns of C stay in vector registers
// (hoisted out of the K loop), each K step broadcasts one element of A per
// row and multiplies a 32-wide row of B.

#a = affine_map<(i, j, k) -> (i, k)>
#b = affine_map<(i, j, k) -> (k, j)>
#c = affine_map<(i, j, k) -> (i, j)>

// The register tiles of AVX-512 (8 x 32 float32), whatever the host:
module attributes {hlox.cpu_vector_bits = 512 : i64} {

// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.generic
// CHECK: vector.transfer_read {{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8x32xf32>, tensor<8x32xf32>
func.func @matmul(%A: tensor<16x32xf32>, %B: tensor<32x32xf32>, %C: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x32xf32>, tensor<32x32xf32>) outs(%C : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}

// Sizes that the register tile (float64: 8 x 16) does not divide use tiles
// that divide them (5 rows, 8 of the 24 columns here: every tile is full, no
// masks).
// CHECK-LABEL: func.func @odd_sizes
// CHECK-NOT: linalg.generic
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<5x8xf64>)
// CHECK-COUNT-5: vector.fma {{.*}} : vector<8xf64>
func.func @odd_sizes(%A: tensor<5x7xf64>, %B: tensor<7x24xf64>, %C: tensor<5x24xf64>) -> tensor<5x24xf64> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<5x7xf64>, tensor<7x24xf64>) outs(%C : tensor<5x24xf64>) {
  ^bb0(%x: f64, %y: f64, %z: f64):
    %m = arith.mulf %x, %y : f64
    %s = arith.addf %z, %m : f64
    linalg.yield %s : f64
  } -> tensor<5x24xf64>
  return %r : tensor<5x24xf64>
}

// Integer matmuls are left to the scalar path.
// CHECK-LABEL: func.func @integer
// CHECK: linalg.generic
// CHECK-NOT: vector.
func.func @integer(%A: tensor<16x64xi32>, %B: tensor<64x32xi32>, %C: tensor<16x32xi32>) -> tensor<16x32xi32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x64xi32>, tensor<64x32xi32>) outs(%C : tensor<16x32xi32>) {
  ^bb0(%x: i32, %y: i32, %z: i32):
    %m = arith.muli %x, %y : i32
    %s = arith.addi %z, %m : i32
    linalg.yield %s : i32
  } -> tensor<16x32xi32>
  return %r : tensor<16x32xi32>
}

// So are reductions that are not a multiply-add (here: a max of products).
// CHECK-LABEL: func.func @not_multiply_add
// CHECK: linalg.generic
// CHECK-NOT: vector.
func.func @not_multiply_add(%A: tensor<16x64xf32>, %B: tensor<64x32xf32>, %C: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x64xf32>, tensor<64x32xf32>) outs(%C : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.maximumf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}

// K = 1 (an outer product): the K loop runs once, nothing to hoist.
// CHECK-LABEL: func.func @outer_product
// CHECK-NOT: linalg.generic
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
func.func @outer_product(%A: tensor<16x1xf32>, %B: tensor<1x32xf32>, %C: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : tensor<16x1xf32>, tensor<1x32xf32>) outs(%C : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %z, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x32xf32>
  return %r : tensor<16x32xf32>
}
}
