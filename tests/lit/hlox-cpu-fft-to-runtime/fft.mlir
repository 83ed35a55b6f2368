// RUN: hlox-opt %s --hlox-cpu-fft-to-runtime | FileCheck %s

// Every fft_type becomes a call of the runtime library on buffers (operand
// read-only, result a fresh allocation), declared once per callee.

// CHECK-DAG: func.func private @hlox_rt_fft_r2c_f32(memref<*xf32>, memref<*xcomplex<f32>>, i64)
// CHECK-DAG: func.func private @hlox_rt_fft_c2r_f32(memref<*xcomplex<f32>>, memref<*xf32>, i64)
// CHECK-DAG: func.func private @hlox_rt_fft_c2c_f64(memref<*xcomplex<f64>>, memref<*xcomplex<f64>>, i64, i64)
// CHECK-LABEL: func.func @main
// CHECK: %[[IN:.*]] = bufferization.to_buffer %arg0 read_only : tensor<4x16xf32> to memref<4x16xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<4x9xcomplex<f32>>
// CHECK: %[[A:.*]] = memref.cast %[[IN]] : memref<4x16xf32> to memref<*xf32>
// CHECK: %[[B:.*]] = memref.cast %[[OUT]] : memref<4x9xcomplex<f32>> to memref<*xcomplex<f32>>
// CHECK: %[[RANK:.*]] = arith.constant 1 : i64
// CHECK: call @hlox_rt_fft_r2c_f32(%[[A]], %[[B]], %[[RANK]])
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: call @hlox_rt_fft_c2r_f32
// CHECK: %[[TWO:.*]] = arith.constant 2 : i64
// CHECK: %[[INVERSE:.*]] = arith.constant 1 : i64
// CHECK: call @hlox_rt_fft_c2c_f64({{.*}}, {{.*}}, %[[TWO]], %[[INVERSE]])
// CHECK-NOT: stablehlo.fft
func.func @main(%x: tensor<4x16xf32>, %z: tensor<3x5x7xcomplex<f64>>) -> (tensor<4x16xf32>, tensor<3x5x7xcomplex<f64>>) {
  %0 = "stablehlo.fft"(%x) {fft_type = #stablehlo<fft_type RFFT>, fft_length = array<i64: 16>} : (tensor<4x16xf32>) -> tensor<4x9xcomplex<f32>>
  %1 = "stablehlo.fft"(%0) {fft_type = #stablehlo<fft_type IRFFT>, fft_length = array<i64: 16>} : (tensor<4x9xcomplex<f32>>) -> tensor<4x16xf32>
  %2 = "stablehlo.fft"(%z) {fft_type = #stablehlo<fft_type IFFT>, fft_length = array<i64: 5, 7>} : (tensor<3x5x7xcomplex<f64>>) -> tensor<3x5x7xcomplex<f64>>
  return %1, %2 : tensor<4x16xf32>, tensor<3x5x7xcomplex<f64>>
}
