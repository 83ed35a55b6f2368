// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// The cost model: a producer read by two clusters is copied into both only
// when it is cheap (here the broadcast and the multiply); an expensive one
// (the exponential) is computed once, in one of the regions, which also
// yields it for the other.

// CHECK-LABEL: func.func @cheap_copied
// CHECK: hlox.fusion loop(%arg0, %arg1)
// CHECK: stablehlo.broadcast_in_dim
// CHECK: stablehlo.multiply
// CHECK: stablehlo.add
// CHECK: hlox.fusion loop(%arg0, %arg1)
// CHECK: stablehlo.broadcast_in_dim
// CHECK: stablehlo.multiply
// CHECK: stablehlo.subtract
// CHECK-NOT: stablehlo.multiply
// CHECK: return
func.func @cheap_copied(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %bb = stablehlo.broadcast_in_dim %b, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  %m = stablehlo.multiply %x, %bb : tensor<4x8xf32>
  %u = stablehlo.add %m, %x : tensor<4x8xf32>
  %v = stablehlo.subtract %m, %x : tensor<4x8xf32>
  return %u, %v : tensor<4x8xf32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @expensive_kept
// CHECK: %[[E:.*]]:2 = hlox.fusion multi_output(%arg0)
// CHECK: stablehlo.abs
// CHECK: stablehlo.exponential
// CHECK: stablehlo.subtract
// CHECK: stablehlo.multiply
// CHECK: hlox.yield
// CHECK: %[[U:.*]] = hlox.fusion loop(%arg0, %[[E]]#0)
// CHECK-NOT: stablehlo.exponential
// CHECK: stablehlo.add
// CHECK: stablehlo.multiply
// CHECK: return %[[U]], %[[E]]#1
func.func @expensive_kept(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %a = stablehlo.abs %x : tensor<16xf32>
  %e = stablehlo.exponential %a : tensor<16xf32>
  %u = stablehlo.add %e, %x : tensor<16xf32>
  %u2 = stablehlo.multiply %u, %u : tensor<16xf32>
  %v = stablehlo.subtract %e, %x : tensor<16xf32>
  %v2 = stablehlo.multiply %v, %v : tensor<16xf32>
  return %u2, %v2 : tensor<16xf32>, tensor<16xf32>
}
