// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// CHECK: error: {{.*}}mesh axis "x" appears twice
sdy.mesh @m = <["x"=2, "x"=2]>

// -----

// CHECK: error: {{.*}}device_ids has 3 entries but the mesh has 4 devices
sdy.mesh @m = <["x"=4], device_ids=[0, 1, 2]>

// -----

// CHECK: error: factor k has no size (the rule has 2 factors)
func.func @rule(%a: tensor<4x4xf32>) {
  %0 = stablehlo.custom_call @f(%a) {sdy.sharding_rule = #sdy.op_sharding_rule<([i, j])->([k, j]) {i=4, j=4}>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

// CHECK: error: expected factor names i..z or z_<n>, got 'ab'
func.func @rule(%a: tensor<4x4xf32>) {
  %0 = stablehlo.custom_call @f(%a) {sdy.sharding_rule = #sdy.op_sharding_rule<([ab, j])->([i, j]) {i=4, j=4}>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

// CHECK: error: '?' must be the last entry of a dimension sharding
func.func @open(%a: tensor<4xf32> {sdy.sharding = #sdy.sharding<mesh<["x"=2]>, [{?, "x"}]>}) {
  return
}

// -----

// CHECK: error: 'sdy.manual_computation' op body must end in sdy.return with one value per result
func.func @manual(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  %0 = sdy.manual_computation(%arg0) in_shardings=[<mesh<["x"=1]>, [{"x"}]>] out_shardings=[<mesh<["x"=1]>, [{"x"}]>] manual_axes={"x"} (%arg1: tensor<4xf32>) {
    sdy.return
  } : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
