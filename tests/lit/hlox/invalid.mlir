// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: error: 'hlox.fusion' op yields ('tensor<4xf32>') but has results ('tensor<4xi32>')
func.func @bad_yield(%a: tensor<4xf32>) -> tensor<4xi32> {
  %r = hlox.fusion loop (%a) : (tensor<4xf32>) -> tensor<4xi32> {
  ^bb0(%x: tensor<4xf32>):
    hlox.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xi32>
}

// -----

// CHECK: error: 'hlox.fusion' op region argument #0 has type 'tensor<4xf16>' but operand #0 has type 'tensor<4xf32>'
func.func @bad_args(%a: tensor<4xf32>) -> tensor<4xf16> {
  %r = hlox.fusion loop (%a) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%x: tensor<4xf16>):
    hlox.yield %x : tensor<4xf16>
  }
  return %r : tensor<4xf16>
}

// -----

// The region is isolated from above.
// CHECK: error: 'stablehlo.add' op using value defined outside the region
func.func @captures(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = hlox.fusion loop () : () -> tensor<4xf32> {
    %s = stablehlo.add %a, %a : tensor<4xf32>
    hlox.yield %s : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// CHECK: error: custom op 'hlox.fusion' unknown fusion kind 'elementwise' (expected loop, input, output, multi_output or custom)
func.func @bad_kind(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = hlox.fusion elementwise (%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    hlox.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// CHECK: error: 'hlox.fusion' op of kind input needs a reduce and no contraction
func.func @input_without_reduce(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = hlox.fusion input (%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    %e = stablehlo.exponential %x : tensor<4xf32>
    hlox.yield %e : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// CHECK: error: 'hlox.fusion' op of kind output needs exactly one dot_general/convolution and no reduce
func.func @output_without_contraction(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = hlox.fusion output (%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    hlox.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

// CHECK: error: 'hlox.fusion' op of kind loop holds a reduce or a contraction
func.func @loop_with_reduce(%a: tensor<4xf32>) -> tensor<f32> {
  %r = hlox.fusion loop (%a) : (tensor<4xf32>) -> tensor<f32> {
  ^bb0(%x: tensor<4xf32>):
    %z = stablehlo.constant dense<0.0> : tensor<f32>
    %s = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [0] : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
    hlox.yield %s : tensor<f32>
  }
  return %r : tensor<f32>
}

// -----

// CHECK: error: 'hlox.fusion' op of kind multi_output needs several results
func.func @multi_output_one_result(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = hlox.fusion multi_output (%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    hlox.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
