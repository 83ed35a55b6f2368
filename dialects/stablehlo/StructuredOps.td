//===- StructuredOps.td - dot_general, convolution, gather, scatter ===//
//
// The ops whose meaning is carried by dimension numbers. Verifiers
// (StructuredOps*.cpp) check the spec's constraints; dot_general and gather
// infer their result shape (InferShapedTypeOpInterface) and the verifiers
// check the result type against it.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_STRUCTUREDOPS
#define HLOX_STABLEHLO_STRUCTUREDOPS

include "dialects/stablehlo/StablehloOpBase.td"

def HLO_IndexTensor : RankedTensorOf<[HLO_Int, Index]>;

//===----------------------------------------------------------------------===//
// dot_general, dot
//===----------------------------------------------------------------------===//

def StableHLO_DotGeneralOp : StableHLO_Op<"dot_general", [Pure,
    DeclareOpInterfaceMethods<InferShapedTypeOpInterface,
                              ["inferReturnTypeComponents"]>]> {
  let summary = "dot_general: batched tensor contraction";
  let description = [{
    `stablehlo.dot_general %a, %b, batching_dims = [0] x [0],
     contracting_dims = [2] x [1], precision = [DEFAULT, DEFAULT]
     : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>`.
    The result's dimensions are the batching dimensions, then lhs's and rhs's
    remaining dimensions; its element type may differ from the operands'.
  }];
  let arguments = (ins HLO_Tensor:$lhs, HLO_Tensor:$rhs,
      StableHLO_DotDimensionNumbers:$dot_dimension_numbers,
      OptionalAttr<StableHLO_PrecisionConfigAttr>:$precision_config,
      OptionalAttr<StableHLO_DotAlgorithm>:$algorithm);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` custom<DotDimensionNumbers>($dot_dimension_numbers)
      `` custom<PrecisionConfigAndAlgorithm>($precision_config, $algorithm)
      attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def StableHLO_DotOp : StableHLO_Op<"dot", [Pure]> {
  let summary = "dot: vector/matrix products (legacy form of dot_general)";
  let arguments = (ins HLO_Tensor:$lhs, HLO_Tensor:$rhs,
      OptionalAttr<StableHLO_PrecisionConfigAttr>:$precision_config);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `` custom<PrecisionConfig>($precision_config) attr-dict
      `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // HLOX_STABLEHLO_STRUCTUREDOPS
