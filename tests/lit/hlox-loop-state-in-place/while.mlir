// RUN: hlox-opt %s --hlox-loop-state-in-place | FileCheck %s

// A scan as JAX writes it, after the linalg lowering: the 0-d counter is
// carried as an i32 and its condition and increment become scalar
// arithmetic; the state, updated elementwise from its own block argument and
// yielded back in place, becomes the init of its update (one-shot-bufferize
// then keeps it in one buffer).

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
  // CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
  // CHECK: scf.while (%[[I:.*]] = %[[ZERO]], %{{.*}} = %{{.*}}) : (i32, tensor<8xf32>) -> (i32, tensor<8xf32>)
  %r:2 = scf.while (%i = %zero, %h = %h0) : (tensor<i32>, tensor<8xf32>) -> (tensor<i32>, tensor<8xf32>) {
    // CHECK-NOT: tensor.extract
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
  // CHECK: ^bb0(%[[IA:.*]]: i32, %[[HA:.*]]: tensor<8xf32>):
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
    // CHECK: %[[NEXT:.*]] = arith.addi %[[IA]], %{{.*}} : i32
    // CHECK: scf.yield %[[NEXT]], %{{.*}} : i32, tensor<8xf32>
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

// An RNN step, h = tanh(h @ w): the update has no input from the state, but
// the matmul has read the whole state before it: the state becomes its init
// (in scf.while: with the condition forwarding its arguments).

// CHECK-LABEL: func.func @rnn_while
func.func @rnn_while(%h0: tensor<8x16xf32>, %w: tensor<16x16xf32>, %n: i32) -> tensor<8x16xf32> {
  %c1_i32 = arith.constant 1 : i32
  %c0_i32 = arith.constant 0 : i32
  %zero = arith.constant 0.000000e+00 : f32
  %r:2 = scf.while (%i = %c0_i32, %h = %h0) : (i32, tensor<8x16xf32>) -> (i32, tensor<8x16xf32>) {
    %lt = arith.cmpi slt, %i, %n : i32
    scf.condition(%lt) %i, %h : i32, tensor<8x16xf32>
  } do {
  // CHECK: ^bb0(%{{.*}}: i32, %[[H:.*]]: tensor<8x16xf32>):
  ^bb0(%i: i32, %h: tensor<8x16xf32>):
    %e = tensor.empty() : tensor<8x16xf32>
    %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
    // CHECK: %[[HW:.*]] = linalg.matmul ins(%[[H]],
    %hw = linalg.matmul ins(%h, %w : tensor<8x16xf32>, tensor<16x16xf32>) outs(%acc : tensor<8x16xf32>) -> tensor<8x16xf32>
    %e2 = tensor.empty() : tensor<8x16xf32>
    // CHECK: linalg.generic {{.*}} ins(%[[HW]] : tensor<8x16xf32>) outs(%[[H]] : tensor<8x16xf32>)
    %new = linalg.generic {indexing_maps = [#map2, #map2], iterator_types = ["parallel", "parallel"]} ins(%hw : tensor<8x16xf32>) outs(%e2 : tensor<8x16xf32>) {
    ^bb0(%a: f32, %out: f32):
      %t = math.tanh %a : f32
      linalg.yield %t : f32
    } -> tensor<8x16xf32>
    %in = arith.addi %i, %c1_i32 : i32
    scf.yield %in, %new : i32, tensor<8x16xf32>
  }
  return %r#1 : tensor<8x16xf32>
}

// The update reads the state through another indexing map (a transpose):
// writing it over the state would clobber elements still to be read.

#transpose = affine_map<(d0, d1) -> (d1, d0)>

// CHECK-LABEL: func.func @reads_state_transposed
func.func @reads_state_transposed(%h0: tensor<8x8xf32>, %n: index) -> tensor<8x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%h = %h0) -> (tensor<8x8xf32>) {
    // CHECK: %[[E:.*]] = tensor.empty() : tensor<8x8xf32>
    // CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<8x8xf32>)
    %e = tensor.empty() : tensor<8x8xf32>
    %new = linalg.generic {indexing_maps = [#transpose, #map2], iterator_types = ["parallel", "parallel"]} ins(%h : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
    ^bb0(%a: f32, %out: f32):
      %t = math.tanh %a : f32
      linalg.yield %t : f32
    } -> tensor<8x8xf32>
    scf.yield %new : tensor<8x8xf32>
  }
  return %r : tensor<8x8xf32>
}

// The state is read after the update computed from other values: the update
// keeps its own init.

// CHECK-LABEL: func.func @state_read_after_fresh_update
func.func @state_read_after_fresh_update(%h0: tensor<8xf32>, %x: tensor<8xf32>, %n: index) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%h = %h0, %s = %h0) -> (tensor<8xf32>, tensor<8xf32>) {
    // CHECK: %[[E:.*]] = tensor.empty() : tensor<8xf32>
    // CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<8xf32>)
    %e = tensor.empty() : tensor<8xf32>
    %new = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
    ^bb0(%a: f32, %out: f32):
      %t = math.tanh %a : f32
      linalg.yield %t : f32
    } -> tensor<8xf32>
    %later = arith.addf %new, %h : tensor<8xf32>
    scf.yield %new, %later : tensor<8xf32>, tensor<8xf32>
  }
  return %r#1 : tensor<8xf32>
}

