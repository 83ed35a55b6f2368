// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// scatter -> scf.for nest over the updates carrying the results; an update
// whose window is out of bounds is skipped (scf.if), otherwise the update
// computation (scalar code) combines result and update elements.

// CHECK-LABEL: func.func @scatter_add
// CHECK: scf.for %[[U0:.*]] = %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<3x5xf32>)
// CHECK:   scf.for %[[U1:.*]] = %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<3x5xf32>)
// CHECK:     %[[S:.*]] = tensor.extract %{{.*}}[%[[U0]], %{{.*}}] : tensor<2x1xi32>
// CHECK:     %[[R:.*]] = arith.index_cast %[[S]] : i32 to index
// CHECK:     arith.cmpi sge, %[[R]]
// CHECK:     arith.cmpi slt, %[[R]]
// CHECK:     scf.if %{{.*}} -> (tensor<3x5xf32>) {
// CHECK:       %[[UPD:.*]] = tensor.extract %{{.*}}[%[[U0]], %[[U1]]] : tensor<2x5xf32>
// CHECK:       %[[OLD:.*]] = tensor.extract %[[ACC]][%[[R]], %{{.*}}] : tensor<3x5xf32>
// CHECK:       %[[NEW:.*]] = arith.addf %[[OLD]], %[[UPD]] : f32
// CHECK:       tensor.insert %[[NEW]] into %[[ACC]][%[[R]], %{{.*}}] : tensor<3x5xf32>
// CHECK:     } else {
// CHECK:       scf.yield %[[ACC]] : tensor<3x5xf32>
func.func @scatter_add(%x: tensor<3x5xf32>, %i: tensor<2x1xi32>, %u: tensor<2x5xf32>) -> tensor<3x5xf32> {
  %0 = "stablehlo.scatter"(%x, %i, %u) <{indices_are_sorted = false, scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>, unique_indices = false}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %1 : tensor<f32>
  }) : (tensor<3x5xf32>, tensor<2x1xi32>, tensor<2x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
