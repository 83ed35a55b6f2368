// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// No region may read, through an op outside it, a value it produces. The
// exponential feeds both reductions; joining it to the second one (which
// also reads the first one's result) would make the cycle
// exp -> max (outside) -> subtract (inside): it joins the first one instead.

// CHECK-LABEL: func.func @cycle
// CHECK: %[[R:.*]]:2 = hlox.fusion multi_output(%arg0) : (tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4xf32>)
// CHECK: stablehlo.exponential
// CHECK: stablehlo.reduce
// CHECK: hlox.yield
// CHECK: %[[S:.*]] = hlox.fusion input(%[[R]]#1, %[[R]]#0)
// CHECK: stablehlo.broadcast_in_dim
// CHECK: stablehlo.subtract
// CHECK: stablehlo.reduce
// CHECK: return %[[S]]
func.func @cycle(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %ninf = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %e = stablehlo.exponential %x : tensor<4x8xf32>
  %m = stablehlo.reduce(%e init: %ninf) applies stablehlo.maximum across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  %bm = stablehlo.broadcast_in_dim %m, dims = [0] : (tensor<4xf32>) -> tensor<4x8xf32>
  %t = stablehlo.subtract %e, %bm : tensor<4x8xf32>
  %s = stablehlo.reduce(%t init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// Ops that sit between a region's ops and read its results move after it.
// CHECK-LABEL: func.func @moved
// CHECK: %[[R:.*]]:2 = hlox.fusion multi_output(%arg0)
// CHECK: stablehlo.exponential
// CHECK: stablehlo.reduce
// CHECK: hlox.yield
// CHECK: "stablehlo.sort"(%[[R]]#0)
// CHECK: return
func.func @moved(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4xf32>) {
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %e = stablehlo.exponential %x : tensor<4x8xf32>
  %srt = "stablehlo.sort"(%e) <{dimension = 1 : i64, is_stable = true}> ({
  ^bb0(%p: tensor<f32>, %q: tensor<f32>):
    %lt = stablehlo.compare LT, %p, %q : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  }) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = stablehlo.reduce(%e init: %zero) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  return %srt, %s : tensor<4x8xf32>, tensor<4xf32>
}
