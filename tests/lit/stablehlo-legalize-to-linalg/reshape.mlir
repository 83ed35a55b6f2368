// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// reshape: tensor.collapse_shape / tensor.expand_shape, through 1-D when no
// single reassociation exists.

// CHECK-LABEL: func.func @collapse
func.func @collapse(%a: tensor<2x3xf32>) -> tensor<6xf32> {
  // CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %0 = stablehlo.reshape %a : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// CHECK-LABEL: func.func @expand
func.func @expand(%a: tensor<2x3xf32>) -> tensor<2x1x3xf32> {
  // CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [2, 1, 3] : tensor<2x3xf32> into tensor<2x1x3xf32>
  %0 = stablehlo.reshape %a : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  return %0 : tensor<2x1x3xf32>
}

// CHECK-LABEL: func.func @through_1d
func.func @through_1d(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  // CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
  %0 = stablehlo.reshape %a : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @rank0
func.func @rank0(%a: tensor<f32>, %b: tensor<1x1xf32>) -> (tensor<1x1xf32>, tensor<f32>) {
  // CHECK: tensor.expand_shape %{{.*}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
  // CHECK: tensor.collapse_shape %{{.*}} [] : tensor<1x1xf32> into tensor<f32>
  %0 = stablehlo.reshape %a : (tensor<f32>) -> tensor<1x1xf32>
  %1 = stablehlo.reshape %b : (tensor<1x1xf32>) -> tensor<f32>
  return %0, %1 : tensor<1x1xf32>, tensor<f32>
}
