// RUN: not hlox-opt %s --hlox-import-sharding 2>&1 | FileCheck %s

// CHECK: error: 'func.func' op: import of sharding failed: sharding '{devices=[2,2]<=[4]}' has 2 dimensions, the tensor 1
func.func @rank_mismatch(%a: tensor<4xf32> {mhlo.sharding = "{devices=[2,2]<=[4]}"}) {
  return
}
