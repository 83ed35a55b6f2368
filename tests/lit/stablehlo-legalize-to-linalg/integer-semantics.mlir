// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// Integer divide/remainder/power/shifts/bit ops (ElementwiseSemanticsToLinalg.cpp):
// each is one linalg.generic whose body guards the cases the spec (and XLA)
// define and LLVM leaves undefined.

// x / 0 = -1; INT_MIN / -1 = INT_MIN; the divisor is replaced by 1 in both
// cases, so divsi never traps.
// CHECK-LABEL: func.func @divide_si32
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK-DAG: %[[M1:.*]] = arith.constant -1 : i32
// CHECK: %[[BYZERO:.*]] = arith.cmpi eq, %[[Y]], %[[ZERO]] : i32
// CHECK: %[[MIN:.*]] = arith.constant -2147483648 : i32
// CHECK: %[[YM1:.*]] = arith.cmpi eq, %[[Y]], %{{.*}} : i32
// CHECK: %[[XMIN:.*]] = arith.cmpi eq, %[[X]], %[[MIN]] : i32
// CHECK: %[[OVF:.*]] = arith.andi %[[XMIN]], %[[YM1]] : i1
// CHECK: %[[UNSAFE:.*]] = arith.ori %[[BYZERO]], %[[OVF]] : i1
// CHECK: %[[SAFEY:.*]] = arith.select %[[UNSAFE]], %[[ONE]], %[[Y]] : i32
// CHECK: %[[Q:.*]] = arith.divsi %[[X]], %[[SAFEY]] : i32
// CHECK: %[[R1:.*]] = arith.select %[[OVF]], %[[MIN]], %[[Q]] : i32
// CHECK: %[[R:.*]] = arith.select %[[BYZERO]], %[[M1]], %[[R1]] : i32
// CHECK: linalg.yield %[[R]] : i32
func.func @divide_si32(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = stablehlo.divide %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Unsigned: divui; x / 0 = all ones.
// CHECK-LABEL: func.func @divide_ui8
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK: %[[BYZERO:.*]] = arith.cmpi eq
// CHECK: %[[SAFEY:.*]] = arith.select %[[BYZERO]]
// CHECK: %[[Q:.*]] = arith.divui %{{.*}}, %[[SAFEY]] : i8
// CHECK: arith.select %[[BYZERO]], %{{.*}}, %[[Q]] : i8
// CHECK-NOT: divsi
func.func @divide_ui8(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = stablehlo.divide %a, %b : tensor<4xui8>
  return %0 : tensor<4xui8>
}

// x % 0 = x; INT_MIN % -1 = 0.
// CHECK-LABEL: func.func @remainder_si16
// CHECK: ^bb0(%[[X:.*]]: i16, %[[Y:.*]]: i16, %{{.*}}: i16):
// CHECK: %[[BYZERO:.*]] = arith.cmpi eq, %[[Y]], %{{.*}} : i16
// CHECK: %[[OVF:.*]] = arith.andi
// CHECK: %[[REM:.*]] = arith.remsi %[[X]], %{{.*}} : i16
// CHECK: %[[R1:.*]] = arith.select %[[OVF]], %{{.*}}, %[[REM]] : i16
// CHECK: arith.select %[[BYZERO]], %[[X]], %[[R1]] : i16
func.func @remainder_si16(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = stablehlo.remainder %a, %b : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// CHECK-LABEL: func.func @remainder_f32
// CHECK: arith.remf %{{.*}}, %{{.*}} : f32
func.func @remainder_f32(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.remainder %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Integer power: square-and-multiply over all 8 exponent bits, then the
// negative-exponent cases (1 for base 1, +-1 for base -1, 0 otherwise).
// CHECK-LABEL: func.func @power_i8
// CHECK-COUNT-8: arith.cmpi ne
// CHECK: arith.cmpi ne
// CHECK: arith.cmpi eq
// CHECK: arith.cmpi eq
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %{{.*}}, %{{.*}} : i8
// CHECK: %[[R:.*]] = arith.select %[[NEG]], %{{.*}}, %{{.*}} : i8
// CHECK: linalg.yield %[[R]] : i8
func.func @power_i8(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = stablehlo.power %a, %b : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// Shift counts >= the bit width (compared unsigned, so negative counts too):
// 0 for left and logical shifts, the sign fill (shift by width - 1) for
// arithmetic ones.
// CHECK-LABEL: func.func @shift_left
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[FAR:.*]] = arith.cmpi uge, %[[Y]], %c32_i32 : i32
// CHECK: %[[SAFE:.*]] = arith.select %[[FAR]], %c0_i32, %[[Y]] : i32
// CHECK: %[[S:.*]] = arith.shli %[[X]], %[[SAFE]] : i32
// CHECK: %[[R:.*]] = arith.select %[[FAR]], %c0_i32, %[[S]] : i32
// CHECK: linalg.yield %[[R]]
func.func @shift_left(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = stablehlo.shift_left %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @shift_right_arithmetic
// CHECK: ^bb0(%[[X:.*]]: i32, %[[Y:.*]]: i32, %{{.*}}: i32):
// CHECK: %[[FAR:.*]] = arith.cmpi uge, %[[Y]], %c32_i32 : i32
// CHECK-NEXT: %c31_i32 = arith.constant 31 : i32
// CHECK-NEXT: %[[AMOUNT:.*]] = arith.select %[[FAR]], %c31_i32, %[[Y]] : i32
// CHECK-NEXT: %[[R:.*]] = arith.shrsi %[[X]], %[[AMOUNT]] : i32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @shift_right_arithmetic(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = stablehlo.shift_right_arithmetic %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @shift_right_logical
// CHECK: %[[FAR:.*]] = arith.cmpi uge, %{{.*}}, %c64_i64 : i64
// CHECK: %[[S:.*]] = arith.shrui
// CHECK: arith.select %[[FAR]], %c0_i64, %[[S]] : i64
func.func @shift_right_logical(%a: tensor<4xui64>, %b: tensor<4xui64>) -> tensor<4xui64> {
  %0 = stablehlo.shift_right_logical %a, %b : tensor<4xui64>
  return %0 : tensor<4xui64>
}

// not = xor with all ones; count_leading_zeros, popcnt: math; integer sign.
// CHECK-LABEL: func.func @bits
// CHECK: arith.xori %{{.*}}, %c-1_i16 : i16
// CHECK: math.ctlz %{{.*}} : i16
// CHECK: math.ctpop %{{.*}} : i16
// CHECK: %[[POS:.*]] = arith.cmpi sgt
// CHECK: %[[P:.*]] = arith.select %[[POS]], %c1_i16, %c0_i16 : i16
// CHECK: %[[NEG:.*]] = arith.cmpi slt
// CHECK: arith.select %[[NEG]], %c-1_i16, %[[P]] : i16
func.func @bits(%a: tensor<4xi16>) -> (tensor<4xi16>, tensor<4xi16>, tensor<4xi16>, tensor<4xi16>) {
  %0 = stablehlo.not %a : tensor<4xi16>
  %1 = stablehlo.count_leading_zeros %a : tensor<4xi16>
  %2 = stablehlo.popcnt %a : tensor<4xi16>
  %3 = stablehlo.sign %a : tensor<4xi16>
  return %0, %1, %2, %3 : tensor<4xi16>, tensor<4xi16>, tensor<4xi16>, tensor<4xi16>
}

// CHECK-LABEL: func.func @not_i1
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: arith.xori %{{.*}}, %[[TRUE]] : i1
func.func @not_i1(%a: tensor<4xi1>) -> tensor<4xi1> {
  %0 = stablehlo.not %a : tensor<4xi1>
  return %0 : tensor<4xi1>
}
