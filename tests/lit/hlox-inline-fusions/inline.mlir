// RUN: hlox-opt %s --hlox-inline-fusions | FileCheck %s
// RUN: hlox-opt %s --hlox-fuse --hlox-inline-fusions | FileCheck %s --check-prefix=ROUNDTRIP

// Every hlox.fusion is replaced by its ops, reading the region's operands
// and read where its results were (backends that do not compile regions).

// CHECK-LABEL: func.func @inline
// CHECK-NOT: hlox.
// CHECK: %[[E:.*]] = stablehlo.exponential %arg0
// CHECK: %[[S:.*]] = stablehlo.add %[[E]], %arg1
// CHECK: %[[N:.*]] = stablehlo.negate %[[E]]
// CHECK: return %[[S]], %[[N]]
// ROUNDTRIP-LABEL: func.func @inline
// ROUNDTRIP-NOT: hlox.
// ROUNDTRIP: %[[E:.*]] = stablehlo.exponential %arg0
// ROUNDTRIP: %[[S:.*]] = stablehlo.add %[[E]], %arg1
// ROUNDTRIP: %[[N:.*]] = stablehlo.negate %[[E]]
// ROUNDTRIP: return %[[S]], %[[N]]
func.func @inline(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = hlox.fusion loop (%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    %e = stablehlo.exponential %x : tensor<4xf32>
    %s = stablehlo.add %e, %y : tensor<4xf32>
    hlox.yield %s, %e : tensor<4xf32>, tensor<4xf32>
  }
  %n = stablehlo.negate %r#1 : tensor<4xf32>
  return %r#0, %n : tensor<4xf32>, tensor<4xf32>
}

// Nested in control flow too.
// CHECK-LABEL: func.func @nested
// CHECK: stablehlo.while
// CHECK-NOT: hlox.fusion
// CHECK: stablehlo.sine
// CHECK: stablehlo.cosine
func.func @nested(%x: tensor<16xf32>, %n: tensor<i32>) -> tensor<16xf32> {
  %zero = stablehlo.constant dense<0> : tensor<i32>
  %r:2 = stablehlo.while(%i = %zero, %v = %x) : tensor<i32>, tensor<16xf32>
    cond {
      %p = stablehlo.compare LT, %i, %n : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %p : tensor<i1>
    } do {
      %one = stablehlo.constant dense<1> : tensor<i32>
      %j = stablehlo.add %i, %one : tensor<i32>
      %w = hlox.fusion loop (%v) : (tensor<16xf32>) -> tensor<16xf32> {
      ^bb0(%y: tensor<16xf32>):
        %s = stablehlo.sine %y : tensor<16xf32>
        %c = stablehlo.cosine %s : tensor<16xf32>
        hlox.yield %c : tensor<16xf32>
      }
      stablehlo.return %j, %w : tensor<i32>, tensor<16xf32>
    }
  return %r#1 : tensor<16xf32>
}
