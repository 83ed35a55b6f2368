//===- ShapeOps.td - constants, iota and ops that move data ---------------===//
//
// The pretty syntax is the one JAX prints, e.g.
//   %0 = stablehlo.iota dim = 0 : tensor<4xi32>
//   %1 = stablehlo.broadcast_in_dim %x, dims = [0] : (tensor<4xf32>) -> tensor<4x2xf32>
//   %2 = stablehlo.transpose %y, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
//   %3 = stablehlo.slice %z [0:1, 2:4:2] : (tensor<4x4xf32>) -> tensor<1x1xf32>
// Verifiers follow the spec's constraints; where the spec defines the result
// type it is inferred (builders may omit it).
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_SHAPE_OPS
#define HLOX_STABLEHLO_SHAPE_OPS

include "dialects/stablehlo/SimpleOpsBase.td"

def StableHLO_ConstantOp : StableHLO_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "output"]>]> {
  let summary = "constant: a tensor from a literal";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs HLO_StaticShapeTensor:$output);
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
}

def StableHLO_IotaOp : StableHLO_Op<"iota", [Pure]> {
  let summary = "iota: increasing values along one dimension";
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative]>:$iota_dimension);
  let results = (outs StaticShapeTensorOf<[HLO_Int, HLO_Float, HLO_Complex]>:$output);
  let assemblyFormat = "`dim` `=` $iota_dimension attr-dict `:` type($output)";
  let hasVerifier = 1;
}

