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

// -----

// CHECK: error: 'chlo.ragged_dot' op with a non-contracting, non-batching ragged dimension needs one rhs group dimension
func.func @ragged_dot_without_group(%l: tensor<11x5xf32>, %r: tensor<5x7xf32>, %g: tensor<3xi64>) -> tensor<11x7xf32> {
  %0 = "chlo.ragged_dot"(%l, %r, %g) {ragged_dot_dimension_numbers = #chlo.ragged_dot<lhs_batching_dimensions = [], rhs_batching_dimensions = [], lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0], lhs_ragged_dimensions = [0], rhs_group_dimensions = []>} : (tensor<11x5xf32>, tensor<5x7xf32>, tensor<3xi64>) -> tensor<11x7xf32>
  return %0 : tensor<11x7xf32>
}

// -----

// CHECK: error: unknown ragged_dot dimension list 'lhs_ragged_dims'
func.func @ragged_dot_bad_key(%l: tensor<11x5xf32>, %r: tensor<3x5x7xf32>, %g: tensor<3xi64>) -> tensor<11x7xf32> {
  %0 = "chlo.ragged_dot"(%l, %r, %g) {ragged_dot_dimension_numbers = #chlo.ragged_dot<lhs_ragged_dims = [0]>} : (tensor<11x5xf32>, tensor<3x5x7xf32>, tensor<3xi64>) -> tensor<11x7xf32>
  return %0 : tensor<11x7xf32>
}

// -----

// CHECK: error: 'chlo.scan' op body arguments must be the inputs' slices (the scan dimension dropped), then the carries
func.func @scan_bad_body(%x: tensor<4xi32>, %c: tensor<i32>) -> tensor<4xi32> {
  %0:2 = chlo.scan(%x) inits(%c) dimension=0 {
  ^bb0(%a: tensor<4xi32>, %b: tensor<i32>):
    stablehlo.return %b, %b : tensor<i32>, tensor<i32>
  } : (tensor<4xi32>, tensor<i32>) -> (tensor<4xi32>, tensor<i32>)
  return %0#0 : tensor<4xi32>
}
