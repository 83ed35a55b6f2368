// RUN: hlox-opt %s | hlox-opt | FileCheck %s
// RUN: hlox-opt %s --mlir-print-op-generic | hlox-opt | FileCheck %s

// tuple, rng, custom_call, composite, token ops, linalg, fft, batch norm.
// infeed/outfeed/send/recv/triangular_solve/batch_norm_* print in generic form, as JAX's do.

// CHECK-LABEL: func.func {{.*}}@decomp(
func.func @decomp(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
// CHECK-LABEL: func.func {{.*}}@misc(
func.func @misc(%a: tensor<4xf32>, %s: tensor<2xui64>, %t: !stablehlo.token, %m: tensor<3x3xf32>, %c: tensor<8xcomplex<f32>>, %x: tensor<2x3x4xf32>, %f: tensor<3xf32>) -> tensor<4xf32> {
  // CHECK: stablehlo.tuple %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tuple<tensor<4xf32>, tensor<2xui64>>
  %0 = stablehlo.tuple %a, %s : tuple<tensor<4xf32>, tensor<2xui64>>
  // CHECK: stablehlo.get_tuple_element %{{[a-z0-9_#]+}}[1] : (tuple<tensor<4xf32>, tensor<2xui64>>) -> tensor<2xui64>
  %1 = stablehlo.get_tuple_element %0[1] : (tuple<tensor<4xf32>, tensor<2xui64>>) -> tensor<2xui64>
  // CHECK: stablehlo.optimization_barrier %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : tensor<4xf32>, tensor<2xui64>
  %2:2 = stablehlo.optimization_barrier %a, %s : tensor<4xf32>, tensor<2xui64>
  // CHECK: stablehlo.optimization_barrier %{{[a-z0-9_#]+}} : tensor<4xf32>
  %3 = stablehlo.optimization_barrier %a : tensor<4xf32>
  // CHECK: stablehlo.rng_bit_generator %{{[a-z0-9_#]+}}, algorithm = THREE_FRY : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %4:2 = stablehlo.rng_bit_generator %s, algorithm = THREE_FRY : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  // CHECK: stablehlo.constant dense<0.000000e+00> : tensor<f32>
  %lo = stablehlo.constant dense<0.0> : tensor<f32>
  // CHECK: stablehlo.constant dense<[2, 3]> : tensor<2xi64>
  %shape = stablehlo.constant dense<[2, 3]> : tensor<2xi64>
  // CHECK: stablehlo.rng %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, distribution = NORMAL : (tensor<f32>, tensor<f32>, tensor<2xi64>) -> tensor<2x3xf32>
  %5 = stablehlo.rng %lo, %lo, %shape, distribution = NORMAL : (tensor<f32>, tensor<f32>, tensor<2xi64>) -> tensor<2x3xf32>
  // CHECK: stablehlo.custom_call @foo(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) {api_version = 2 : i32, backend_config = "", called_computations = [@decomp], has_side_effect = true, mhlo.frontend_attributes = {x = "1"}, operand_layouts = [dense<0> : tensor<1xindex>, dense<0> : tensor<1xindex>], output_operand_aliases = [], result_layouts = [dense<0> : tensor<1xindex>]} : (tensor<4xf32>, tensor<2xui64>) -> tensor<4xf32>
  %6 = stablehlo.custom_call @foo(%a, %s) {backend_config = "", api_version = 2 : i32, has_side_effect = true, called_computations = [@decomp], mhlo.frontend_attributes = {x = "1"}, operand_layouts = [dense<[0]> : tensor<1xindex>, dense<[0]> : tensor<1xindex>], result_layouts = [dense<[0]> : tensor<1xindex>], output_operand_aliases = []} : (tensor<4xf32>, tensor<2xui64>) -> tensor<4xf32>
  // CHECK: stablehlo.custom_call @bar(%{{[a-z0-9_#]+}}) {api_version = 4 : i32, backend_config = {k = 1 : i64}} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>)
  %7:2 = stablehlo.custom_call @bar(%a) {api_version = 4 : i32, backend_config = {k = 1 : i64}} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>)
  // CHECK: stablehlo.custom_call @sink() {has_side_effect = true} : () -> ()
  stablehlo.custom_call @sink() {has_side_effect = true} : () -> ()
  // CHECK: stablehlo.composite "my.op" %{{[a-z0-9_#]+}} {composite_attributes = {k = 1 : i64}, decomposition = @decomp, version = 1 : i32} : (tensor<4xf32>) -> tensor<4xf32>
  %8 = stablehlo.composite "my.op" %a {composite_attributes = {k = 1 : i64}, decomposition = @decomp, version = 1 : i32} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: stablehlo.composite "my.op2" %{{[a-z0-9_#]+}} {decomposition = @decomp} : (tensor<4xf32>) -> tensor<4xf32>
  %9 = stablehlo.composite "my.op2" %a {decomposition = @decomp} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: stablehlo.partition_id : tensor<ui32>
  %10 = stablehlo.partition_id : tensor<ui32>
  // CHECK: stablehlo.replica_id : tensor<ui32>
  %11 = stablehlo.replica_id : tensor<ui32>
  // CHECK: stablehlo.after_all %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}} : !stablehlo.token
  %12 = stablehlo.after_all %t, %t : !stablehlo.token
  // CHECK: stablehlo.after_all  : !stablehlo.token
  %13 = stablehlo.after_all : !stablehlo.token
  // CHECK: stablehlo.create_token : !stablehlo.token
  %14 = stablehlo.create_token : !stablehlo.token
  // CHECK: "stablehlo.infeed"(%{{[a-z0-9_#]+}}) <{infeed_config = "cfg", layout = {{\[\[}}0]]}> : (!stablehlo.token) -> (tensor<4xf32>, !stablehlo.token)
  %15:2 = "stablehlo.infeed"(%t) <{infeed_config = "cfg", layout = [[0]]}> : (!stablehlo.token) -> (tensor<4xf32>, !stablehlo.token)
  // CHECK: "stablehlo.outfeed"(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) <{outfeed_config = ""}> : (tensor<4xf32>, tensor<2xui64>, !stablehlo.token) -> !stablehlo.token
  %16 = "stablehlo.outfeed"(%a, %s, %t) <{outfeed_config = ""}> : (tensor<4xf32>, tensor<2xui64>, !stablehlo.token) -> !stablehlo.token
  // CHECK: "stablehlo.send"(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) <{channel_handle = 5 : i64, is_host_transfer = true}> : (tensor<4xf32>, !stablehlo.token) -> !stablehlo.token
  %17 = "stablehlo.send"(%a, %t) <{channel_handle = 5 : i64, is_host_transfer = true}> : (tensor<4xf32>, !stablehlo.token) -> !stablehlo.token
  // CHECK: "stablehlo.recv"(%{{[a-z0-9_#]+}}) <{channel_handle = 5 : i64, is_host_transfer = true}> : (!stablehlo.token) -> (tensor<4xf32>, !stablehlo.token)
  %18:2 = "stablehlo.recv"(%t) <{channel_handle = 5 : i64, is_host_transfer = true}> : (!stablehlo.token) -> (tensor<4xf32>, !stablehlo.token)
  // CHECK: stablehlo.cholesky %{{[a-z0-9_#]+}}, lower = true : tensor<3x3xf32>
  %19 = stablehlo.cholesky %m, lower = true : tensor<3x3xf32>
  // CHECK: stablehlo.cholesky %{{[a-z0-9_#]+}} : tensor<3x3xf32>
  %20 = stablehlo.cholesky %m : tensor<3x3xf32>
  // CHECK: "stablehlo.triangular_solve"(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) <{left_side = true, lower = true, transpose_a = #stablehlo<transpose NO_TRANSPOSE>, unit_diagonal = false}> : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  %21 = "stablehlo.triangular_solve"(%m, %m) <{left_side = true, lower = true, transpose_a = #stablehlo<transpose NO_TRANSPOSE>, unit_diagonal = false}> : (tensor<3x3xf32>, tensor<3x3xf32>) -> tensor<3x3xf32>
  // CHECK: stablehlo.fft %{{[a-z0-9_#]+}}, type = FFT, length = [8] : (tensor<8xcomplex<f32>>) -> tensor<8xcomplex<f32>>
  %22 = stablehlo.fft %c, type = FFT, length = [8] : (tensor<8xcomplex<f32>>) -> tensor<8xcomplex<f32>>
  // CHECK: stablehlo.fft %{{[a-z0-9_#]+}}, type = IRFFT, length = [14] : (tensor<8xcomplex<f32>>) -> tensor<14xf32>
  %23 = stablehlo.fft %c, type = IRFFT, length = [14] : (tensor<8xcomplex<f32>>) -> tensor<14xf32>
  // CHECK: stablehlo.fft %{{[a-z0-9_#]+}}, type = RFFT, length = [4] : (tensor<4xf32>) -> tensor<3xcomplex<f32>>
  %24 = stablehlo.fft %a, type = RFFT, length = [4] : (tensor<4xf32>) -> tensor<3xcomplex<f32>>
  // CHECK: "stablehlo.batch_norm_training"(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) <{epsilon = 1.000000e-03 : f32, feature_index = 1 : i64}> : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  %25:3 = "stablehlo.batch_norm_training"(%x, %f, %f) <{epsilon = 1.0e-3 : f32, feature_index = 1 : i64}> : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  // CHECK: "stablehlo.batch_norm_inference"(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) <{epsilon = 1.000000e-03 : f32, feature_index = 1 : i64}> : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  %26 = "stablehlo.batch_norm_inference"(%x, %f, %f, %f, %f) <{epsilon = 1.0e-3 : f32, feature_index = 1 : i64}> : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  // CHECK: "stablehlo.batch_norm_grad"(%{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}, %{{[a-z0-9_#]+}}) <{epsilon = 1.000000e-03 : f32, feature_index = 1 : i64}> : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  %27:3 = "stablehlo.batch_norm_grad"(%x, %f, %f, %f, %x) <{epsilon = 1.0e-3 : f32, feature_index = 1 : i64}> : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>)
  // CHECK: stablehlo.optimization_barrier()
  stablehlo.optimization_barrier()
  return %a : tensor<4xf32>
}
