// RUN: hlox-opt %s --hlox-import-sharding | FileCheck %s
// RUN: hlox-opt %s --hlox-import-sharding --hlox-export-sharding | FileCheck %s --check-prefix=EXPORT

// JAX's output with the Shardy partitioner off (jax_use_shardy_partitioner=False).

// CHECK-LABEL: func.func public @main
// CHECK-SAME: %arg0: tensor<8x16xf32> {hlox.sharding = #hlox.sharding<mesh = ["d0"=2, "d1"=4], dims = {{\[\[}}"d0"], ["d1"]]>}
// CHECK-SAME: %arg1: tensor<16x4xf32> {hlox.sharding = #hlox.sharding<replicated>}
// CHECK-SAME: tensor<8x4xf32> {hlox.sharding = #hlox.sharding<mesh = ["d0"=8], dims = {{\[\[}}"d0"], []]>, jax.result_info = "result"}
// CHECK: stablehlo.custom_call @Sharding(%{{.*}}) {backend_config = "", hlox.sharding = #hlox.sharding<mesh = ["d0"=4, "r"=2], device_ids = [0, 4, 1, 5, 2, 6, 3, 7], dims = {{\[\[}}"d0"], []], replicated = ["r"]>}
// CHECK-NOT: mhlo.sharding

// EXPORT-LABEL: func.func public @main
// EXPORT-SAME: mhlo.sharding = "{devices=[2,4]<=[8]}"
// EXPORT-SAME: mhlo.sharding = "{replicated}"
// EXPORT-SAME: mhlo.sharding = "{devices=[8,1]<=[8]}"
// EXPORT: mhlo.sharding = "{devices=[4,1,2]0,4,1,5,2,6,3,7 last_tile_dim_replicate}"
// EXPORT-NOT: hlox.sharding
module @jit_f attributes {mhlo.num_partitions = 8 : i32, mhlo.num_replicas = 1 : i32} {
  func.func public @main(%arg0: tensor<8x16xf32> {mhlo.sharding = "{devices=[2,4]<=[8]}"}, %arg1: tensor<16x4xf32> {mhlo.sharding = "{replicated}"}) -> (tensor<8x4xf32> {jax.result_info = "result", mhlo.sharding = "{devices=[8,1]<=[8]}"}) {
    %0 = stablehlo.dot_general %arg0, %arg1, contracting_dims = [1] x [0] : (tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x4xf32>
    %1 = stablehlo.custom_call @Sharding(%0) {backend_config = "", mhlo.sharding = "{devices=[4,1,2]<=[2,4]T(1,0) last_tile_dim_replicate}"} : (tensor<8x4xf32>) -> tensor<8x4xf32>
    return %1 : tensor<8x4xf32>
  }
}
