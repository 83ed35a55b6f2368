// RUN: hlox-opt %s --hlox-readonly-arguments | FileCheck %s

// Public functions' arguments are the caller's arrays: mark them read-only
// for bufferization, keeping any attribute they already have. Private
// functions are left alone.

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: tensor<4xf32> {bufferization.writable = false}, %{{.*}}: tensor<4xf32> {bufferization.writable = false, jax.arg = 1 : i32})
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32> {jax.arg = 1 : i32}) -> tensor<4xf32> {
  %0 = call @helper(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{.*}}: tensor<4xf32>) -> tensor<4xf32>
func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
