// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// Two clusters, each convex on the ops alone, must not read each other: as
// regions, each would have to come before the other (reduced from
// test_autodiff's third-order composite, test_user_programs'
// hessian_vector_product and a scan gradient, where multi-output merges of
// loop clusters met across reshapes). Here %b1's cluster reads %a1 through
// %r2 and %a2's reads %b1 through %r1: once %b1 has joined %b2's region,
// %a1 may not join %a2's (the path %a1 -> %r2 -> [%b1's region] -> %r1 leads
// back into it), so %a1 stays a kernel of its own and both regions come
// after their operands.

// CHECK-LABEL: func.func @crossed
// CHECK: %[[A1:.*]] = stablehlo.exponential %arg0
// CHECK: %[[B:.*]]:2 = hlox.fusion multi_output(%arg1, %[[A1]])
// CHECK: stablehlo.exponential
// CHECK: stablehlo.reshape
// CHECK: stablehlo.add
// CHECK: hlox.yield
// CHECK: %[[A:.*]] = hlox.fusion loop(%[[B]]#{{[01]}}, %[[A1]])
// CHECK: stablehlo.reshape
// CHECK: stablehlo.multiply
// CHECK: hlox.yield
// CHECK: return %[[A]], %[[B]]#{{[01]}}
func.func @crossed(%x: tensor<4x8xf32>, %y: tensor<32xf32>) -> (tensor<4x8xf32>, tensor<32xf32>) {
  %a1 = stablehlo.exponential %x : tensor<4x8xf32>
  %b1 = stablehlo.exponential %y : tensor<32xf32>
  %r1 = stablehlo.reshape %b1 : (tensor<32xf32>) -> tensor<4x8xf32>
  %a2 = stablehlo.multiply %a1, %r1 : tensor<4x8xf32>
  %r2 = stablehlo.reshape %a1 : (tensor<4x8xf32>) -> tensor<32xf32>
  %b2 = stablehlo.add %b1, %r2 : tensor<32xf32>
  return %a2, %b2 : tensor<4x8xf32>, tensor<32xf32>
}
