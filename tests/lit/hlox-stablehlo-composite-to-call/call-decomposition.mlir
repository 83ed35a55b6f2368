// RUN: hlox-opt %s --hlox-stablehlo-composite-to-call | FileCheck %s

// A composite is a call of its decomposition (its name and attributes go).

// CHECK-LABEL: func.func @main
// CHECK-NOT: stablehlo.composite
// CHECK: %[[R:.*]] = call @add_n.impl(%arg0) : (tensor<i64>) -> tensor<i64>
// CHECK: return %[[R]]
func.func private @add_n.impl(%arg0: tensor<i64>) -> tensor<i64> {
  %0 = stablehlo.constant dense<2> : tensor<i64>
  %1 = stablehlo.add %arg0, %0 : tensor<i64>
  func.return %1 : tensor<i64>
}

func.func @main(%arg0: tensor<i64>) -> tensor<i64> {
  %0 = stablehlo.composite "my.add_n" %arg0 {
    composite_attributes = {n = 2 : i64}, decomposition = @add_n.impl
  } : (tensor<i64>) -> tensor<i64>
  return %0 : tensor<i64>
}
