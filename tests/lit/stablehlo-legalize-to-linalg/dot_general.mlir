// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// dot_general: linalg.matmul, linalg.batch_matmul, or a linalg.generic
// contraction (loops: batch, lhs free, rhs free, contracting), accumulating
// into a zero-filled result.

// CHECK-DAG: #[[V:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0) -> ()>
// CHECK-DAG: #[[LT:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[R1:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[O1:.*]] = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @matmul
func.func @matmul(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<3x5xf32> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x5xf32>
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<3x5xf32>) -> tensor<3x5xf32>
  // CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<4x5xf32>) outs(%[[ACC]] : tensor<3x5xf32>) -> tensor<3x5xf32>
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @batch_matmul
func.func @batch_matmul(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  // CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%{{.*}} : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  %0 = stablehlo.dot_general %a, %b, batching_dims = [0] x [0], contracting_dims = [2] x [1] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// CHECK-LABEL: func.func @vector_dot
func.func @vector_dot(%v: tensor<4xf32>) -> tensor<f32> {
  // CHECK: linalg.generic {indexing_maps = [#[[V]], #[[V]], #[[S]]], iterator_types = ["reduction"]}
  // CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
  // CHECK: %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
  // CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[P]] : f32
  // CHECK: linalg.yield %[[SUM]] : f32
  %0 = stablehlo.dot_general %v, %v, contracting_dims = [0] x [0] : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @transposed_lhs_matvec
func.func @transposed_lhs_matvec(%m: tensor<4x3xf32>, %v: tensor<4xf32>) -> tensor<3xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[LT]], #[[R1]], #[[O1]]], iterator_types = ["parallel", "reduction"]}
  %0 = stablehlo.dot_general %m, %v, contracting_dims = [0] x [0] : (tensor<4x3xf32>, tensor<4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// CHECK-LABEL: func.func @integer_mixed_types
func.func @integer_mixed_types(%a: tensor<2x3xi8>, %b: tensor<3x2xi8>) -> tensor<2x2xi32> {
  // CHECK: arith.constant 0 : i32
  // CHECK: linalg.generic
  // CHECK: arith.extsi %{{.*}} : i8 to i32
  // CHECK: arith.extsi %{{.*}} : i8 to i32
  // CHECK: arith.muli
  // CHECK: arith.addi
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3xi8>, tensor<3x2xi8>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// Without contracting dimensions the generic is elementwise: it yields the
// product and never reads its init (no zero fill). linalg-fuse-elementwise-ops
// would otherwise keep the init as an output of a fused consumer with more
// loops and accumulate into it once per extra iteration.
// CHECK-LABEL: func.func @outer_product
// CHECK-NOT: linalg.fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x2xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<2xf32>) outs(%[[E]] : tensor<3x2xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[P]] : f32
func.func @outer_product(%x: tensor<3xf32>, %y: tensor<2xf32>) -> tensor<3x2xf32> {
  %0 = stablehlo.dot_general %x, %y, contracting_dims = [] x [] : (tensor<3xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @batch_only_int
// CHECK-NOT: linalg.fill
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK-NEXT: %[[P:.*]] = arith.muli %[[X]], %[[Y]] : i32
// CHECK-NEXT: linalg.yield %[[P]] : i32
func.func @batch_only_int(%x: tensor<3xi32>, %y: tensor<3xi32>) -> tensor<3xi32> {
  %0 = stablehlo.dot_general %x, %y, batching_dims = [0] x [0], contracting_dims = [] x [] : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// bfloat16 (and float16) accumulate in float32, truncated once, as XLA CPU does.
// CHECK-LABEL: func.func @bf16_matmul
func.func @bf16_matmul(%a: tensor<3x4xbf16>, %b: tensor<4x5xbf16>) -> tensor<3x5xbf16> {
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<3x5xf32>) -> tensor<3x5xf32>
  // CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<3x4xbf16>, tensor<4x5xbf16>) outs(%[[ACC]] : tensor<3x5xf32>)
  // CHECK: ^bb0(%[[X:.*]]: bf16, %[[Y:.*]]: bf16, %[[A:.*]]: f32):
  // CHECK: %[[XF:.*]] = arith.extf %[[X]] : bf16 to f32
  // CHECK: %[[YF:.*]] = arith.extf %[[Y]] : bf16 to f32
  // CHECK: %[[P:.*]] = arith.mulf %[[XF]], %[[YF]] : f32
  // CHECK: arith.addf %[[A]], %[[P]] : f32
  // CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<3x5xf32>) outs(%{{.*}} : tensor<3x5xbf16>)
  // CHECK: arith.truncf %{{.*}} : f32 to bf16
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<3x4xbf16>, tensor<4x5xbf16>) -> tensor<3x5xbf16>
  return %0 : tensor<3x5xbf16>
}
