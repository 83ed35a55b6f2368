// RUN: hlox-opt %s --hlox-stablehlo-legalize-to-linalg | FileCheck %s

// while -> scf.while (cond's tensor<i1> extracted for scf.condition), if ->
// scf.if, case -> a chain of scf.if on `index == k` (the last branch is the
// innermost else: out-of-range indices run it, as the spec clamps them; not
// scf.index_switch, whose results one-shot-bufferize does not alias with the
// yielded buffers in MLIR 22.1.8). Region ops are lowered in place.

// CHECK-LABEL: func.func @while
// CHECK: scf.while (%[[I:.*]] = %{{.*}}, %[[X:.*]] = %{{.*}}) : (tensor<i32>, tensor<4xf32>) -> (tensor<i32>, tensor<4xf32>)
// CHECK:   %[[C:.*]] = linalg.generic
// CHECK:     arith.cmpi slt
// CHECK:   %[[P:.*]] = tensor.extract %[[C]][] : tensor<i1>
// CHECK:   scf.condition(%[[P]]) %[[I]], %[[X]] : tensor<i32>, tensor<4xf32>
// CHECK: } do {
// CHECK:   arith.addi
// CHECK:   arith.addf
// CHECK:   scf.yield %{{.*}}, %{{.*}} : tensor<i32>, tensor<4xf32>
// CHECK-NOT: stablehlo.
func.func @while(%n: tensor<i32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = stablehlo.constant dense<0> : tensor<i32>
  %0:2 = stablehlo.while(%iterArg = %c0, %iterArg_1 = %x) : tensor<i32>, tensor<4xf32>
   cond {
    %1 = stablehlo.compare LT, %iterArg, %n, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %1 : tensor<i1>
  } do {
    %c1 = stablehlo.constant dense<1> : tensor<i32>
    %1 = stablehlo.add %iterArg, %c1 : tensor<i32>
    %2 = stablehlo.add %iterArg_1, %iterArg_1 : tensor<4xf32>
    stablehlo.return %1, %2 : tensor<i32>, tensor<4xf32>
  }
  return %0#1 : tensor<4xf32>
}

// CHECK-LABEL: func.func @if
// CHECK: %[[P:.*]] = tensor.extract %{{.*}}[] : tensor<i1>
// CHECK: scf.if %[[P]] -> (tensor<4xf32>) {
// CHECK:   linalg.generic
// CHECK:   scf.yield %{{.*}} : tensor<4xf32>
// CHECK: } else {
// CHECK:   scf.yield %{{.*}} : tensor<4xf32>
func.func @if(%p: tensor<i1>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.if"(%p) ({
    %1 = stablehlo.add %x, %x : tensor<4xf32>
    stablehlo.return %1 : tensor<4xf32>
  }, {
    stablehlo.return %x : tensor<4xf32>
  }) : (tensor<i1>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @case
// CHECK: %[[I:.*]] = tensor.extract %{{.*}}[] : tensor<i32>
// CHECK: %[[C0:.*]] = arith.constant 0 : i32
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %[[I]], %[[C0]] : i32
// CHECK: %[[R:.*]] = scf.if %[[IS0]] -> (tensor<4xf32>) {
// CHECK:   scf.yield %{{.*}} : tensor<4xf32>
// CHECK: } else {
// CHECK:   %[[C1:.*]] = arith.constant 1 : i32
// CHECK:   %[[IS1:.*]] = arith.cmpi eq, %[[I]], %[[C1]] : i32
// CHECK:   %[[R1:.*]] = scf.if %[[IS1]] -> (tensor<4xf32>) {
// CHECK:     arith.addf
// CHECK:   } else {
// CHECK:     arith.mulf
// CHECK:   }
// CHECK:   scf.yield %[[R1]] : tensor<4xf32>
// CHECK: }
// CHECK: return %[[R]]
func.func @case(%i: tensor<i32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.case"(%i) ({
    stablehlo.return %x : tensor<4xf32>
  }, {
    %1 = stablehlo.add %x, %x : tensor<4xf32>
    stablehlo.return %1 : tensor<4xf32>
  }, {
    %1 = stablehlo.multiply %x, %x : tensor<4xf32>
    stablehlo.return %1 : tensor<4xf32>
  }) : (tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// Unsigned loop values (threefry's ui32 keys) are signless in scf: the
// region's terminators are built on the converted values.
// CHECK-LABEL: func.func @while_unsigned(
// CHECK-SAME: %{{.*}}: tensor<3xi32>
// CHECK: scf.while (%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) : (tensor<i32>, tensor<3xi32>) -> (tensor<i32>, tensor<3xi32>)
// CHECK:   scf.condition(%{{.*}}) %{{.*}}, %{{.*}} : tensor<i32>, tensor<3xi32>
// CHECK: } do {
// CHECK:   arith.shrui
// CHECK:   scf.yield %{{.*}}, %{{.*}} : tensor<i32>, tensor<3xi32>
// CHECK-NOT: ui32
// CHECK-NOT: unrealized_conversion_cast
func.func @while_unsigned(%x: tensor<3xui32>, %n: tensor<i32>) -> tensor<3xui32> {
  %c0 = stablehlo.constant dense<0> : tensor<i32>
  %0:2 = stablehlo.while(%i = %c0, %v = %x) : tensor<i32>, tensor<3xui32>
   cond {
    %1 = stablehlo.compare LT, %i, %n, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %1 : tensor<i1>
  } do {
    %c1 = stablehlo.constant dense<1> : tensor<i32>
    %s = stablehlo.constant dense<3> : tensor<3xui32>
    %1 = stablehlo.add %i, %c1 : tensor<i32>
    %2 = stablehlo.shift_right_logical %v, %s : tensor<3xui32>
    stablehlo.return %1, %2 : tensor<i32>, tensor<3xui32>
  }
  return %0#1 : tensor<3xui32>
}

// CHECK-LABEL: func.func @if_unsigned
// CHECK: scf.if %{{.*}} -> (tensor<2xi16>) {
// CHECK:   scf.yield %{{.*}} : tensor<2xi16>
// CHECK: } else {
// CHECK:   scf.yield %{{.*}} : tensor<2xi16>
func.func @if_unsigned(%p: tensor<i1>, %x: tensor<2xui16>) -> tensor<2xui16> {
  %0 = "stablehlo.if"(%p) ({
    %1 = stablehlo.multiply %x, %x : tensor<2xui16>
    stablehlo.return %1 : tensor<2xui16>
  }, {
    stablehlo.return %x : tensor<2xui16>
  }) : (tensor<i1>) -> tensor<2xui16>
  return %0 : tensor<2xui16>
}

// A single branch runs unconditionally (an execute_region canonicalize inlines).
// CHECK-LABEL: func.func @case_one_branch
// CHECK-NOT: scf.if
// CHECK: scf.execute_region -> tensor<4xf32> {
// CHECK:   arith.addf
// CHECK:   scf.yield %{{.*}} : tensor<4xf32>
func.func @case_one_branch(%i: tensor<i32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.case"(%i) ({
    %1 = stablehlo.add %x, %x : tensor<4xf32>
    stablehlo.return %1 : tensor<4xf32>
  }) : (tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
