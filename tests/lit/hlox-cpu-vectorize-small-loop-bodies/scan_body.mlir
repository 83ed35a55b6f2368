// RUN: hlox-opt %s --hlox-cpu-vectorize-small-loop-bodies | FileCheck %s

// A loop body's elementwise update of a small static state (8 floats) becomes
// vector arithmetic; a large one, one outside a loop, and one with a body op
// outside the arithmetic set (math.exp) stay generics.

#id = affine_map<(i) -> (i)>

// CHECK-LABEL: func.func @scan_body
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} : tensor<8xf32>, vector<8xf32>
// CHECK: arith.mulf {{.*}} : vector<8xf32>
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8xf32>, tensor<8xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @scan_body(%h0: tensor<8xf32>, %x: tensor<8xf32>) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %half = arith.constant 0.5 : f32
  %r = scf.for %i = %c0 to %c10 step %c1 iter_args(%h = %h0) -> tensor<8xf32> {
    %n = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
        ins(%h, %x : tensor<8xf32>, tensor<8xf32>) outs(%h : tensor<8xf32>) {
    ^bb0(%a: f32, %b: f32, %o: f32):
      %m = arith.mulf %a, %half : f32
      %s = arith.addf %m, %b : f32
      linalg.yield %s : f32
    } -> tensor<8xf32>
    scf.yield %n : tensor<8xf32>
  }
  return %r : tensor<8xf32>
}

// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: vector.transfer_read
// CHECK: return
func.func @left_alone(%big: tensor<1024xf32>, %small: tensor<8xf32>)
    -> (tensor<1024xf32>, tensor<8xf32>, tensor<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %r:2 = scf.for %i = %c0 to %c10 step %c1 iter_args(%b = %big, %s = %small)
      -> (tensor<1024xf32>, tensor<8xf32>) {
    %nb = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%b : tensor<1024xf32>) outs(%b : tensor<1024xf32>) {
    ^bb0(%a: f32, %o: f32):
      %t = arith.addf %a, %a : f32
      linalg.yield %t : f32
    } -> tensor<1024xf32>
    %ns = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
        ins(%s : tensor<8xf32>) outs(%s : tensor<8xf32>) {
    ^bb0(%a: f32, %o: f32):
      %t = math.exp %a : f32
      linalg.yield %t : f32
    } -> tensor<8xf32>
    scf.yield %nb, %ns : tensor<1024xf32>, tensor<8xf32>
  }
  %outside = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%small : tensor<8xf32>) outs(%small : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = arith.addf %a, %a : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %r#0, %r#1, %outside : tensor<1024xf32>, tensor<8xf32>, tensor<8xf32>
}