def StableHLO_DynamicIotaOp : StableHLO_Op<"dynamic_iota", [Pure]> {
  let summary = "dynamic_iota: iota with a runtime shape";
  let arguments = (ins HLOX_ShapeTensor:$output_shape,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$iota_dimension);
  let results = (outs HLOX_IntFpOrComplexTensor:$result);
  let assemblyFormat = [{
    $output_shape `,` `dim` `=` $iota_dimension attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

// broadcast_in_dim, reshape, transpose: the element type is the operand's, a
// per-axis quantization dimension moving with its dimension (checked in C++).
def StableHLO_BroadcastInDimOp : StableHLO_Op<"broadcast_in_dim", [Pure]> {
  let summary = "broadcast_in_dim: expand dimensions and sizes of a tensor";
  let arguments = (ins HLO_TensorOrQuantized:$operand,
      DenseI64ArrayAttr:$broadcast_dimensions);
  let results = (outs HLO_StaticShapeTensorOrQuantized:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $broadcast_dimensions
      attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def StableHLO_BroadcastOp : StableHLO_Op<"broadcast", [Pure,
    AllElementTypesMatch<["operand", "result"]>, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "broadcast: prepend dimensions (sizes) to a tensor";
  let arguments = (ins HLO_Tensor:$operand, DenseI64ArrayAttr:$broadcast_sizes);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` `sizes` `=` $broadcast_sizes
      attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_DynamicBroadcastInDimOp : StableHLO_Op<"dynamic_broadcast_in_dim",
    [Pure, AllElementTypesMatch<["operand", "result"]>]> {
  let summary = "dynamic_broadcast_in_dim: broadcast_in_dim to a runtime shape";
  let arguments = (ins HLO_Tensor:$operand, HLOX_ShapeTensor:$output_dimensions,
      DenseI64ArrayAttr:$broadcast_dimensions,
      OptionalAttr<DenseI64ArrayAttr>:$known_expanding_dimensions,
      OptionalAttr<DenseI64ArrayAttr>:$known_nonexpanding_dimensions);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` $output_dimensions `,` `dims` `=` $broadcast_dimensions
      attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def StableHLO_ReshapeOp : StableHLO_Op<"reshape", [Pure]> {
  let summary = "reshape: the same elements in another shape";
  let arguments = (ins HLO_TensorOrQuantized:$operand);
  let results = (outs HLO_StaticShapeTensorOrQuantized:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def StableHLO_DynamicReshapeOp : StableHLO_Op<"dynamic_reshape", [Pure,
    AllElementTypesMatch<["operand", "result"]>]> {
  let summary = "dynamic_reshape: reshape to a runtime shape";
  let arguments = (ins HLO_Tensor:$operand, HLOX_ShapeTensor:$output_shape);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def StableHLO_TransposeOp : StableHLO_Op<"transpose", [Pure,
    InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "transpose: permute the dimensions of a tensor";
  let arguments = (ins HLO_TensorOrQuantized:$operand, DenseI64ArrayAttr:$permutation);
  let results = (outs HLO_TensorOrQuantized:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $permutation
      attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_SliceOp : StableHLO_Op<"slice", [Pure,
    AllElementTypesMatch<["operand", "result"]>, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "slice: a static strided slice";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$operand, DenseI64ArrayAttr:$start_indices,
      DenseI64ArrayAttr:$limit_indices, DenseI64ArrayAttr:$strides);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let assemblyFormat = [{
    $operand custom<SliceRanges>($start_indices, $limit_indices, $strides)
      attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_DynamicSliceOp : StableHLO_Op<"dynamic_slice", [Pure,
    AllElementTypesMatch<["operand", "result"]>, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "dynamic_slice: a slice of static sizes at runtime offsets";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$operand,
      Variadic<HLO_ScalarIntTensor>:$start_indices,
      DenseI64ArrayAttr:$slice_sizes);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let assemblyFormat = [{
    $operand `,` custom<VariadicOperandWithAttribute>($start_indices)
      `sizes` `=` $slice_sizes attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_DynamicUpdateSliceOp : StableHLO_Op<"dynamic_update_slice", [Pure,
    AllTypesMatch<["operand", "result"]>,
    AllElementTypesMatch<["operand", "update"]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "dynamic_update_slice: overwrite a slice at runtime offsets";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$operand, HLO_TensorOrPerTensorQuantized:$update,
      Variadic<HLO_ScalarIntTensor>:$start_indices);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def StableHLO_RealDynamicSliceOp : StableHLO_Op<"real_dynamic_slice", [Pure,
    AllElementTypesMatch<["operand", "result"]>,
    AllTypesMatch<["start_indices", "limit_indices", "strides"]>]> {
  let summary = "real_dynamic_slice: a strided slice with runtime bounds";
  let arguments = (ins HLO_Tensor:$operand, HLOX_ShapeTensor:$start_indices,
      HLOX_ShapeTensor:$limit_indices, HLOX_ShapeTensor:$strides);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def StableHLO_ConcatenateOp : StableHLO_Op<"concatenate", [Pure,
    SameOperandsAndResultElementType, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "concatenate: join tensors along one dimension";
  let arguments = (ins Variadic<HLO_TensorOrPerTensorQuantized>:$inputs,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$dimension);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let assemblyFormat = [{
    custom<VariadicOperandWithAttribute>($inputs) `dim` `=` $dimension
      attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_PadOp : StableHLO_Op<"pad", [Pure,
    SameOperandsAndResultElementType, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "pad: edge and interior padding with a value";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$operand, 0DTensorOf<[HLO_ElementType, HLO_PerTensorQuantizedInt]>:$padding_value,
      DenseI64ArrayAttr:$edge_padding_low, DenseI64ArrayAttr:$edge_padding_high,
      DenseI64ArrayAttr:$interior_padding);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let assemblyFormat = [{
    $operand `,` $padding_value `,`
      `low` `=` $edge_padding_low `,`
      `high` `=` $edge_padding_high `,`
      `interior` `=` $interior_padding
      attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_DynamicPadOp : StableHLO_Op<"dynamic_pad", [Pure,
    AllElementTypesMatch<["operand", "padding_value", "result"]>,
    AllTypesMatch<["edge_padding_low", "edge_padding_high", "interior_padding"]>]> {
  let summary = "dynamic_pad: pad with runtime amounts";
  let arguments = (ins HLO_Tensor:$operand, 0DTensorOf<[HLO_ElementType]>:$padding_value,
      HLOX_ShapeTensor:$edge_padding_low, HLOX_ShapeTensor:$edge_padding_high,
      HLOX_ShapeTensor:$interior_padding);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def StableHLO_ReverseOp : StableHLO_Op<"reverse", [Pure,
    SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "reverse: reverse the order of elements along dimensions";
  let arguments = (ins HLO_TensorOrPerTensorQuantized:$operand, DenseI64ArrayAttr:$dimensions);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $dimensions
      attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = HLOX_CompatibleReturnTypesDeclaration;
  let extraClassDefinition = HLOX_CompatibleReturnTypesDefinition;
}

def StableHLO_GetDimensionSizeOp : StableHLO_Op<"get_dimension_size", [Pure,
    InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "get_dimension_size: the size of one dimension, as tensor<i32>";
  let arguments = (ins HLO_Tensor:$operand,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$dimension);
  let results = (outs 0DTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $operand `,` `dim` `=` $dimension attr-dict `:` functional-type(operands, results)
  }];
}

#endif // HLOX_STABLEHLO_SHAPE_OPS
