// RUN: hlox-opt %s --hlox-cpu-lapack-to-runtime | FileCheck %s

// JAX's batched Cholesky custom call becomes a call of the runtime library on
// buffers: the operand read-only, each result a fresh allocation, uplo ('L' =
// 76) an i64 argument.

// CHECK: func.func private @hlox_rt_lapack_potrf_s(memref<*xf32>, memref<*xf32>, memref<*xi32>, i64)
// CHECK-LABEL: func.func @main
// CHECK: %[[A:.*]] = bufferization.to_buffer %arg0 read_only : tensor<2x4x4xf32> to memref<2x4x4xf32>
// CHECK: %[[A_ARG:.*]] = memref.cast %[[A]] : memref<2x4x4xf32> to memref<*xf32>
// CHECK: %[[L:.*]] = memref.alloc() : memref<2x4x4xf32>
// CHECK: %[[L_ARG:.*]] = memref.cast %[[L]]
// CHECK: %[[INFO:.*]] = memref.alloc() : memref<2xi32>
// CHECK: %[[INFO_ARG:.*]] = memref.cast %[[INFO]]
// CHECK: %[[UPLO:.*]] = arith.constant 76 : i64
// CHECK: call @hlox_rt_lapack_potrf_s(%[[A_ARG]], %[[L_ARG]], %[[INFO_ARG]], %[[UPLO]])
// CHECK: bufferization.to_tensor %[[L]] restrict writable
// CHECK-NOT: custom_call
func.func @main(%a: tensor<2x4x4xf32>) -> (tensor<2x4x4xf32>, tensor<2xi32>) {
  %0:2 = stablehlo.custom_call @lapack_spotrf_ffi(%a) {mhlo.backend_config = {uplo = 76 : ui8},
    operand_layouts = [dense<[1, 2, 0]> : tensor<3xindex>],
    result_layouts = [dense<[1, 2, 0]> : tensor<3xindex>, dense<0> : tensor<1xindex>]}
    : (tensor<2x4x4xf32>) -> (tensor<2x4x4xf32>, tensor<2xi32>)
  return %0#0, %0#1 : tensor<2x4x4xf32>, tensor<2xi32>
}
