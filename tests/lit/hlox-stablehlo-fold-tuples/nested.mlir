// RUN: hlox-opt %s --hlox-stablehlo-fold-tuples | FileCheck %s

// get_tuple_element of a tuple built in the function is the element; the
// tuples, nested ones included, are then unused and go.

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<2xf64>, %[[S:.*]]: tensor<i64>)
// CHECK-NOT: tuple
// CHECK: return %[[S]], %[[X]]
func.func @main(%x: tensor<2xf64>, %s: tensor<i64>) -> (tensor<i64>, tensor<2xf64>) {
  %inner = stablehlo.tuple %s : tuple<tensor<i64>>
  %t = stablehlo.tuple %x, %inner : tuple<tensor<2xf64>, tuple<tensor<i64>>>
  %a = stablehlo.get_tuple_element %t[0] : (tuple<tensor<2xf64>, tuple<tensor<i64>>>) -> tensor<2xf64>
  %b = stablehlo.get_tuple_element %t[1] : (tuple<tensor<2xf64>, tuple<tensor<i64>>>) -> tuple<tensor<i64>>
  %c = stablehlo.get_tuple_element %b[0] : (tuple<tensor<i64>>) -> tensor<i64>
  return %c, %a : tensor<i64>, tensor<2xf64>
}

// A tuple argument stays (the lowering refuses it by name).
// CHECK-LABEL: func.func @argument
// CHECK: stablehlo.get_tuple_element
func.func @argument(%t: tuple<tensor<i64>>) -> tensor<i64> {
  %0 = stablehlo.get_tuple_element %t[0] : (tuple<tensor<i64>>) -> tensor<i64>
  return %0 : tensor<i64>
}
