// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// convert (saturating float -> integer, NaN -> 0), bitcast_convert between
// equal and different widths.

// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[DROP:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @convert_f32_i32
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: i32):
// CHECK: %[[C:.*]] = arith.fptosi %[[X]] : f32 to i32
// CHECK: %[[HI:.*]] = arith.cmpf oge, %[[X]], %{{.*}} : f32
// CHECK: %[[R1:.*]] = arith.select %[[HI]], %c2147483647_i32, %[[C]] : i32
// CHECK: %[[LO:.*]] = arith.cmpf ole, %[[X]], %{{.*}} : f32
// CHECK: %[[R2:.*]] = arith.select %[[LO]], %c-2147483648_i32, %[[R1]] : i32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: %[[R:.*]] = arith.select %[[NAN]], %c0_i32, %[[R2]] : i32
// CHECK: linalg.yield %[[R]] : i32
func.func @convert_f32_i32(%a: tensor<4xf32>) -> tensor<4xi32> {
  %0 = stablehlo.convert %a : (tensor<4xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// To unsigned: >= 2^8 gives 255; <= 0 and NaN (unordered) give 0.
// CHECK-LABEL: func.func @convert_f64_ui8
// CHECK: %[[C:.*]] = arith.fptoui %[[X:.*]] : f64 to i8
// CHECK: %[[CST:.*]] = arith.constant 2.560000e+02 : f64
// CHECK: %[[HI:.*]] = arith.cmpf oge, %[[X]], %[[CST]] : f64
// CHECK: %[[R1:.*]] = arith.select %[[HI]], %c-1_i8, %[[C]] : i8
// CHECK: %[[LO:.*]] = arith.cmpf ule, %[[X]], %{{.*}} : f64
// CHECK: arith.select %[[LO]], %c0_i8, %[[R1]] : i8
func.func @convert_f64_ui8(%a: tensor<4xf64>) -> tensor<4xui8> {
  %0 = stablehlo.convert %a : (tensor<4xf64>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// f16 -> bf16 (same width, neither wider): through f32.
// CHECK-LABEL: func.func @convert_f16_bf16
// CHECK: %[[W:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %[[W]] : f32 to bf16
func.func @convert_f16_bf16(%a: tensor<4xf16>) -> tensor<4xbf16> {
  %0 = stablehlo.convert %a : (tensor<4xf16>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// CHECK-LABEL: func.func @bitcast_same_width
// CHECK-SAME: -> tensor<4xi32>
// CHECK: arith.bitcast %{{.*}} : f32 to i32
func.func @bitcast_same_width(%a: tensor<4xf32>) -> tensor<4xui32> {
  %0 = stablehlo.bitcast_convert %a : (tensor<4xf32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// Wide -> narrow: element j of the new last dimension is bits [8j, 8j + 8)
// (little-endian).
// CHECK-LABEL: func.func @bitcast_narrow
// CHECK: linalg.generic {indexing_maps = [#[[DROP]], #[[ID2]]], iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<3xf32>) outs(%{{.*}} : tensor<3x4xi8>)
// CHECK: %[[B:.*]] = arith.bitcast %{{.*}} : f32 to i32
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[JI:.*]] = arith.index_cast %[[J]] : index to i32
// CHECK: %[[SH:.*]] = arith.muli %[[JI]], %c8_i32 : i32
// CHECK: %[[S:.*]] = arith.shrui %[[B]], %[[SH]] : i32
// CHECK: arith.trunci %[[S]] : i32 to i8
func.func @bitcast_narrow(%a: tensor<3xf32>) -> tensor<3x4xi8> {
  %0 = stablehlo.bitcast_convert %a : (tensor<3xf32>) -> tensor<3x4xi8>
  return %0 : tensor<3x4xi8>
}

// Narrow -> wide: an or-reduction over the last dimension into a zeroed i64,
// then bitcast to f64.
// CHECK-LABEL: func.func @bitcast_widen
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : i64) outs(%{{.*}} : tensor<3xi64>)
// CHECK: %[[W:.*]] = linalg.generic {indexing_maps = [#[[ID2]], #[[DROP]]], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<3x2xi32>) outs(%[[Z]] : tensor<3xi64>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %[[ACC:.*]]: i64):
// CHECK: %[[E:.*]] = arith.extui %[[IN]] : i32 to i64
// CHECK: linalg.index 1
// CHECK: %[[SH:.*]] = arith.muli %{{.*}}, %c32_i64 : i64
// CHECK: %[[P:.*]] = arith.shli %[[E]], %[[SH]] : i64
// CHECK: arith.ori %[[ACC]], %[[P]] : i64
// CHECK: linalg.generic {{.*}} ins(%[[W]] : tensor<3xi64>) outs(%{{.*}} : tensor<3xf64>)
// CHECK: arith.bitcast %{{.*}} : i64 to f64
func.func @bitcast_widen(%a: tensor<3x2xi32>) -> tensor<3xf64> {
  %0 = stablehlo.bitcast_convert %a : (tensor<3x2xi32>) -> tensor<3xf64>
  return %0 : tensor<3xf64>
}
