// RUN: hlox-opt %s --hlox-cpu-lapack-to-runtime | FileCheck %s
// RUN: hlox-opt %s --hlox-cpu-lapack-to-runtime --hlox-cpu-runtime-calls-on-buffers | FileCheck %s --check-prefix=BUFFERS

// JAX's batched Cholesky custom call becomes a placeholder call of the runtime
// library, uplo ('L' = 76) an i64 operand; then a call on buffers.

// CHECK: func.func private @hlox_rt_lapack_potrf_s__hlox_placeholder_0(tensor<2x4x4xf32>, i64) -> (tensor<2x4x4xf32>, tensor<2xi32>) attributes {hlox.runtime_callee = "hlox_rt_lapack_potrf_s"}
// CHECK-LABEL: func.func @main
// CHECK: %[[UPLO:.*]] = arith.constant 76 : i64
// CHECK: %[[R:.*]]:2 = call @hlox_rt_lapack_potrf_s__hlox_placeholder_0(%arg0, %[[UPLO]])
// CHECK: return %[[R]]#0, %[[R]]#1
// CHECK-NOT: custom_call

// BUFFERS: func.func private @hlox_rt_lapack_potrf_s(memref<*xf32>, memref<*xf32>, memref<*xi32>, i64)
// BUFFERS-LABEL: func.func @main
// BUFFERS: %[[UPLO:.*]] = arith.constant 76 : i64
// BUFFERS: %[[A:.*]] = bufferization.to_buffer %arg0 read_only : tensor<2x4x4xf32> to memref<2x4x4xf32>
// BUFFERS: %[[A_ARG:.*]] = memref.cast %[[A]] : memref<2x4x4xf32> to memref<*xf32>
// BUFFERS: %[[L:.*]] = memref.alloc() : memref<2x4x4xf32>
// BUFFERS: %[[L_ARG:.*]] = memref.cast %[[L]]
// BUFFERS: %[[INFO:.*]] = memref.alloc() : memref<2xi32>
// BUFFERS: %[[INFO_ARG:.*]] = memref.cast %[[INFO]]
// BUFFERS: call @hlox_rt_lapack_potrf_s(%[[A_ARG]], %[[L_ARG]], %[[INFO_ARG]], %[[UPLO]])
// BUFFERS: bufferization.to_tensor %[[L]] restrict writable
// BUFFERS: bufferization.to_tensor %[[INFO]] restrict writable
func.func @main(%a: tensor<2x4x4xf32>) -> (tensor<2x4x4xf32>, tensor<2xi32>) {
  %0:2 = stablehlo.custom_call @lapack_spotrf_ffi(%a) {mhlo.backend_config = {uplo = 76 : ui8},
    operand_layouts = [dense<[1, 2, 0]> : tensor<3xindex>],
    result_layouts = [dense<[1, 2, 0]> : tensor<3xindex>, dense<0> : tensor<1xindex>]}
    : (tensor<2x4x4xf32>) -> (tensor<2x4x4xf32>, tensor<2xi32>)
  return %0#0, %0#1 : tensor<2x4x4xf32>, tensor<2xi32>
}
