// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: error: 'chlo.top_k' op k = 5 is larger than the last dimension (4)
func.func @top_k_too_big(%x: tensor<4xf32>) -> tensor<5xf32> {
  %v, %i = chlo.top_k(%x, k = 5) : tensor<4xf32> -> (tensor<5xf32>, tensor<5xi32>)
  return %v : tensor<5xf32>
}

// -----

// CHECK: error: 'chlo.top_k' op results must have shape operand.shape[:-1] + [k] = [4, 2]
func.func @top_k_bad_shape(%x: tensor<4x4xf32>) -> tensor<4x3xf32> {
  %v, %i = chlo.top_k(%x, k = 2) : tensor<4x4xf32> -> (tensor<4x3xf32>, tensor<4x2xi32>)
  return %v : tensor<4x3xf32>
}

// -----

// CHECK: error: 'chlo.broadcast_add' op operand shapes are not broadcast-compatible in result dimension 1
func.func @bad_broadcast(%a: tensor<3xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = chlo.broadcast_add %a, %b : (tensor<3xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK: error: 'chlo.erf' op {{.*}}
func.func @erf_int(%a: tensor<3xi32>) -> tensor<3xi32> {
  %0 = chlo.erf %a : tensor<3xi32> -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// CHECK: error: 'chlo.constant_like' op value type 'f64' is not the result element type
func.func @constant_like_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "chlo.constant_like"(%x) {value = 0.5 : f64} : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
