// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// compare (every comparison type), select and clamp; rank-0 operands of a
// ranked result (select's pred, clamp's bounds) are read through a map with
// no results.

// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>

// FLOAT: ordered predicates, except NE (true for NaN); no type means FLOAT.
// CHECK-LABEL: func.func @compare_float
// CHECK: linalg.generic {indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]]], iterator_types = ["parallel"]} ins(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<4xi1>)
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK: arith.cmpf une, %{{.*}}, %{{.*}} : f32
func.func @compare_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = stablehlo.compare LT, %a, %b, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = stablehlo.compare NE, %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// TOTALORDER: the bits as a signed integer, negative values' magnitude bits
// flipped (bits ^ ((bits >> 31) & INT_MAX)), compared signed.
// CHECK-LABEL: func.func @compare_totalorder
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: i1):
// CHECK: %[[XB:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK: %[[XS:.*]] = arith.shrsi %[[XB]], %c31_i32 : i32
// CHECK: %[[XM:.*]] = arith.andi %[[XS]], %c2147483647_i32 : i32
// CHECK: %[[XK:.*]] = arith.xori %[[XB]], %[[XM]] : i32
// CHECK: %[[YB:.*]] = arith.bitcast %[[Y]] : f32 to i32
// CHECK: %[[YK:.*]] = arith.xori %[[YB]], %{{.*}} : i32
// CHECK: %[[R:.*]] = arith.cmpi sle, %[[XK]], %[[YK]] : i32
// CHECK: linalg.yield %[[R]] : i1
func.func @compare_totalorder(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
  %0 = stablehlo.compare LE, %a, %b, TOTALORDER : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// SIGNED (explicit or by default for signed integers), UNSIGNED by default
// for unsigned integers and i1.
// CHECK-LABEL: func.func @compare_int
// CHECK-SAME: %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi32>, %{{.*}}: tensor<4xi1>
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi sgt, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi uge, %{{.*}}, %{{.*}} : i32
// CHECK: arith.cmpi ult, %{{.*}}, %{{.*}} : i1
func.func @compare_int(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xui32>, %d: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = stablehlo.compare GT, %a, %b, SIGNED : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %1 = stablehlo.compare GT, %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
  %2 = stablehlo.compare GE, %c, %c : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  %3 = stablehlo.compare LT, %d, %d : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// CHECK-LABEL: func.func @select
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[ID2]], #[[ID2]]]
// CHECK: ^bb0(%[[P:.*]]: i1, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.select %[[P]], %[[T]], %[[F]] : f32
func.func @select(%p: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = stablehlo.select %p, %a, %b : tensor<2x3xi1>, tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @select_scalar_pred
// CHECK: linalg.generic {indexing_maps = [#[[SCALAR]], #[[ID2]], #[[ID2]], #[[ID2]]]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<i1>, tensor<2x3xi8>, tensor<2x3xi8>)
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : i8
func.func @select_scalar_pred(%p: tensor<i1>, %a: tensor<2x3xi8>, %b: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = stablehlo.select %p, %a, %b : tensor<i1>, tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// clamp = minimum(maximum(operand, min), max), NaN-propagating for floats.
// CHECK-LABEL: func.func @clamp
// CHECK: ^bb0(%[[LO:.*]]: f32, %[[X:.*]]: f32, %[[HI:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[M:.*]] = arith.maximumf %[[X]], %[[LO]] : f32
// CHECK: %[[R:.*]] = arith.minimumf %[[M]], %[[HI]] : f32
// CHECK: linalg.yield %[[R]]
func.func @clamp(%lo: tensor<2x3xf32>, %a: tensor<2x3xf32>, %hi: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = stablehlo.clamp %lo, %a, %hi : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Scalar bounds, unsigned.
// CHECK-LABEL: func.func @clamp_scalar
// CHECK: linalg.generic {indexing_maps = [#[[SCALAR]], #[[ID2]], #[[SCALAR]], #[[ID2]]]
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<i16>, tensor<2x3xi16>, tensor<i16>)
// CHECK: arith.maxui
// CHECK: arith.minui
func.func @clamp_scalar(%lo: tensor<ui16>, %a: tensor<2x3xui16>, %hi: tensor<ui16>) -> tensor<2x3xui16> {
  %0 = stablehlo.clamp %lo, %a, %hi : (tensor<ui16>, tensor<2x3xui16>, tensor<ui16>) -> tensor<2x3xui16>
  return %0 : tensor<2x3xui16>
}
