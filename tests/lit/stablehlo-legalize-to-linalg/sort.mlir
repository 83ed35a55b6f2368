// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// sort -> for each position of the other dims (scf.for), a stable bottom-up
// merge sort along `dimension` of all operands together: insertion sort of
// runs of 16 or 32 elements in place (scf.while j > lo and
// comparator(x[j], x[j-1]), inlined as scalar code; TOTALORDER floats compare
// as integers), then merge passes, two per scf.for iteration (data ->
// scratch, scratch -> data), taking the right run's element only when it is
// strictly less (stability).

// n = 5: one run, no merge pass.
// CHECK-LABEL: func.func @sort_pair
// CHECK-SAME: (%[[K0:.*]]: tensor<3x5xf32>, %[[V0:.*]]: tensor<3x5xi32>)
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[K0]], %{{.*}} = %[[V0]], %{{.*}} = %[[K0]], %{{.*}} = %[[V0]]) -> (tensor<3x5xf32>, tensor<3x5xi32>, tensor<3x5xf32>, tensor<3x5xi32>)
// CHECK:   scf.for %[[LO:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK:     scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK:       scf.while (%[[J:.*]] = %[[I]], %[[K:.*]] = %{{.*}}, %[[V:.*]] = %{{.*}}) : (index, tensor<3x5xf32>, tensor<3x5xi32>)
// CHECK:         %[[POS:.*]] = arith.cmpi sgt, %[[J]], %[[LO]] : index
// CHECK:         %[[LESS:.*]] = scf.if %[[POS]] -> (i1) {
// CHECK:           tensor.extract %[[K]][%[[ROW]], %[[J]]] : tensor<3x5xf32>
// CHECK:           arith.bitcast %{{.*}} : f32 to i32
// CHECK:           arith.cmpi slt
// CHECK:         } else {
// CHECK:           scf.yield %false : i1
// CHECK:         scf.condition(%[[LESS]]) %[[J]], %[[K]], %[[V]]
// CHECK:       } do {
// CHECK-COUNT-4: tensor.insert
// CHECK:         scf.yield %{{.*}}, %{{.*}}, %{{.*}} : index, tensor<3x5xf32>, tensor<3x5xi32>
// CHECK-NOT: scf.for
// CHECK: return
func.func @sort_pair(%k: tensor<3x5xf32>, %v: tensor<3x5xi32>) -> (tensor<3x5xf32>, tensor<3x5xi32>) {
  %0:2 = "stablehlo.sort"(%k, %v) <{dimension = 1 : i64, is_stable = true}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>, %c: tensor<i32>, %d: tensor<i32>):
    %1 = stablehlo.compare LT, %a, %b, TOTALORDER : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %1 : tensor<i1>
  }) : (tensor<3x5xf32>, tensor<3x5xi32>) -> (tensor<3x5xf32>, tensor<3x5xi32>)
  return %0#0, %0#1 : tensor<3x5xf32>, tensor<3x5xi32>
}

// n = 100: runs of 16 leave 7 runs, 3 merge passes (odd): runs of 32 leave
// 4 runs, 2 passes: one iteration of the pass-pair loop, width 32 then 64.
// CHECK-LABEL: func.func @sort_merge
// CHECK: %[[RLEN:.*]] = arith.constant 32 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[RLEN]] iter_args
// CHECK:   scf.while
// CHECK: %[[W0:.*]] = arith.constant 32 : index
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[W:.*]] = %[[W0]], %[[D:.*]] = %{{.*}}, %[[S:.*]] = %{{.*}}) -> (index, tensor<100xf32>, tensor<100xf32>)
// CHECK:   %[[PAIR:.*]] = arith.addi %[[W]], %[[W]] : index
// CHECK:   %[[TOS:.*]] = scf.for %[[LO:.*]] = %{{.*}} to %{{.*}} step %[[PAIR]] iter_args(%{{.*}} = %[[S]]) -> (tensor<100xf32>)
// CHECK:     scf.for %[[K:.*]] = %[[LO]] to %{{.*}} step %{{.*}} iter_args(%[[I:.*]] = %[[LO]], %[[J:.*]] = %{{.*}}, %[[DST:.*]] = %{{.*}}) -> (index, index, tensor<100xf32>)
// CHECK:       %[[RIGHT:.*]] = scf.if
// CHECK:         scf.if
// CHECK:           tensor.extract %[[D]][%[[J]]]
// CHECK:           tensor.extract %[[D]][%[[I]]]
// CHECK:           arith.cmpf olt
// CHECK:       %[[FROM:.*]] = arith.select %[[RIGHT]], %[[J]], %[[I]] : index
// CHECK:       %[[X:.*]] = tensor.extract %[[D]][%[[FROM]]]
// CHECK:       tensor.insert %[[X]] into %[[DST]][%[[K]]]
// CHECK:   %[[TWICE:.*]] = arith.addi %[[W]], %[[W]] : index
// CHECK:   %[[TOD:.*]] = scf.for %{{.*}} iter_args(%{{.*}} = %[[D]]) -> (tensor<100xf32>)
// CHECK:     tensor.extract %[[TOS]]
// CHECK:   %[[NEXT:.*]] = arith.addi %[[TWICE]], %[[TWICE]] : index
// CHECK:   scf.yield %[[NEXT]], %[[TOD]], %[[TOS]] : index, tensor<100xf32>, tensor<100xf32>
func.func @sort_merge(%x: tensor<100xf32>) -> tensor<100xf32> {
  %0 = "stablehlo.sort"(%x) <{dimension = 0 : i64}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.compare LT, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %1 : tensor<i1>
  }) : (tensor<100xf32>) -> tensor<100xf32>
  return %0 : tensor<100xf32>
}
