// RUN: not hlox-opt %s --split-input-file --hlox-import-mhlo-sharding 2>&1 | FileCheck %s

// CHECK: error: 'func.func' op: cannot import its mhlo.sharding: argument #0: sharding '{devices=[2,2]<=[4]}' has 2 dimensions, the tensor 1
func.func @rank_mismatch(%a: tensor<4xf32> {mhlo.sharding = "{devices=[2,2]<=[4]}"}) {
  return
}

// -----

// Devices 0,1 | 2,3 and 0,2 | 1,3 fit one 2x2 mesh; 0,3 | 1,2 next to them needs another.
// CHECK: error: 'stablehlo.sine' op: cannot import its mhlo.sharding: '{devices=[2,1,2]0,3,1,2 last_tile_dim_replicate}' and the module's other shardings need different device meshes
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @incompatible(%a: tensor<4x4xf32> {mhlo.sharding = "{devices=[2,1,2]<=[4] last_tile_dim_replicate}"}, %b: tensor<4x4xf32> {mhlo.sharding = "{devices=[2,1,2]0,2,1,3 last_tile_dim_replicate}"}) -> tensor<4x4xf32> {
    %0 = stablehlo.sine %a {mhlo.sharding = "{devices=[2,1,2]0,3,1,2 last_tile_dim_replicate}"} : tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----

// CHECK: error: 'func.func' op: cannot import its mhlo.sharding: argument #0: '{devices=[2]<=[2]}' spans 2 devices, the module 4
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @device_count(%a: tensor<4xf32> {mhlo.sharding = "{devices=[2]<=[2]}"}) {
    return
  }
}

// -----

// CHECK: error: 'func.func' op: cannot import its mhlo.sharding: argument #0: '{maximal device=5}' names device 5 of 4
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @no_such_device(%a: tensor<4xf32> {mhlo.sharding = "{maximal device=5}"}) {
    return
  }
}

// -----

// CHECK: error: 'func.func' op: cannot import its mhlo.sharding: argument #0: unsupported sharding suffix 'shard_as 1' in '{devices=[2]<=[2] shard_as 1}'
module attributes {mhlo.num_partitions = 2 : i32} {
  func.func @unreadable(%a: tensor<4xf32> {mhlo.sharding = "{devices=[2]<=[2] shard_as 1}"}) {
    return
  }
}

// -----

// CHECK: error: 'sdy.mesh' op: cannot import its mhlo.sharding: the module has both sdy meshes and mhlo.sharding strings
module attributes {mhlo.num_partitions = 2 : i32} {
  sdy.mesh @mesh = <["x"=2]>
  func.func @mixed(%a: tensor<4xf32> {mhlo.sharding = "{devices=[2]<=[2]}"}) {
    return
  }
}

// -----

// CHECK: error: 'stablehlo.sort' op: cannot import its mhlo.sharding: tuple sharding '{{\{\{}}replicated}}' has 1 entries for 2 values
module attributes {mhlo.num_partitions = 2 : i32} {
  func.func @tuple_size(%a: tensor<4xf32>, %b: tensor<4xi32>) {
    %0:2 = "stablehlo.sort"(%a, %b) <{dimension = 0 : i64}> ({
    ^bb0(%w: tensor<f32>, %x: tensor<f32>, %y: tensor<i32>, %z: tensor<i32>):
      %p = stablehlo.compare LT, %w, %x : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %p : tensor<i1>
    }) {mhlo.sharding = "{{replicated}}"} : (tensor<4xf32>, tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>)
    return
  }
}
