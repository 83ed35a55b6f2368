// RUN: not hlox-opt %s --hlox-sdy-propagate --split-input-file 2>&1 | FileCheck %s

sdy.mesh @mesh = <["x"=2]>
// CHECK: error: argument 0: sharding refers to unknown mesh @nomesh
func.func @unknown_mesh(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@nomesh, [{"x"}]>}) -> tensor<8xf32> {
  return %a : tensor<8xf32>
}

// -----

sdy.mesh @mesh = <["x"=2]>
// CHECK: error: sharding axis "z" is not in mesh @mesh
func.func @unknown_axis(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = sdy.sharding_constraint %a <@mesh, [{"z"}]> : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

sdy.mesh @mesh = <["x"=2, "y"=2]>
// CHECK: error: result 0: sharding #sdy.sharding<@mesh, [{"x"}, {"x"}]> uses mesh axis "x" twice
func.func @axis_twice(%a: tensor<8x8xf32>) -> (tensor<8x8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"x"}]>}) {
  return %a : tensor<8x8xf32>
}

// -----

sdy.mesh @mesh = <["x"=2]>
// CHECK: error: sharding #sdy.sharding<@mesh, [{"x"}]> has 1 dimensions but the value has rank 2
func.func @rank(%a: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = stablehlo.negate %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"x"}]>]>} : tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
