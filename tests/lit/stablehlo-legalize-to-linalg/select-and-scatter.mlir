// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// select_and_scatter -> the result filled with init_value; for every source
// element (scf.for nest) a scan of its window (scf.for nest carrying
// (selected?, value, index...)) keeps the selection while select(selected,
// candidate) holds; then scatter(result[selected], source) is inserted.

// CHECK-LABEL: func.func @max_pool_grad
// CHECK: %[[INIT:.*]] = linalg.fill
// CHECK: scf.for %{{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (tensor<4x4xf32>)
// CHECK:   scf.for %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<4x4xf32>)
// CHECK:     %[[SEL:.*]]:4 = scf.for {{.*}} -> (i1, f32, index, index)
// CHECK:       scf.for {{.*}} -> (i1, f32, index, index)
// CHECK:         scf.if %{{.*}} -> (i1, f32, index, index)
// CHECK:           arith.cmpf oge
// CHECK:     scf.if %[[SEL]]#0 -> (tensor<4x4xf32>) {
// CHECK:       %[[OLD:.*]] = tensor.extract %[[ACC]][%[[SEL]]#2, %[[SEL]]#3] : tensor<4x4xf32>
// CHECK:       %[[NEW:.*]] = arith.addf %[[OLD]], %{{.*}} : f32
// CHECK:       tensor.insert %[[NEW]] into %[[ACC]][%[[SEL]]#2, %[[SEL]]#3] : tensor<4x4xf32>
func.func @max_pool_grad(%x: tensor<4x4xf32>, %s: tensor<2x2xf32>) -> tensor<4x4xf32> {
  %c = stablehlo.constant dense<0.0> : tensor<f32>
  %0 = "stablehlo.select_and_scatter"(%x, %s, %c) <{window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 2, 2>, padding = dense<0> : tensor<2x2xi64>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.compare GE, %a, %b, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %1 : tensor<i1>
  }, {
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %1 : tensor<f32>
  }) : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<f32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
