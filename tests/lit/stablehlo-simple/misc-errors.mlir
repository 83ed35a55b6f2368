// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Verifier and parser errors of tuples, rng, custom_call, composite, token
// ops, cholesky, triangular_solve, fft and batch norm: a diagnostic, never a crash.

func.func @gte_index(%t: tuple<tensor<f32>, tensor<i32>>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.get_tuple_element' op index 2 is out of range for 'tuple<tensor<f32>, tensor<i32>>'
  %0 = stablehlo.get_tuple_element %t[2] : (tuple<tensor<f32>, tensor<i32>>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @gte_type(%t: tuple<tensor<f32>, tensor<i32>>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.get_tuple_element' op inferred type(s) 'tensor<i32>' are incompatible with return type(s) of operation
  %0 = stablehlo.get_tuple_element %t[1] : (tuple<tensor<f32>, tensor<i32>>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @tuple_type(%a: tensor<f32>) -> tuple<tensor<i32>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.tuple' op inferred type(s) 'tuple<tensor<f32>>' are incompatible with return type(s) of operation
  %0 = "stablehlo.tuple"(%a) : (tensor<f32>) -> tuple<tensor<i32>>
  return %0 : tuple<tensor<i32>>
}

// -----

func.func @rng_normal_int(%a: tensor<i32>, %s: tensor<1xi64>) -> tensor<3xi32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.rng' op the NORMAL distribution needs a floating-point result, got 'tensor<3xi32>'
  %0 = stablehlo.rng %a, %a, %s, distribution = NORMAL : (tensor<i32>, tensor<i32>, tensor<1xi64>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

func.func @rng_shape(%a: tensor<f32>, %s: tensor<2xi64>) -> tensor<3xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.rng' op shape has 2 elements but the result has rank 1
  %0 = stablehlo.rng %a, %a, %s, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<2xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @rng_distribution(%a: tensor<f32>, %s: tensor<1xi64>) -> tensor<3xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.rng' unknown rng_distribution 'GAUSSIAN'
  %0 = stablehlo.rng %a, %a, %s, distribution = GAUSSIAN : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @rbg_three_fry(%s: tensor<3xui64>) -> tensor<4xui32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.rng_bit_generator' op THREE_FRY needs a state of 2 elements, got 'tensor<3xui64>'
  %0:2 = stablehlo.rng_bit_generator %s, algorithm = THREE_FRY : (tensor<3xui64>) -> (tensor<3xui64>, tensor<4xui32>)
  return %0#1 : tensor<4xui32>
}

// -----

func.func @rbg_state(%s: tensor<2xui64>) -> tensor<4xui32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.rng_bit_generator' op failed to verify that all of {initial_state, output_state} have same type
  %0:2 = stablehlo.rng_bit_generator %s, algorithm = DEFAULT : (tensor<2xui64>) -> (tensor<2xui32>, tensor<4xui32>)
  return %0#1 : tensor<4xui32>
}

// -----

func.func @custom_call_dict(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.custom_call' op a dictionary backend_config needs api_version = 4 (API_VERSION_TYPED_FFI)
  %0 = stablehlo.custom_call @foo(%a) {api_version = 2 : i32, backend_config = {x = 1 : i64}} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @custom_call_api_version(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.custom_call' 'stablehlo.custom_call' op attribute 'api_version' failed to satisfy constraint:
  %0 = stablehlo.custom_call @foo(%a) {api_version = 7 : i32} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @custom_call_layouts(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.custom_call' op has 2 operand_layouts for 1 operands
  %0 = stablehlo.custom_call @foo(%a) {operand_layouts = [dense<> : tensor<0xindex>, dense<> : tensor<0xindex>]} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @composite_missing(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.composite' op decomposition @nowhere is not a func.func
  %0 = stablehlo.composite "my.op" %a {decomposition = @nowhere} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @decomp(%a: tensor<i32>) -> tensor<i32>
func.func @composite_type(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.composite' op has the type '(tensor<f32>) -> tensor<f32>' but its decomposition @decomp has the type
  %0 = stablehlo.composite "my.op" %a {decomposition = @decomp} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @infeed_token(%t: !stablehlo.token) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.infeed' op needs a !stablehlo.token as its last result
  %0:2 = "stablehlo.infeed"(%t) : (!stablehlo.token) -> (!stablehlo.token, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

func.func @recv_token(%t: !stablehlo.token) -> tensor<f32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.recv' op needs a !stablehlo.token as its last result
  %0 = "stablehlo.recv"(%t) <{channel_handle = 1 : i64}> : (!stablehlo.token) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @after_all_tensor(%a: tensor<f32>) -> !stablehlo.token {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.after_all' op operand #0 must be variadic of token: orders side-effecting ops, but got 'tensor<f32>'
  %0 = "stablehlo.after_all"(%a) : (tensor<f32>) -> !stablehlo.token
  return %0 : !stablehlo.token
}

// -----

func.func @partition_id_type() -> tensor<i32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.partition_id' op result #0 must be 0D tensor of 32-bit unsigned integer values, but got 'tensor<i32>'
  %0 = stablehlo.partition_id : tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @barrier_types(%a: tensor<f32>) -> tensor<i32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.optimization_barrier' op inferred type(s) 'tensor<f32>' are incompatible with return type(s) of operation
  %0 = "stablehlo.optimization_barrier"(%a) : (tensor<f32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func @cholesky_square(%a: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.cholesky' op needs square matrices, got 'tensor<3x4xf32>'
  %0 = stablehlo.cholesky %a : tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @triangular_solve_dims(%a: tensor<3x3xf32>, %b: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.triangular_solve' op a 'tensor<3x3xf32>' does not match b 'tensor<4x2xf32>' with left_side = true
  %0 = "stablehlo.triangular_solve"(%a, %b) <{left_side = true, lower = true, transpose_a = #stablehlo<transpose NO_TRANSPOSE>, unit_diagonal = false}> : (tensor<3x3xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @fft_rfft_complex(%a: tensor<8xcomplex<f32>>) -> tensor<5xcomplex<f32>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.fft' op RFFT needs a floating-point operand, got 'tensor<8xcomplex<f32>>'
  %0 = stablehlo.fft %a, type = RFFT, length = [8] : (tensor<8xcomplex<f32>>) -> tensor<5xcomplex<f32>>
  return %0 : tensor<5xcomplex<f32>>
}

// -----

func.func @fft_length(%a: tensor<8xcomplex<f32>>) -> tensor<8xcomplex<f32>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.fft' op operand dimension 0 of 'tensor<8xcomplex<f32>>' must be 4 to match fft_length
  %0 = stablehlo.fft %a, type = FFT, length = [4] : (tensor<8xcomplex<f32>>) -> tensor<8xcomplex<f32>>
  return %0 : tensor<8xcomplex<f32>>
}

// -----

func.func @fft_result(%a: tensor<8xf32>) -> tensor<8xcomplex<f32>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.fft' op inferred type(s) 'tensor<5xcomplex<f32>>' are incompatible with return type(s) of operation
  %0 = stablehlo.fft %a, type = RFFT, length = [8] : (tensor<8xf32>) -> tensor<8xcomplex<f32>>
  return %0 : tensor<8xcomplex<f32>>
}

// -----

func.func @batch_norm_feature(%x: tensor<2x3xf32>, %f: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.batch_norm_inference' op feature_index 2 is out of range for 'tensor<2x3xf32>'
  %0 = "stablehlo.batch_norm_inference"(%x, %f, %f, %f, %f) <{epsilon = 1.0e-3 : f32, feature_index = 2 : i64}> : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_norm_scale(%x: tensor<2x3xf32>, %f: tensor<2xf32>) -> tensor<2x3xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.batch_norm_training' op 'tensor<2xf32>' must have the feature dimension's size 3
  %0:3 = "stablehlo.batch_norm_training"(%x, %f, %f) <{epsilon = 1.0e-3 : f32, feature_index = 1 : i64}> : (tensor<2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<2x3xf32>
}
