// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["data"=4, "model"=2]>

// Megatron MLP: column-split w1, row-split w2 (unannotated: it takes the
// contracting dimension's axis from the hidden activations).
// CHECK-LABEL: func.func @mlp(
// CHECK-SAME: %arg2: tensor<32x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"model"}, {}]>}
// CHECK-SAME: -> (tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {}]>})
// CHECK: stablehlo.dot_general %arg0, %arg1{{.*}}<@mesh, [{"data"}, {"model"}]>
// CHECK: stablehlo.tanh {{.*}}<@mesh, [{"data"}, {"model"}]>
// CHECK: stablehlo.dot_general {{.*}}<@mesh, [{"data"}, {}]>
func.func @mlp(%x: tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {}]>},
               %w1: tensor<8x32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"model"}]>},
               %w2: tensor<32x8xf32>) -> tensor<16x8xf32> {
  %0 = stablehlo.dot_general %x, %w1, contracting_dims = [1] x [0] : (tensor<16x8xf32>, tensor<8x32xf32>) -> tensor<16x32xf32>
  %1 = stablehlo.tanh %0 : tensor<16x32xf32>
  %2 = stablehlo.dot_general %1, %w2, contracting_dims = [1] x [0] : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  return %2 : tensor<16x8xf32>
}

// Batch dimensions (attention scores with heads split): the result's batch
// dimensions take the heads' axis; the contracting axis does not reach it.
// CHECK-LABEL: func.func @batched(
// CHECK-SAME: %arg1: tensor<2x4x16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {"model"}, {}, {}]>}
// CHECK-SAME: -> (tensor<2x4x16x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {"model"}, {}, {}]>})
func.func @batched(%q: tensor<2x4x16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {"model"}, {}, {}]>},
                   %k: tensor<2x4x16x8xf32>) -> tensor<2x4x16x16xf32> {
  %0 = stablehlo.dot_general %q, %k, batching_dims = [0, 1] x [0, 1], contracting_dims = [3] x [3] : (tensor<2x4x16x8xf32>, tensor<2x4x16x8xf32>) -> tensor<2x4x16x16xf32>
  return %0 : tensor<2x4x16x16xf32>
}

// A tensor is split over an axis once: "model" splits the lhs's contracting
// dimension and the rhs's free one; the result takes it from its free
// dimension (the contracting factor does not reach it); the rhs is closed.
// CHECK-LABEL: func.func @axis_per_tensor(
// CHECK-SAME: -> (tensor<16x32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {"model"}]>})
func.func @axis_per_tensor(%x: tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {"model"}]>},
                           %w: tensor<8x32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"model"}]>}) -> tensor<16x32xf32> {
  %0 = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<16x8xf32>, tensor<8x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// FSDP: all three arguments split along "data" on dimension 0. The hidden
// activations are split along "data" by rows (from x, first); the second
// contraction's factor (w2's rows) cannot take "data" in them, so the result
// keeps the rows' split.
// CHECK-LABEL: func.func @fsdp(
// CHECK-SAME: -> (tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {}]>})
// CHECK: stablehlo.tanh {{.*}}<@mesh, [{"data"}, {}]>
func.func @fsdp(%x: tensor<16x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {}]>},
                %w1: tensor<8x32xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {}]>},
                %w2: tensor<32x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"data"}, {}]>}) -> tensor<16x8xf32> {
  %0 = stablehlo.dot_general %x, %w1, contracting_dims = [1] x [0] : (tensor<16x8xf32>, tensor<8x32xf32>) -> tensor<16x32xf32>
  %1 = stablehlo.tanh %0 : tensor<16x32xf32>
  %2 = stablehlo.dot_general %1, %w2, contracting_dims = [1] x [0] : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
  return %2 : tensor<16x8xf32>
}
