// RUN: hlox-opt %s --hlox-cpu-fft-to-runtime | FileCheck %s
// RUN: hlox-opt %s --hlox-cpu-fft-to-runtime --hlox-cpu-runtime-calls-on-buffers | FileCheck %s --check-prefix=BUFFERS

// Every fft_type becomes a placeholder call of the runtime library on tensors
// (one declaration per call site, naming the C function), with the number of
// transformed axes (and for FFT/IFFT the direction) as i64 operands.

// CHECK-DAG: func.func private @hlox_rt_fft_r2c_f32__hlox_placeholder_0(tensor<4x16xf32>, i64) -> tensor<4x9xcomplex<f32>> attributes {hlox.runtime_callee = "hlox_rt_fft_r2c_f32"}
// CHECK-DAG: func.func private @hlox_rt_fft_c2r_f32__hlox_placeholder_1(tensor<4x9xcomplex<f32>>, i64) -> tensor<4x16xf32>
// CHECK-DAG: func.func private @hlox_rt_fft_c2c_f64__hlox_placeholder_2(tensor<3x5x7xcomplex<f64>>, i64, i64) -> tensor<3x5x7xcomplex<f64>>
// CHECK-LABEL: func.func @main
// CHECK: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: %[[R:.*]] = call @hlox_rt_fft_r2c_f32__hlox_placeholder_0(%arg0, %[[ONE]])
// CHECK: call @hlox_rt_fft_c2r_f32__hlox_placeholder_1(%[[R]]
// CHECK: %[[TWO:.*]] = arith.constant 2 : i64
// CHECK: %[[INVERSE:.*]] = arith.constant 1 : i64
// CHECK: call @hlox_rt_fft_c2c_f64__hlox_placeholder_2(%arg1, %[[TWO]], %[[INVERSE]])
// CHECK-NOT: stablehlo.fft

// On buffers: the operand read-only, the result a fresh allocation, the C
// function declared once, taking (inputs, outputs, scalars); no placeholder left.
// BUFFERS-DAG: func.func private @hlox_rt_fft_r2c_f32(memref<*xf32>, memref<*xcomplex<f32>>, i64)
// BUFFERS-DAG: func.func private @hlox_rt_fft_c2c_f64(memref<*xcomplex<f64>>, memref<*xcomplex<f64>>, i64, i64)
// BUFFERS-LABEL: func.func @main
// BUFFERS: %[[ONE:.*]] = arith.constant 1 : i64
// BUFFERS: %[[IN:.*]] = bufferization.to_buffer %arg0 read_only : tensor<4x16xf32> to memref<4x16xf32>
// BUFFERS: %[[A:.*]] = memref.cast %[[IN]] : memref<4x16xf32> to memref<*xf32>
// BUFFERS: %[[OUT:.*]] = memref.alloc() : memref<4x9xcomplex<f32>>
// BUFFERS: %[[B:.*]] = memref.cast %[[OUT]] : memref<4x9xcomplex<f32>> to memref<*xcomplex<f32>>
// BUFFERS: call @hlox_rt_fft_r2c_f32(%[[A]], %[[B]], %[[ONE]])
// BUFFERS: bufferization.to_tensor %[[OUT]] restrict writable
// BUFFERS-NOT: placeholder
func.func @main(%x: tensor<4x16xf32>, %z: tensor<3x5x7xcomplex<f64>>) -> (tensor<4x16xf32>, tensor<3x5x7xcomplex<f64>>) {
  %0 = "stablehlo.fft"(%x) {fft_type = #stablehlo<fft_type RFFT>, fft_length = array<i64: 16>} : (tensor<4x16xf32>) -> tensor<4x9xcomplex<f32>>
  %1 = "stablehlo.fft"(%0) {fft_type = #stablehlo<fft_type IRFFT>, fft_length = array<i64: 16>} : (tensor<4x9xcomplex<f32>>) -> tensor<4x16xf32>
  %2 = "stablehlo.fft"(%z) {fft_type = #stablehlo<fft_type IFFT>, fft_length = array<i64: 5, 7>} : (tensor<3x5x7xcomplex<f64>>) -> tensor<3x5x7xcomplex<f64>>
  return %1, %2 : tensor<4x16xf32>, tensor<3x5x7xcomplex<f64>>
}
