// RUN: hlox-opt --split-input-file %s | hlox-opt --split-input-file | FileCheck %s
// RUN: hlox-opt --split-input-file %s --mlir-print-op-generic | hlox-opt --split-input-file | FileCheck %s
// RUN: hlox-opt --split-input-file %S/Inputs/jax-elementwise.generic.mlir | FileCheck %s

// StableHLO as JAX 0.10.2 prints it (jax.jit(f).lower(...).as_text()) for programs that
// use the elementwise ops; Inputs/jax-elementwise.generic.mlir is the same
// programs in JAX's generic form. Both parse and print JAX's text back.

module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xf32>) -> (tensor<4xf32> {jax.result_info = "result[0]"}, tensor<4xf32> {jax.result_info = "result[1]"}, tensor<4xf32> {jax.result_info = "result[2]"}, tensor<4xf32> {jax.result_info = "result[3]"}, tensor<4xf32> {jax.result_info = "result[4]"}, tensor<4xf32> {jax.result_info = "result[5]"}, tensor<4xf32> {jax.result_info = "result[6]"}, tensor<4xi1> {jax.result_info = "result[7]"}, tensor<4xf32> {jax.result_info = "result[8]"}, tensor<4xf32> {jax.result_info = "result[9]"}, tensor<4xf32> {jax.result_info = "result[10]"}, tensor<4xf32> {jax.result_info = "result[11]"}, tensor<4xf32> {jax.result_info = "result[12]"}, tensor<4xf32> {jax.result_info = "result[13]"}, tensor<4xf32> {jax.result_info = "result[14]"}, tensor<4xf32> {jax.result_info = "result[15]"}, tensor<4xf32> {jax.result_info = "result[16]"}, tensor<4xf32> {jax.result_info = "result[17]"}, tensor<4xf32> {jax.result_info = "result[18]"}, tensor<4xf32> {jax.result_info = "result[19]"}, tensor<4xf32> {jax.result_info = "result[20]"}, tensor<4xf32> {jax.result_info = "result[21]"}) {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<4xf32>
    %0 = stablehlo.abs %arg0 : tensor<4xf32>
    // CHECK: stablehlo.cbrt %{{[a-z0-9_#]+}} : tensor<4xf32>
    %1 = stablehlo.cbrt %arg0 : tensor<4xf32>
    // CHECK: stablehlo.ceil %{{[a-z0-9_#]+}} : tensor<4xf32>
    %2 = stablehlo.ceil %arg0 : tensor<4xf32>
    // CHECK: stablehlo.cosine %{{[a-z0-9_#]+}} : tensor<4xf32>
    %3 = stablehlo.cosine %arg0 : tensor<4xf32>
    // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<4xf32>
    %4 = stablehlo.exponential %arg0 : tensor<4xf32>
    // CHECK: stablehlo.exponential_minus_one %{{[a-z0-9_#]+}} : tensor<4xf32>
    %5 = stablehlo.exponential_minus_one %arg0 : tensor<4xf32>
    // CHECK: stablehlo.floor %{{[a-z0-9_#]+}} : tensor<4xf32>
    %6 = stablehlo.floor %arg0 : tensor<4xf32>
    // CHECK: stablehlo.is_finite %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xi1>
    %7 = stablehlo.is_finite %arg0 : (tensor<4xf32>) -> tensor<4xi1>
    // CHECK: stablehlo.log %{{[a-z0-9_#]+}} : tensor<4xf32>
    %8 = stablehlo.log %arg0 : tensor<4xf32>
    // CHECK: stablehlo.log_plus_one %{{[a-z0-9_#]+}} : tensor<4xf32>
    %9 = stablehlo.log_plus_one %arg0 : tensor<4xf32>
    // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<4xf32>
    %10 = stablehlo.negate %arg0 : tensor<4xf32>
    // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<4xf32>
    %11 = stablehlo.exponential %10 : tensor<4xf32>
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<f32>
    %cst = stablehlo.constant dense<1.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<4xf32>
    %12 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<4xf32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %13 = stablehlo.add %12, %11 : tensor<4xf32>
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<f32>
    %cst_0 = stablehlo.constant dense<1.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<4xf32>
    %14 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<4xf32>
    // CHECK: stablehlo.divide %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %15 = stablehlo.divide %14, %13 : tensor<4xf32>
    // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<4xf32>
    %16 = stablehlo.negate %arg0 : tensor<4xf32>
    // CHECK: stablehlo.round_nearest_afz %{{[a-z0-9_#]+}} : tensor<4xf32>
    %17 = stablehlo.round_nearest_afz %arg0 : tensor<4xf32>
    // CHECK: stablehlo.round_nearest_even %{{[a-z0-9_#]+}} : tensor<4xf32>
    %18 = stablehlo.round_nearest_even %arg0 : tensor<4xf32>
    // CHECK: stablehlo.rsqrt %{{[a-z0-9_#]+}} : tensor<4xf32>
    %19 = stablehlo.rsqrt %arg0 : tensor<4xf32>
    // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<4xf32>
    %20 = stablehlo.sign %arg0 : tensor<4xf32>
    // CHECK: stablehlo.sine %{{[a-z0-9_#]+}} : tensor<4xf32>
    %21 = stablehlo.sine %arg0 : tensor<4xf32>
    // CHECK: stablehlo.sqrt %{{[a-z0-9_#]+}} : tensor<4xf32>
    %22 = stablehlo.sqrt %arg0 : tensor<4xf32>
    // CHECK: stablehlo.tan %{{[a-z0-9_#]+}} : tensor<4xf32>
    %23 = stablehlo.tan %arg0 : tensor<4xf32>
    // CHECK: stablehlo.tanh %{{[a-z0-9_#]+}} : tensor<4xf32>
    %24 = stablehlo.tanh %arg0 : tensor<4xf32>
    // CHECK: stablehlo.constant dense<0.693147182> : tensor<f32>
    %cst_1 = stablehlo.constant dense<0.693147182> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<4xf32>
    %25 = stablehlo.broadcast_in_dim %cst_1, dims = [] : (tensor<f32>) -> tensor<4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %26 = stablehlo.multiply %25, %arg0 : tensor<4xf32>
    // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<4xf32>
    %27 = stablehlo.exponential %26 : tensor<4xf32>
    // CHECK: stablehlo.reduce_precision %{{[a-z0-9_#]+}}, format = e5m10 : tensor<4xf32>
    %28 = stablehlo.reduce_precision %arg0, format = e5m10 : tensor<4xf32>
    return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %15, %16, %17, %18, %19, %20, %21, %22, %23, %24, %27, %28 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xi32>) -> (tensor<4xi32> {jax.result_info = "result[0]"}, tensor<4xi32> {jax.result_info = "result[1]"}, tensor<4xi32> {jax.result_info = "result[2]"}, tensor<4xi32> {jax.result_info = "result[3]"}, tensor<4xi32> {jax.result_info = "result[4]"}, tensor<4xi32> {jax.result_info = "result[5]"}) {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<4xi32>
    %0 = stablehlo.abs %arg0 : tensor<4xi32>
    // CHECK: stablehlo.count_leading_zeros %{{[a-z0-9_#]+}} : tensor<4xi32>
    %1 = stablehlo.count_leading_zeros %arg0 : tensor<4xi32>
    // CHECK: stablehlo.popcnt %{{[a-z0-9_#]+}} : tensor<4xi32>
    %2 = stablehlo.popcnt %arg0 : tensor<4xi32>
    // CHECK: stablehlo.not %{{[a-z0-9_#]+}} : tensor<4xi32>
    %3 = stablehlo.not %arg0 : tensor<4xi32>
    // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<4xi32>
    %4 = stablehlo.negate %arg0 : tensor<4xi32>
    // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<4xi32>
    %5 = stablehlo.sign %arg0 : tensor<4xi32>
    return %0, %1, %2, %3, %4, %5 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xcomplex<f32>>) -> (tensor<4xf32> {jax.result_info = "result[0]"}, tensor<4xf32> {jax.result_info = "result[1]"}, tensor<4xf32> {jax.result_info = "result[2]"}, tensor<4xcomplex<f32>> {jax.result_info = "result[3]"}, tensor<4xcomplex<f32>> {jax.result_info = "result[4]"}, tensor<4xcomplex<f32>> {jax.result_info = "result[5]"}) {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %0 = stablehlo.abs %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %1 = stablehlo.real %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %2 = stablehlo.imag %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<4xcomplex<f32>>
    %3 = stablehlo.exponential %arg0 : tensor<4xcomplex<f32>>
    // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %4 = stablehlo.real %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %5 = stablehlo.imag %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.complex %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xcomplex<f32>>
    %6 = stablehlo.complex %4, %5 : tensor<4xcomplex<f32>>
    // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %7 = stablehlo.real %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    %8 = stablehlo.imag %arg0 : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
    // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<4xf32>
    %9 = stablehlo.negate %8 : tensor<4xf32>
    // CHECK: stablehlo.complex %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xcomplex<f32>>
    %10 = stablehlo.complex %7, %9 : tensor<4xcomplex<f32>>
    return %0, %1, %2, %3, %6, %10 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>, tensor<4xcomplex<f32>>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> (tensor<4xf32> {jax.result_info = "result[0]"}, tensor<4xf32> {jax.result_info = "result[1]"}, tensor<4xf32> {jax.result_info = "result[2]"}, tensor<4xf32> {jax.result_info = "result[3]"}, tensor<4xf32> {jax.result_info = "result[4]"}, tensor<4xf32> {jax.result_info = "result[5]"}, tensor<4xf32> {jax.result_info = "result[6]"}, tensor<4xf32> {jax.result_info = "result[7]"}, tensor<4xf32> {jax.result_info = "result[8]"}, tensor<4xf32> {jax.result_info = "result[9]"}, tensor<4xi1> {jax.result_info = "result[10]"}, tensor<4xf32> {jax.result_info = "result[11]"}) {
    // CHECK: stablehlo.atan2 %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %0 = stablehlo.atan2 %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.divide %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %1 = stablehlo.divide %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.maximum %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %2 = stablehlo.maximum %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.minimum %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %3 = stablehlo.minimum %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.power %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %4 = stablehlo.power %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %5 = stablehlo.remainder %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.subtract %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %6 = stablehlo.subtract %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %7 = stablehlo.multiply %arg0, %arg1 : tensor<4xf32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<f32>
    %cst_0 = stablehlo.constant dense<1.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<4xf32>
    %8 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<4xf32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<4xf32>
    %9 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<4xf32>
    // CHECK: stablehlo.clamp %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %10 = stablehlo.clamp %8, %arg0, %9 : tensor<4xf32>
    // CHECK: stablehlo.clamp %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>
    %11 = stablehlo.clamp %arg0, %arg1, %arg0 : tensor<4xf32>
    // CHECK: stablehlo.compare GT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
    %12 = stablehlo.compare GT, %arg0, %arg1, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
    // CHECK: stablehlo.compare GT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
    %13 = stablehlo.compare GT, %arg0, %arg1, FLOAT : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi1>, tensor<4xf32>
    %14 = stablehlo.select %13, %arg0, %arg1 : tensor<4xi1>, tensor<4xf32>
    return %0, %1, %2, %3, %4, %5, %6, %7, %10, %11, %12, %14 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi1>, tensor<4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xi32>, %arg1: tensor<4xi32>) -> (tensor<4xi32> {jax.result_info = "result[0]"}, tensor<4xi32> {jax.result_info = "result[1]"}, tensor<4xi32> {jax.result_info = "result[2]"}, tensor<4xi32> {jax.result_info = "result[3]"}, tensor<4xi32> {jax.result_info = "result[4]"}, tensor<4xi32> {jax.result_info = "result[5]"}, tensor<4xi32> {jax.result_info = "result[6]"}, tensor<4xi32> {jax.result_info = "result[7]"}, tensor<4xi32> {jax.result_info = "result[8]"}, tensor<4xi1> {jax.result_info = "result[9]"}) {
    // CHECK: stablehlo.shift_left %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %0 = stablehlo.shift_left %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.shift_right_arithmetic %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %1 = stablehlo.shift_right_arithmetic %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.shift_right_logical %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %2 = stablehlo.shift_right_logical %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %3 = stablehlo.and %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %4 = stablehlo.or %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.xor %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %5 = stablehlo.xor %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.divide %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %6 = stablehlo.divide %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %7 = stablehlo.remainder %arg0, %arg1 : tensor<4xi32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %8 = stablehlo.multiply %arg0, %arg0 : tensor<4xi32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi32>
    %9 = stablehlo.multiply %8, %arg0 : tensor<4xi32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
    %10 = stablehlo.compare LT, %arg0, %arg1, SIGNED : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi1>
    return %0, %1, %2, %3, %4, %5, %6, %7, %9, %10 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi1>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xui32>, %arg1: tensor<4xui32>) -> (tensor<4xi1> {jax.result_info = "result[0]"}, tensor<4xi1> {jax.result_info = "result[1]"}, tensor<4xui32> {jax.result_info = "result[2]"}) {
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
    %0 = stablehlo.compare LT, %arg0, %arg1, UNSIGNED : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
    %1 = stablehlo.compare EQ, %arg0, %arg1, UNSIGNED : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
    // CHECK: stablehlo.shift_right_logical %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xui32>
    %2 = stablehlo.shift_right_logical %arg0, %arg1 : tensor<4xui32>
    return %0, %1, %2 : tensor<4xi1>, tensor<4xi1>, tensor<4xui32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xi1>, %arg1: tensor<4xi1>) -> (tensor<4xi1> {jax.result_info = "result[0]"}, tensor<4xi1> {jax.result_info = "result[1]"}, tensor<4xi1> {jax.result_info = "result[2]"}, tensor<4xi1> {jax.result_info = "result[3]"}) {
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi1>
    %0 = stablehlo.and %arg0, %arg1 : tensor<4xi1>
    // CHECK: stablehlo.not %{{[a-z0-9_#]+}} : tensor<4xi1>
    %1 = stablehlo.not %arg0 : tensor<4xi1>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
    %2 = stablehlo.compare EQ, %arg0, %arg1, UNSIGNED : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xi1>, tensor<4xi1>
    %3 = stablehlo.select %arg0, %arg0, %arg1 : tensor<4xi1>, tensor<4xi1>
    return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<4xf32>) -> (tensor<4xi32> {jax.result_info = "result[0]"}, tensor<4xi32> {jax.result_info = "result[1]"}, tensor<4x4xui8> {jax.result_info = "result[2]"}, tensor<4xbf16> {jax.result_info = "result[3]"}) {
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xi32>
    %0 = stablehlo.convert %arg0 : (tensor<4xf32>) -> tensor<4xi32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xi32>
    %1 = stablehlo.bitcast_convert %arg0 : (tensor<4xf32>) -> tensor<4xi32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4x4xui8>
    %2 = stablehlo.bitcast_convert %arg0 : (tensor<4xf32>) -> tensor<4x4xui8>
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<4xf32>) -> tensor<4xbf16>
    %3 = stablehlo.convert %arg0 : (tensor<4xf32>) -> tensor<4xbf16>
    return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4x4xui8>, tensor<4xbf16>
  }
}
