// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: unknown field 'lhs_batch' in #stablehlo.dot, expected one of 'lhs_batching_dimensions', 'rhs_batching_dimensions', 'lhs_contracting_dimensions', 'rhs_contracting_dimensions'
func.func @f() attributes {a = #stablehlo.dot<lhs_batch = [0]>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: field 'offset_dims' given twice in #stablehlo.gather
func.func @f() attributes {a = #stablehlo.gather<offset_dims = [0], offset_dims = [1], index_vector_dim = 0>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: expected integer value
func.func @f() attributes {a = #stablehlo.gather<offset_dims = [0], index_vector_dim = x>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: dimension 'b' given twice
func.func @f() attributes {a = #stablehlo.conv<[b, b, 0]x[i, o, 0]->[b, f, 0]>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: unexpected dimension 'q', expected 'i', 'o' or a number
func.func @f() attributes {a = #stablehlo.conv<[b, f, 0]x[q, o, 0]->[b, f, 0]>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: input, kernel and output need the same number of spatial dimensions, got 1, 2 and 1
func.func @f() attributes {a = #stablehlo.conv<[b, f, 0]x[i, o, 0, 1]->[b, f, 0]>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: spatial dimension 2 out of range: there are 2 spatial dimensions
func.func @f() attributes {a = #stablehlo.conv<[b, f, 0, 2]x[i, o, 0, 1]->[b, f, 0, 1]>} {
  return
}

// -----

// CHECK: attrs-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: #stablehlo.channel_handle needs the field 'type'
func.func @f() attributes {a = #stablehlo.channel_handle<handle = 1>} {
  return
}
