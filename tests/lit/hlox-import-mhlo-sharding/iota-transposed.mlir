// RUN: hlox-opt %s --hlox-import-mhlo-sharding | FileCheck %s

// `<=[2,4]T(1,0)`: devices 0..7 as a 2x4 array, transposed. Dimension 0 is
// split over the mesh's minor axis (size 4), dimension 1 over its major one.
// CHECK: sdy.mesh @mesh = <["axis_0"=2, "axis_1"=4]>
// CHECK: %arg0: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"axis_1"}, {"axis_0"}]>}
module attributes {mhlo.num_partitions = 8 : i32} {
  func.func @main(%arg0: tensor<8x8xf32> {mhlo.sharding = "{devices=[4,2]<=[2,4]T(1,0)}"}) -> tensor<8x8xf32> {
    return %arg0 : tensor<8x8xf32>
  }
}
