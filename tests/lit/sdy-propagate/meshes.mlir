// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>
sdy.mesh @maximal_mesh_0 = <[], device_ids=[0]>

// A value placed on another mesh (a GSPMD maximal sharding, imported) keeps
// its sharding and passes nothing on; the function's mesh is the first one
// with axes that a sharding names.
// CHECK-LABEL: func.func @two_meshes(
// CHECK-SAME: -> (tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}]>}, tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>})
// CHECK: stablehlo.negate {{.*}}<@maximal_mesh_0, [{}]>
// CHECK: stablehlo.abs {{.*}}<@mesh, [{}]>
// CHECK: stablehlo.sine {{.*}}<@mesh, [{"y"}]>
func.func @two_meshes(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = stablehlo.negate %a {sdy.sharding = #sdy.sharding_per_value<[<@maximal_mesh_0, [{}]>]>} : tensor<8xf32>
  %1 = stablehlo.abs %0 : tensor<8xf32>
  %2 = stablehlo.sine %a : tensor<8xf32>
  return %1, %2 : tensor<8xf32>, tensor<8xf32>
}

// Inline meshes work like named ones.
// CHECK-LABEL: func.func @inline_mesh(
// CHECK-SAME: -> (tensor<8xf32> {sdy.sharding = #sdy.sharding<mesh<["z"=4]>, [{"z"}]>})
func.func @inline_mesh(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<mesh<["z"=4]>, [{"z"}]>}) -> tensor<8xf32> {
  %0 = stablehlo.cosine %a : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// A dimension that is exactly one factor takes axes that do not divide it
// (6 over "y" = 4: the partitioner pads).
// CHECK-LABEL: func.func @not_divisible(
// CHECK-SAME: -> (tensor<6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>})
func.func @not_divisible(%a: tensor<6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> tensor<6xf32> {
  %0 = stablehlo.tanh %a : tensor<6xf32>
  return %0 : tensor<6xf32>
}

// Replicated axes given on a sharding are kept, and never used for it.
// CHECK-LABEL: func.func @replicated_axes(
// CHECK-SAME: %arg1: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {}], replicated={"x"}>}
func.func @replicated_axes(%a: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {"x"}]>},
                           %b: tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{}, {?}], replicated={"x"}>}) -> tensor<8x8xf32> {
  %0 = stablehlo.add %a, %b : tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
