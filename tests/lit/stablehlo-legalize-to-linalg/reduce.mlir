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

// bfloat16/float16 sums accumulate in float32 and are truncated once (as the
// contractions; summing in bfloat16 stalls short of the sum).
// CHECK-LABEL: func.func @bf16_sum
// CHECK: %[[INIT:.*]] = tensor.extract %{{.*}}[] : tensor<bf16>
// CHECK: %[[WIDE:.*]] = arith.extf %[[INIT]] : bf16 to f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[WIDE]] : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3x4xbf16>) outs(%[[ACC]] : tensor<3xf32>)
// CHECK: ^bb0(%[[IN:.*]]: bf16, %[[OUT:.*]]: f32):
// CHECK:   %[[X:.*]] = arith.extf %[[IN]] : bf16 to f32
// CHECK:   %[[S:.*]] = arith.addf %[[OUT]], %[[X]] : f32
// CHECK:   linalg.yield %[[S]] : f32
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf32>) outs(%{{.*}} : tensor<3xbf16>)
// CHECK:   arith.truncf %{{.*}} : f32 to bf16
func.func @bf16_sum(%x: tensor<3x4xbf16>) -> tensor<3xbf16> {
  %c = stablehlo.constant dense<0.0> : tensor<bf16>
  %r = stablehlo.reduce(%x init: %c) applies stablehlo.add across dimensions = [1] : (tensor<3x4xbf16>, tensor<bf16>) -> tensor<3xbf16>
  return %r : tensor<3xbf16>
}

// CHECK-LABEL: func.func @f16_product
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<3x4xf16>) outs(%{{.*}} : tensor<3xf32>)
// CHECK:   arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:   arith.truncf %{{.*}} : f32 to f16
func.func @f16_product(%x: tensor<3x4xf16>) -> tensor<3xf16> {
  %c = stablehlo.constant dense<1.0> : tensor<f16>
  %r = stablehlo.reduce(%x init: %c) applies stablehlo.multiply across dimensions = [1] : (tensor<3x4xf16>, tensor<f16>) -> tensor<3xf16>
  return %r : tensor<3xf16>
}

// A body with other ops (here a compare/select argmax) runs in its own type.
// CHECK-LABEL: func.func @bf16_argmax_body_in_bf16
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<3xbf16>, tensor<3xi32>)
// CHECK-NOT: arith.extf
// CHECK: return
func.func @bf16_argmax_body_in_bf16(%x: tensor<3x5xbf16>, %i: tensor<3x5xi32>) -> tensor<3xi32> {
  %c = stablehlo.constant dense<0xFF80> : tensor<bf16>
  %z = stablehlo.constant dense<0> : tensor<i32>
  %r:2 = stablehlo.reduce(%x init: %c), (%i init: %z) across dimensions = [1] : (tensor<3x5xbf16>, tensor<3x5xi32>, tensor<bf16>, tensor<i32>) -> (tensor<3xbf16>, tensor<3xi32>)
    reducer(%a: tensor<bf16>, %b: tensor<bf16>) (%ai: tensor<i32>, %bi: tensor<i32>) {
      %gt = stablehlo.compare GT, %a, %b : (tensor<bf16>, tensor<bf16>) -> tensor<i1>
      %v = stablehlo.select %gt, %a, %b : tensor<i1>, tensor<bf16>
      %w = stablehlo.select %gt, %ai, %bi : tensor<i1>, tensor<i32>
      stablehlo.return %v, %w : tensor<bf16>, tensor<i32>
    }
  return %r#1 : tensor<3xi32>
}
