// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// Multi-output fusion: reductions of one value over the same rows (mean and
// mean of squares, as Flax's LayerNorm computes them) become one region with
// a result per reduction.

// CHECK-LABEL: func.func @moments
// CHECK: %[[R:.*]]:2 = hlox.fusion multi_output(%arg0) : (tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4xf32>)
// CHECK-DAG: stablehlo.multiply
// CHECK-DAG: stablehlo.reduce
// CHECK-DAG: stablehlo.reduce
// CHECK: hlox.yield
// CHECK: return %[[R]]#{{[01]}}, %[[R]]#{{[01]}}
func.func @moments(%x: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %s = stablehlo.reduce(%x init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %sq = stablehlo.multiply %x, %x : tensor<4x8xf32>
  %s2 = stablehlo.reduce(%sq init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  return %s, %s2 : tensor<4xf32>, tensor<4xf32>
}

// Reductions over other dimensions are not siblings; nor is a reduction of a
// value that depends on the other one (softmax's max and sum: reduction.mlir).
// CHECK-LABEL: func.func @other_dims
// CHECK-NOT: hlox.fusion multi_output
func.func @other_dims(%x: tensor<4x8xf32>) -> (tensor<4xf32>, tensor<8xf32>) {
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %a = stablehlo.abs %x : tensor<4x8xf32>
  %s = stablehlo.reduce(%a init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %sq = stablehlo.multiply %x, %x : tensor<4x8xf32>
  %s2 = stablehlo.reduce(%sq init: %zero) applies stablehlo.add across dimensions = [0] : (tensor<4x8xf32>, tensor<f32>) -> tensor<8xf32>
  return %s, %s2 : tensor<4xf32>, tensor<8xf32>
}
