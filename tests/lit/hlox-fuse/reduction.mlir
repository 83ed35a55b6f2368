// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// The input rule: a reduce with the elementwise producers of its input
// (one pass over the rows); its constant init value is cloned in.

// CHECK-LABEL: func.func @sum_of_squares
// CHECK: %[[R:.*]] = hlox.fusion input(%arg0) : (tensor<4x8xf32>) -> tensor<4xf32> {
// CHECK: ^bb0(%[[X:.*]]: tensor<4x8xf32>):
// CHECK: %[[SQ:.*]] = stablehlo.multiply %[[X]], %[[X]]
// CHECK: %[[Z:.*]] = stablehlo.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[S:.*]] = stablehlo.reduce(%[[SQ]] init: %[[Z]])
// CHECK: hlox.yield %[[S]] : tensor<4xf32>
// CHECK: return %[[R]]
func.func @sum_of_squares(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %sq = stablehlo.multiply %x, %x : tensor<4x8xf32>
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%sq init: %z) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// Softmax (as JAX writes it): max over the rows (one kernel), exp(x - max)
// summed and kept (one multi-output kernel: see siblings.mlir), the division
// (one kernel, reading the sum broadcast over the rows).
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = stablehlo.reduce(%arg0 init:
// CHECK: %[[EXP:.*]]:2 = hlox.fusion multi_output(%arg0, %[[MAX]]) : (tensor<4x8xf32>, tensor<4xf32>) -> (tensor<4x8xf32>, tensor<4xf32>)
// CHECK: stablehlo.broadcast_in_dim
// CHECK: stablehlo.subtract
// CHECK: stablehlo.exponential
// CHECK: stablehlo.reduce
// CHECK: hlox.yield
// CHECK: %[[DIV:.*]] = hlox.fusion loop(%[[EXP]]#1, %[[EXP]]#0)
// CHECK: stablehlo.broadcast_in_dim
// CHECK: stablehlo.divide
// CHECK: return %[[DIV]]
func.func @softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %max = stablehlo.reduce(%x init: %ninf) applies stablehlo.maximum across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %bmax = stablehlo.broadcast_in_dim %max, dims = [0] : (tensor<4xf32>) -> tensor<4x8xf32>
  %d = stablehlo.subtract %x, %bmax : tensor<4x8xf32>
  %e = stablehlo.exponential %d : tensor<4x8xf32>
  %sum = stablehlo.reduce(%e init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %bsum = stablehlo.broadcast_in_dim %sum, dims = [0] : (tensor<4xf32>) -> tensor<4x8xf32>
  %r = stablehlo.divide %e, %bsum : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// A reduce is never pulled into its consumers' region: the sum's epilogue
// (its mean) stays a kernel of its own here, and the reduce of a region's
// output starts its own cluster.
// CHECK-LABEL: func.func @mean
// CHECK: %[[S:.*]] = hlox.fusion input
// CHECK: stablehlo.reduce
// CHECK: %[[M:.*]] = stablehlo.divide %[[S]]
// CHECK: return %[[M]]
func.func @mean(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %n = stablehlo.constant dense<8.0> : tensor<4xf32>
  %a = stablehlo.abs %x : tensor<4x8xf32>
  %s = stablehlo.reduce(%a init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %m = stablehlo.divide %s, %n : tensor<4xf32>
  return %m : tensor<4xf32>
}
