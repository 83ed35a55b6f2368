// RUN: hlox-opt --split-input-file %s | hlox-opt --split-input-file | FileCheck %s
// RUN: hlox-opt --split-input-file %s --mlir-print-op-generic | hlox-opt --split-input-file | FileCheck %s
// RUN: hlox-opt --split-input-file %S/Inputs/jax-shape-misc.generic.mlir | FileCheck %s

// StableHLO as JAX prints it for programs that use the shape and misc ops
// (transpose, slices, pad, concatenate, iota, rng, optimization_barrier);
// Inputs/jax-shape-misc.generic.mlir is the generic form.

module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4x4xf32>) -> (tensor<4x4xf32> {jax.result_info = "result[0]"}, tensor<16xf32> {jax.result_info = "result[1]"}, tensor<3x4xf32> {jax.result_info = "result[2]"}, tensor<2x4x4xf32> {jax.result_info = "result[3]"}, tensor<2x2xf32> {jax.result_info = "result[4]"}, tensor<2x2xf32> {jax.result_info = "result[5]"}, tensor<4x4xf32> {jax.result_info = "result[6]"}, tensor<4x8xf32> {jax.result_info = "result[7]"}, tensor<10x3xf32> {jax.result_info = "result[8]"}, tensor<4x4xf32> {jax.result_info = "result[9]"}, tensor<5xi32> {jax.result_info = "result[10]"}, tensor<2x3xf32> {jax.result_info = "result[11]"}) {
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<4xf32>
    %cst = stablehlo.constant dense<1.000000e+00> : tensor<4xf32>
    // CHECK: stablehlo.transpose %{{[a-z0-9_#]+}}, dims = [1, 0] : (tensor<4x4xf32>) -> tensor<4x4xf32>
    %0 = stablehlo.transpose %arg0, dims = [1, 0] : (tensor<4x4xf32>) -> tensor<4x4xf32>
    // CHECK: stablehlo.reshape %{{[a-z0-9_#]+}} : (tensor<4x4xf32>) -> tensor<16xf32>
    %1 = stablehlo.reshape %arg0 : (tensor<4x4xf32>) -> tensor<16xf32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [1] : (tensor<4xf32>) -> tensor<3x4xf32>
    %2 = stablehlo.broadcast_in_dim %cst, dims = [1] : (tensor<4xf32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [1, 2] : (tensor<4x4xf32>) -> tensor<2x4x4xf32>
    %3 = stablehlo.broadcast_in_dim %arg0, dims = [1, 2] : (tensor<4x4xf32>) -> tensor<2x4x4xf32>
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [1:3, 0:4:2] : (tensor<4x4xf32>) -> tensor<2x2xf32>
    %4 = stablehlo.slice %arg0 [1:3, 0:4:2] : (tensor<4x4xf32>) -> tensor<2x2xf32>
    // CHECK: stablehlo.constant dense<1> : tensor<i64>
    %c = stablehlo.constant dense<1> : tensor<i64>
    // CHECK: stablehlo.constant dense<2> : tensor<i64>
    %c_0 = stablehlo.constant dense<2> : tensor<i64>
    // CHECK: stablehlo.dynamic_slice %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, sizes = [2, 2] : (tensor<4x4xf32>, tensor<i64>, tensor<i64>) -> tensor<2x2xf32>
    %5 = stablehlo.dynamic_slice %arg0, %c, %c_0, sizes = [2, 2] : (tensor<4x4xf32>, tensor<i64>, tensor<i64>) -> tensor<2x2xf32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_1 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<2x2xf32>
    %6 = stablehlo.broadcast_in_dim %cst_1, dims = [] : (tensor<f32>) -> tensor<2x2xf32>
    // CHECK: stablehlo.constant dense<1> : tensor<i64>
    %c_2 = stablehlo.constant dense<1> : tensor<i64>
    // CHECK: stablehlo.constant dense<1> : tensor<i64>
    %c_3 = stablehlo.constant dense<1> : tensor<i64>
    // CHECK: stablehlo.dynamic_update_slice %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<i64>, tensor<i64>) -> tensor<4x4xf32>
    %7 = stablehlo.dynamic_update_slice %arg0, %6, %c_2, %c_3 : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<i64>, tensor<i64>) -> tensor<4x4xf32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 1 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x8xf32>
    %8 = stablehlo.concatenate %arg0, %arg0, dim = 1 : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x8xf32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_4 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.pad %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, low = [1, 0], high = [2, -1], interior = [1, 0] : (tensor<4x4xf32>, tensor<f32>) -> tensor<10x3xf32>
    %9 = stablehlo.pad %arg0, %cst_4, low = [1, 0], high = [2, -1], interior = [1, 0] : (tensor<4x4xf32>, tensor<f32>) -> tensor<10x3xf32>
    // CHECK: call @_flip(%{{[a-z0-9_#]+}}) : (tensor<4x4xf32>) -> tensor<4x4xf32>
    %10 = call @_flip(%arg0) : (tensor<4x4xf32>) -> tensor<4x4xf32>
    // CHECK: stablehlo.iota dim = 0 : tensor<5xi32>
    %11 = stablehlo.iota dim = 0 : tensor<5xi32>
    // CHECK: stablehlo.iota dim = 1 : tensor<2x3xf32>
    %12 = stablehlo.iota dim = 1 : tensor<2x3xf32>
    return %0, %1, %2, %3, %4, %5, %7, %8, %9, %10, %11, %12 : tensor<4x4xf32>, tensor<16xf32>, tensor<3x4xf32>, tensor<2x4x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<4x4xf32>, tensor<4x8xf32>, tensor<10x3xf32>, tensor<4x4xf32>, tensor<5xi32>, tensor<2x3xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_flip(
  func.func private @_flip(%arg0: tensor<4x4xf32>) -> tensor<4x4xf32> {
    // CHECK: stablehlo.reverse %{{[a-z0-9_#]+}}, dims = [0] : tensor<4x4xf32>
    %0 = stablehlo.reverse %arg0, dims = [0] : tensor<4x4xf32>
    return %0 : tensor<4x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xf32>) -> (tensor<4xf32> {jax.result_info = "result[0][0]"}, tensor<4xf32> {jax.result_info = "result[0][1]"}, tensor<3xui64> {jax.result_info = "result[1]"}, tensor<2x3xf64> {jax.result_info = "result[2]"}) {
    // CHECK: stablehlo.optimization_barrier %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>, tensor<4xf32>
    %0:2 = stablehlo.optimization_barrier %arg0, %arg0 : tensor<4xf32>, tensor<4xf32>
    // CHECK: stablehlo.constant dense<0> : tensor<i64>
    %c = stablehlo.constant dense<0> : tensor<i64>
    // CHECK: stablehlo.constant dense<32> : tensor<i64>
    %c_0 = stablehlo.constant dense<32> : tensor<i64>
    // CHECK: stablehlo.shift_right_logical %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<i64>
    %1 = stablehlo.shift_right_logical %c, %c_0 : tensor<i64>
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<i64>) -> tensor<ui32>
    %2 = stablehlo.convert %1 : (tensor<i64>) -> tensor<ui32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<ui32>) -> tensor<1xui32>
    %3 = stablehlo.broadcast_in_dim %2, dims = [] : (tensor<ui32>) -> tensor<1xui32>
    // CHECK: stablehlo.constant dense<4294967295> : tensor<i64>
    %c_1 = stablehlo.constant dense<4294967295> : tensor<i64>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<i64>
    %4 = stablehlo.and %c, %c_1 : tensor<i64>
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<i64>) -> tensor<ui32>
    %5 = stablehlo.convert %4 : (tensor<i64>) -> tensor<ui32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<ui32>) -> tensor<1xui32>
    %6 = stablehlo.broadcast_in_dim %5, dims = [] : (tensor<ui32>) -> tensor<1xui32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 0 : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
    %7 = stablehlo.concatenate %3, %6, dim = 0 : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 0 : (tensor<2xui32>, tensor<2xui32>) -> tensor<4xui32>
    %8 = stablehlo.concatenate %7, %7, dim = 0 : (tensor<2xui32>, tensor<2xui32>) -> tensor<4xui32>
    // CHECK: stablehlo.reshape %{{[a-z0-9_#]+}} : (tensor<4xui32>) -> tensor<2x2xui32>
    %9 = stablehlo.reshape %8 : (tensor<4xui32>) -> tensor<2x2xui32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<2x2xui32>) -> tensor<2xui64>
    %10 = stablehlo.bitcast_convert %9 : (tensor<2x2xui32>) -> tensor<2xui64>
    // CHECK: stablehlo.rng_bit_generator %{{[a-z0-9_#]+}}, algorithm = DEFAULT : (tensor<2xui64>) -> (tensor<2xui64>, tensor<3xui64>)
    %output_state, %output = stablehlo.rng_bit_generator %10, algorithm = DEFAULT : (tensor<2xui64>) -> (tensor<2xui64>, tensor<3xui64>)
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<2xui64>) -> tensor<2x2xui32>
    %11 = stablehlo.bitcast_convert %output_state : (tensor<2xui64>) -> tensor<2x2xui32>
    // CHECK: stablehlo.reshape %{{[a-z0-9_#]+}} : (tensor<2x2xui32>) -> tensor<4xui32>
    %12 = stablehlo.reshape %11 : (tensor<2x2xui32>) -> tensor<4xui32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f64>
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f64>
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<f64>
    %cst_2 = stablehlo.constant dense<1.000000e+00> : tensor<f64>
    // CHECK: stablehlo.constant dense<[2, 3]> : tensor<2xi64>
    %c_3 = stablehlo.constant dense<[2, 3]> : tensor<2xi64>
    // CHECK: stablehlo.rng %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, distribution = UNIFORM : (tensor<f64>, tensor<f64>, tensor<2xi64>) -> tensor<2x3xf64>
    %13 = stablehlo.rng %cst, %cst_2, %c_3, distribution = UNIFORM : (tensor<f64>, tensor<f64>, tensor<2xi64>) -> tensor<2x3xf64>
    return %0#0, %0#1, %output, %13 : tensor<4xf32>, tensor<4xf32>, tensor<3xui64>, tensor<2x3xf64>
  }
}
