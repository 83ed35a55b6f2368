// RUN: hlox-opt %s --hlox-cpu-vector-width | FileCheck %s

// Every defined function prefers the module's vector width (pinned here by
// hlox.cpu_vector_bits, else the host's); its other passthrough attributes
// stay, declarations get none.

// CHECK-LABEL: llvm.func @kernel
// CHECK-SAME: passthrough = {{\[\["prefer-vector-width", "512"\]\]}}
// CHECK-LABEL: llvm.func @other
// CHECK-SAME: passthrough = {{\["noinline", \["prefer-vector-width", "512"\]\]}}
// CHECK-LABEL: llvm.func @declared
// CHECK-NOT: passthrough
module attributes {hlox.cpu_vector_bits = 512 : i64} {
  llvm.func @kernel() {
    llvm.return
  }
  llvm.func @other() attributes {passthrough = ["noinline", ["prefer-vector-width", "256"]]} {
    llvm.return
  }
  llvm.func @declared()
}
