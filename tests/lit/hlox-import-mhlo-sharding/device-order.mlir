// RUN: hlox-opt %s --split-input-file --hlox-import-mhlo-sharding | FileCheck %s

// An explicit device list that is a transposed row-major order needs no device_ids.
// CHECK: sdy.mesh @mesh = <["axis_0"=2, "axis_1"=2]>
// CHECK-NEXT: func.func @transposed(%arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"axis_1"}, {"axis_0"}]>})
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @transposed(%arg0: tensor<4x4xf32> {mhlo.sharding = "{devices=[2,2]0,2,1,3}"}) {
    return
  }
}

// -----

// Any other order: the mesh lists its devices.
// CHECK: sdy.mesh @mesh = <["axis_0"=2, "axis_1"=2], device_ids=[3, 1, 0, 2]>
// CHECK-NEXT: func.func @shuffled(%arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"axis_0"}, {"axis_1"}]>})
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @shuffled(%arg0: tensor<4x4xf32> {mhlo.sharding = "{devices=[2,2]3,1,0,2}"}) {
    return
  }
}
