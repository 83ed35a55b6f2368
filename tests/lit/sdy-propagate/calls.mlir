// RUN: hlox-opt %s --hlox-sdy-propagate | FileCheck %s

sdy.mesh @mesh = <["x"=2, "y"=4]>

// Calls (JAX's nested jits, scan bodies) are inlined, nested ones too, so the
// shardings flow through them; private functions left unused are erased.
// CHECK-NOT: func.call
// CHECK-LABEL: func.func public @main(
// CHECK-SAME: -> (tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>})
// CHECK: stablehlo.sine %arg0 {{.*}}<@mesh, [{"x"}, {"y"}]>
// CHECK: stablehlo.cosine {{.*}}<@mesh, [{"x"}, {"y"}]>
// CHECK-NOT: func.func private
func.func public @main(%a: tensor<8x16xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {"y"}]>}) -> tensor<8x16xf32> {
  %0 = func.call @outer(%a) : (tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
func.func private @outer(%a: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = stablehlo.sine %a : tensor<8x16xf32>
  %1 = func.call @inner(%0) : (tensor<8x16xf32>) -> tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}
func.func private @inner(%a: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = stablehlo.cosine %a : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