// A 0-d state read as a tensor (broadcast to a vector) stays a tensor; one
// only read as a scalar is carried as one and rebuilt after the loop.

#scalar_to_vector = affine_map<(d0) -> ()>

// CHECK-LABEL: func.func @while_state_read_as_tensor
func.func @while_state_read_as_tensor(%s0: tensor<f32>, %n0: tensor<i32>) -> (tensor<8xf32>, tensor<i32>) {
  %c1_i32 = arith.constant 1 : i32
  %c10_i32 = arith.constant 10 : i32
  %v0 = tensor.empty() : tensor<8xf32>
  // CHECK: %[[N0:.*]] = tensor.extract %{{.*}}[] : tensor<i32>
  // CHECK: %[[R:.*]]:3 = scf.while ({{.*}} = %[[N0]], {{.*}}) : (i32, tensor<f32>, tensor<8xf32>)
  %r:3 = scf.while (%n = %n0, %s = %s0, %v = %v0) : (tensor<i32>, tensor<f32>, tensor<8xf32>) -> (tensor<i32>, tensor<f32>, tensor<8xf32>) {
    %nv = tensor.extract %n[] : tensor<i32>
    %lt = arith.cmpi slt, %nv, %c10_i32 : i32
    scf.condition(%lt) %n, %s, %v : tensor<i32>, tensor<f32>, tensor<8xf32>
  } do {
  ^bb0(%n: tensor<i32>, %s: tensor<f32>, %v: tensor<8xf32>):
    %e = tensor.empty() : tensor<8xf32>
    %b = linalg.generic {indexing_maps = [#scalar_to_vector, #map], iterator_types = ["parallel"]} ins(%s : tensor<f32>) outs(%e : tensor<8xf32>) {
    ^bb0(%a: f32, %out: f32):
      linalg.yield %a : f32
    } -> tensor<8xf32>
    %e2 = tensor.empty() : tensor<i32>
    %next = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = []} ins(%n : tensor<i32>) outs(%e2 : tensor<i32>) {
    ^bb0(%a: i32, %out: i32):
      %x = arith.addi %a, %c1_i32 : i32
      linalg.yield %x : i32
    } -> tensor<i32>
    scf.yield %next, %s, %b : tensor<i32>, tensor<f32>, tensor<8xf32>
  }
  // CHECK: %[[N:.*]] = tensor.from_elements %[[R]]#0 : tensor<i32>
  // CHECK: return %[[R]]#2, %[[N]]
  return %r#2, %r#0 : tensor<8xf32>, tensor<i32>
}

