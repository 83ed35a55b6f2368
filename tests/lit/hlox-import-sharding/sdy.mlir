// RUN: hlox-opt %s --hlox-import-sharding | FileCheck %s

// Shardy's shardings become #hlox.sharding; @mesh names the sdy.mesh op.
sdy.mesh @mesh = <["x"=2, "y"=4]>
sdy.mesh @ordered = <["a"=2], device_ids=[1, 0]>

// CHECK-LABEL: func.func @args(
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = {{\[\[}}"x"], [{{\]\]}}>
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = {{\[\[}}"y", "x"{{\]\]}}>
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = {{\[\[}}], [{{\]\]}}, replicated = ["x"]>
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["a"=2], device_ids = [1, 0], dims = {{\[\[}}"a"{{\]\]}}>
// CHECK-SAME: hlox.sharding = #hlox.sharding<mesh = ["z"=2], dims = {{\[\[}}"z"{{\]\]}}>
// CHECK-SAME: -> (tensor<4xf32> {hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = {{\[\[}}"x"{{\]\]}}>})
func.func @args(%a: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>},
                %b: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"y", "x", ?}p0]>},
                %c: tensor<4x4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{?}, {}], replicated={"x"}>},
                %d: tensor<4xf32> {sdy.sharding = #sdy.sharding<@ordered, [{"a"}]>},
                %e: tensor<4xf32> {sdy.sharding = #sdy.sharding<mesh<["z"=2]>, [{"z"}]>})
    -> (tensor<4xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}]>}) {
  // CHECK: stablehlo.negate %arg3 {hlox.sharding = #hlox.sharding<mesh = ["x"=2, "y"=4], dims = {{\[\[}}"y"{{\]\]}}>}
  %0 = stablehlo.negate %d {sdy.sharding = #sdy.sharding_per_value<[<@mesh, [{"y"}]>]>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}
