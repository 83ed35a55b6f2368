// RUN: hlox-opt %s --hlox-import-mhlo-sharding | FileCheck %s

// custom_call @Sharding (jax.lax.with_sharding_constraint, Shardy off) is
// sdy.sharding_constraint; its unspecified_dims are open dimensions.
// CHECK: sdy.mesh @mesh = <["axis_0"=4]>
// CHECK: %[[A:.*]] = sdy.sharding_constraint %arg0 <@mesh, [{"axis_0"}, {}]> : tensor<8x8xf32>
// CHECK-NEXT: %[[B:.*]] = sdy.sharding_constraint %[[A]] <@mesh, [{}, {"axis_0", ?}]> : tensor<8x8xf32>
// CHECK-NEXT: return %[[B]]
// CHECK-NOT: custom_call
module attributes {mhlo.num_partitions = 4 : i32} {
  func.func @main(%arg0: tensor<8x8xf32>) -> tensor<8x8xf32> {
    %0 = stablehlo.custom_call @Sharding(%arg0) {backend_config = "", mhlo.sharding = "{devices=[4,1]<=[4]}"} : (tensor<8x8xf32>) -> tensor<8x8xf32>
    %1 = stablehlo.custom_call @Sharding(%0) {backend_config = "unspecified_dims=[1]", mhlo.sharding = "{devices=[1,4]<=[4]}"} : (tensor<8x8xf32>) -> tensor<8x8xf32>
    return %1 : tensor<8x8xf32>
  }
}
