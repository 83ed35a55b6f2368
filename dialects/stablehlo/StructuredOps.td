//===- StructuredOps.td - dot_general, convolution, gather, scatter ===//
//
// The ops whose meaning is carried by dimension numbers. Verifiers
// (DotOps.cpp, ConvolutionOp.cpp, GatherScatterOps.cpp) check the spec's
// constraints; dot_general, convolution and gather infer their result shape
// (InferShapedTypeOpInterface) and the verifiers check the result type
// against it.
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
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$lhs, HLO_TensorOrQuantized:$rhs,
      StableHLO_DotDimensionNumbers:$dot_dimension_numbers,
      OptionalAttr<StableHLO_PrecisionConfigAttr>:$precision_config,
      OptionalAttr<StableHLO_DotAlgorithm>:$algorithm);
  let results = (outs HLO_TensorOrQuantized:$result);
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

//===----------------------------------------------------------------------===//
// convolution
//===----------------------------------------------------------------------===//

def StableHLO_ConvolutionOp : StableHLO_Op<"convolution", [Pure,
    DeclareOpInterfaceMethods<InferShapedTypeOpInterface,
                              ["inferReturnTypeComponents"]>]> {
  let summary = "convolution: windowed dot products of lhs with kernel rhs";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$lhs, HLO_TensorOrQuantized:$rhs,
      OptionalAttr<DenseI64ArrayAttr>:$window_strides,
      OptionalAttr<I64ElementsAttr>:$padding,
      OptionalAttr<DenseI64ArrayAttr>:$lhs_dilation,
      OptionalAttr<DenseI64ArrayAttr>:$rhs_dilation,
      OptionalAttr<DenseBoolArrayAttr>:$window_reversal,
      StableHLO_ConvDimensionNumbers:$dimension_numbers,
      ConfinedAttr<I64Attr, [IntPositive]>:$feature_group_count,
      ConfinedAttr<I64Attr, [IntPositive]>:$batch_group_count,
      OptionalAttr<StableHLO_PrecisionConfigAttr>:$precision_config);
  let results = (outs HLO_TensorOrQuantized:$result);
  let assemblyFormat = [{
    `(` $lhs `,` $rhs `)`
      `dim_numbers` `=` custom<ConvolutionDimensions>($dimension_numbers) `,`
      `window` `=` custom<WindowAttributes>($window_strides, $padding,
                                            $lhs_dilation, $rhs_dilation,
                                            $window_reversal)
      attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

// dynamic_conv: convolution with its padding as an operand (generic syntax only).
def StableHLO_DynamicConvOp : StableHLO_Op<"dynamic_conv", [Pure]> {
  let summary = "dynamic_conv: convolution whose padding is a [spatial, 2] tensor operand";
  let arguments = (ins HLO_Tensor:$lhs, HLO_Tensor:$rhs, HLO_IntTensor:$padding,
      OptionalAttr<DenseI64ArrayAttr>:$window_strides,
      OptionalAttr<DenseI64ArrayAttr>:$lhs_dilation,
      OptionalAttr<DenseI64ArrayAttr>:$rhs_dilation,
      OptionalAttr<DenseBoolArrayAttr>:$window_reversal,
      StableHLO_ConvDimensionNumbers:$dimension_numbers,
      ConfinedAttr<I64Attr, [IntPositive]>:$feature_group_count,
      ConfinedAttr<I64Attr, [IntPositive]>:$batch_group_count,
      OptionalAttr<StableHLO_PrecisionConfigAttr>:$precision_config);
  let results = (outs HLO_Tensor:$result);
}

//===----------------------------------------------------------------------===//
// gather, dynamic_gather, scatter (generic syntax only, as JAX prints them)
//===----------------------------------------------------------------------===//

def StableHLO_GatherOp : StableHLO_Op<"gather", [Pure,
    DeclareOpInterfaceMethods<InferShapedTypeOpInterface,
                              ["inferReturnTypeComponents"]>]> {
  let summary = "gather: slices of operand at offsets from start_indices";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$operand, HLO_IndexTensor:$start_indices,
      StableHLO_GatherDimensionNumbers:$dimension_numbers,
      DenseI64ArrayAttr:$slice_sizes,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$indices_are_sorted);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let hasVerifier = 1;
}

def StableHLO_DynamicGatherOp : StableHLO_Op<"dynamic_gather", [Pure]> {
  let summary = "dynamic_gather: gather with slice sizes from a tensor";
  let arguments = (ins HLO_Tensor:$operand, HLO_IndexTensor:$start_indices,
      HLO_DimensionTensor:$slice_sizes,
      StableHLO_GatherDimensionNumbers:$dimension_numbers,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$indices_are_sorted);
  let results = (outs HLO_Tensor:$result);
  let hasVerifier = 1;
}

def StableHLO_ScatterOp : StableHLO_Op<"scatter", [
    RecursiveMemoryEffects, SameVariadicOperandSize]> {
  let summary = "scatter: combines updates into slices of the inputs";
  let arguments = (ins Variadic<HLO_Tensor>:$inputs,
      HLO_IndexTensor:$scatter_indices,
      Variadic<HLO_Tensor>:$updates,
      StableHLO_ScatterDimensionNumbers:$scatter_dimension_numbers,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$indices_are_sorted,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$unique_indices);
  let results = (outs Variadic<HLO_Tensor>);
  let regions = (region SizedRegion<1>:$update_computation);
  let hasVerifier = 1;
}

#endif // HLOX_STABLEHLO_STRUCTUREDOPS
