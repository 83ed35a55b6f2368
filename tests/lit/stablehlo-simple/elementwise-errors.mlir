// RUN: not hlox-opt %s --split-input-file 2>&1 | FileCheck %s

// Verifier and parser errors of the elementwise ops: a diagnostic at the op,
// never a crash.

func.func @abs_result(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.abs' op result #0 must be ranked tensor of 2/4/8/16/32/64-bit signless integer or f4E2M1FN type or f6E2M3FN
  %0 = stablehlo.abs %a : tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @complex_f16(%a: tensor<4xf16>) -> tensor<4xcomplex<f16>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.complex' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<4xf16>'
  %0 = "stablehlo.complex"(%a, %a) : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xcomplex<f16>>
  return %0 : tensor<4xcomplex<f16>>
}

// -----

func.func @compare_unsigned_float(%a: tensor<4xf32>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.compare' op compare_type UNSIGNED is invalid for element type 'f32': expected FLOAT or TOTALORDER
  %0 = stablehlo.compare GT, %a, %a, UNSIGNED : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_signed_unsigned(%a: tensor<4xui32>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.compare' op compare_type SIGNED is invalid for element type 'ui32': expected UNSIGNED
  %0 = stablehlo.compare GT, %a, %a, SIGNED : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @compare_operands(%a: tensor<4xf32>, %b: tensor<4xf64>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.compare' op requires all operands to have the same type
  %0 = stablehlo.compare GT, %a, %b, FLOAT : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @clamp_min_shape(%min: tensor<3xf32>, %a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.clamp' op requires min to be a scalar or to have the operand's shape, got 'tensor<3xf32>' and 'tensor<4xf32>'
  %0 = stablehlo.clamp %min, %a, %a : (tensor<3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @clamp_element(%min: tensor<i32>, %a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.clamp' op failed to verify that all of {min, operand, max} have same element type
  %0 = stablehlo.clamp %min, %a, %a : (tensor<i32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bitcast_shape(%a: tensor<4xf32>) -> tensor<4x2xi8> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.bitcast_convert' op result shape 'tensor<4x2xi8>' does not match operand 'tensor<4xf32>' for element bit
  %0 = stablehlo.bitcast_convert %a : (tensor<4xf32>) -> tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}

// -----

func.func @bitcast_complex(%a: tensor<4xf64>) -> tensor<4xcomplex<f32>> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.bitcast_convert' op cannot convert between complex and real element types: 'f64' and 'complex<f32>'
  %0 = stablehlo.bitcast_convert %a : (tensor<4xf64>) -> tensor<4xcomplex<f32>>
  return %0 : tensor<4xcomplex<f32>>
}

// -----

func.func @reduce_precision_format(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: custom op 'stablehlo.reduce_precision' expected a format like e5m10, got 'x5m10'
  %0 = stablehlo.reduce_precision %a, format = x5m10 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reduce_precision_bits(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.reduce_precision' op attribute 'exponent_bits' failed to satisfy constraint: 32-bit signless integer
  %0 = stablehlo.reduce_precision %a, format = e0m10 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @result_accuracy(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: result_accuracy tolerances must be 0 unless the mode is TOLERANCE
  %0 = stablehlo.exponential %a {result_accuracy = #stablehlo.result_accuracy<atol = 1.0, rtol = 0.0, ulps = 0, mode = #stablehlo.result_accuracy_mode<DEFAULT>>} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @is_finite_int(%a: tensor<4xi32>) -> tensor<4xi1> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.is_finite' op operand #0 must be ranked tensor of f4E2M1FN type or f6E2M3FN type or f6E3M2FN type or f8E3M4
  %0 = stablehlo.is_finite %a : (tensor<4xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @shift_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.shift_left' op operand #0 must be ranked tensor of 2/4/8/16/32/64-bit signless integer or 2/4/8/16/32/64-bit
  %0 = stablehlo.shift_left %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @not_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.not' op operand #0 must be ranked tensor of pred (i1) or 2/4/8/16/32/64-bit signless integer or
  %0 = stablehlo.not %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @sign_unsigned(%a: tensor<4xui32>) -> tensor<4xui32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.sign' op operand #0 must be ranked tensor of 2/4/8/16/32/64-bit signless integer or f4E2M1FN type or
  %0 = stablehlo.sign %a : tensor<4xui32>
  return %0 : tensor<4xui32>
}

// -----

func.func @binary_shape(%a: tensor<4xf32>, %b: tensor<3xf32>) -> tensor<4xf32> {
  // CHECK: [[# @LINE + 1]]:{{[0-9]+}}: error: 'stablehlo.add' op all non-scalar operands/results must have the same shape and base type
  %0 = stablehlo.add %a, %b : (tensor<4xf32>, tensor<3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
