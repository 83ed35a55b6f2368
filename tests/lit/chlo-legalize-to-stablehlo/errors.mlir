// RUN: not hlox-opt %s --hlox-chlo-legalize-to-stablehlo 2>&1 | FileCheck %s

// CHECK: error: 'chlo.erf' op needs static shapes to be decomposed into StableHLO
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = chlo.erf %x : tensor<?xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
