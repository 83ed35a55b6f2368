// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// DataMovementToLinalg.cpp: iota, broadcast, slices, concatenate, pad,
// reverse, get_dimension_size, optimization_barrier.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (d0, -d1 + 4)>

// CHECK-LABEL: func.func @iota
// CHECK: linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[I64:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: arith.sitofp %[[I64]] : i64 to f32
// CHECK: linalg.generic {indexing_maps = [#[[ID]]], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<2x5xi8>)
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: arith.index_cast %[[J]] : index to i8
func.func @iota(%x: tensor<f32>) -> (tensor<4x3xf32>, tensor<2x5xui8>) {
  %0 = stablehlo.iota dim = 0 : tensor<4x3xf32>
  %1 = stablehlo.iota dim = 1 : tensor<2x5xui8>
  return %0, %1 : tensor<4x3xf32>, tensor<2x5xui8>
}

// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.broadcast ins(%{{.*}} : tensor<3xi32>) outs(%{{.*}} : tensor<2x4x3xi32>) dimensions = [0, 1]
func.func @broadcast(%a: tensor<3xi32>) -> tensor<2x4x3xi32> {
  %0 = stablehlo.broadcast %a, sizes = [2, 4] : (tensor<3xi32>) -> tensor<2x4x3xi32>
  return %0 : tensor<2x4x3xi32>
}

