// RUN: hlox-opt %s --hlox-fuse | FileCheck %s

// The output rule: a dot_general or convolution with its elementwise
// epilogue (bias, activation, residual add) over its result shape.

// CHECK-LABEL: func.func @dense_relu_residual
// CHECK: %[[R:.*]] = hlox.fusion output(%arg0, %arg1, %arg2, %arg3) : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32> {
// CHECK: stablehlo.dot_general
// CHECK: stablehlo.broadcast_in_dim
// CHECK: stablehlo.add
// CHECK: stablehlo.maximum
// CHECK: stablehlo.add
// CHECK: hlox.yield
// CHECK: return %[[R]]
func.func @dense_relu_residual(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %res: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %y = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %bb = stablehlo.broadcast_in_dim %b, dims = [1] : (tensor<16xf32>) -> tensor<4x16xf32>
  %z = stablehlo.add %y, %bb : tensor<4x16xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<4x16xf32>
  %relu = stablehlo.maximum %z, %zero : tensor<4x16xf32>
  %out = stablehlo.add %relu, %res : tensor<4x16xf32>
  return %out : tensor<4x16xf32>
}

// A convolution with a bias.
// CHECK-LABEL: func.func @conv_bias
// CHECK: hlox.fusion output
// CHECK: stablehlo.convolution
// CHECK: stablehlo.add
func.func @conv_bias(%x: tensor<1x6x6x2xf32>, %w: tensor<3x3x2x4xf32>, %b: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [2, 2], pad = [[1, 1], [1, 1]], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x3x3x4xf32>
  %1 = stablehlo.add %0, %b : tensor<1x3x3x4xf32>
  return %1 : tensor<1x3x3x4xf32>
}

// A contraction read outside the epilogue is not duplicated: it stays out.
// Nor is a prologue (the negate of an operand) fused, nor an epilogue over
// another shape (the reshape).
// CHECK-LABEL: func.func @shared_result
// CHECK: stablehlo.negate
// CHECK: %[[Y:.*]] = stablehlo.dot_general
// CHECK: hlox.fusion loop(%[[Y]]
// CHECK: return
func.func @shared_result(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %nx = stablehlo.negate %x : tensor<4x8xf32>
  %y = stablehlo.dot_general %nx, %w, contracting_dims = [1] x [0] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %t = stablehlo.tanh %y : tensor<4x16xf32>
  %u = stablehlo.multiply %t, %t : tensor<4x16xf32>
  return %y, %u : tensor<4x16xf32>, tensor<4x16xf32>
}

// CHECK-LABEL: func.func @other_shape
// CHECK: %[[Y:.*]] = stablehlo.dot_general
// CHECK: hlox.fusion loop(%[[Y]]
func.func @other_shape(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> tensor<64xf32> {
  %y = stablehlo.dot_general %x, %w, contracting_dims = [1] x [0] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %r = stablehlo.reshape %y : (tensor<4x16xf32>) -> tensor<64xf32>
  %t = stablehlo.tanh %r : tensor<64xf32>
  return %t : tensor<64xf32>
}
