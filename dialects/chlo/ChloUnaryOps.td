//===- ChloUnaryOps.td - unary elementwise CHLO ops -----------------------===//
#ifndef HLOX_CHLO_UNARY_OPS
#define HLOX_CHLO_UNARY_OPS

include "dialects/chlo/ChloOpBase.td"

// Trigonometric and hyperbolic functions (float or complex).
def CHLO_AcosOp : CHLO_UnaryOp<"acos", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                               [SameOperandsAndResultType]> {
  let summary = "acos: inverse cosine";
}
def CHLO_AcoshOp : CHLO_UnaryOp<"acosh", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                                [SameOperandsAndResultType]> {
  let summary = "acosh: inverse hyperbolic cosine (nan below 1)";
}
def CHLO_AsinOp : CHLO_UnaryOp<"asin", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                               [SameOperandsAndResultType]> {
  let summary = "asin: inverse sine";
}
def CHLO_AsinhOp : CHLO_UnaryOp<"asinh", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                                [SameOperandsAndResultType]> {
  let summary = "asinh: inverse hyperbolic sine";
}
def CHLO_AtanOp : CHLO_UnaryOp<"atan", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                               [SameOperandsAndResultType]> {
  let summary = "atan: inverse tangent";
}
def CHLO_AtanhOp : CHLO_UnaryOp<"atanh", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                                [SameOperandsAndResultType]> {
  let summary = "atanh: inverse hyperbolic tangent (nan outside [-1, 1])";
}
def CHLO_CoshOp : CHLO_UnaryOp<"cosh", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                               [SameOperandsAndResultType]> {
  let summary = "cosh: hyperbolic cosine";
}
def CHLO_SinhOp : CHLO_UnaryOp<"sinh", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                               [SameOperandsAndResultType]> {
  let summary = "sinh: hyperbolic sine";
}
def CHLO_TanOp : CHLO_UnaryOp<"tan", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                              [SameOperandsAndResultType]> {
  let summary = "tan: tangent";
}
def CHLO_ConjOp : CHLO_UnaryOp<"conj", CHLO_FpOrComplexTensor, CHLO_FpOrComplexTensor,
                               [SameOperandsAndResultType]> {
  let summary = "conj: complex conjugate (identity on reals)";
}
def CHLO_SquareOp : CHLO_UnaryOp<"square", CHLO_Tensor, CHLO_Tensor,
                                 [SameOperandsAndResultType]> {
  let summary = "square: x * x (complex: computed without overflow in |x|^2)";
}

// Special functions (float only).
def CHLO_BesselI1eOp : CHLO_UnaryOp<"bessel_i1e", CHLO_FpTensor, CHLO_FpTensor,
                                    [SameOperandsAndResultType]> {
  let summary = "bessel_i1e: exponentially scaled modified Bessel function of order 1";
}
def CHLO_DigammaOp : CHLO_UnaryOp<"digamma", CHLO_FpTensor, CHLO_FpTensor,
                                  [SameOperandsAndResultType]> {
  let summary = "digamma: derivative of lgamma";
}
def CHLO_ErfOp : CHLO_UnaryOp<"erf", CHLO_FpTensor, CHLO_FpTensor,
                              [SameOperandsAndResultType]> {
  let summary = "erf: Gauss error function";
}
def CHLO_ErfInvOp : CHLO_UnaryOp<"erf_inv", CHLO_FpTensor, CHLO_FpTensor,
                                 [SameOperandsAndResultType]> {
  let summary = "erf_inv: inverse of erf on (-1, 1)";
}
def CHLO_ErfcOp : CHLO_UnaryOp<"erfc", CHLO_FpTensor, CHLO_FpTensor,
                               [SameOperandsAndResultType]> {
  let summary = "erfc: complementary error function 1 - erf(x)";
}
def CHLO_LgammaOp : CHLO_UnaryOp<"lgamma", CHLO_FpTensor, CHLO_FpTensor,
                                 [SameOperandsAndResultType]> {
  let summary = "lgamma: log |gamma(x)|";
}

// Predicates: float in, i1 out.
def CHLO_IsInfOp : CHLO_UnaryOp<"is_inf", CHLO_FpTensor, CHLO_PredTensor> {
  let summary = "is_inf: x is +inf or -inf";
}
def CHLO_IsNegInfOp : CHLO_UnaryOp<"is_neg_inf", CHLO_FpTensor, CHLO_PredTensor> {
  let summary = "is_neg_inf: x is -inf";
}
def CHLO_IsPosInfOp : CHLO_UnaryOp<"is_pos_inf", CHLO_FpTensor, CHLO_PredTensor> {
  let summary = "is_pos_inf: x is +inf";
}

#endif // HLOX_CHLO_UNARY_OPS
