// RUN: not hlox-opt %s --split-input-file --hlox-spmd-partition 2>&1 | FileCheck %s

// What cannot be partitioned is an error naming the op; nothing aborts.

// CHECK: error: hlox-spmd-partition: argument 0: dimension 0 of size 6 does not divide evenly over the 4 devices of its axes [{"y"}]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<6xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y"}]>}) -> tensor<6xf32> {
  return %a : tensor<6xf32>
}

// -----

// CHECK: error: hlox-spmd-partition: 'stablehlo.partition_id': communicates between devices or reads the device id outside a shard_map
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main() -> tensor<ui32> {
  %0 = stablehlo.partition_id : tensor<ui32>
  return %0 : tensor<ui32>
}

// -----

// CHECK: error: hlox-spmd-partition: 'stablehlo.negate': result 0: unknown mesh axis 'z'
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = stablehlo.negate %a {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"z"}]>]>} : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK: error: hlox-spmd-partition: 'sdy.manual_computation': a free axis precedes a manual axis in [{"y", "x"}, {}]
sdy.mesh @mesh = <["x"=2, "y"=4]>
func.func public @main(%a: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = sdy.manual_computation(%a) in_shardings=[<@mesh, [{"y", "x"}, {}]>] out_shardings=[<@mesh, [{"x"}, {}]>] manual_axes={"x"} (%l: tensor<4x8xf32>) {
    sdy.return %l : tensor<4x8xf32>
  } : (tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// CHECK: error: hlox-spmd-partition: the module has two meshes of several devices with different axes
sdy.mesh @a = <["x"=2]>
sdy.mesh @b = <["y"=4]>
func.func public @main(%a: tensor<8xf32>) -> tensor<8xf32> {
  return %a : tensor<8xf32>
}
