// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// The loop rule: elementwise chains with broadcast_in_dim, reshape,
// transpose, convert and small constants become one `loop` region.

// CHECK-LABEL: func.func @chain
// CHECK: %[[R:.*]] = hlox.fusion loop(%arg0, %arg1) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<8x4xf16> {
// CHECK: ^bb0(%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>):
// CHECK-DAG: stablehlo.constant dense<2.000000e+00>
// CHECK-DAG: stablehlo.broadcast_in_dim %[[B]], dims = [1]
// CHECK: stablehlo.add
// CHECK: stablehlo.multiply
// CHECK: stablehlo.transpose
// CHECK: %[[C:.*]] = stablehlo.convert
// CHECK: hlox.yield %[[C]] : tensor<8x4xf16>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]
func.func @chain(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<8x4xf16> {
  %two = stablehlo.constant dense<2.0> : tensor<4x8xf32>
  %bb = stablehlo.broadcast_in_dim %b, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  %s = stablehlo.add %x, %bb : tensor<4x8xf32>
  %m = stablehlo.multiply %s, %two : tensor<4x8xf32>
  %t = stablehlo.transpose %m, dims = [1, 0] : (tensor<4x8xf32>) -> tensor<8x4xf32>
  %c = stablehlo.convert %t : (tensor<8x4xf32>) -> tensor<8x4xf16>
  return %c : tensor<8x4xf16>
}

// An expensive value also read outside the chain: the chain's region also
// yields it (multi-output, FusionSiblings.cpp).
// CHECK-LABEL: func.func @two_results
// CHECK: %[[R:.*]]:2 = hlox.fusion multi_output(%arg0) : (tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>)
// CHECK: stablehlo.exponential
// CHECK: stablehlo.negate
// CHECK: hlox.yield
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @two_results(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %e = stablehlo.exponential %x : tensor<16xf32>
  %n = stablehlo.negate %e : tensor<16xf32>
  return %e, %n : tensor<16xf32>, tensor<16xf32>
}

// One op alone is no region; nor are ops of types the backends rewrite first
// (complex numbers).
// CHECK-LABEL: func.func @alone
// CHECK-NOT: hlox.fusion
// CHECK: stablehlo.exponential
func.func @alone(%x: tensor<16xf32>, %z: tensor<4xcomplex<f32>>) -> (tensor<16xf32>, tensor<4xcomplex<f32>>) {
  %e = stablehlo.exponential %x : tensor<16xf32>
  %a = stablehlo.add %z, %z : tensor<4xcomplex<f32>>
  %b = stablehlo.multiply %a, %z : tensor<4xcomplex<f32>>
  return %e, %b : tensor<16xf32>, tensor<4xcomplex<f32>>
}

// Bodies of while loops are fused too; reduce bodies (scalars) are not.
// CHECK-LABEL: func.func @in_while
// CHECK: stablehlo.while
// CHECK: hlox.fusion loop
// CHECK: stablehlo.exponential
// CHECK: stablehlo.negate
func.func @in_while(%x: tensor<16xf32>, %n: tensor<i32>) -> tensor<16xf32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %r:2 = stablehlo.while(%i = %zero, %v = %x) : tensor<i32>, tensor<16xf32>
    cond {
      %p = stablehlo.compare LT, %i, %n : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %p : tensor<i1>
    } do {
      %one = stablehlo.constant dense<1> : tensor<i32>
      %j = stablehlo.add %i, %one : tensor<i32>
      %e = stablehlo.exponential %v : tensor<16xf32>
      %w = stablehlo.negate %e : tensor<16xf32>
      stablehlo.return %j, %w : tensor<i32>, tensor<16xf32>
    }
  return %r#1 : tensor<16xf32>
}
