// RUN: hlox-opt %s --hlox-cpu-fills-per-writer | FileCheck %s

// One (CSE-shared) zero fill, written by two pads' interiors and reshaped for
// a third writer: the first writer keeps it, the others get fills of their
// own, made right before them (bufferization then copies nothing).

#id = affine_map<(i, j) -> (i, j)>

// CHECK-LABEL: func.func @pads
// CHECK: %[[E0:.*]] = tensor.empty() : tensor<6x6xf32>
// CHECK: %[[F0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E0]] : tensor<6x6xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[F0]]
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<6x6xf32>
// CHECK: %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<6x6xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[F1]]
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<6x6xf32>
// CHECK: %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<6x6xf32>)
// CHECK: tensor.expand_shape %[[F2]]
func.func @pads(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>)
    -> (tensor<6x6xf32>, tensor<6x6xf32>, tensor<6x2x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x6xf32>) -> tensor<6x6xf32>
  %pa = tensor.insert_slice %a into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  %pb = tensor.insert_slice %b into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  %x = tensor.expand_shape %f [[0], [1, 2]] output_shape [6, 2, 3] : tensor<6x6xf32> into tensor<6x2x3xf32>
  return %pa, %pb, %x : tensor<6x6xf32>, tensor<6x6xf32>, tensor<6x2x3xf32>
}

// A fill that is also read (an input of a linalg op) stays with its readers;
// every writer gets its own. A fill used once is left alone.

// CHECK-LABEL: func.func @read_and_written
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.generic {{.*}} ins(%[[F]] : tensor<4x4xf32>)
// CHECK: %[[F1:.*]] = linalg.fill
// CHECK: tensor.insert_slice %{{.*}} into %[[F1]]
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @read_and_written(%a: tensor<2x2xf32>, %o: tensor<4x4xf32>)
    -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%f : tensor<4x4xf32>) outs(%o : tensor<4x4xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  %w = tensor.insert_slice %a into %f[0, 0] [2, 2] [1, 1] : tensor<2x2xf32> into tensor<4x4xf32>
  return %r, %w : tensor<4x4xf32>, tensor<4x4xf32>
}
