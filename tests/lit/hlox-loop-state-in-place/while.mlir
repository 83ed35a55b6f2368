// RUN: hlox-opt %s --hlox-loop-state-in-place | FileCheck %s

// A scan as JAX writes it, after the linalg lowering: the 0-d condition
// becomes scalar arithmetic; the counter and the state, updated elementwise
// from their own block arguments and yielded back in place, become the inits
// of their updates (one-shot-bufferize then keeps each in one buffer).

#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<() -> ()>
#map2 = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @scan
func.func @scan(%h0: tensor<8xf32>, %xs: tensor<100x8xf32>) -> tensor<8xf32> {
  %c1_i32 = arith.constant 1 : i32
  %half = arith.constant 5.000000e-01 : f32
  %c100_i32 = arith.constant 100 : i32
  %c0 = arith.constant 0 : index
  %zero = arith.constant dense<0> : tensor<i32>
  %r:2 = scf.while (%i = %zero, %h = %h0) : (tensor<i32>, tensor<8xf32>) -> (tensor<i32>, tensor<8xf32>) {
    // CHECK: %[[I:.*]] = tensor.extract %{{.*}}[] : tensor<i32>
    // CHECK: %[[LT:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : i32
    // CHECK-NOT: linalg.generic
    // CHECK: scf.condition(%[[LT]])
    %e = tensor.empty() : tensor<i1>
    %lt = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = []} ins(%i : tensor<i32>) outs(%e : tensor<i1>) {
    ^bb0(%in: i32, %out: i1):
      %c = arith.cmpi slt, %in, %c100_i32 : i32
      linalg.yield %c : i1
    } -> tensor<i1>
    %b = tensor.extract %lt[] : tensor<i1>
    scf.condition(%b) %i, %h : tensor<i32>, tensor<8xf32>
  } do {
  // CHECK: ^bb0(%[[IA:.*]]: tensor<i32>, %[[HA:.*]]: tensor<8xf32>):
  ^bb0(%i: tensor<i32>, %h: tensor<8xf32>):
    %iv = tensor.extract %i[] : tensor<i32>
    %idx = arith.index_cast %iv : i32 to index
    %x = tensor.extract_slice %xs[%idx, 0] [1, 8] [1, 1] : tensor<100x8xf32> to tensor<1x8xf32>
    // CHECK: %[[HX:.*]] = tensor.expand_shape %[[HA]]
    %hx = tensor.expand_shape %h [[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
    %e = tensor.empty() : tensor<1x8xf32>
    // CHECK: linalg.generic {{.*}} ins(%[[HX]], %{{.*}} : tensor<1x8xf32>, tensor<1x8xf32>) outs(%[[HX]] : tensor<1x8xf32>)
    %new = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel"]} ins(%hx, %x : tensor<1x8xf32>, tensor<1x8xf32>) outs(%e : tensor<1x8xf32>) {
    ^bb0(%a: f32, %b: f32, %out: f32):
      %m = arith.mulf %a, %half : f32
      %s = arith.addf %m, %b : f32
      linalg.yield %s : f32
    } -> tensor<1x8xf32>
    %hn = tensor.collapse_shape %new [[0, 1]] : tensor<1x8xf32> into tensor<8xf32>
    %e2 = tensor.empty() : tensor<i32>
    // CHECK: linalg.generic {{.*}} ins(%[[IA]] : tensor<i32>) outs(%[[IA]] : tensor<i32>)
    %in = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = []} ins(%i : tensor<i32>) outs(%e2 : tensor<i32>) {
    ^bb0(%a: i32, %out: i32):
      %s = arith.addi %a, %c1_i32 : i32
      linalg.yield %s : i32
    } -> tensor<i32>
    scf.yield %in, %hn : tensor<i32>, tensor<8xf32>
  }
  return %r#1 : tensor<8xf32>
}

// The state is read again after its update (and by a reduction: not
// elementwise): the update keeps its own init.

// CHECK-LABEL: func.func @state_read_after_update
func.func @state_read_after_update(%h0: tensor<8xf32>, %n: index) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%h = %h0) -> (tensor<8xf32>) {
    // CHECK: %[[E:.*]] = tensor.empty() : tensor<8xf32>
    // CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<8xf32>)
    %e = tensor.empty() : tensor<8xf32>
    %new = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%h : tensor<8xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%a: f32, %out: f32):
      %s = arith.addf %a, %a : f32
      linalg.yield %s : f32
    } -> tensor<8xf32>
    %again = arith.addf %new, %h : tensor<8xf32>
    scf.yield %again : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// In an scf.for, an elementwise update of the carried value in place.

// CHECK-LABEL: func.func @for_update
func.func @for_update(%h0: tensor<8xf32>, %n: index) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // CHECK: scf.for {{.*}} iter_args(%[[H:.*]] = %{{.*}})
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%h = %h0) -> (tensor<8xf32>) {
    // CHECK: linalg.generic {{.*}} ins(%[[H]] : tensor<8xf32>) outs(%[[H]] : tensor<8xf32>)
    %e = tensor.empty() : tensor<8xf32>
    %new = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%h : tensor<8xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%a: f32, %out: f32):
      %s = arith.mulf %a, %a : f32
      linalg.yield %s : f32
    } -> tensor<8xf32>
    scf.yield %new : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}
