// RUN: hlox-opt %s --hlox-chlo-legalize-to-stablehlo | FileCheck %s

// top_k: a stable sort along the last dimension, largest first (floats in
// total order), carrying an iota of indices, then the first k.

// CHECK-LABEL: func.func @top_k_f32
// CHECK: %[[IOTA:.*]] = stablehlo.iota dim = 1 : tensor<4x6xi32>
// CHECK: %[[S:.*]]:2 = "stablehlo.sort"(%arg0, %[[IOTA]]) <{dimension = 1 : i64, is_stable = true}>
// CHECK: ^bb0(%[[A:.*]]: tensor<f32>, %[[B:.*]]: tensor<f32>, %{{.*}}: tensor<i32>, %{{.*}}: tensor<i32>):
// CHECK: %[[GT:.*]] = stablehlo.compare GT, %[[A]], %[[B]], TOTALORDER
// CHECK: stablehlo.return %[[GT]]
// CHECK: %[[V:.*]] = stablehlo.slice %[[S]]#0 [0:4, 0:2] : (tensor<4x6xf32>) -> tensor<4x2xf32>
// CHECK: %[[I:.*]] = stablehlo.slice %[[S]]#1 [0:4, 0:2] : (tensor<4x6xi32>) -> tensor<4x2xi32>
// CHECK: return %[[V]], %[[I]]
func.func @top_k_f32(%x: tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xi32>) {
  %values, %indices = chlo.top_k(%x, k = 2) : tensor<4x6xf32> -> (tensor<4x2xf32>, tensor<4x2xi32>)
  return %values, %indices : tensor<4x2xf32>, tensor<4x2xi32>
}

// CHECK-LABEL: func.func @top_k_ui8
// CHECK: stablehlo.compare GT, %{{.*}}, %{{.*}}, UNSIGNED
// CHECK: stablehlo.slice %{{.*}} [0:3]
func.func @top_k_ui8(%x: tensor<8xui8>) -> (tensor<3xui8>, tensor<3xi32>) {
  %values, %indices = chlo.top_k(%x, k = 3) : tensor<8xui8> -> (tensor<3xui8>, tensor<3xi32>)
  return %values, %indices : tensor<3xui8>, tensor<3xi32>
}
