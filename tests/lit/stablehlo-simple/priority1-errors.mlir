// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Verifier errors of the priority-1 ops: diagnostics, never crashes.

func.func @binary_types(%a: tensor<4xf32>, %b: tensor<4xi32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: {{.*}}stablehlo.multiply{{.*}} requires the same type for all operands and results
  %0 = "stablehlo.multiply"(%a, %b) : (tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @subtract_bool(%a: tensor<4xi1>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.subtract' op operand #0 must be ranked tensor of
  %0 = stablehlo.subtract %a, %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @exp_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.exponential' op operand #0 must be ranked tensor of
  %0 = stablehlo.exponential %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @convert_shape(%a: tensor<4xf32>) -> tensor<3xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.convert' op all non-scalar operands/results must have the same shape
  %0 = stablehlo.convert %a : (tensor<4xf32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @bid_count(%a: tensor<2xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op broadcast_dimensions [0, 1] must have one entry per operand dimension (1), got 2
  %0 = stablehlo.broadcast_in_dim %a, dims = [0, 1] : (tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @bid_range(%a: tensor<2xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op broadcast_dimensions [2] has a value out of range [0, 2)
  %0 = stablehlo.broadcast_in_dim %a, dims = [2] : (tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @bid_unique(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op broadcast_dimensions [1, 1] has the value 1 more than once
  %0 = stablehlo.broadcast_in_dim %a, dims = [1, 1] : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @bid_size(%a: tensor<2xf32>) -> tensor<3x4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op operand dimension 0 of size 2 cannot be broadcast to result dimension 1 of size 4
  %0 = stablehlo.broadcast_in_dim %a, dims = [1] : (tensor<2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @bid_element(%a: tensor<2xf32>) -> tensor<2xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op requires the operand's element type for the result, got 'f32' and 'i32'
  %0 = stablehlo.broadcast_in_dim %a, dims = [0] : (tensor<2xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @reshape_count(%a: tensor<2x3xf32>) -> tensor<5xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reshape' op operand 'tensor<2x3xf32>' has 6 elements but the result 'tensor<5xf32>' has 5
  %0 = stablehlo.reshape %a : (tensor<2x3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @transpose_perm(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.transpose' op permutation [0, 0] is not a permutation of [0, 2)
  %0 = stablehlo.transpose %a, dims = [0, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_rank(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.transpose' op permutation [1] must have 2 entries
  %0 = stablehlo.transpose %a, dims = [1] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_result(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'
  %0 = stablehlo.transpose %a, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @iota_dim() -> tensor<4xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.iota' op iota_dimension 1 is out of range for the result 'tensor<4xi32>' of rank 1
  %0 = stablehlo.iota dim = 1 : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @select_pred(%p: tensor<3xi1>, %a: tensor<2xi32>) -> tensor<2xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.select' op requires pred to be a scalar or to have the shape of on_true, got 'tensor<3xi1>' and 'tensor<2xi32>'
  %0 = stablehlo.select %p, %a, %a : tensor<3xi1>, tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @select_types(%p: tensor<2xi1>, %a: tensor<2xi32>, %b: tensor<2xf32>) -> tensor<2xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.select' op requires the same type for all operands and results, got 'i32' and 'f32'
  %0 = stablehlo.select %p, %a, %b : (tensor<2xi1>, tensor<2xi32>, tensor<2xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @compare_type(%a: tensor<4xi32>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.compare' op compare_type FLOAT is invalid for element type 'i32': expected SIGNED
  %0 = stablehlo.compare GT, %a, %a, FLOAT : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_case(%a: tensor<4xf32>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: {{.*}}unknown comparison_direction 'BIGGER'
  %0 = stablehlo.compare BIGGER, %a, %a, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
