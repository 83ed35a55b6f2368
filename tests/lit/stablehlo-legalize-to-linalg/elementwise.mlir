// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// Every elementwise op becomes a linalg.generic with identity maps whose body
// is the op's scalar form (one table entry per op).

// CHECK: #[[MAP:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add_f32
func.func @add_f32(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
  // CHECK: linalg.generic {indexing_maps = [#[[MAP]], #[[MAP]], #[[MAP]]], iterator_types = ["parallel", "parallel"]}
  // CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
  // CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
  // CHECK: linalg.yield %[[S]] : f32
  // CHECK-NOT: stablehlo
  %0 = stablehlo.add %a, %b : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @add_i32_0d
func.func @add_i32_0d(%a: tensor<i32>, %b: tensor<i32>) -> tensor<i32> {
  // CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = []}
  // CHECK: arith.addi %{{.*}}, %{{.*}} : i32
  %0 = stablehlo.add %a, %b : tensor<i32>
  return %0 : tensor<i32>
}

// CHECK-LABEL: func.func @add_i1
func.func @add_i1(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // CHECK: arith.ori %{{.*}}, %{{.*}} : i1
  %0 = stablehlo.add %a, %b : tensor<4xi1>
  return %0 : tensor<4xi1>
}

// The table: one scalar body per op (float / integer forms).

// CHECK-LABEL: func.func @table_float
func.func @table_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: arith.subf
  %0 = stablehlo.subtract %a, %b : tensor<4xf32>
  // CHECK: arith.mulf
  %1 = stablehlo.multiply %0, %b : tensor<4xf32>
  // CHECK: arith.divf
  %2 = stablehlo.divide %1, %b : tensor<4xf32>
  // CHECK: arith.maximumf
  %3 = stablehlo.maximum %2, %b : tensor<4xf32>
  // CHECK: arith.minimumf
  %4 = stablehlo.minimum %3, %b : tensor<4xf32>
  // CHECK: arith.negf
  %5 = stablehlo.negate %4 : tensor<4xf32>
  // CHECK: math.exp
  %6 = stablehlo.exponential %5 : tensor<4xf32>
  // CHECK: math.log
  %7 = stablehlo.log %6 : tensor<4xf32>
  // CHECK: math.tanh
  %8 = stablehlo.tanh %7 : tensor<4xf32>
  // CHECK: math.sqrt
  %9 = stablehlo.sqrt %8 : tensor<4xf32>
  // CHECK: math.rsqrt
  %10 = stablehlo.rsqrt %9 : tensor<4xf32>
  // CHECK: math.absf
  %11 = stablehlo.abs %10 : tensor<4xf32>
  // CHECK: math.sin
  %12 = stablehlo.sine %11 : tensor<4xf32>
  // CHECK: math.cos
  %13 = stablehlo.cosine %12 : tensor<4xf32>
  // CHECK: math.floor
  %14 = stablehlo.floor %13 : tensor<4xf32>
  // CHECK: math.ceil
  %15 = stablehlo.ceil %14 : tensor<4xf32>
  return %15 : tensor<4xf32>
}

// CHECK-LABEL: func.func @table_int
func.func @table_int(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  // CHECK: arith.subi
  %0 = stablehlo.subtract %a, %b : tensor<4xi32>
  // CHECK: arith.muli
  %1 = stablehlo.multiply %0, %b : tensor<4xi32>
  // CHECK: arith.divsi
  %2 = stablehlo.divide %1, %b : tensor<4xi32>
  // CHECK: arith.maxsi
  %3 = stablehlo.maximum %2, %b : tensor<4xi32>
  // CHECK: arith.minsi
  %4 = stablehlo.minimum %3, %b : tensor<4xi32>
  // CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
  // CHECK: arith.subi %[[ZERO]], %{{.*}} : i32
  %5 = stablehlo.negate %4 : tensor<4xi32>
  // CHECK: math.absi
  %6 = stablehlo.abs %5 : tensor<4xi32>
  // CHECK: arith.andi
  %7 = stablehlo.and %6, %b : tensor<4xi32>
  // CHECK: arith.ori
  %8 = stablehlo.or %7, %b : tensor<4xi32>
  // CHECK: arith.xori
  %9 = stablehlo.xor %8, %b : tensor<4xi32>
  return %9 : tensor<4xi32>
}
