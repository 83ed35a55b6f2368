// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// reduce_window -> (padding and base dilation: the input inserted with a
// stride into a tensor filled with the init value) linalg.generic over
// (result dims, window dims) with the window shape as an extra input;
// input map out * stride + window * window_dilation.

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0 + d4, d1 * 2 + d5, d2 * 2 + d6, d3 + d7)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d4, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[DIN:.*]] = affine_map<(d0, d1) -> (d0 * 2 + d1 * 2)>

// CHECK-LABEL: func.func @max_pool
// CHECK: %[[W:.*]] = tensor.empty() : tensor<1x2x2x1xf32>
// CHECK: %[[ACC:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %[[W]] : tensor<1x6x6x1xf32>, tensor<1x2x2x1xf32>) outs(%[[ACC]] : tensor<1x3x3x1xf32>)
// CHECK:   arith.maximumf
func.func @max_pool(%x: tensor<1x6x6x1xf32>) -> tensor<1x3x3x1xf32> {
  %c = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %0 = "stablehlo.reduce_window"(%x, %c) <{window_dimensions = array<i64: 1, 2, 2, 1>, window_strides = array<i64: 1, 2, 2, 1>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.maximum %a, %b : tensor<f32>
    stablehlo.return %1 : tensor<f32>
  }) : (tensor<1x6x6x1xf32>, tensor<f32>) -> tensor<1x3x3x1xf32>
  return %0 : tensor<1x3x3x1xf32>
}

// Padding [2, 3] and base dilation 2: 5 elements at stride 2 from offset 2
// in 2 + 9 + 3 = 14 init values.
// CHECK-LABEL: func.func @padded_dilated
// CHECK: %[[INIT:.*]] = tensor.extract
// CHECK: %[[BIG:.*]] = tensor.empty() : tensor<14xf32>
// CHECK: %[[FILLED:.*]] = linalg.fill ins(%[[INIT]] : f32) outs(%[[BIG]] : tensor<14xf32>)
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %{{.*}} into %[[FILLED]][2] [5] [2] : tensor<5xf32> into tensor<14xf32>
// CHECK: linalg.generic {indexing_maps = [#[[DIN]], {{.*}}], iterator_types = ["parallel", "reduction"]} ins(%[[PADDED]], %{{.*}} : tensor<14xf32>, tensor<3xf32>)
func.func @padded_dilated(%x: tensor<5xf32>) -> tensor<5xf32> {
  %c = stablehlo.constant dense<0.0> : tensor<f32>
  %0 = "stablehlo.reduce_window"(%x, %c) <{window_dimensions = array<i64: 3>, window_strides = array<i64: 2>, base_dilations = array<i64: 2>, window_dilations = array<i64: 2>, padding = dense<[[2, 3]]> : tensor<1x2xi64>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %1 : tensor<f32>
  }) : (tensor<5xf32>, tensor<f32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// A bfloat16 window sum (JAX's cumsum) accumulates in float32, truncated once.
// CHECK-LABEL: func.func @bf16_cumsum
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<7xbf16>, tensor<4xbf16>) outs(%{{.*}} : tensor<4xf32>)
// CHECK:   arith.extf %{{.*}} : bf16 to f32
// CHECK:   arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xbf16>)
// CHECK:   arith.truncf %{{.*}} : f32 to bf16
func.func @bf16_cumsum(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  %c = stablehlo.constant dense<0.0> : tensor<bf16>
  %r = "stablehlo.reduce_window"(%x, %c) <{padding = dense<[[3, 0]]> : tensor<1x2xi64>, window_dimensions = array<i64: 4>}> ({
  ^bb0(%a: tensor<bf16>, %b: tensor<bf16>):
    %s = stablehlo.add %a, %b : tensor<bf16>
    stablehlo.return %s : tensor<bf16>
  }) : (tensor<4xbf16>, tensor<bf16>) -> tensor<4xbf16>
  return %r : tensor<4xbf16>
}
