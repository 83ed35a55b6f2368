// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg --hlox-readonly-arguments \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries allow-return-allocs-from-loops function-boundary-type-conversion=identity-layout-map" \
// RUN:   --canonicalize --drop-equivalent-buffer-results --buffer-results-to-out-params="modify-public-functions" \
// RUN: | FileCheck %s

// `lax.fori_loop(0, n, lambda i, acc: acc.at[i].set(...), acc)` as JAX lowers
// it: the loop body is a private function whose scatter updates the carried
// buffer in place, through a loop nest that passes the buffer along.
// Canonicalized, that loop nest folds to the argument itself, so the function
// returns nothing instead of copying the whole buffer into an out-parameter
// on every step.

// CHECK-LABEL: func.func public @main
// CHECK: } do {
// CHECK-NEXT: ^bb0(%{{.*}}: memref<i32>, %[[ACC:[a-z0-9_]+]]: memref<4x3xf32>):
// CHECK-NOT: memref.alloc() {{.*}}: memref<4x3xf32>
// CHECK: func.call @closed_call(%{{.*}}, %[[ACC]], %{{.*}}, %{{.*}}) : (memref<i32>, memref<4x3xf32>, memref<3xf32>, memref<i32>) -> ()
// CHECK-NOT: memref.alloc() {{.*}}: memref<4x3xf32>
// CHECK: scf.yield %{{.*}}, %[[ACC]] :

// CHECK-LABEL: func.func private @closed_call
// CHECK-SAME: (%{{.*}}: memref<i32>, %[[ARG:[a-z0-9_]+]]: memref<4x3xf32>, %{{.*}}: memref<3xf32>, %{{.*}}: memref<i32>) {
// CHECK-NOT: memref.copy {{.*}}memref<4x3xf32>
// CHECK: memref.store %{{.*}}, %[[ARG]]
// CHECK-NOT: memref.copy {{.*}}memref<4x3xf32>
// CHECK: return{{$}}

module @jit_g {
  func.func public @main(%row: tensor<3xf32>) -> tensor<4x3xf32> {
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %0 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<4x3xf32>
    %c = stablehlo.constant dense<0> : tensor<i32>
    %1:2 = stablehlo.while(%i = %c, %acc = %0) : tensor<i32>, tensor<4x3xf32>
    cond {
      %c4 = stablehlo.constant dense<4> : tensor<i32>
      %2 = stablehlo.compare LT, %i, %c4, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %2 : tensor<i1>
    } do {
      %2:2 = func.call @closed_call(%i, %acc, %row) : (tensor<i32>, tensor<4x3xf32>, tensor<3xf32>) -> (tensor<i32>, tensor<4x3xf32>)
      stablehlo.return %2#0, %2#1 : tensor<i32>, tensor<4x3xf32>
    }
    return %1#1 : tensor<4x3xf32>
  }
  func.func private @closed_call(%i: tensor<i32>, %acc: tensor<4x3xf32>, %row: tensor<3xf32>) -> (tensor<i32>, tensor<4x3xf32>) {
    %c1 = stablehlo.constant dense<1> : tensor<i32>
    %next = stablehlo.add %i, %c1 : tensor<i32>
    %index = stablehlo.broadcast_in_dim %i, dims = [] : (tensor<i32>) -> tensor<1xi32>
    %0 = "stablehlo.scatter"(%acc, %index, %row) <{indices_are_sorted = true, scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [0], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0]>, unique_indices = true}> ({
    ^bb0(%old: tensor<f32>, %new: tensor<f32>):
      stablehlo.return %new : tensor<f32>
    }) : (tensor<4x3xf32>, tensor<1xi32>, tensor<3xf32>) -> tensor<4x3xf32>
    return %next, %0 : tensor<i32>, tensor<4x3xf32>
  }
}
