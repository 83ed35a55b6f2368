// RUN: hlox-opt %s --hlox-stablehlo-canonicalize | FileCheck %s

// CHECK-LABEL: func.func @broadcast_splat
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<2.500000e+00> : tensor<3x4xf32>
// CHECK-NEXT: return %[[C]]
func.func @broadcast_splat() -> tensor<3x4xf32> {
  %c = stablehlo.constant dense<2.5> : tensor<f32>
  %0 = stablehlo.broadcast_in_dim %c, dims = [] : (tensor<f32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// CHECK-LABEL: func.func @broadcast_small
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<{{\[\[}}1, 2, 3], [1, 2, 3]]> : tensor<2x3xi32>
func.func @broadcast_small() -> tensor<2x3xi32> {
  %c = stablehlo.constant dense<[1, 2, 3]> : tensor<3xi32>
  %0 = stablehlo.broadcast_in_dim %c, dims = [1] : (tensor<3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @broadcast_column
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<{{\[\[}}1, 1, 1], [2, 2, 2]]> : tensor<2x3xi32>
func.func @broadcast_column() -> tensor<2x3xi32> {
  %c = stablehlo.constant dense<[[1], [2]]> : tensor<2x1xi32>
  %0 = stablehlo.broadcast_in_dim %c, dims = [0, 1] : (tensor<2x1xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @reshape_constant
// CHECK-NEXT: stablehlo.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
func.func @reshape_constant() -> tensor<2x2xf32> {
  %c = stablehlo.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %0 = stablehlo.reshape %c : (tensor<4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @fold_float
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<[-2.500000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_float() -> tensor<2xf32> {
  %a = stablehlo.constant dense<[1.0, -4.0]> : tensor<2xf32>
  %b = stablehlo.constant dense<2.0> : tensor<2xf32>
  %0 = stablehlo.add %a, %b : tensor<2xf32>       // [3, -2]
  %1 = stablehlo.multiply %0, %b : tensor<2xf32>  // [6, -4]
  %2 = stablehlo.subtract %1, %a : tensor<2xf32>  // [5, 0]
  %3 = stablehlo.divide %2, %b : tensor<2xf32>    // [2.5, 0]
  %4 = stablehlo.abs %1 : tensor<2xf32>           // [6, 4]
  %5 = stablehlo.minimum %3, %4 : tensor<2xf32>   // [2.5, 0]
  %6 = stablehlo.maximum %5, %b : tensor<2xf32>   // [2.5, 2]
  %7 = stablehlo.negate %6 : tensor<2xf32>        // [-2.5, -2]
  return %7 : tensor<2xf32>
}

// CHECK-LABEL: func.func @fold_int
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<[7, 13]> : tensor<2xi32>
// CHECK-NEXT: return %[[C]]
func.func @fold_int() -> tensor<2xi32> {
  %a = stablehlo.constant dense<[3, 5]> : tensor<2xi32>
  %b = stablehlo.constant dense<[1, 7]> : tensor<2xi32>
  %0 = stablehlo.and %a, %b : tensor<2xi32>       // [1, 5]
  %1 = stablehlo.or %a, %b : tensor<2xi32>        // [3, 7]
  %2 = stablehlo.xor %0, %1 : tensor<2xi32>       // [2, 2]
  %3 = stablehlo.multiply %2, %a : tensor<2xi32>  // [6, 10]
  %4 = stablehlo.subtract %3, %0 : tensor<2xi32>  // [5, 5]
  %5 = stablehlo.not %4 : tensor<2xi32>           // [-6, -6]
  %6 = stablehlo.negate %5 : tensor<2xi32>        // [6, 6]
  %7 = stablehlo.add %6, %b : tensor<2xi32>       // [7, 13]
  return %7 : tensor<2xi32>
}

// maximum/minimum propagate nan.
// CHECK-LABEL: func.func @fold_nan
// CHECK-NEXT: stablehlo.constant dense<0x7FC00000> : tensor<f32>
func.func @fold_nan() -> tensor<f32> {
  %a = stablehlo.constant dense<0x7FC00000> : tensor<f32>
  %b = stablehlo.constant dense<1.0> : tensor<f32>
  %0 = stablehlo.maximum %b, %a : tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @select_splat
// CHECK-NEXT: return %arg1
func.func @select_splat(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  %p = stablehlo.constant dense<false> : tensor<2xi1>
  %0 = stablehlo.select %p, %x, %y : tensor<2xi1>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// Integer division is not folded (division by zero).
// CHECK-LABEL: func.func @no_int_divide
// CHECK: stablehlo.divide
func.func @no_int_divide() -> tensor<2xi32> {
  %a = stablehlo.constant dense<[3, 5]> : tensor<2xi32>
  %b = stablehlo.constant dense<[0, 2]> : tensor<2xi32>
  %0 = stablehlo.divide %a, %b : tensor<2xi32>
  return %0 : tensor<2xi32>
}
