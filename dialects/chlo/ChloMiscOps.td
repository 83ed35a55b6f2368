//===- ChloMiscOps.td - top_k and constants -------------------------------===//
#ifndef HLOX_CHLO_MISC_OPS
#define HLOX_CHLO_MISC_OPS

include "dialects/chlo/ChloOpBase.td"

def CHLO_TopKOp : CHLO_Op<"top_k",
    [Pure, DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "top_k: the k largest entries along the last dimension";
  let description = [{
    `values` holds the k largest entries of each row (last dimension) in
    descending order, `indices` their positions (i32); of equal entries the
    one with the lower index comes first.

    `%values, %indices = chlo.top_k(%x, k = 2) : tensor<4x4xf32> -> (tensor<4x2xf32>, tensor<4x2xi32>)`
  }];
  let arguments = (ins CHLO_Tensor:$operand, I64Attr:$k);
  let results = (outs CHLO_Tensor:$values, CHLO_IntTensor:$indices);
  let assemblyFormat = [{
    `(` $operand `,` `k` `=` $k `)` attr-dict `:`
    type($operand) `->` `(` type($values) `,` type($indices) `)`
  }];
  let hasVerifier = 1;
}

def CHLO_ConstantOp : CHLO_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "output"]>]> {
  let summary = "constant: a tensor from a literal";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs CHLO_StaticShapeTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def CHLO_ConstantLikeOp : CHLO_Op<"constant_like", [Pure, SameOperandsAndResultShape]> {
  let summary = "constant_like: a splat of `value` shaped like the operand";
  let arguments = (ins TypedAttrInterface:$value, CHLO_Tensor:$operand);
  let results = (outs CHLO_Tensor:$result);
  let hasVerifier = 1;
  let hasFolder = 1;
}

#endif // HLOX_CHLO_MISC_OPS
