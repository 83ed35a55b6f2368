// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: contracting dimension sizes differ: lhs dimension 1 has size 8, rhs dimension 0 has size 7
func.func @contracting_size(%a: tensor<4x8xf32>, %b: tensor<7x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<4x8xf32>, tensor<7x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: result shape 4x4 does not match the inferred shape 4x3
func.func @result_shape(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x4xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: lhs_contracting_dimensions has dimension 2 out of range [0, 2)
func.func @out_of_range(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [2] x [0] : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: lhs batching and contracting dimensions has dimension 0 twice
func.func @repeated(%a: tensor<4x4xf32>, %b: tensor<4x4x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [0] x [1] : (tensor<4x4xf32>, tensor<4x4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: lhs and rhs need the same number of batching dimensions, got 1 and 0
func.func @batch_count(%a: tensor<2x4x8xf32>, %b: tensor<8x3xf32>) -> tensor<2x4x3xf32> {
  %0 = "stablehlo.dot_general"(%a, %b) {dot_dimension_numbers = #stablehlo.dot<lhs_batching_dimensions = [0], lhs_contracting_dimensions = [2], rhs_contracting_dimensions = [0]>} : (tensor<2x4x8xf32>, tensor<8x3xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op precision_config must have 0 or 2 entries, got 1
func.func @precision_count(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0], precision = [HIGH] : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.dot_general' op precision_config must be DEFAULT when an algorithm is set
func.func @precision_with_algorithm(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0], precision = [HIGH, HIGH], algorithm = <lhs_precision_type = f32, rhs_precision_type = f32, accumulation_type = f32, lhs_component_count = 1, rhs_component_count = 1, num_primitive_operations = 1, allow_imprecise_accumulation = false> : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: {{.*}}unknown precision 'LOW', expected DEFAULT, HIGH or HIGHEST
func.func @bad_precision(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0], precision = [LOW, HIGH] : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: {{.*}}dot algorithm: num_primitive_operations must be >= 1, got 0
func.func @bad_algorithm(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0], algorithm = <lhs_precision_type = f32, rhs_precision_type = f32, accumulation_type = f32, lhs_component_count = 1, rhs_component_count = 1, num_primitive_operations = 0, allow_imprecise_accumulation = false> : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.dot' op contracting dimension sizes differ: 8 (lhs) and 7 (rhs)
func.func @legacy_dot(%a: tensor<4x8xf32>, %b: tensor<7x3xf32>) -> tensor<4x3xf32> {
  %0 = stablehlo.dot %a, %b : (tensor<4x8xf32>, tensor<7x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK: dot-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.dot' op operands must be vectors or matrices, got ranks 3 and 2
func.func @legacy_dot_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x3xf32>) -> tensor<2x4x3xf32> {
  %0 = stablehlo.dot %a, %b : (tensor<2x4x8xf32>, tensor<8x3xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}
