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

def CHLO_RaggedDotOp : CHLO_Op<"ragged_dot", [Pure]> {
  let summary = "ragged_dot: a dot_general whose lhs is split into groups along one dimension";
  let description = [{
    `group_sizes` splits the lhs ragged dimension into consecutive groups.
    Mode 1 (the ragged dimension is an lhs free dimension):
    `[b,m,k], [g,b,k,n], [b?,g] -> [b,m,n]`, each row of group i multiplied by
    rhs group i; rows past the last group are 0. Mode 2 (a contracting
    dimension): `[b,m,k], [b,k,n] -> [g,b,m,n]`, group i's contraction over
    its slice of k. Mode 3 (a batching dimension): `[b,m,k], [b,k,n] -> [b,m,n]`,
    batches past the last group are 0.
  }];
  let arguments = (ins CHLO_Tensor:$lhs, CHLO_Tensor:$rhs,
      CHLO_IntTensor:$group_sizes,
      CHLO_RaggedDotDimensionNumbers:$ragged_dot_dimension_numbers,
      OptionalAttr<CHLO_PrecisionConfigAttr>:$precision_config);
  let results = (outs CHLO_Tensor:$result);
  let hasVerifier = 1;
}

def CHLO_ScanOp : CHLO_Op<"scan", [RecursiveMemoryEffects, IsolatedFromAbove,
    AttrSizedOperandSegments, AttrSizedResultSegments]> {
  let summary = "scan: a body applied along one dimension, threading carries";
  let description = [{
    For each index i of `dimension` (from the end when `is_reverse`), the body
    takes the inputs' slices at i (that dimension dropped) and the carries, and
    returns the outputs' slices at i followed by the new carries. The results
    are the outputs, stacked along `dimension`, then the final carries.

    `%out, %carry = chlo.scan(%x) inits(%c0) dimension=0 {...} : (tensor<4xi32>, tensor<i32>) -> (tensor<4xi32>, tensor<i32>)`
  }];
  let arguments = (ins Variadic<CHLO_Tensor>:$inputs, Variadic<CHLO_Tensor>:$inits,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$dimension,
      OptionalAttr<ConfinedAttr<I64Attr, [IntNonNegative]>>:$scan_dim_size,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$is_reverse,
      OptionalAttr<BoolAttr>:$is_associative);
  let results = (outs Variadic<CHLO_Tensor>:$outputs, Variadic<CHLO_Tensor>:$carries);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
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
