// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// sort -> for each position of the other dims (scf.for), an insertion sort
// along `dimension` of all operands together: scf.for i, scf.while j > 0 and
// comparator(x[j], x[j-1]) (inlined as scalar code; TOTALORDER floats
// compare as integers), swapping elements j and j-1 of every operand.

// CHECK-LABEL: func.func @sort_pair
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<3x5xf32>, tensor<3x5xi32>)
// CHECK:   scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:     scf.while (%[[J:.*]] = %[[I]], %[[K:.*]] = %{{.*}}, %[[V:.*]] = %{{.*}}) : (index, tensor<3x5xf32>, tensor<3x5xi32>)
// CHECK:       %[[POS:.*]] = arith.cmpi sgt, %[[J]], %{{.*}} : index
// CHECK:       %[[LESS:.*]] = scf.if %[[POS]] -> (i1) {
// CHECK:         tensor.extract %[[K]][%[[ROW]], %[[J]]] : tensor<3x5xf32>
// CHECK:         arith.bitcast %{{.*}} : f32 to i32
// CHECK:         arith.cmpi slt
// CHECK:       } else {
// CHECK:         scf.yield %false : i1
// CHECK:       scf.condition(%[[LESS]]) %[[J]], %[[K]], %[[V]]
// CHECK:     } do {
// CHECK:       tensor.insert
// CHECK:       tensor.insert
// CHECK:       tensor.insert
// CHECK:       tensor.insert
// CHECK:       scf.yield %{{.*}}, %{{.*}}, %{{.*}} : index, tensor<3x5xf32>, tensor<3x5xi32>
func.func @sort_pair(%k: tensor<3x5xf32>, %v: tensor<3x5xi32>) -> (tensor<3x5xf32>, tensor<3x5xi32>) {
  %0:2 = "stablehlo.sort"(%k, %v) <{dimension = 1 : i64, is_stable = true}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>, %c: tensor<i32>, %d: tensor<i32>):
    %1 = stablehlo.compare LT, %a, %b, TOTALORDER : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %1 : tensor<i1>
  }) : (tensor<3x5xf32>, tensor<3x5xi32>) -> (tensor<3x5xf32>, tensor<3x5xi32>)
  return %0#0, %0#1 : tensor<3x5xf32>, tensor<3x5xi32>
}
