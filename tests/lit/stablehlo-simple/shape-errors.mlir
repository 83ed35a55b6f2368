// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Verifier errors of the shape ops (spec constraints): a diagnostic at the op,
// never a crash.

func.func @dynamic_iota_rank(%s: tensor<2xi64>) -> tensor<?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_iota' op output_shape has 2 elements but the result has rank 1
  %0 = stablehlo.dynamic_iota %s, dim = 0 : (tensor<2xi64>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @iota_negative() -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.iota' op attribute 'iota_dimension' failed to satisfy constraint: 64-bit signless integer attribute whose
  %0 = stablehlo.iota dim = -1 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_bounds(%a: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.slice' op slice [3:5] is out of bounds for dimension 1 of size 4
  %0 = stablehlo.slice %a [0:2, 3:5] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_stride(%a: tensor<4xf32>) -> tensor<2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.slice' op stride 0 of dimension 0 must be positive
  %0 = stablehlo.slice %a [0:2:0] : (tensor<4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_rank(%a: tensor<4x4xf32>) -> tensor<2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.slice' op needs one start, limit and stride per dimension of the operand 'tensor<4x4xf32>', got 1, 1 and 1
  %0 = stablehlo.slice %a [0:2] : (tensor<4x4xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @slice_result(%a: tensor<8xf32>) -> tensor<3xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.slice' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'
  %0 = stablehlo.slice %a [0:8:3] : (tensor<8xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @dynamic_slice_size(%a: tensor<4x4xf32>, %i: tensor<i32>) -> tensor<5x1xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_slice' op slice size 5 of dimension 0 is out of range [0, 4]
  %0 = stablehlo.dynamic_slice %a, %i, %i, sizes = [5, 1] : (tensor<4x4xf32>, tensor<i32>, tensor<i32>) -> tensor<5x1xf32>
  return %0 : tensor<5x1xf32>
}

// -----

func.func @dynamic_slice_count(%a: tensor<4x4xf32>, %i: tensor<i32>) -> tensor<1x1xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_slice' op has 1 start indices for an operand of rank 2
  %0 = stablehlo.dynamic_slice %a, %i, sizes = [1, 1] : (tensor<4x4xf32>, tensor<i32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @dynamic_slice_index_types(%a: tensor<4x4xf32>, %i: tensor<i32>, %j: tensor<i64>) -> tensor<1x1xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_slice' op start indices must share one element type, got 'i32' and 'i64'
  %0 = stablehlo.dynamic_slice %a, %i, %j, sizes = [1, 1] : (tensor<4x4xf32>, tensor<i32>, tensor<i64>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// -----

func.func @dynamic_update_slice_size(%a: tensor<4xf32>, %u: tensor<5xf32>, %i: tensor<i32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_update_slice' op update dimension 0 of size 5 is larger than the operand's (4)
  %0 = stablehlo.dynamic_update_slice %a, %u, %i : (tensor<4xf32>, tensor<5xf32>, tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @dynamic_update_slice_count(%a: tensor<4xf32>, %u: tensor<2xf32>, %i: tensor<i32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_update_slice' op has 2 start indices for an operand of rank 1
  %0 = stablehlo.dynamic_update_slice %a, %u, %i, %i : (tensor<4xf32>, tensor<2xf32>, tensor<i32>, tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concatenate_dim(%a: tensor<4xf32>) -> tensor<8xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.concatenate' op dimension 1 is out of range for inputs of rank 1
  %0 = stablehlo.concatenate %a, %a, dim = 1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @concatenate_rank(%a: tensor<4xf32>, %b: tensor<4x1xf32>) -> tensor<8xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.concatenate' op input 1 ('tensor<4x1xf32>') must have rank 1
  %0 = stablehlo.concatenate %a, %b, dim = 0 : (tensor<4xf32>, tensor<4x1xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @concatenate_result(%a: tensor<4xf32>) -> tensor<9xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.concatenate' op inferred type(s) 'tensor<8xf32>' are incompatible with return type(s) of operation
  %0 = stablehlo.concatenate %a, %a, dim = 0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<9xf32>
  return %0 : tensor<9xf32>
}

// -----

func.func @pad_interior(%a: tensor<4xf32>, %v: tensor<f32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.pad' op interior padding -1 of dimension 0 must be non-negative
  %0 = stablehlo.pad %a, %v, low = [0], high = [0], interior = [-1] : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @pad_count(%a: tensor<4xf32>, %v: tensor<f32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.pad' op needs one low, high and interior padding per dimension of the operand 'tensor<4xf32>', got 2, 1 and 1
  %0 = stablehlo.pad %a, %v, low = [0, 0], high = [0], interior = [0] : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @pad_value(%a: tensor<4xf32>, %v: tensor<1xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.pad' op operand #1 must be 0D tensor of pred (i1) or 2/4/8/16/32/64-bit signless integer or
  %0 = stablehlo.pad %a, %v, low = [0], high = [0], interior = [0] : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reverse_dims(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reverse' op dimensions [0, 0] has the value 0 more than once
  %0 = stablehlo.reverse %a, dims = [0, 0] : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @reverse_range(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reverse' op dimensions [2] has a value out of range [0, 2)
  %0 = stablehlo.reverse %a, dims = [2] : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @get_dimension_size(%a: tensor<4x4xf32>) -> tensor<i32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.get_dimension_size' op dimension 2 is out of range for 'tensor<4x4xf32>'
  %0 = stablehlo.get_dimension_size %a, dim = 2 : (tensor<4x4xf32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @broadcast_result(%a: tensor<4xf32>) -> tensor<3x4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation
  %0 = stablehlo.broadcast %a, sizes = [2] : (tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @reshape_element(%a: tensor<4xf32>) -> tensor<2x2xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reshape' op requires the operand's element type for the result, got 'f32' and 'i32'
  %0 = stablehlo.reshape %a : (tensor<4xf32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

func.func @reshape_dynamic_result(%a: tensor<4xf32>) -> tensor<?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reshape' op result #0 must be statically shaped tensor of pred (i1) or 2/4/8/16/32/64-bit signless integer
  %0 = stablehlo.reshape %a : (tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @dbid_known(%a: tensor<?xf32>, %s: tensor<2xindex>) -> tensor<?x?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_broadcast_in_dim' op dimension 0 is listed more than once as known (non)expanding
  %0 = stablehlo.dynamic_broadcast_in_dim %a, %s, dims = [1] {known_expanding_dimensions = array<i64: 0>, known_nonexpanding_dimensions = array<i64: 0>} : (tensor<?xf32>, tensor<2xindex>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @dbid_shape(%a: tensor<?xf32>, %s: tensor<3xindex>) -> tensor<?x?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_broadcast_in_dim' op output_dimensions has 3 elements but the result has rank 2
  %0 = stablehlo.dynamic_broadcast_in_dim %a, %s, dims = [1] : (tensor<?xf32>, tensor<3xindex>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @dynamic_reshape_rank(%a: tensor<?xf32>, %s: tensor<3xindex>) -> tensor<?x?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_reshape' op output_shape has 3 elements but the result has rank 2
  %0 = stablehlo.dynamic_reshape %a, %s : (tensor<?xf32>, tensor<3xindex>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @real_dynamic_slice_rank(%a: tensor<?xf32>, %s: tensor<1xindex>) -> tensor<?x?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.real_dynamic_slice' op result 'tensor<?x?xf32>' must have the rank of the operand 'tensor<?xf32>'
  %0 = stablehlo.real_dynamic_slice %a, %s, %s, %s : (tensor<?xf32>, tensor<1xindex>, tensor<1xindex>, tensor<1xindex>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

func.func @dynamic_pad_count(%a: tensor<?xf32>, %v: tensor<f32>, %s: tensor<2xi32>) -> tensor<?xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_pad' op padding operands must have 1 elements, got 2
  %0 = stablehlo.dynamic_pad %a, %v, %s, %s, %s : (tensor<?xf32>, tensor<f32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @constant_type() -> tensor<2xf64> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.constant' op failed to verify that all of {value, output} have same type
  %0 = "stablehlo.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf64>
  return %0 : tensor<2xf64>
}
