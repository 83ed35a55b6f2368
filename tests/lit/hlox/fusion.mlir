// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// CHECK-LABEL: func.func @fused
// CHECK: %[[R:.*]]:2 = hlox.fusion loop(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
// CHECK: ^bb0(%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>):
// CHECK:   %[[S:.*]] = stablehlo.add %[[X]], %[[Y]] : tensor<4xf32>
// CHECK:   hlox.yield %[[S]], %[[X]] : tensor<4xf32>, tensor<4xf32>
// CHECK: }
func.func @fused(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = hlox.fusion loop (%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    %s = stablehlo.add %x, %y : tensor<4xf32>
    hlox.yield %s, %x : tensor<4xf32>, tensor<4xf32>
  }
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @no_inputs
// CHECK: hlox.fusion custom() : () -> tensor<f32>
func.func @no_inputs() -> tensor<f32> {
  %r = hlox.fusion custom () : () -> tensor<f32> {
    %c = stablehlo.constant dense<1.0> : tensor<f32>
    hlox.yield %c : tensor<f32>
  }
  return %r : tensor<f32>
}
