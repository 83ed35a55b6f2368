// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// CHECK-LABEL: func.func @fused
// CHECK: %[[R:.*]]:2 = hlox.fusion "loop"(%arg0, %arg1) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
// CHECK: ^bb0(%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>):
// CHECK:   %[[S:.*]] = stablehlo.add %[[X]], %[[Y]] : tensor<4xf32>
// CHECK:   hlox.yield %[[S]], %[[X]] : tensor<4xf32>, tensor<4xf32>
// CHECK: }
func.func @fused(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = hlox.fusion "loop" (%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%x: tensor<4xf32>, %y: tensor<4xf32>):
    %s = stablehlo.add %x, %y : tensor<4xf32>
    hlox.yield %s, %x : tensor<4xf32>, tensor<4xf32>
  }
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @no_inputs
// CHECK: hlox.fusion "custom"() : () -> tensor<f32>
func.func @no_inputs() -> tensor<f32> {
  %r = hlox.fusion "custom" () : () -> tensor<f32> {
    %c = stablehlo.constant dense<1.0> : tensor<f32>
    hlox.yield %c : tensor<f32>
  }
  return %r : tensor<f32>
}

// CHECK-LABEL: func.func @sharded
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = {{\[\[}}"x"], [], ["y"]]>
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=2], device_ids = [0, 2, 1, 3], dims = {{\[\[}}"x", "y"]]>
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["a"=4, "r"=2], dims = {{\[\[}}"a"], []], replicated = ["r"]>
// CHECK-SAME: hlox.sharding = #hlox.sharding<replicated>
// CHECK-SAME: hlox.sharding = #hlox.sharding<maximal device = 3>
// CHECK-SAME: hlox.sharding = #hlox.sharding<manual>
func.func @sharded(%a: tensor<2x3x4xf32> {hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = [["x"], [], ["y"]]>},
                   %b: tensor<8xf32> {hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=2], device_ids = [0, 2, 1, 3], dims = [["x", "y"]]>},
                   %c: tensor<4x4xf32> {hlox.sharding = #hlox.sharding<mesh = ["a"=4, "r"=2], dims = [["a"], []], replicated = ["r"]>},
                   %d: tensor<f32> {hlox.sharding = #hlox.sharding<replicated>},
                   %e: tensor<f32> {hlox.sharding = #hlox.sharding<maximal device = 3>},
                   %f: tensor<f32> {hlox.sharding = #hlox.sharding<manual>}) {
  return
}
