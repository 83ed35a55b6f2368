// RUN: hlox-opt %s --hlox-cpu-reciprocal-divisors | FileCheck %s

// A divisor read without the innermost loop (softmax's row sum) becomes a
// reciprocal times the numerator, as XLA rewrites A / broadcast(B); LLVM
// hoists the reciprocal out of the row's loop.

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (i)>
#col = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @by_row
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: %[[R:.*]] = arith.divf %[[ONE]], %{{.*}} : f32
// CHECK: arith.mulf %{{.*}}, %[[R]] : f32
// CHECK-NOT: arith.divf
func.func @by_row(%x: tensor<4x8xf32>, %s: tensor<4xf32>, %out: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<4x8xf32>, tensor<4xf32>) outs(%out : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.divf %a, %b : f32
    linalg.yield %q : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// A divisor that changes along the row (a column vector, or per element) is
// divided by as it is.
// CHECK-LABEL: func.func @by_column
// CHECK: arith.divf %{{.*}}, %{{.*}} : f64
// CHECK-NOT: arith.mulf
func.func @by_column(%x: tensor<4x8xf64>, %s: tensor<8xf64>, %out: tensor<4x8xf64>) -> tensor<4x8xf64> {
  %r = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<4x8xf64>, tensor<8xf64>) outs(%out : tensor<4x8xf64>) {
  ^bb0(%a: f64, %b: f64, %o: f64):
    %q = arith.divf %a, %b : f64
    linalg.yield %q : f64
  } -> tensor<4x8xf64>
  return %r : tensor<4x8xf64>
}

// A reciprocal already (1 / b) is left alone.
// CHECK-LABEL: func.func @reciprocal
// CHECK: arith.divf
// CHECK-NOT: arith.mulf
func.func @reciprocal(%s: tensor<4xf32>, %out: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %one = arith.constant 1.0 : f32
  %r = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s : tensor<4xf32>) outs(%out : tensor<4x8xf32>) {
  ^bb0(%b: f32, %o: f32):
    %q = arith.divf %one, %b : f32
    linalg.yield %q : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// float16 is divided by as it is: its reciprocal overflows for subnormal
// divisors (below 2^-14), where the quotient is finite.
// CHECK-LABEL: func.func @float16
// CHECK: arith.divf %{{.*}}, %{{.*}} : f16
// CHECK-NOT: arith.mulf
func.func @float16(%x: tensor<4x8xf16>, %s: tensor<4xf16>, %out: tensor<4x8xf16>) -> tensor<4x8xf16> {
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s : tensor<4x8xf16>, tensor<4xf16>) outs(%out : tensor<4x8xf16>) {
  ^bb0(%a: f16, %b: f16, %o: f16):
    %q = arith.divf %a, %b : f16
    linalg.yield %q : f16
  } -> tensor<4x8xf16>
  return %r : tensor<4x8xf16>
}
