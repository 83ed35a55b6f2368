// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Malformed ops (generic form with missing or wrong attributes, operands or
// results; broken pretty syntax) give diagnostics; nothing asserts.

func.func @a(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.transpose' op requires attribute 'permutation'
  %0 = "stablehlo.transpose"(%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @b(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.slice' op requires attribute 'limit_indices'
  %0 = "stablehlo.slice"(%a) <{start_indices = array<i64: 0, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @c(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.transpose' op requires a single operand
  %0 = "stablehlo.transpose"(%a, %a) <{permutation = array<i64: 1, 0>}> : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @d(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.concatenate' op expected 1 or more operands, but found 0
  %0 = "stablehlo.concatenate"() <{dimension = 0 : i64}> : () -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @e(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.fft' op fft_length needs 1 to 3 entries, at most the operand's rank 2, got 0
  %0 = "stablehlo.fft"(%a) <{fft_type = #stablehlo<fft_type RFFT>, fft_length = array<i64>}> : (tensor<2x3xf32>) -> tensor<2x3xcomplex<f32>>
  return
}

// -----

func.func @f(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.get_tuple_element' op operand #0 must be nested tuple with any combination of ranked tensor of pred (i1) or
  %0 = "stablehlo.get_tuple_element"(%a) <{index = 0 : i32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @g(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.compare' op requires attribute 'comparison_direction'
  %0 = "stablehlo.compare"(%a, %a) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  return
}

// -----

func.func @h(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.batch_norm_inference' op operand #1 must be 1D tensor of f4E2M1FN type or f6E2M3FN type or f6E3M2FN type or
  %0 = "stablehlo.batch_norm_inference"(%a, %a, %a, %a, %a) <{epsilon = 1.0 : f32, feature_index = 0 : i64}> : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @i(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reduce_precision' op requires attribute 'mantissa_bits'
  %0 = "stablehlo.reduce_precision"(%a) <{exponent_bits = 5 : i32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @j(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.dynamic_slice' op has 0 start indices for an operand of rank 2
  %0 = "stablehlo.dynamic_slice"(%a) <{slice_sizes = array<i64: 1, 1>}> : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @k(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.pad' op operand #1 must be 0D tensor of pred (i1) or 2/4/8/16/32/64-bit signless integer or
  %0 = "stablehlo.pad"(%a, %a) <{edge_padding_low = array<i64: 0, 0>, edge_padding_high = array<i64: 0, 0>, interior_padding = array<i64: 0, 0>}> : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @l(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.composite' op decomposition @nowhere is not a func.func
  %0 = "stablehlo.composite"(%a) <{name = "x", decomposition = @nowhere}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @m(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.custom_call' op attribute 'backend_config' failed to satisfy constraint: string attribute or dictionary of
  %0 = "stablehlo.custom_call"(%a) <{call_target_name = "x", backend_config = 3 : i32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @n(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.rng_bit_generator' op expected 2 results
  %0 = "stablehlo.rng_bit_generator"(%a) <{rng_algorithm = #stablehlo<rng_algorithm DEFAULT>}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @o(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: invalid properties {result_accuracy = 3 : i32} for op stablehlo.exponential: Invalid attribute `result_accuracy` in
  %0 = "stablehlo.exponential"(%a) <{result_accuracy = 3 : i32}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @p(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.iota' op attribute 'iota_dimension' failed to satisfy constraint: 64-bit signless integer attribute whose
  %0 = "stablehlo.iota"() <{iota_dimension = 0 : i32}> : () -> tensor<2x3xf32>
  return
}

// -----

func.func @q(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.broadcast_in_dim' op requires attribute 'broadcast_dimensions'
  %0 = "stablehlo.broadcast_in_dim"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @r(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.slice' expected integer value
  %0 = stablehlo.slice %a [0:1:, 1:2] : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @s(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: expected ','
  %0 = stablehlo.select %a, %a : tensor<2x3xf32>
  return
}

// -----

func.func @t(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.complex' expected a tensor of complex type, got 'tensor<2x3xf32>'
  %0 = stablehlo.complex %a, %a : tensor<2x3xf32>
  return
}

// -----

func.func @u(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.tuple' expected a tuple type, got 'tensor<2x3xf32>'
  %0 = stablehlo.tuple %a : tensor<2x3xf32>
  return
}

// -----

func.func @v(%a: tensor<2x3xf32>) {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.concatenate' op expected 1 or more operands, but found 0
  %0 = stablehlo.concatenate dim = 0 : () -> tensor<2x3xf32>
  return
}
