// RUN: hlox-opt %s --hlox-cpu-emit-c-interface | FileCheck %s

// Only @main gets the C interface; other functions are left alone.

// CHECK-LABEL: func.func private @helper
// CHECK-NOT: llvm.emit_c_interface
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// CHECK-LABEL: func.func public @main
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func public @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