// CHECK-LABEL: func.func @slice
// CHECK: tensor.extract_slice %{{.*}}[1, 2] [3, 2] [2, 4] : tensor<8x9xf32> to tensor<3x2xf32>
func.func @slice(%a: tensor<8x9xf32>) -> tensor<3x2xf32> {
  %0 = stablehlo.slice %a [1:7:2, 2:9:4] : (tensor<8x9xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// An empty slice starting at the dimension's size (x[2:2:2] of 2 elements)
// reads nothing: a tensor.empty, not an out-of-bounds extract_slice.
// CHECK-LABEL: func.func @slice_empty_at_end
// CHECK-NOT: extract_slice
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: return %[[E]]
func.func @slice_empty_at_end(%a: tensor<2xf32>) -> tensor<0xf32> {
  %0 = stablehlo.slice %a [2:2:2] : (tensor<2xf32>) -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// Start indices clamped to [0, dim - size]; unsigned ones cast as unsigned.
// CHECK-LABEL: func.func @dynamic_slice
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[I:.*]] = tensor.extract %{{.*}}[] : tensor<i64>
// CHECK: %[[II:.*]] = arith.index_castui %[[I]] : i64 to index
// CHECK: %[[C5:.*]] = arith.constant 5 : index
// CHECK: %[[IMIN:.*]] = arith.minsi %[[II]], %[[C5]] : index
// CHECK: %[[IC:.*]] = arith.maxsi %[[IMIN]], %[[C0]] : index
// CHECK: %[[J:.*]] = tensor.extract %{{.*}}[] : tensor<i64>
// CHECK: %[[JI:.*]] = arith.index_castui %[[J]] : i64 to index
// CHECK: %[[C7:.*]] = arith.constant 7 : index
// CHECK: %[[JMIN:.*]] = arith.minsi %[[JI]], %[[C7]] : index
// CHECK: %[[JC:.*]] = arith.maxsi %[[JMIN]], %[[C0]] : index
// CHECK: tensor.extract_slice %{{.*}}[%[[IC]], %[[JC]]] [3, 2] [1, 1] : tensor<8x9xf32> to tensor<3x2xf32>
func.func @dynamic_slice(%a: tensor<8x9xf32>, %i: tensor<ui64>, %j: tensor<ui64>) -> tensor<3x2xf32> {
  %0 = stablehlo.dynamic_slice %a, %i, %j, sizes = [3, 2] : (tensor<8x9xf32>, tensor<ui64>, tensor<ui64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// The operand is updated as a value: bufferization decides whether that is
// in place (in a loop) or on a copy (the caller's array, a value read later).
// CHECK-LABEL: func.func @dynamic_update_slice
// CHECK-SAME: (%[[A:.*]]: tensor<8x9xf32>, %[[U:.*]]: tensor<3x2xf32>
// CHECK: arith.index_cast %{{.*}} : i32 to index
// CHECK: %[[IC:.*]] = arith.maxsi
// CHECK: arith.index_cast %{{.*}} : i32 to index
// CHECK: %[[JC:.*]] = arith.maxsi
// CHECK-NOT: linalg.copy
// CHECK: tensor.insert_slice %[[U]] into %[[A]][%[[IC]], %[[JC]]] [3, 2] [1, 1] : tensor<3x2xf32> into tensor<8x9xf32>
func.func @dynamic_update_slice(%a: tensor<8x9xf32>, %u: tensor<3x2xf32>, %i: tensor<i32>, %j: tensor<i32>) -> tensor<8x9xf32> {
  %0 = stablehlo.dynamic_update_slice %a, %u, %i, %j : (tensor<8x9xf32>, tensor<3x2xf32>, tensor<i32>, tensor<i32>) -> tensor<8x9xf32>
  return %0 : tensor<8x9xf32>
}

// Inputs inserted one after another; zero-size inputs skipped.
// CHECK-LABEL: func.func @concatenate
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xi8>, %[[B:.*]]: tensor<2x0xi8>, %[[C:.*]]: tensor<2x4xi8>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x7xi8>
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK-NOT: %[[B]]
// CHECK: tensor.insert_slice %[[C]] into %[[R1]][0, 3] [2, 4] [1, 1]
func.func @concatenate(%a: tensor<2x3xi8>, %b: tensor<2x0xi8>, %c: tensor<2x4xi8>) -> tensor<2x7xi8> {
  %0 = stablehlo.concatenate %a, %b, %c, dim = 1 : (tensor<2x3xi8>, tensor<2x0xi8>, tensor<2x4xi8>) -> tensor<2x7xi8>
  return %0 : tensor<2x7xi8>
}

// Interior padding: inserted with stride interior + 1.
// CHECK-LABEL: func.func @pad
// CHECK: %[[V:.*]] = tensor.extract %{{.*}}[] : tensor<f32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[V]] : f32) outs(%{{.*}} : tensor<5x7xf32>)
// CHECK: %[[R:.*]] = tensor.insert_slice %{{.*}} into %[[F]][1, 0] [2, 3] [1, 2] : tensor<2x3xf32> into tensor<5x7xf32>
// CHECK-NOT: extract_slice
// CHECK: return %[[R]]
func.func @pad(%a: tensor<2x3xf32>, %v: tensor<f32>) -> tensor<5x7xf32> {
  %0 = stablehlo.pad %a, %v, low = [1, 0], high = [2, 2], interior = [0, 1] : (tensor<2x3xf32>, tensor<f32>) -> tensor<5x7xf32>
  return %0 : tensor<5x7xf32>
}

// Negative padding: pad with the non-negative parts (6x6), then crop.
// CHECK-LABEL: func.func @pad_negative
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<6x6xf32>)
// CHECK: %[[P:.*]] = tensor.insert_slice %{{.*}} into %[[F]][0, 1] [4, 3] [1, 2] : tensor<4x3xf32> into tensor<6x6xf32>
// CHECK: tensor.extract_slice %[[P]][1, 0] [5, 4] [1, 1] : tensor<6x6xf32> to tensor<5x4xf32>
func.func @pad_negative(%a: tensor<4x3xf32>, %v: tensor<f32>) -> tensor<5x4xf32> {
  %0 = stablehlo.pad %a, %v, low = [-1, 1], high = [2, -2], interior = [0, 1] : (tensor<4x3xf32>, tensor<f32>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// Negative padding that crops everything: a tensor.empty, not a crop at
// offset 3 of 3 elements.
// CHECK-LABEL: func.func @pad_cropped_to_nothing
// CHECK-NOT: extract_slice
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: return %[[E]]
func.func @pad_cropped_to_nothing(%a: tensor<3xf32>, %v: tensor<f32>) -> tensor<0xf32> {
  %0 = stablehlo.pad %a, %v, low = [-3], high = [0], interior = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// CHECK-LABEL: func.func @reverse
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
func.func @reverse(%a: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %0 = stablehlo.reverse %a, dims = [1] : tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// CHECK-LABEL: func.func @get_dimension_size
// CHECK: %[[C:.*]] = arith.constant dense<5> : tensor<i32>
// CHECK: return %[[C]]
func.func @get_dimension_size(%a: tensor<4x5xf32>) -> tensor<i32> {
  %0 = stablehlo.get_dimension_size %a, dim = 1 : (tensor<4x5xf32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// CHECK-LABEL: func.func @optimization_barrier
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<i32>)
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @optimization_barrier(%a: tensor<4xf32>, %b: tensor<i32>) -> (tensor<4xf32>, tensor<i32>) {
  %0:2 = stablehlo.optimization_barrier %a, %b : tensor<4xf32>, tensor<i32>
  return %0#0, %0#1 : tensor<4xf32>, tensor<i32>
}
