// RUN: hlox-opt %s --hlox-bf16-truncation-on-bits | FileCheck %s

// f32 -> bf16 rounds to nearest even on the bits (LLVM's fptrunc becomes
// vcvtneps2bf16 where the CPU has it, which flushes subnormals): + 0x7fff +
// the lowest kept bit; NaN quieted; the top 16 bits.
// CHECK-LABEL: func.func @scalar
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[QUIETBIT:.*]] = arith.constant 4194304 : i32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 32767 : i32
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : i32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK: %[[SHIFTED:.*]] = arith.shrui %[[BITS]], %[[C16]] : i32
// CHECK: %[[LOW:.*]] = arith.andi %[[SHIFTED]], %[[ONE]] : i32
// CHECK: %[[BIAS:.*]] = arith.addi %[[LOW]], %[[HALF]] : i32
// CHECK: %[[ROUNDED:.*]] = arith.addi %[[BITS]], %[[BIAS]] : i32
// CHECK: %[[QUIET:.*]] = arith.ori %[[BITS]], %[[QUIETBIT]] : i32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]] : f32
// CHECK: %[[PICK:.*]] = arith.select %[[NAN]], %[[QUIET]], %[[ROUNDED]] : i32
// CHECK: %[[HIGH:.*]] = arith.shrui %[[PICK]], %[[C16]] : i32
// CHECK: %[[H:.*]] = arith.trunci %[[HIGH]] : i32 to i16
// CHECK: %[[R:.*]] = arith.bitcast %[[H]] : i16 to bf16
// CHECK: return %[[R]] : bf16
func.func @scalar(%x: f32) -> bf16 {
  %0 = arith.truncf %x : f32 to bf16
  return %0 : bf16
}

// Vectors alike, with splat constants.
// CHECK-LABEL: func.func @vector
// CHECK: arith.constant dense<32767> : vector<8xi32>
// CHECK: arith.bitcast %{{.*}} : vector<8xf32> to vector<8xi32>
// CHECK: arith.trunci %{{.*}} : vector<8xi32> to vector<8xi16>
// CHECK: arith.bitcast %{{.*}} : vector<8xi16> to vector<8xbf16>
func.func @vector(%x: vector<8xf32>) -> vector<8xbf16> {
  %0 = arith.truncf %x : vector<8xf32> to vector<8xbf16>
  return %0 : vector<8xbf16>
}

// Other truncations are left to LLVM (f32 -> f16 keeps subnormals there).
// CHECK-LABEL: func.func @others
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: arith.truncf %{{.*}} : f64 to bf16
func.func @others(%x: f32, %y: f64) -> (f16, bf16) {
  %0 = arith.truncf %x : f32 to f16
  %1 = arith.truncf %y : f64 to bf16
  return %0, %1 : f16, bf16
}
