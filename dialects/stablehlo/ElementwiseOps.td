//===- ElementwiseOps.td - elementwise ops of the spec --------------------===//
#ifndef HLOX_STABLEHLO_ELEMENTWISE_OPS
#define HLOX_STABLEHLO_ELEMENTWISE_OPS

include "dialects/stablehlo/StablehloOpBase.td"

def StableHLO_AddOp : StableHLO_Op<"add",
    [Pure, Commutative, Elementwise, SameOperandsAndResultShape]> {
  let summary = "add: elementwise sum (logical or for i1)";
  let arguments = (ins HLO_Tensor:$lhs, HLO_Tensor:$rhs);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict
      `:` custom<SameOperandsAndResultType>(type($lhs), type($rhs), type($result))
  }];
}

def StableHLO_CompareOp : StableHLO_Op<"compare",
    [Pure, Elementwise, SameOperandsAndResultShape, SameTypeOperands]> {
  let summary = "compare: elementwise comparison";
  let arguments = (ins HLO_Tensor:$lhs, HLO_Tensor:$rhs,
      StableHLO_ComparisonDirectionAttr:$comparison_direction,
      OptionalAttr<StableHLO_ComparisonTypeAttr>:$compare_type);
  let results = (outs HLO_PredTensor:$result);
  let assemblyFormat = [{
    $comparison_direction `,` $lhs `,` $rhs (`,` $compare_type^)? attr-dict
      `:` functional-type(operands, results)
  }];
}

#endif // HLOX_STABLEHLO_ELEMENTWISE_OPS
