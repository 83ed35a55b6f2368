// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// convolution -> linalg.generic over (result dims, kernel input feature,
// kernel spatial dims) reading every layout in place; the lhs is padded with
// zero first; feature groups index the lhs feature as
// (f floordiv (O / groups)) * C + c.

// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d5, d2 * 2 + d6, d4)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d6, d4, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, -d2 + 1)>
// CHECK-DAG: #[[GLHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, (d1 floordiv 3) * 2 + d3, d2 + d4)>

// CHECK-LABEL: func.func @conv_nhwc
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1, 0] [1, 6, 6, 2] [1, 1, 1, 1] : tensor<1x6x6x2xf32> into tensor<1x8x8x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[PADDED]], %{{.*}} : tensor<1x8x8x2xf32>, tensor<3x3x2x4xf32>)
// CHECK:   arith.mulf
// CHECK:   arith.addf
func.func @conv_nhwc(%x: tensor<1x6x6x2xf32>, %w: tensor<3x3x2x4xf32>) -> tensor<1x3x3x4xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f], window = {stride = [2, 2], pad = [[1, 1], [1, 1]], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>) -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// CHECK-LABEL: func.func @conv_grouped
// CHECK: linalg.generic {indexing_maps = [#[[GLHS]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
func.func @conv_grouped(%x: tensor<1x4x5xf32>, %w: tensor<6x2x2xf32>) -> tensor<1x6x4xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, f, 0]x[o, i, 0]->[b, f, 0], window = {stride = [1], rhs_dilate = [1]} {batch_group_count = 1 : i64, feature_group_count = 2 : i64} : (tensor<1x4x5xf32>, tensor<6x2x2xf32>) -> tensor<1x6x4xf32>
  return %0 : tensor<1x6x4xf32>
}

// window_reversal: a reversed copy of the kernel.
// CHECK-LABEL: func.func @reversal
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[REV]], {{.*}}]} ins(%{{.*}} : tensor<1x1x2xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[R]] : tensor<1x1x5xf32>, tensor<1x1x2xf32>)
func.func @reversal(%x: tensor<1x1x5xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x4xf32> {
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, f, 0]x[o, i, 0]->[b, f, 0], window = {reverse = [true]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x1x5xf32>, tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
  return %0 : tensor<1x1x4xf32>
}

// float16 (and bfloat16) accumulate in float32, truncated once, as XLA CPU does.
// CHECK-LABEL: func.func @f16_conv
func.func @f16_conv(%x: tensor<1x2x5xf16>, %w: tensor<3x2x2xf16>) -> tensor<1x3x4xf16> {
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: %[[SUM:.*]] = linalg.generic {{.*}} outs(%[[ACC]] : tensor<1x3x4xf32>)
  // CHECK: ^bb0(%[[X:.*]]: f16, %[[Y:.*]]: f16, %[[A:.*]]: f32):
  // CHECK: arith.extf %[[X]] : f16 to f32
  // CHECK: arith.extf %[[Y]] : f16 to f32
  // CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x3x4xf32>) outs(%{{.*}} : tensor<1x3x4xf16>)
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %0 = stablehlo.convolution(%x, %w) dim_numbers = [b, f, 0]x[o, i, 0]->[b, f, 0], window = {} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<1x2x5xf16>, tensor<3x2x2xf16>) -> tensor<1x3x4xf16>
  return %0 : tensor<1x3x4xf16>
}
