// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// Unsigned integers become signless (arith's only kind); the function's
// signature follows, and the ops whose meaning depends on signedness use
// their unsigned forms.

// CHECK-LABEL: func.func @unsigned(
// CHECK-SAME: %{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi32>) -> (tensor<4xi8>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>)
func.func @unsigned(%a: tensor<4xui8>, %i: tensor<4xi32>) -> (tensor<4xui8>, tensor<4xf32>, tensor<4xui32>, tensor<4xi32>) {
  // CHECK: arith.constant dense<-56> : tensor<4xi8>
  %c = stablehlo.constant dense<200> : tensor<4xui8>
  // CHECK: arith.addi %{{.*}}, %{{.*}} : i8
  %0 = stablehlo.add %a, %c : tensor<4xui8>
  // CHECK: arith.divui %{{.*}}, %{{.*}} : i8
  %1 = stablehlo.divide %0, %c : tensor<4xui8>
  // CHECK: arith.maxui %{{.*}}, %{{.*}} : i8
  %2 = stablehlo.maximum %1, %a : tensor<4xui8>
  // CHECK: arith.uitofp %{{.*}} : i8 to f32
  %3 = stablehlo.convert %2 : (tensor<4xui8>) -> tensor<4xf32>
  // CHECK: arith.extui %{{.*}} : i8 to i32
  %4 = stablehlo.convert %2 : (tensor<4xui8>) -> tensor<4xui32>
  // CHECK: arith.extui %{{.*}} : i8 to i32
  %5 = stablehlo.convert %2 : (tensor<4xui8>) -> tensor<4xi32>
  // CHECK: return %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<4xi8>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>
  return %2, %3, %4, %5 : tensor<4xui8>, tensor<4xf32>, tensor<4xui32>, tensor<4xi32>
}
