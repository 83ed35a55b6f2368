// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: error: 'hlox.fusion' op yields ('tensor<4xf32>') but has results ('tensor<4xi32>')
func.func @bad_yield(%a: tensor<4xf32>) -> tensor<4xi32> {
  %r = hlox.fusion "loop" (%a) : (tensor<4xf32>) -> tensor<4xi32> {
  ^bb0(%x: tensor<4xf32>):
    hlox.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xi32>
}

// -----

// CHECK: error: 'hlox.fusion' op region argument #0 has type 'tensor<4xf16>' but operand #0 has type 'tensor<4xf32>'
func.func @bad_args(%a: tensor<4xf32>) -> tensor<4xf16> {
  %r = hlox.fusion "loop" (%a) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%x: tensor<4xf16>):
    hlox.yield %x : tensor<4xf16>
  }
  return %r : tensor<4xf16>
}

// -----

// The region is isolated from above.
// CHECK: error: 'stablehlo.add' op using value defined outside the region
func.func @captures(%a: tensor<4xf32>) -> tensor<4xf32> {
  %r = hlox.fusion "loop" () : () -> tensor<4xf32> {
    %s = stablehlo.add %a, %a : tensor<4xf32>
    hlox.yield %s : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
