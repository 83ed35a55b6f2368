// RUN: hlox-opt %s --split-input-file --hlox-import-mhlo-sharding | FileCheck %s

// {replicated} with no tiled sharding: a mesh of all devices, every dimension whole.
// CHECK: sdy.mesh @mesh = <["axis_0"=4]>
// CHECK-NEXT: func.func @replicated(%arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}]>}, %arg1: tensor<f32> {sdy.sharding = #sdy.sharding<@mesh, []>})
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @replicated(%arg0: tensor<4x4xf32> {mhlo.sharding = "{replicated}"}, %arg1: tensor<f32> {mhlo.sharding = "{replicated}"}) {
    return
  }
}

// -----

// {maximal device=d}: Shardy's maximal mesh, `<[], device_ids=[d]>`.
// CHECK: sdy.mesh @mesh = <["axis_0"=4]>
// CHECK-NEXT: sdy.mesh @maximal_mesh_0 = <[], device_ids=[0]>
// CHECK-NEXT: sdy.mesh @maximal_mesh_2 = <[], device_ids=[2]>
// CHECK-NEXT: func.func @maximal(%arg0: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@maximal_mesh_2, []>}) -> (tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"axis_0"}, {}]>})
// CHECK-NEXT: stablehlo.sine %arg0 {sdy.sharding = #sdy.sharding_per_value<[<@maximal_mesh_0, []>]>}
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @maximal(%arg0: tensor<4x4xf32> {mhlo.sharding = "{maximal device=2}"}) -> (tensor<4x4xf32> {mhlo.sharding = "{devices=[4,1]<=[4]}"}) {
    %0 = stablehlo.sine %arg0 {mhlo.sharding = "{maximal device=0}"} : tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}
