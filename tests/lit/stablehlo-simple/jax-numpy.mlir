// RUN: hlox-opt --split-input-file %s | hlox-opt --split-input-file | FileCheck %s
// RUN: hlox-opt --split-input-file %s --mlir-print-op-generic | hlox-opt --split-input-file | FileCheck %s
// RUN: hlox-opt --split-input-file %S/Inputs/jax-numpy.generic.mlir | FileCheck %s

// StableHLO as JAX prints it for jax.numpy / jax.nn functions built from the
// elementwise and shape ops (pad modes, roll, tril, rot90, complex math,
// integer ops, bf16/f8 conversions, frexp, ldexp, isnan, round, mod, gelu);
// Inputs/jax-numpy.generic.mlir is the generic form.

module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<5x6xf32> {jax.result_info = "result"}) {
    // CHECK: call @_pad(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<5x6xf32>
    %0 = call @_pad(%arg0) : (tensor<3x4xf32>) -> tensor<5x6xf32>
    return %0 : tensor<5x6xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_pad(
  func.func private @_pad(%arg0: tensor<3x4xf32>) -> tensor<5x6xf32> {
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [1:2, 0:4] : (tensor<3x4xf32>) -> tensor<1x4xf32>
    %0 = stablehlo.slice %arg0 [1:2, 0:4] : (tensor<3x4xf32>) -> tensor<1x4xf32>
    // CHECK: call @_flip(%{{[a-z0-9_#]+}}) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %1 = call @_flip(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 0 : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
    %2 = stablehlo.concatenate %1, %arg0, dim = 0 : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [2:3, 0:4] : (tensor<4x4xf32>) -> tensor<1x4xf32>
    %3 = stablehlo.slice %2 [2:3, 0:4] : (tensor<4x4xf32>) -> tensor<1x4xf32>
    // CHECK: call @_flip(%{{[a-z0-9_#]+}}) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    %4 = call @_flip(%3) : (tensor<1x4xf32>) -> tensor<1x4xf32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 0 : (tensor<4x4xf32>, tensor<1x4xf32>) -> tensor<5x4xf32>
    %5 = stablehlo.concatenate %2, %4, dim = 0 : (tensor<4x4xf32>, tensor<1x4xf32>) -> tensor<5x4xf32>
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [0:5, 1:2] : (tensor<5x4xf32>) -> tensor<5x1xf32>
    %6 = stablehlo.slice %5 [0:5, 1:2] : (tensor<5x4xf32>) -> tensor<5x1xf32>
    // CHECK: call @_flip_0(%{{[a-z0-9_#]+}}) : (tensor<5x1xf32>) -> tensor<5x1xf32>
    %7 = call @_flip_0(%6) : (tensor<5x1xf32>) -> tensor<5x1xf32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 1 : (tensor<5x1xf32>, tensor<5x4xf32>) -> tensor<5x5xf32>
    %8 = stablehlo.concatenate %7, %5, dim = 1 : (tensor<5x1xf32>, tensor<5x4xf32>) -> tensor<5x5xf32>
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [0:5, 3:4] : (tensor<5x5xf32>) -> tensor<5x1xf32>
    %9 = stablehlo.slice %8 [0:5, 3:4] : (tensor<5x5xf32>) -> tensor<5x1xf32>
    // CHECK: call @_flip_0(%{{[a-z0-9_#]+}}) : (tensor<5x1xf32>) -> tensor<5x1xf32>
    %10 = call @_flip_0(%9) : (tensor<5x1xf32>) -> tensor<5x1xf32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 1 : (tensor<5x5xf32>, tensor<5x1xf32>) -> tensor<5x6xf32>
    %11 = stablehlo.concatenate %8, %10, dim = 1 : (tensor<5x5xf32>, tensor<5x1xf32>) -> tensor<5x6xf32>
    return %11 : tensor<5x6xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_flip(
  func.func private @_flip(%arg0: tensor<1x4xf32>) -> tensor<1x4xf32> {
    // CHECK: stablehlo.reverse %{{[a-z0-9_#]+}}, dims = [0] : tensor<1x4xf32>
    %0 = stablehlo.reverse %arg0, dims = [0] : tensor<1x4xf32>
    return %0 : tensor<1x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_flip_0(
  func.func private @_flip_0(%arg0: tensor<5x1xf32>) -> tensor<5x1xf32> {
    // CHECK: stablehlo.reverse %{{[a-z0-9_#]+}}, dims = [1] : tensor<5x1xf32>
    %0 = stablehlo.reverse %arg0, dims = [1] : tensor<5x1xf32>
    return %0 : tensor<5x1xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: call @_roll_static(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    %0 = call @_roll_static(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_roll_static(
  func.func private @_roll_static(%arg0: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [0:3, 3:4] : (tensor<3x4xf32>) -> tensor<3x1xf32>
    %0 = stablehlo.slice %arg0 [0:3, 3:4] : (tensor<3x4xf32>) -> tensor<3x1xf32>
    // CHECK: stablehlo.slice %{{[a-z0-9_#]+}} [0:3, 0:3] : (tensor<3x4xf32>) -> tensor<3x3xf32>
    %1 = stablehlo.slice %arg0 [0:3, 0:3] : (tensor<3x4xf32>) -> tensor<3x3xf32>
    // CHECK: stablehlo.concatenate %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, dim = 1 : (tensor<3x1xf32>, tensor<3x3xf32>) -> tensor<3x4xf32>
    %2 = stablehlo.concatenate %0, %1, dim = 1 : (tensor<3x1xf32>, tensor<3x3xf32>) -> tensor<3x4xf32>
    return %2 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: call @tril(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    %0 = call @tril(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@tril(
  func.func private @tril(%arg0: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.iota dim = 0 : tensor<3x4xi32>
    %0 = stablehlo.iota dim = 0 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %1 = stablehlo.broadcast_in_dim %c, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %2 = stablehlo.add %0, %1 : tensor<3x4xi32>
    // CHECK: stablehlo.iota dim = 1 : tensor<3x4xi32>
    %3 = stablehlo.iota dim = 1 : tensor<3x4xi32>
    // CHECK: stablehlo.compare GE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    %4 = stablehlo.compare GE, %2, %3, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %5 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xf32>
    %6 = stablehlo.select %4, %arg0, %5 : tensor<3x4xi1>, tensor<3x4xf32>
    return %6 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<4x3xf32> {jax.result_info = "result"}) {
    // CHECK: call @rot90(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<4x3xf32>
    %0 = call @rot90(%arg0) : (tensor<3x4xf32>) -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@rot90(
  func.func private @rot90(%arg0: tensor<3x4xf32>) -> tensor<4x3xf32> {
    // CHECK: call @_flip(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    %0 = call @_flip(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.transpose %{{[a-z0-9_#]+}}, dims = [1, 0] : (tensor<3x4xf32>) -> tensor<4x3xf32>
    %1 = stablehlo.transpose %0, dims = [1, 0] : (tensor<3x4xf32>) -> tensor<4x3xf32>
    return %1 : tensor<4x3xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_flip(
  func.func private @_flip(%arg0: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.reverse %{{[a-z0-9_#]+}}, dims = [1] : tensor<3x4xf32>
    %0 = stablehlo.reverse %arg0, dims = [1] : tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main() -> (tensor<3x4xf32> {jax.result_info = "result[0]"}, tensor<3x4xf32> {jax.result_info = "result[1]"}, tensor<3x4xcomplex<f32>> {jax.result_info = "result[2]"}, tensor<3x4xcomplex<f32>> {jax.result_info = "result[3]"}, tensor<3x4xcomplex<f32>> {jax.result_info = "result[4]"}, tensor<3x4xcomplex<f32>> {jax.result_info = "result[5]"}, tensor<3x4xf32> {jax.result_info = "result[6]"}, tensor<3x4xf32> {jax.result_info = "result[7]"}) {
    // CHECK: stablehlo.constant dense<{{\[\[}}(-2.000000e+00,5.000000e-01), (-1.63636351,5.000000e-01), (-1.27272725,5.000000e-01), (-0.909090936,5.000000e-01)], [(-0.545454502,5.000000e-01), (-0.181818068,5.000000e-01), (0.181818247,5.000000e-01), (0.545454562,5.000000e-01)], [(0.909090995,5.000000e-01), (1.27272749,5.000000e-01), (1.63636374,5.000000e-01), (2.000000e+00,5.000000e-01)]]> : tensor<3x4xcomplex<f32>>
    %cst = stablehlo.constant dense<[[(-2.000000e+00,5.000000e-01), (-1.63636351,5.000000e-01), (-1.27272725,5.000000e-01), (-0.909090936,5.000000e-01)], [(-0.545454502,5.000000e-01), (-0.181818068,5.000000e-01), (0.181818247,5.000000e-01), (0.545454562,5.000000e-01)], [(0.909090995,5.000000e-01), (1.27272749,5.000000e-01), (1.63636374,5.000000e-01), (2.000000e+00,5.000000e-01)]]> : tensor<3x4xcomplex<f32>>
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %0 = stablehlo.abs %cst : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: call @angle(%{{[a-z0-9_#]+}}) : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %1 = call @angle(%cst) : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %2 = stablehlo.real %cst : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %3 = stablehlo.imag %cst : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %4 = stablehlo.negate %3 : tensor<3x4xf32>
    // CHECK: stablehlo.complex %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xcomplex<f32>>
    %5 = stablehlo.complex %2, %4 : tensor<3x4xcomplex<f32>>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xcomplex<f32>>
    %6 = stablehlo.multiply %cst, %cst : tensor<3x4xcomplex<f32>>
    // CHECK: stablehlo.exponential %{{[a-z0-9_#]+}} : tensor<3x4xcomplex<f32>>
    %7 = stablehlo.exponential %cst : tensor<3x4xcomplex<f32>>
    // CHECK: stablehlo.sqrt %{{[a-z0-9_#]+}} : tensor<3x4xcomplex<f32>>
    %8 = stablehlo.sqrt %cst : tensor<3x4xcomplex<f32>>
    // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %9 = stablehlo.real %cst : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %10 = stablehlo.imag %cst : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    return %0, %1, %5, %6, %7, %8, %9, %10 : tensor<3x4xf32>, tensor<3x4xf32>, tensor<3x4xcomplex<f32>>, tensor<3x4xcomplex<f32>>, tensor<3x4xcomplex<f32>>, tensor<3x4xcomplex<f32>>, tensor<3x4xf32>, tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@angle(
  func.func private @angle(%arg0: tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.real %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %0 = stablehlo.real %arg0 : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: stablehlo.imag %{{[a-z0-9_#]+}} : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    %1 = stablehlo.imag %arg0 : (tensor<3x4xcomplex<f32>>) -> tensor<3x4xf32>
    // CHECK: stablehlo.atan2 %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %2 = stablehlo.atan2 %1, %0 : tensor<3x4xf32>
    return %2 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main() -> (tensor<3x4xi32> {jax.result_info = "result[0]"}, tensor<3x4xi32> {jax.result_info = "result[1]"}, tensor<3x4xi32> {jax.result_info = "result[2]"}, tensor<3x4xi32> {jax.result_info = "result[3]"}, tensor<3x4xi32> {jax.result_info = "result[4]"}, tensor<3x4xi32> {jax.result_info = "result[5]"}, tensor<3x4xi32> {jax.result_info = "result[6]"}, tensor<3x4xui8> {jax.result_info = "result[7]"}) {
    // CHECK: stablehlo.constant dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<3x4xi32>
    %c = stablehlo.constant dense<[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<{{\[\[}}0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<3x4xui8>
    %c_0 = stablehlo.constant dense<[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]> : tensor<3x4xui8>
    // CHECK: stablehlo.constant dense<3> : tensor<i32>
    %c_1 = stablehlo.constant dense<3> : tensor<i32>
    // CHECK: call @floor_divide(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi32>, tensor<i32>) -> tensor<3x4xi32>
    %0 = call @floor_divide(%c, %c_1) : (tensor<3x4xi32>, tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<3> : tensor<i32>
    %c_2 = stablehlo.constant dense<3> : tensor<i32>
    // CHECK: call @remainder(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi32>, tensor<i32>) -> tensor<3x4xi32>
    %1 = call @remainder(%c, %c_2) : (tensor<3x4xi32>, tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %2 = stablehlo.multiply %c, %c : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<1> : tensor<i32>
    %c_3 = stablehlo.constant dense<1> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %3 = stablehlo.broadcast_in_dim %c_3, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.shift_left %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %4 = stablehlo.shift_left %c, %3 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<1> : tensor<i32>
    %c_4 = stablehlo.constant dense<1> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %5 = stablehlo.broadcast_in_dim %c_4, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.shift_right_arithmetic %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %6 = stablehlo.shift_right_arithmetic %c, %5 : tensor<3x4xi32>
    // CHECK: stablehlo.not %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %7 = stablehlo.not %c : tensor<3x4xi32>
    // CHECK: stablehlo.negate %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %8 = stablehlo.negate %c : tensor<3x4xi32>
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %9 = stablehlo.abs %8 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<2> : tensor<ui8>
    %c_5 = stablehlo.constant dense<2> : tensor<ui8>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<ui8>) -> tensor<3x4xui8>
    %10 = stablehlo.broadcast_in_dim %c_5, dims = [] : (tensor<ui8>) -> tensor<3x4xui8>
    // CHECK: stablehlo.shift_right_logical %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xui8>
    %11 = stablehlo.shift_right_logical %c_0, %10 : tensor<3x4xui8>
    return %0, %1, %2, %4, %6, %7, %9, %11 : tensor<3x4xi32>, tensor<3x4xi32>, tensor<3x4xi32>, tensor<3x4xi32>, tensor<3x4xi32>, tensor<3x4xi32>, tensor<3x4xi32>, tensor<3x4xui8>
  }
  // CHECK-LABEL: func.func {{.*}}@floor_divide(
  func.func private @floor_divide(%arg0: tensor<3x4xi32>, %arg1: tensor<i32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : tensor<i32>
    %0 = stablehlo.convert %arg1 : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %1 = stablehlo.broadcast_in_dim %0, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.divide %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %2 = stablehlo.divide %arg0, %1 : tensor<3x4xi32>
    // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %3 = stablehlo.sign %arg0 : tensor<3x4xi32>
    // CHECK: stablehlo.sign %{{[a-z0-9_#]+}} : tensor<i32>
    %4 = stablehlo.sign %0 : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %5 = stablehlo.broadcast_in_dim %4, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    %6 = stablehlo.compare NE, %3, %5, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %7 = stablehlo.broadcast_in_dim %0, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %8 = stablehlo.remainder %arg0, %7 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %9 = stablehlo.broadcast_in_dim %c, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    %10 = stablehlo.compare NE, %8, %9, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %11 = stablehlo.and %6, %10 : tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<1> : tensor<i32>
    %c_0 = stablehlo.constant dense<1> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %12 = stablehlo.broadcast_in_dim %c_0, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.subtract %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %13 = stablehlo.subtract %2, %12 : tensor<3x4xi32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
    %14 = call @_where(%11, %13, %2) : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
    return %14 : tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@_where(
  func.func private @_where(%arg0: tensor<3x4xi1>, %arg1: tensor<3x4xi32>, %arg2: tensor<3x4xi32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xi32>
    %0 = stablehlo.select %arg0, %arg1, %arg2 : tensor<3x4xi1>, tensor<3x4xi32>
    return %0 : tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@remainder(
  func.func private @remainder(%arg0: tensor<3x4xi32>, %arg1: tensor<i32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : tensor<i32>
    %0 = stablehlo.convert %arg1 : tensor<i32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %1 = stablehlo.compare EQ, %0, %c, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    // CHECK: stablehlo.constant dense<1> : tensor<i32>
    %c_0 = stablehlo.constant dense<1> : tensor<i32>
    // CHECK: call @_where_0(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<i1>, tensor<i32>, tensor<i32>) -> tensor<i32>
    %2 = call @_where_0(%1, %c_0, %0) : (tensor<i1>, tensor<i32>, tensor<i32>) -> tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %3 = stablehlo.broadcast_in_dim %2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %4 = stablehlo.remainder %arg0, %3 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_1 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %5 = stablehlo.broadcast_in_dim %c_1, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    %6 = stablehlo.compare NE, %4, %5, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_2 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %7 = stablehlo.broadcast_in_dim %c_2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    %8 = stablehlo.compare LT, %4, %7, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_3 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %9 = stablehlo.compare LT, %2, %c_3, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i1>) -> tensor<3x4xi1>
    %10 = stablehlo.broadcast_in_dim %9, dims = [] : (tensor<i1>) -> tensor<3x4xi1>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<3x4xi1>
    %11 = stablehlo.compare NE, %8, %10, UNSIGNED : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<3x4xi1>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %12 = stablehlo.and %11, %6 : tensor<3x4xi1>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %13 = stablehlo.broadcast_in_dim %2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %14 = stablehlo.add %4, %13 : tensor<3x4xi32>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xi32>
    %15 = stablehlo.select %12, %14, %4 : tensor<3x4xi1>, tensor<3x4xi32>
    return %15 : tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@_where_0(
  func.func private @_where_0(%arg0: tensor<i1>, %arg1: tensor<i32>, %arg2: tensor<i32>) -> tensor<i32> {
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<i1>, tensor<i32>
    %0 = stablehlo.select %arg0, %arg1, %arg2 : tensor<i1>, tensor<i32>
    return %0 : tensor<i32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<3x4xf32>) -> tensor<3x4xf8E4M3FN>
    %0 = stablehlo.convert %arg0 : (tensor<3x4xf32>) -> tensor<3x4xf8E4M3FN>
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<3x4xf8E4M3FN>) -> tensor<3x4xf32>
    %1 = stablehlo.convert %0 : (tensor<3x4xf8E4M3FN>) -> tensor<3x4xf32>
    return %1 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xbf16> {jax.result_info = "result"}) {
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<3x4xf32>) -> tensor<3x4xbf16>
    %0 = stablehlo.convert %arg0 : (tensor<3x4xf32>) -> tensor<3x4xbf16>
    // CHECK: stablehlo.constant dense<2.000000e+00> : tensor<bf16>
    %cst = stablehlo.constant dense<2.000000e+00> : tensor<bf16>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<bf16>) -> tensor<3x4xbf16>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<bf16>) -> tensor<3x4xbf16>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xbf16>
    %2 = stablehlo.multiply %0, %1 : tensor<3x4xbf16>
    return %2 : tensor<3x4xbf16>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result[0]"}, tensor<3x4xi32> {jax.result_info = "result[1]"}) {
    // CHECK: call @frexp(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
    %0:2 = call @frexp(%arg0) : (tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
    return %0#0, %0#1 : tensor<3x4xf32>, tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@frexp(
  func.func private @frexp(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>) {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.abs %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<1.17549435E-38> : tensor<f32>
    %cst = stablehlo.constant dense<1.17549435E-38> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = stablehlo.compare LT, %0, %1, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0x4B000000> : tensor<f32>
    %cst_0 = stablehlo.constant dense<0x4B000000> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %3 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %4 = stablehlo.multiply %arg0, %3 : tensor<3x4xf32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %5 = call @_where(%2, %4, %arg0) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<-23> : tensor<i32>
    %c = stablehlo.constant dense<-23> : tensor<i32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_1 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: call @_where_0(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<i32>, tensor<i32>) -> tensor<3x4xi32>
    %6 = call @_where_0(%2, %c, %c_1) : (tensor<3x4xi1>, tensor<i32>, tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<3x4xf32>) -> tensor<3x4xi32>
    %7 = stablehlo.bitcast_convert %5 : (tensor<3x4xf32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<23> : tensor<i32>
    %c_2 = stablehlo.constant dense<23> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %8 = stablehlo.broadcast_in_dim %c_2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.shift_right_arithmetic %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %9 = stablehlo.shift_right_arithmetic %7, %8 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<255> : tensor<i32>
    %c_3 = stablehlo.constant dense<255> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %10 = stablehlo.broadcast_in_dim %c_3, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %11 = stablehlo.and %9, %10 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<127> : tensor<i32>
    %c_4 = stablehlo.constant dense<127> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %12 = stablehlo.broadcast_in_dim %c_4, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.subtract %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %13 = stablehlo.subtract %11, %12 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<1> : tensor<i32>
    %c_5 = stablehlo.constant dense<1> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %14 = stablehlo.broadcast_in_dim %c_5, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %15 = stablehlo.add %13, %14 : tensor<3x4xi32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %16 = stablehlo.add %6, %15 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<-2139095041> : tensor<i32>
    %c_6 = stablehlo.constant dense<-2139095041> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %17 = stablehlo.broadcast_in_dim %c_6, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %18 = stablehlo.and %7, %17 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<1056964608> : tensor<i32>
    %c_7 = stablehlo.constant dense<1056964608> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %19 = stablehlo.broadcast_in_dim %c_7, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %20 = stablehlo.or %18, %19 : tensor<3x4xi32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<3x4xi32>) -> tensor<3x4xf32>
    %21 = stablehlo.bitcast_convert %20 : (tensor<3x4xi32>) -> tensor<3x4xf32>
    // CHECK: call @isinf(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    %22 = call @isinf(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %23 = stablehlo.compare NE, %arg0, %arg0, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %24 = stablehlo.or %22, %23 : tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_8 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %25 = stablehlo.broadcast_in_dim %cst_8, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %26 = stablehlo.compare EQ, %arg0, %25, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %27 = stablehlo.or %24, %26 : tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_9 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %28 = stablehlo.broadcast_in_dim %c_9, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: call @_where_1(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
    %29 = call @_where_1(%27, %28, %16) : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %30 = call @_where(%27, %arg0, %21) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    return %30, %29 : tensor<3x4xf32>, tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@_where(
  func.func private @_where(%arg0: tensor<3x4xi1>, %arg1: tensor<3x4xf32>, %arg2: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xf32>
    %0 = stablehlo.select %arg0, %arg1, %arg2 : tensor<3x4xi1>, tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_where_0(
  func.func private @_where_0(%arg0: tensor<3x4xi1>, %arg1: tensor<i32>, %arg2: tensor<i32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %0 = stablehlo.broadcast_in_dim %arg1, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %1 = stablehlo.broadcast_in_dim %arg2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xi32>
    %2 = stablehlo.select %arg0, %0, %1 : tensor<3x4xi1>, tensor<3x4xi32>
    return %2 : tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@isinf(
  func.func private @isinf(%arg0: tensor<3x4xf32>) -> tensor<3x4xi1> {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.abs %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0x7F800000> : tensor<f32>
    %cst = stablehlo.constant dense<0x7F800000> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = stablehlo.compare EQ, %0, %1, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    return %2 : tensor<3x4xi1>
  }
  // CHECK-LABEL: func.func {{.*}}@_where_1(
  func.func private @_where_1(%arg0: tensor<3x4xi1>, %arg1: tensor<3x4xi32>, %arg2: tensor<3x4xi32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xi32>
    %0 = stablehlo.select %arg0, %arg1, %arg2 : tensor<3x4xi1>, tensor<3x4xi32>
    return %0 : tensor<3x4xi32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: stablehlo.constant dense<2> : tensor<i32>
    %c = stablehlo.constant dense<2> : tensor<i32>
    // CHECK: call @ldexp(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xf32>, tensor<i32>) -> tensor<3x4xf32>
    %0 = call @ldexp(%arg0, %c) : (tensor<3x4xf32>, tensor<i32>) -> tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@ldexp(
  func.func private @ldexp(%arg0: tensor<3x4xf32>, %arg1: tensor<i32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<i32>) -> tensor<f32>
    %0 = stablehlo.convert %arg1 : (tensor<i32>) -> tensor<f32>
    // CHECK: call @frexp(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
    %1:2 = call @frexp(%arg0) : (tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>)
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : (tensor<3x4xi32>) -> tensor<3x4xf32>
    %2 = stablehlo.convert %1#1 : (tensor<3x4xi32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %3 = stablehlo.broadcast_in_dim %0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %4 = stablehlo.add %2, %3 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %5 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare GT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %6 = stablehlo.compare GT, %4, %5, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<2.000000e+00> : tensor<f32>
    %cst_0 = stablehlo.constant dense<2.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %7 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %8 = stablehlo.multiply %1#0, %7 : tensor<3x4xf32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %9 = call @_where(%6, %8, %1#0) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_1 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %10 = stablehlo.broadcast_in_dim %cst_1, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare GT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %11 = stablehlo.compare GT, %4, %10, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<f32>
    %cst_2 = stablehlo.constant dense<1.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %12 = stablehlo.broadcast_in_dim %cst_2, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.subtract %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %13 = stablehlo.subtract %4, %12 : tensor<3x4xf32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %14 = call @_where(%11, %13, %4) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<2.000000e+00> : tensor<f32>
    %cst_3 = stablehlo.constant dense<2.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %15 = stablehlo.broadcast_in_dim %cst_3, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.power %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %16 = stablehlo.power %15, %14 : tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %17 = stablehlo.multiply %9, %16 : tensor<3x4xf32>
    // CHECK: call @isinf(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    %18 = call @isinf(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_4 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %19 = stablehlo.broadcast_in_dim %cst_4, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %20 = stablehlo.compare EQ, %arg0, %19, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %21 = stablehlo.or %18, %20 : tensor<3x4xi1>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %22 = call @_where(%21, %arg0, %17) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    return %22 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@frexp(
  func.func private @frexp(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xi32>) {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.abs %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<1.17549435E-38> : tensor<f32>
    %cst = stablehlo.constant dense<1.17549435E-38> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = stablehlo.compare LT, %0, %1, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0x4B000000> : tensor<f32>
    %cst_0 = stablehlo.constant dense<0x4B000000> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %3 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %4 = stablehlo.multiply %arg0, %3 : tensor<3x4xf32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %5 = call @_where(%2, %4, %arg0) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<-23> : tensor<i32>
    %c = stablehlo.constant dense<-23> : tensor<i32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_1 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: call @_where_0(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<i32>, tensor<i32>) -> tensor<3x4xi32>
    %6 = call @_where_0(%2, %c, %c_1) : (tensor<3x4xi1>, tensor<i32>, tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<3x4xf32>) -> tensor<3x4xi32>
    %7 = stablehlo.bitcast_convert %5 : (tensor<3x4xf32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<23> : tensor<i32>
    %c_2 = stablehlo.constant dense<23> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %8 = stablehlo.broadcast_in_dim %c_2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.shift_right_arithmetic %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %9 = stablehlo.shift_right_arithmetic %7, %8 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<255> : tensor<i32>
    %c_3 = stablehlo.constant dense<255> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %10 = stablehlo.broadcast_in_dim %c_3, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %11 = stablehlo.and %9, %10 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<127> : tensor<i32>
    %c_4 = stablehlo.constant dense<127> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %12 = stablehlo.broadcast_in_dim %c_4, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.subtract %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %13 = stablehlo.subtract %11, %12 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<1> : tensor<i32>
    %c_5 = stablehlo.constant dense<1> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %14 = stablehlo.broadcast_in_dim %c_5, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %15 = stablehlo.add %13, %14 : tensor<3x4xi32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %16 = stablehlo.add %6, %15 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<-2139095041> : tensor<i32>
    %c_6 = stablehlo.constant dense<-2139095041> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %17 = stablehlo.broadcast_in_dim %c_6, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %18 = stablehlo.and %7, %17 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<1056964608> : tensor<i32>
    %c_7 = stablehlo.constant dense<1056964608> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %19 = stablehlo.broadcast_in_dim %c_7, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %20 = stablehlo.or %18, %19 : tensor<3x4xi32>
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<3x4xi32>) -> tensor<3x4xf32>
    %21 = stablehlo.bitcast_convert %20 : (tensor<3x4xi32>) -> tensor<3x4xf32>
    // CHECK: call @isinf(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    %22 = call @isinf(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %23 = stablehlo.compare NE, %arg0, %arg0, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %24 = stablehlo.or %22, %23 : tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_8 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %25 = stablehlo.broadcast_in_dim %cst_8, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %26 = stablehlo.compare EQ, %arg0, %25, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.or %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %27 = stablehlo.or %24, %26 : tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_9 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %28 = stablehlo.broadcast_in_dim %c_9, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: call @_where_1(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
    %29 = call @_where_1(%27, %28, %16) : (tensor<3x4xi1>, tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi32>
    // CHECK: call @_where(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %30 = call @_where(%27, %arg0, %21) : (tensor<3x4xi1>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    return %30, %29 : tensor<3x4xf32>, tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@_where(
  func.func private @_where(%arg0: tensor<3x4xi1>, %arg1: tensor<3x4xf32>, %arg2: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xf32>
    %0 = stablehlo.select %arg0, %arg1, %arg2 : tensor<3x4xi1>, tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@_where_0(
  func.func private @_where_0(%arg0: tensor<3x4xi1>, %arg1: tensor<i32>, %arg2: tensor<i32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %0 = stablehlo.broadcast_in_dim %arg1, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %1 = stablehlo.broadcast_in_dim %arg2, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xi32>
    %2 = stablehlo.select %arg0, %0, %1 : tensor<3x4xi1>, tensor<3x4xi32>
    return %2 : tensor<3x4xi32>
  }
  // CHECK-LABEL: func.func {{.*}}@isinf(
  func.func private @isinf(%arg0: tensor<3x4xf32>) -> tensor<3x4xi1> {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.abs %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0x7F800000> : tensor<f32>
    %cst = stablehlo.constant dense<0x7F800000> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = stablehlo.compare EQ, %0, %1, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    return %2 : tensor<3x4xi1>
  }
  // CHECK-LABEL: func.func {{.*}}@_where_1(
  func.func private @_where_1(%arg0: tensor<3x4xi1>, %arg1: tensor<3x4xi32>, %arg2: tensor<3x4xi32>) -> tensor<3x4xi32> {
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xi32>
    %0 = stablehlo.select %arg0, %arg1, %arg2 : tensor<3x4xi1>, tensor<3x4xi32>
    return %0 : tensor<3x4xi32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xi1> {jax.result_info = "result[0]"}, tensor<3x4xi1> {jax.result_info = "result[1]"}, tensor<3x4xi1> {jax.result_info = "result[2]"}) {
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %0 = stablehlo.compare NE, %arg0, %arg0, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: call @isinf(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    %1 = call @isinf(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: call @signbit(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = call @signbit(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xi1>
    return %0, %1, %2 : tensor<3x4xi1>, tensor<3x4xi1>, tensor<3x4xi1>
  }
  // CHECK-LABEL: func.func {{.*}}@isinf(
  func.func private @isinf(%arg0: tensor<3x4xf32>) -> tensor<3x4xi1> {
    // CHECK: stablehlo.abs %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.abs %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0x7F800000> : tensor<f32>
    %cst = stablehlo.constant dense<0x7F800000> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare EQ, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = stablehlo.compare EQ, %0, %1, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    return %2 : tensor<3x4xi1>
  }
  // CHECK-LABEL: func.func {{.*}}@signbit(
  func.func private @signbit(%arg0: tensor<3x4xf32>) -> tensor<3x4xi1> {
    // CHECK: stablehlo.bitcast_convert %{{[a-z0-9_#]+}} : (tensor<3x4xf32>) -> tensor<3x4xi32>
    %0 = stablehlo.bitcast_convert %arg0 : (tensor<3x4xf32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<31> : tensor<i32>
    %c = stablehlo.constant dense<31> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %1 = stablehlo.broadcast_in_dim %c, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.shift_right_arithmetic %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi32>
    %2 = stablehlo.shift_right_arithmetic %0, %1 : tensor<3x4xi32>
    // CHECK: stablehlo.constant dense<0> : tensor<i32>
    %c_0 = stablehlo.constant dense<0> : tensor<i32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    %3 = stablehlo.broadcast_in_dim %c_0, dims = [] : (tensor<i32>) -> tensor<3x4xi32>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    %4 = stablehlo.compare NE, %2, %3, SIGNED : (tensor<3x4xi32>, tensor<3x4xi32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.convert %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %5 = stablehlo.convert %4 : tensor<3x4xi1>
    return %5 : tensor<3x4xi1>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: call @round(%{{[a-z0-9_#]+}}) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    %0 = call @round(%arg0) : (tensor<3x4xf32>) -> tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@round(
  func.func private @round(%arg0: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.constant dense<1.000000e+02> : tensor<f32>
    %cst = stablehlo.constant dense<1.000000e+02> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %0 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %1 = stablehlo.multiply %arg0, %0 : tensor<3x4xf32>
    // CHECK: stablehlo.round_nearest_even %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %2 = stablehlo.round_nearest_even %1 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<1.000000e+02> : tensor<f32>
    %cst_0 = stablehlo.constant dense<1.000000e+02> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %3 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.divide %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %4 = stablehlo.divide %2, %3 : tensor<3x4xf32>
    return %4 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>, %arg1: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: call @remainder(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    %0 = call @remainder(%arg0, %arg1) : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
    return %0 : tensor<3x4xf32>
  }
  // CHECK-LABEL: func.func {{.*}}@remainder(
  func.func private @remainder(%arg0: tensor<3x4xf32>, %arg1: tensor<3x4xf32>) -> tensor<3x4xf32> {
    // CHECK: stablehlo.remainder %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.remainder %arg0, %arg1 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %1 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %2 = stablehlo.compare NE, %0, %1, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_0 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %3 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %4 = stablehlo.compare LT, %0, %3, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
    %cst_1 = stablehlo.constant dense<0.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %5 = stablehlo.broadcast_in_dim %cst_1, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.compare LT, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    %6 = stablehlo.compare LT, %arg1, %5, FLOAT : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xi1>
    // CHECK: stablehlo.compare NE, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, UNSIGNED : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<3x4xi1>
    %7 = stablehlo.compare NE, %4, %6, UNSIGNED : (tensor<3x4xi1>, tensor<3x4xi1>) -> tensor<3x4xi1>
    // CHECK: stablehlo.and %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>
    %8 = stablehlo.and %7, %2 : tensor<3x4xi1>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %9 = stablehlo.add %0, %arg1 : tensor<3x4xf32>
    // CHECK: stablehlo.select %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xi1>, tensor<3x4xf32>
    %10 = stablehlo.select %8, %9, %0 : tensor<3x4xi1>, tensor<3x4xf32>
    return %10 : tensor<3x4xf32>
  }
}

// -----
module @jit__lambda attributes {mhlo.num_partitions = 1 : i32, mhlo.num_replicas = 1 : i32} {
  // CHECK-LABEL: func.func {{.*}}@main(
  func.func public @main(%arg0: tensor<3x4xf32>) -> (tensor<3x4xf32> {jax.result_info = "result"}) {
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %0 = stablehlo.multiply %arg0, %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %1 = stablehlo.multiply %0, %arg0 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<4.471500e-02> : tensor<f32>
    %cst = stablehlo.constant dense<4.471500e-02> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %2 = stablehlo.broadcast_in_dim %cst, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %3 = stablehlo.multiply %2, %1 : tensor<3x4xf32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %4 = stablehlo.add %arg0, %3 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<0.797884583> : tensor<f32>
    %cst_0 = stablehlo.constant dense<0.797884583> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %5 = stablehlo.broadcast_in_dim %cst_0, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %6 = stablehlo.multiply %5, %4 : tensor<3x4xf32>
    // CHECK: stablehlo.tanh %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %7 = stablehlo.tanh %6 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<1.000000e+00> : tensor<f32>
    %cst_1 = stablehlo.constant dense<1.000000e+00> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %8 = stablehlo.broadcast_in_dim %cst_1, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.add %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %9 = stablehlo.add %8, %7 : tensor<3x4xf32>
    // CHECK: stablehlo.constant dense<5.000000e-01> : tensor<f32>
    %cst_2 = stablehlo.constant dense<5.000000e-01> : tensor<f32>
    // CHECK: stablehlo.broadcast_in_dim %{{[a-z0-9_#]+}}, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    %10 = stablehlo.broadcast_in_dim %cst_2, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %11 = stablehlo.multiply %10, %9 : tensor<3x4xf32>
    // CHECK: stablehlo.multiply %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<3x4xf32>
    %12 = stablehlo.multiply %arg0, %11 : tensor<3x4xf32>
    return %12 : tensor<3x4xf32>
  }
}
