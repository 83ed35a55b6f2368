// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// reduce -> linalg.generic: inputs with identity maps, results filled with the
// init values and projecting the reduced dims away; the body (any number of
// operands) inlined as scalar arith code with (accumulators, elements).
// map -> linalg.generic with identity maps.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @sum
// CHECK: %[[INIT:.*]] = tensor.extract %{{.*}}[] : tensor<f32>
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[INIT]] : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<3x4xf32>) outs(%[[ACC]] : tensor<3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[OUT]], %[[IN]] : f32
// CHECK:   linalg.yield %[[S]] : f32
func.func @sum(%x: tensor<3x4xf32>) -> tensor<3xf32> {
  %c = stablehlo.constant dense<0.0> : tensor<f32>
  %r = stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [1] : (tensor<3x4xf32>, tensor<f32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// CHECK-LABEL: func.func @argmax
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<3x5xf32>, tensor<3x5xi32>) outs(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xi32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[I:.*]]: i32, %[[AV:.*]]: f32, %[[AI:.*]]: i32):
// CHECK:   %[[GT:.*]] = arith.cmpf ogt, %[[AV]], %[[V]] : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf une, %[[AV]], %[[AV]] : f32
// CHECK:   %[[KEEP:.*]] = arith.ori %[[GT]], %[[NAN]] : i1
// CHECK:   arith.cmpi slt, %[[AI]], %[[I]] : i32
// CHECK:   %[[SV:.*]] = arith.select %[[KEEP]], %[[AV]], %[[V]] : f32
// CHECK:   %[[SI:.*]] = arith.select %{{.*}}, %[[AI]], %[[I]] : i32
// CHECK:   linalg.yield %[[SV]], %[[SI]] : f32, i32
// CHECK: } -> (tensor<3xf32>, tensor<3xi32>)
func.func @argmax(%x: tensor<3x5xf32>, %i: tensor<3x5xi32>) -> (tensor<3xf32>, tensor<3xi32>) {
  %cst = stablehlo.constant dense<0xFF800000> : tensor<f32>
  %c = stablehlo.constant dense<0> : tensor<i32>
  %1:2 = stablehlo.reduce(%x init: %cst), (%i init: %c) across dimensions = [1] : (tensor<3x5xf32>, tensor<3x5xi32>, tensor<f32>, tensor<i32>) -> (tensor<3xf32>, tensor<3xi32>)
   reducer(%arg1: tensor<f32>, %arg3: tensor<f32>) (%arg2: tensor<i32>, %arg4: tensor<i32>)  {
    %2 = stablehlo.compare GT, %arg1, %arg3, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %3 = stablehlo.compare NE, %arg1, %arg1, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %4 = stablehlo.or %2, %3 : tensor<i1>
    %5 = stablehlo.compare EQ, %arg1, %arg3, FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %6 = stablehlo.compare LT, %arg2, %arg4, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %7 = stablehlo.and %5, %6 : tensor<i1>
    %8 = stablehlo.or %4, %7 : tensor<i1>
    %9 = stablehlo.select %4, %arg1, %arg3 : tensor<i1>, tensor<f32>
    %10 = stablehlo.select %8, %arg2, %arg4 : tensor<i1>, tensor<i32>
    stablehlo.return %9, %10 : tensor<f32>, tensor<i32>
  }
  return %1#0, %1#1 : tensor<3xf32>, tensor<3xi32>
}

// Unsigned: signless storage, unsigned max.
// CHECK-LABEL: func.func @unsigned_max
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]]], iterator_types = ["reduction", "parallel"]}
// CHECK:   arith.maxui %{{.*}}, %{{.*}} : i32
func.func @unsigned_max(%x: tensor<4x2xui32>) -> tensor<2xui32> {
  %c = stablehlo.constant dense<0> : tensor<ui32>
  %r = stablehlo.reduce(%x init: %c) applies stablehlo.maximum across dimensions = [0] : (tensor<4x2xui32>, tensor<ui32>) -> tensor<2xui32>
  return %r : tensor<2xui32>
}

// CHECK-LABEL: func.func @map
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel"]} ins(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>)
// CHECK:   arith.mulf %{{.*}}, %{{.*}} : f32
func.func @map(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.map"(%x, %y) <{dimensions = array<i64: 0>}> ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %1 = stablehlo.multiply %a, %b : tensor<f32>
    stablehlo.return %1 : tensor<f32>
  }) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// A reduce over no dimension is the input itself, as XLA computes it (the
// spec leaves the number of init values in the schedule to implementations).
// CHECK-LABEL: func.func @reduce_no_dimension
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %{{.*}}: tensor<f32>)
// CHECK-NEXT: return %[[X]] : tensor<3xf32>
func.func @reduce_no_dimension(%x: tensor<3xf32>, %i: tensor<f32>) -> tensor<3xf32> {
  %0 = stablehlo.reduce(%x init: %i) applies stablehlo.add across dimensions = [] : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// Any elementwise op in a body is lowered by the elementwise patterns' scalar
// builders: log_plus_one (JAX's logaddexp reducer) as its accurate formula.
// CHECK-LABEL: func.func @logaddexp_body
func.func @logaddexp_body(%x: tensor<4xf32>) -> tensor<f32> {
  %c = stablehlo.constant dense<0xFF800000> : tensor<f32>
  // CHECK: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
  // CHECK: %[[M:.*]] = arith.maximumf %[[ACC]], %[[IN]] : f32
  // CHECK: %[[D:.*]] = arith.subf %[[ACC]], %[[IN]] : f32
  // CHECK: %[[A:.*]] = math.absf %[[D]] : f32
  // CHECK: %[[N:.*]] = arith.negf %[[A]] : f32
  // CHECK: %[[E:.*]] = math.exp %[[N]] : f32
  // CHECK: %[[U:.*]] = arith.addf %[[E]], %{{.*}} : f32
  // CHECK: math.log %[[U]] : f32
  // CHECK: %[[S:.*]] = arith.addf %[[M]], %{{.*}} : f32
  // CHECK-NEXT: linalg.yield %[[S]] : f32
  %r = stablehlo.reduce(%x init: %c) across dimensions = [0] : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
   reducer(%a: tensor<f32>, %b: tensor<f32>) {
    %m = stablehlo.maximum %a, %b : tensor<f32>
    %d = stablehlo.subtract %a, %b : tensor<f32>
    %n = stablehlo.abs %d : tensor<f32>
    %e = stablehlo.negate %n : tensor<f32>
    %x1 = stablehlo.exponential %e : tensor<f32>
    %l = stablehlo.log_plus_one %x1 : tensor<f32>
    %s = stablehlo.add %m, %l : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }
  return %r : tensor<f32>
}
