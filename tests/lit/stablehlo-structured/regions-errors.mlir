// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Region signatures and the other constraints of reduce, reduce_window,
// select_and_scatter, sort, map, while, if and case.

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce' op body must take 2 arguments, got 3
func.func @reduce_args(%x: tensor<4x8xf32>, %c: tensor<f32>) -> tensor<4xf32> {
  %0 = "stablehlo.reduce"(%x, %c) <{dimensions = array<i64: 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>, %d: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce' op body result #0 must be 'tensor<f32>', got 'tensor<4xf32>'
func.func @reduce_return(%x: tensor<4x8xf32>, %c: tensor<f32>, %v: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.reduce(%x init: %c) across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
   reducer(%a: tensor<f32>, %b: tensor<f32>)  {
    stablehlo.return %v : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce' op dimensions has dimension 2 out of range [0, 2)
func.func @reduce_dims(%x: tensor<4x8xf32>, %c: tensor<f32>) -> tensor<4xf32> {
  %0 = stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [2] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<8xf32>'
func.func @reduce_result(%x: tensor<4x8xf32>, %c: tensor<f32>) -> tensor<8xf32> {
  %0 = stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.reduce' unknown operation 'stablehlo.plus' after 'applies'
  %0 = stablehlo.reduce(%x init: %c) applies stablehlo.plus across dimensions = [1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4xf32>

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce' op init value #0 must be a 0-d tensor, got 'tensor<1xf32>'
func.func @reduce_init(%x: tensor<4x8xf32>, %c: tensor<1xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.reduce"(%x, %c) <{dimensions = array<i64: 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce_window' op window_dimensions has 1 entries, expected the rank 2
func.func @reduce_window_dims(%x: tensor<4x8xf32>, %c: tensor<f32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.reduce_window"(%x, %c) <{window_dimensions = array<i64: 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.reduce_window' op result #0 shape 4x8 does not match the inferred shape 2x4
func.func @reduce_window_result(%x: tensor<4x8xf32>, %c: tensor<f32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.reduce_window"(%x, %c) <{window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 2, 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.select_and_scatter' op select result #0 must be 'tensor<i1>', got 'tensor<f32>'
func.func @select_and_scatter(%x: tensor<4x8xf32>, %s: tensor<2x4xf32>, %c: tensor<f32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.select_and_scatter"(%x, %s, %c) <{window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 2, 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }, {
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<2x4xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.select_and_scatter' op source shape 4x8 does not match the inferred shape 2x4
func.func @select_and_scatter_source(%x: tensor<4x8xf32>, %s: tensor<4x8xf32>, %c: tensor<f32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.select_and_scatter"(%x, %s, %c) <{window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 2, 2>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare GE, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }, {
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.sort' op comparator must take 4 arguments, got 2
func.func @sort_args(%x: tensor<4x8xf32>, %i: tensor<4x8xi32>) -> tensor<4x8xf32> {
  %0:2 = "stablehlo.sort"(%x, %i) <{dimension = 1 : i64}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare LT, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }) : (tensor<4x8xf32>, tensor<4x8xi32>) -> (tensor<4x8xf32>, tensor<4x8xi32>)
  return %0#0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.sort' op dimension 2 out of range [-2, 2)
func.func @sort_dim(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.sort"(%x) <{dimension = 2 : i64}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %p = stablehlo.compare LT, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %p : tensor<i1>
  }) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.map' op dimensions must be [0, ..., 1] (all dimensions in order), got [1, 0]
func.func @map_dims(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = "stablehlo.map"(%x) <{dimensions = array<i64: 1, 0>}> ({
  ^bb0(%a: tensor<f32>):
    stablehlo.return %a : tensor<f32>
  }) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.while' op cond result #0 must be 'tensor<i1>', got 'tensor<i32>'
func.func @while_cond(%i: tensor<i32>) -> tensor<i32> {
  %0 = stablehlo.while(%iterArg = %i) : tensor<i32>
  cond {
    stablehlo.return %iterArg : tensor<i32>
  } do {
    stablehlo.return %iterArg : tensor<i32>
  }
  return %0 : tensor<i32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.while' op body must return 1 values, got 2
func.func @while_body(%i: tensor<i32>) -> tensor<i32> {
  %0 = stablehlo.while(%iterArg = %i) : tensor<i32>
  cond {
    %t = stablehlo.constant dense<true> : tensor<i1>
    stablehlo.return %t : tensor<i1>
  } do {
    stablehlo.return %iterArg, %iterArg : tensor<i32>, tensor<i32>
  }
  return %0 : tensor<i32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.if' op false_branch result #0 must be 'tensor<4xf32>', got 'tensor<f32>'
func.func @if_types(%p: tensor<i1>, %x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  %0 = "stablehlo.if"(%p) ({
    stablehlo.return %x : tensor<4xf32>
  }, {
    stablehlo.return %s : tensor<f32>
  }) : (tensor<i1>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK: regions-errors.mlir:[[# @LINE + 2]]:{{[0-9]+}}: error: 'stablehlo.case' op branch #1 must return 1 values, got 0
func.func @case_types(%k: tensor<i32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.case"(%k) ({
    stablehlo.return %x : tensor<4xf32>
  }, {
    stablehlo.return
  }) : (tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
