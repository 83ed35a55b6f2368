//===- ChloBinaryOps.td - binary CHLO ops, broadcasting or not ------------===//
#ifndef HLOX_CHLO_BINARY_OPS
#define HLOX_CHLO_BINARY_OPS

include "dialects/chlo/ChloOpBase.td"

def CHLO_NextAfterOp : CHLO_BinaryOp<"next_after"> {
  let summary = "next_after: the next representable value of lhs towards rhs";
}
def CHLO_PolygammaOp : CHLO_BinaryOp<"polygamma"> {
  let summary = "polygamma: the n-th derivative of digamma at x";
}
def CHLO_ZetaOp : CHLO_BinaryOp<"zeta"> {
  let summary = "zeta: Hurwitz zeta function, sum over n >= 0 of (q + n)^-x";
}
def CHLO_MulhiOp : CHLO_Op<"mulhi", [Pure, Elementwise, Commutative,
                                     SameOperandsAndResultType]> {
  let summary = "mulhi: the high N bits of the 2N-bit product of N-bit integers";
  let arguments = (ins CHLO_IntTensor:$lhs, CHLO_IntTensor:$rhs);
  let results = (outs CHLO_IntTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
}

// Arithmetic with broadcasting (XlaBuilder semantics).
def CHLO_BroadcastAddOp : CHLO_BroadcastBinaryOp<"broadcast_add", CHLO_Tensor, CHLO_Tensor, [Commutative]> {
  let summary = "broadcast_add: lhs + rhs with broadcasting";
}
def CHLO_BroadcastAtan2Op : CHLO_BroadcastBinaryOp<"broadcast_atan2", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor> {
  let summary = "broadcast_atan2: atan2(lhs, rhs) with broadcasting";
}
def CHLO_BroadcastDivOp : CHLO_BroadcastBinaryOp<"broadcast_divide"> {
  let summary = "broadcast_divide: lhs / rhs with broadcasting";
}
def CHLO_BroadcastMaxOp : CHLO_BroadcastBinaryOp<"broadcast_maximum", CHLO_Tensor, CHLO_Tensor, [Commutative]> {
  let summary = "broadcast_maximum: max(lhs, rhs) with broadcasting";
}
def CHLO_BroadcastMinOp : CHLO_BroadcastBinaryOp<"broadcast_minimum", CHLO_Tensor, CHLO_Tensor, [Commutative]> {
  let summary = "broadcast_minimum: min(lhs, rhs) with broadcasting";
}
def CHLO_BroadcastMulOp : CHLO_BroadcastBinaryOp<"broadcast_multiply", CHLO_Tensor, CHLO_Tensor, [Commutative]> {
  let summary = "broadcast_multiply: lhs * rhs with broadcasting";
}
def CHLO_BroadcastNextAfterOp : CHLO_BroadcastBinaryOp<"broadcast_next_after", CHLO_FpTensor, CHLO_FpTensor> {
  let summary = "broadcast_next_after: next_after with broadcasting";
}
def CHLO_BroadcastPolygammaOp : CHLO_BroadcastBinaryOp<"broadcast_polygamma", CHLO_FpTensor, CHLO_FpTensor> {
  let summary = "broadcast_polygamma: polygamma with broadcasting";
}
def CHLO_BroadcastPowOp : CHLO_BroadcastBinaryOp<"broadcast_power"> {
  let summary = "broadcast_power: lhs ^ rhs with broadcasting";
}
def CHLO_BroadcastRemOp : CHLO_BroadcastBinaryOp<"broadcast_remainder"> {
  let summary = "broadcast_remainder: lhs % rhs with broadcasting";
}
def CHLO_BroadcastShiftLeftOp : CHLO_BroadcastBinaryOp<"broadcast_shift_left", CHLO_IntTensor, CHLO_IntTensor> {
  let summary = "broadcast_shift_left: lhs << rhs with broadcasting";
}
def CHLO_BroadcastShiftRightArithmeticOp
    : CHLO_BroadcastBinaryOp<"broadcast_shift_right_arithmetic", CHLO_IntTensor, CHLO_IntTensor> {
  let summary = "broadcast_shift_right_arithmetic: arithmetic lhs >> rhs with broadcasting";
}
def CHLO_BroadcastShiftRightLogicalOp
    : CHLO_BroadcastBinaryOp<"broadcast_shift_right_logical", CHLO_IntTensor, CHLO_IntTensor> {
  let summary = "broadcast_shift_right_logical: logical lhs >> rhs with broadcasting";
}
def CHLO_BroadcastSubOp : CHLO_BroadcastBinaryOp<"broadcast_subtract"> {
  let summary = "broadcast_subtract: lhs - rhs with broadcasting";
}
def CHLO_BroadcastZetaOp : CHLO_BroadcastBinaryOp<"broadcast_zeta", CHLO_FpTensor, CHLO_FpTensor> {
  let summary = "broadcast_zeta: zeta with broadcasting";
}
def CHLO_BroadcastAndOp : CHLO_BroadcastBinaryOp<"broadcast_and", CHLO_PredOrIntTensor,
                                                 CHLO_PredOrIntTensor, [Commutative]> {
  let summary = "broadcast_and: lhs & rhs with broadcasting";
}
def CHLO_BroadcastOrOp : CHLO_BroadcastBinaryOp<"broadcast_or", CHLO_PredOrIntTensor,
                                                CHLO_PredOrIntTensor, [Commutative]> {
  let summary = "broadcast_or: lhs | rhs with broadcasting";
}
def CHLO_BroadcastXorOp : CHLO_BroadcastBinaryOp<"broadcast_xor", CHLO_PredOrIntTensor,
                                                 CHLO_PredOrIntTensor, [Commutative]> {
  let summary = "broadcast_xor: lhs ^ rhs with broadcasting";
}
def CHLO_BroadcastComplexOp : CHLO_BroadcastBinaryOp<"broadcast_complex", CHLO_FpTensor,
                                                     CHLO_ComplexTensor> {
  let summary = "broadcast_complex: lhs + i * rhs with broadcasting";
}

def CHLO_BroadcastCompareOp : CHLO_Op<"broadcast_compare", [Pure]> {
  let summary = "broadcast_compare: comparison with broadcasting";
  let arguments = (ins CHLO_Tensor:$lhs, CHLO_Tensor:$rhs,
      OptionalAttr<DenseI64ArrayAttr>:$broadcast_dimensions,
      CHLO_ComparisonDirectionAttr:$comparison_direction,
      OptionalAttr<CHLO_ComparisonTypeAttr>:$compare_type);
  let results = (outs CHLO_PredTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($result)
  }];
  let hasVerifier = 1;
}

def CHLO_BroadcastSelectOp : CHLO_Op<"broadcast_select", [Pure]> {
  let summary = "broadcast_select: pred ? on_true : on_false with broadcasting";
  let arguments = (ins CHLO_PredTensor:$pred, CHLO_Tensor:$on_true, CHLO_Tensor:$on_false);
  let results = (outs CHLO_Tensor:$result);
  let assemblyFormat = [{
    $pred `,` $on_true `,` $on_false attr-dict `:`
    `(` type($pred) `,` type($on_true) `,` type($on_false) `)` `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // HLOX_CHLO_BINARY_OPS
