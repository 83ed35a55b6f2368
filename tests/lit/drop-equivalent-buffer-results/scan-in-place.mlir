// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg --hlox-readonly-arguments \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries allow-return-allocs-from-loops function-boundary-type-conversion=identity-layout-map" \
// RUN:   --drop-equivalent-buffer-results --buffer-results-to-out-params="modify-public-functions" \
// RUN: | FileCheck %s

// The CPU pipeline's bufferization on JAX's lowering of
// `lax.scan(lambda c, x: (c + x, c * x), 0., xs)` over 16 steps: the ys buffer
// is carried by the while loop and written by a private function's
// dynamic_update_slice. It must be updated in place: no 16-element buffer is
// allocated or copied inside the loop or the function (one per step made the
// scan quadratic), the function returns nothing, and the loop carries the
// buffer it was given.

// CHECK-LABEL: func.func public @main
// CHECK: scf.while ({{.*}}, %[[BEFORE_YS:[a-z0-9_]+]] = %{{.*}}) : ({{.*}}, memref<16xf32>) ->
// CHECK-NOT: memref.alloc() {{.*}}: memref<16xf32>
// CHECK-NOT: memref.copy {{.*}}memref<16xf32>
// CHECK: scf.condition(%{{.*}}) {{.*}}, %[[BEFORE_YS]] :
// CHECK: } do {
// CHECK-NEXT: ^bb0({{.*}}, %[[BODY_YS:[a-z0-9_]+]]: memref<16xf32>):
// CHECK-NOT: memref.alloc() {{.*}}: memref<16xf32>
// CHECK-NOT: memref.copy {{.*}}memref<16xf32>
// CHECK: func.call @dynamic_update_index_in_dim(%[[BODY_YS]], {{.*}}) : (memref<16xf32>, memref<f32>, memref<i32>) -> ()
// CHECK-NOT: memref.alloc() {{.*}}: memref<16xf32>
// CHECK-NOT: memref.copy {{.*}}memref<16xf32>
// CHECK: scf.yield {{.*}}, %[[BODY_YS]] : {{.*}}, memref<16xf32>

// CHECK-LABEL: func.func private @dynamic_update_index_in_dim
// CHECK-SAME: (%[[ARG:.*]]: memref<16xf32>, %{{.*}}: memref<f32>, %{{.*}}: memref<i32>) {
// CHECK-NOT: memref.alloc() {{.*}}: memref<16xf32>
// CHECK: memref.subview %[[ARG]]
// CHECK-NOT: memref.copy {{.*}}memref<16xf32>
// CHECK: return{{$}}

module @jit__lambda {
  func.func public @main(%arg0: tensor<16xf32>) -> (tensor<f32>, tensor<16xf32>) {
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %0 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<16xf32>
    %c = stablehlo.constant dense<0> : tensor<i32>
    %1:4 = stablehlo.while(%iterArg = %arg0, %iterArg_1 = %c, %iterArg_2 = %cst, %iterArg_3 = %0) : tensor<16xf32>, tensor<i32>, tensor<f32>, tensor<16xf32>
    cond {
      %c_4 = stablehlo.constant dense<16> : tensor<i32>
      %2 = stablehlo.compare LT, %iterArg_1, %c_4, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %2 : tensor<i1>
    } do {
      %2 = func.call @dynamic_index_in_dim(%iterArg, %iterArg_1) : (tensor<16xf32>, tensor<i32>) -> tensor<f32>
      %3 = stablehlo.add %iterArg_2, %2 : tensor<f32>
      %4 = stablehlo.multiply %iterArg_2, %2 : tensor<f32>
      %5 = func.call @dynamic_update_index_in_dim(%iterArg_3, %4, %iterArg_1) : (tensor<16xf32>, tensor<f32>, tensor<i32>) -> tensor<16xf32>
      %c_4 = stablehlo.constant dense<1> : tensor<i32>
      %6 = stablehlo.add %iterArg_1, %c_4 : tensor<i32>
      stablehlo.return %iterArg, %6, %3, %5 : tensor<16xf32>, tensor<i32>, tensor<f32>, tensor<16xf32>
    }
    return %1#2, %1#3 : tensor<f32>, tensor<16xf32>
  }
  func.func private @dynamic_index_in_dim(%arg0: tensor<16xf32>, %arg1: tensor<i32>) -> tensor<f32> {
    %0 = stablehlo.dynamic_slice %arg0, %arg1, sizes = [1] : (tensor<16xf32>, tensor<i32>) -> tensor<1xf32>
    %1 = stablehlo.reshape %0 : (tensor<1xf32>) -> tensor<f32>
    return %1 : tensor<f32>
  }
  func.func private @dynamic_update_index_in_dim(%arg0: tensor<16xf32>, %arg1: tensor<f32>, %arg2: tensor<i32>) -> tensor<16xf32> {
    %0 = stablehlo.broadcast_in_dim %arg1, dims = [] : (tensor<f32>) -> tensor<1xf32>
    %1 = stablehlo.dynamic_update_slice %arg0, %0, %arg2 : (tensor<16xf32>, tensor<1xf32>, tensor<i32>) -> tensor<16xf32>
    return %1 : tensor<16xf32>
  }
}
