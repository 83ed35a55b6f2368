// RUN: not hlox-opt %s --hlox-import-sharding 2>&1 | FileCheck %s

sdy.mesh @mesh = <["x"=4]>

// CHECK: error: 'func.func' op: import of sharding failed: sub-axis "x":(1)2 in '#sdy.sharding<@mesh, [{"x":(1)2}]>': hlox's meshes have no sub-axes
func.func @sub_axis(%a: tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x":(1)2}]>}) {
  return
}