// A chain of 0-d generics, each reading the one before twice (JAX's gamma
// sampler's scalar math): each becomes its payload once, not once per path
// through the chain (that was exponential in the chain's length).
// CHECK-LABEL: func.func @scalar_chain
func.func @scalar_chain(%x: tensor<f64>) -> f64 {
  %e0 = tensor.empty() : tensor<f64>
  %g0 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%x, %x : tensor<f64>, tensor<f64>) outs(%e0 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e1 = tensor.empty() : tensor<f64>
  %g1 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g0, %g0 : tensor<f64>, tensor<f64>) outs(%e1 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e2 = tensor.empty() : tensor<f64>
  %g2 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g1, %g1 : tensor<f64>, tensor<f64>) outs(%e2 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e3 = tensor.empty() : tensor<f64>
  %g3 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g2, %g2 : tensor<f64>, tensor<f64>) outs(%e3 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e4 = tensor.empty() : tensor<f64>
  %g4 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g3, %g3 : tensor<f64>, tensor<f64>) outs(%e4 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e5 = tensor.empty() : tensor<f64>
  %g5 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g4, %g4 : tensor<f64>, tensor<f64>) outs(%e5 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e6 = tensor.empty() : tensor<f64>
  %g6 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g5, %g5 : tensor<f64>, tensor<f64>) outs(%e6 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e7 = tensor.empty() : tensor<f64>
  %g7 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g6, %g6 : tensor<f64>, tensor<f64>) outs(%e7 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e8 = tensor.empty() : tensor<f64>
  %g8 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g7, %g7 : tensor<f64>, tensor<f64>) outs(%e8 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e9 = tensor.empty() : tensor<f64>
  %g9 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g8, %g8 : tensor<f64>, tensor<f64>) outs(%e9 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e10 = tensor.empty() : tensor<f64>
  %g10 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g9, %g9 : tensor<f64>, tensor<f64>) outs(%e10 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e11 = tensor.empty() : tensor<f64>
  %g11 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g10, %g10 : tensor<f64>, tensor<f64>) outs(%e11 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e12 = tensor.empty() : tensor<f64>
  %g12 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g11, %g11 : tensor<f64>, tensor<f64>) outs(%e12 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e13 = tensor.empty() : tensor<f64>
  %g13 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g12, %g12 : tensor<f64>, tensor<f64>) outs(%e13 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e14 = tensor.empty() : tensor<f64>
  %g14 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g13, %g13 : tensor<f64>, tensor<f64>) outs(%e14 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e15 = tensor.empty() : tensor<f64>
  %g15 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g14, %g14 : tensor<f64>, tensor<f64>) outs(%e15 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e16 = tensor.empty() : tensor<f64>
  %g16 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g15, %g15 : tensor<f64>, tensor<f64>) outs(%e16 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e17 = tensor.empty() : tensor<f64>
  %g17 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g16, %g16 : tensor<f64>, tensor<f64>) outs(%e17 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e18 = tensor.empty() : tensor<f64>
  %g18 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g17, %g17 : tensor<f64>, tensor<f64>) outs(%e18 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e19 = tensor.empty() : tensor<f64>
  %g19 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g18, %g18 : tensor<f64>, tensor<f64>) outs(%e19 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e20 = tensor.empty() : tensor<f64>
  %g20 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g19, %g19 : tensor<f64>, tensor<f64>) outs(%e20 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e21 = tensor.empty() : tensor<f64>
  %g21 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g20, %g20 : tensor<f64>, tensor<f64>) outs(%e21 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e22 = tensor.empty() : tensor<f64>
  %g22 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g21, %g21 : tensor<f64>, tensor<f64>) outs(%e22 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e23 = tensor.empty() : tensor<f64>
  %g23 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g22, %g22 : tensor<f64>, tensor<f64>) outs(%e23 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e24 = tensor.empty() : tensor<f64>
  %g24 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g23, %g23 : tensor<f64>, tensor<f64>) outs(%e24 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e25 = tensor.empty() : tensor<f64>
  %g25 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g24, %g24 : tensor<f64>, tensor<f64>) outs(%e25 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e26 = tensor.empty() : tensor<f64>
  %g26 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g25, %g25 : tensor<f64>, tensor<f64>) outs(%e26 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e27 = tensor.empty() : tensor<f64>
  %g27 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g26, %g26 : tensor<f64>, tensor<f64>) outs(%e27 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e28 = tensor.empty() : tensor<f64>
  %g28 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g27, %g27 : tensor<f64>, tensor<f64>) outs(%e28 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e29 = tensor.empty() : tensor<f64>
  %g29 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g28, %g28 : tensor<f64>, tensor<f64>) outs(%e29 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e30 = tensor.empty() : tensor<f64>
  %g30 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g29, %g29 : tensor<f64>, tensor<f64>) outs(%e30 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e31 = tensor.empty() : tensor<f64>
  %g31 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g30, %g30 : tensor<f64>, tensor<f64>) outs(%e31 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e32 = tensor.empty() : tensor<f64>
  %g32 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g31, %g31 : tensor<f64>, tensor<f64>) outs(%e32 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e33 = tensor.empty() : tensor<f64>
  %g33 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g32, %g32 : tensor<f64>, tensor<f64>) outs(%e33 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e34 = tensor.empty() : tensor<f64>
  %g34 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g33, %g33 : tensor<f64>, tensor<f64>) outs(%e34 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e35 = tensor.empty() : tensor<f64>
  %g35 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g34, %g34 : tensor<f64>, tensor<f64>) outs(%e35 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e36 = tensor.empty() : tensor<f64>
  %g36 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g35, %g35 : tensor<f64>, tensor<f64>) outs(%e36 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e37 = tensor.empty() : tensor<f64>
  %g37 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g36, %g36 : tensor<f64>, tensor<f64>) outs(%e37 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e38 = tensor.empty() : tensor<f64>
  %g38 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g37, %g37 : tensor<f64>, tensor<f64>) outs(%e38 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  %e39 = tensor.empty() : tensor<f64>
  %g39 = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = []} ins(%g38, %g38 : tensor<f64>, tensor<f64>) outs(%e39 : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %out: f64):
    %m = arith.mulf %a, %b : f64
    linalg.yield %m : f64
  } -> tensor<f64>
  // CHECK-COUNT-40: arith.mulf
  // CHECK-NOT: arith.mulf
  // CHECK-NOT: linalg.generic
  %r = tensor.extract %g39[] : tensor<f64>
  return %r : f64
}
