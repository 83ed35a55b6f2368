// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// A copy follows its original's operands as they were clustered, not as
// another cluster rewired them (reduced from test_autodiff's third-order
// composite). %xx is copied into %y's cluster (with %d) and owned by %z's
// once %xx's own cluster merges into it, which copies %d too. %z's region
// reads %y's; %y's clone of %xx must read its own clone of %d. Rewiring
// %z's ops to %z's clone of %d before %y's clones were made had %y's clone
// of %xx read that one: each region read the other. (Also, a value read
// through the reader's own clone is no edge between clusters: the merge is
// convex, and the acyclicity check must not see a cycle in it.)

// CHECK-LABEL: func.func @copy_of_owned_op
// CHECK: %[[D:.*]] = stablehlo.add %arg0, %arg0
// CHECK: %[[Y:.*]] = hlox.fusion loop(%arg0)
// CHECK-NEXT: ^bb0(%[[X1:.*]]: tensor<8xf32>):
// CHECK-NEXT: %[[D1:.*]] = stablehlo.add %[[X1]], %[[X1]]
// CHECK-NEXT: %[[XX1:.*]] = stablehlo.multiply %[[D1]], %[[D1]]
// CHECK-NEXT: stablehlo.reshape %[[XX1]]
// CHECK-NEXT: stablehlo.exponential
// CHECK-NEXT: hlox.yield
// CHECK: %[[Z:.*]] = hlox.fusion loop(%arg0, %[[Y]])
// CHECK-NEXT: ^bb0(%[[X2:.*]]: tensor<8xf32>, %[[Y2:.*]]: tensor<2x4xf32>):
// CHECK-NEXT: %[[D2:.*]] = stablehlo.add %[[X2]], %[[X2]]
// CHECK-NEXT: %[[XX2:.*]] = stablehlo.multiply %[[D2]], %[[D2]]
// CHECK-NEXT: %[[RY:.*]] = stablehlo.reshape %[[Y2]]
// CHECK-NEXT: stablehlo.add %[[XX2]], %[[RY]]
// CHECK-NEXT: hlox.yield
// CHECK: return %[[Z]], %[[Y]], %[[D]]
func.func @copy_of_owned_op(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<2x4xf32>, tensor<8xf32>) {
  %d = stablehlo.add %x, %x : tensor<8xf32>
  %xx = stablehlo.multiply %d, %d : tensor<8xf32>
  %r = stablehlo.reshape %xx : (tensor<8xf32>) -> tensor<2x4xf32>
  %y = stablehlo.exponential %r : tensor<2x4xf32>
  %ry = stablehlo.reshape %y : (tensor<2x4xf32>) -> tensor<8xf32>
  %z = stablehlo.add %xx, %ry : tensor<8xf32>
  return %z, %y, %d : tensor<8xf32>, tensor<2x4xf32>, tensor<8xf32>
}
