//===- MiscOps.td - return, tuples, rng, custom_call, composite, ... ------===//
//
// The pretty syntax is the one JAX prints, e.g.
//   %0 = stablehlo.custom_call @target(%a) {api_version = 2 : i32} : (tensor<4xf32>) -> tensor<4xf32>
//   %1:2 = stablehlo.rng_bit_generator %s, algorithm = DEFAULT : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
//   %2 = stablehlo.composite "my.op" %a {decomposition = @f} : (tensor<4xf32>) -> tensor<4xf32>
// Ops that JAX prints only in the generic form (infeed, outfeed, send, recv,
// triangular_solve, batch_norm_*) have no custom syntax.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_MISC_OPS
#define HLOX_STABLEHLO_MISC_OPS

include "dialects/stablehlo/SimpleOpsBase.td"

def StableHLO_ReturnOp : StableHLO_Op<"return", [Pure, Terminator]> {
  let summary = "return: yields the results of a region";
  let arguments = (ins Variadic<HLO_TensorOrTokenOrTuple>:$results);
  let assemblyFormat = "$results attr-dict (`:` type($results)^)?";
}

//===----------------------------------------------------------------------===//
// Tuples and barriers
//===----------------------------------------------------------------------===//

def StableHLO_TupleOp : StableHLO_Op<"tuple", [Pure, InferTypeOpAdaptor]> {
  let summary = "tuple: a tuple of values";
  let arguments = (ins Variadic<HLO_TensorOrTokenOrTuple>:$val);
  let results = (outs HLO_Tuple:$result);
  let assemblyFormat = [{
    $val attr-dict `:` custom<TupleOpType>(type($val), type($result))
  }];
}

def StableHLO_GetTupleElementOp : StableHLO_Op<"get_tuple_element", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "get_tuple_element: one element of a tuple";
  let arguments = (ins HLO_Tuple:$operand,
      ConfinedAttr<I32Attr, [IntNonNegative]>:$index);
  let results = (outs HLO_TensorOrTokenOrTuple:$result);
  let assemblyFormat = [{
    $operand `[` $index `]` attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_OptimizationBarrierOp : StableHLO_Op<"optimization_barrier", [
    Pure, InferTypeOpAdaptor]> {
  let summary = "optimization_barrier: values no optimization moves ops across";
  let arguments = (ins Variadic<HLO_TensorOrToken>:$operand);
  let results = (outs Variadic<HLO_TensorOrToken>:$result);
  let assemblyFormat = [{
    attr-dict ($operand^ `:` custom<PairwiseOpType>(type($operand), type($result))):(`(` `)`)?
  }];
}

//===----------------------------------------------------------------------===//
// Random numbers
//===----------------------------------------------------------------------===//

def StableHLO_RngOp : StableHLO_Op<"rng", [
    AllElementTypesMatch<["a", "b", "result"]>]> {
  let summary = "rng: random numbers of a distribution";
  let arguments = (ins 0DTensorOf<[HLO_Pred, HLO_Int, HLO_Float]>:$a,
      0DTensorOf<[HLO_Pred, HLO_Int, HLO_Float]>:$b,
      HLOX_ShapeTensor:$shape,
      StableHLO_RngDistributionAttr:$rng_distribution);
  let results = (outs RankedTensorOf<[HLO_Pred, HLO_Int, HLO_Float]>:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $shape `,` `distribution` `=` custom<EnumCase>($rng_distribution)
      attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def StableHLO_RngBitGeneratorOp : StableHLO_Op<"rng_bit_generator", [Pure,
    AllTypesMatch<["initial_state", "output_state"]>]> {
  let summary = "rng_bit_generator: random bits and the next generator state";
  let arguments = (ins StableHLO_RngAlgorithmAttr:$rng_algorithm,
      HLOX_IntOrFpTensor:$initial_state);
  let results = (outs HLOX_IntOrFpTensor:$output_state,
      StaticShapeTensorOf<[HLO_Int, HLO_Float]>:$output);
  let assemblyFormat = [{
    $initial_state `,` `algorithm` `=` custom<EnumCase>($rng_algorithm) attr-dict
      `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Calls out of StableHLO
//===----------------------------------------------------------------------===//

def StableHLO_CustomCallOp : StableHLO_Op<"custom_call", [
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>]> {
  let summary = "custom_call: call an implementation-defined target";
  let description = [{
    Any further attribute (`mhlo.frontend_attributes`, `result_tilings`, ...)
    is kept in the attribute dictionary.
  }];
  let arguments = (ins Variadic<HLO_TensorOrTokenOrTuple>:$inputs,
      StrAttr:$call_target_name,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$has_side_effect,
      OptionalAttr<AnyAttrOf<[StrAttr, DictionaryAttr]>>:$backend_config,
      DefaultValuedOptionalAttr<StableHLO_CustomCallApiVersionAttr,
          "::mlir::stablehlo::CustomCallApiVersion::API_VERSION_ORIGINAL">:$api_version,
      OptionalAttr<TypedArrayAttrBase<FlatSymbolRefAttr,
          "flat symbol references">>:$called_computations,
      OptionalAttr<ArrayAttr>:$operand_layouts,
      OptionalAttr<ArrayAttr>:$result_layouts,
      OptionalAttr<ArrayAttr>:$output_operand_aliases);
  let results = (outs Variadic<HLO_TensorOrTokenOrTuple>);
  let assemblyFormat = [{
    custom<CustomCallTarget>($call_target_name) `(` $inputs `)`
      attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def StableHLO_CompositeOp : StableHLO_Op<"composite", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "composite: a named op with a decomposition into StableHLO";
  let arguments = (ins Variadic<HLO_TensorOrTokenOrTuple>:$inputs,
      StrAttr:$name,
      DefaultValuedOptionalAttr<DictionaryAttr, "{}">:$composite_attributes,
      FlatSymbolRefAttr:$decomposition,
      DefaultValuedOptionalAttr<I32Attr, "0">:$version);
  let results = (outs Variadic<HLO_TensorOrTokenOrTuple>);
  let assemblyFormat = [{
    $name operands attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Process and token ops
//===----------------------------------------------------------------------===//

def StableHLO_PartitionIdOp : StableHLO_Op<"partition_id", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "partition_id: the id of the current partition";
  let results = (outs 0DTensorOf<[UI32]>);
  let assemblyFormat = "attr-dict `:` type(results)";
}

def StableHLO_ReplicaIdOp : StableHLO_Op<"replica_id", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "replica_id: the id of the current replica";
  let results = (outs 0DTensorOf<[UI32]>);
  let assemblyFormat = "attr-dict `:` type(results)";
}

def StableHLO_AfterAllOp : StableHLO_Op<"after_all", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "after_all: a token ordered after all input tokens";
  let arguments = (ins Variadic<StableHLO_Token>:$inputs);
  let results = (outs StableHLO_Token:$result);
  let assemblyFormat = [{
    $inputs attr-dict
      `:` custom<VariadicSameOperandsAndResultType>(ref($inputs), type($inputs), type($result))
  }];
}

def StableHLO_CreateTokenOp : StableHLO_Op<"create_token", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "create_token: a fresh token (deprecated alias of after_all)";
  let results = (outs StableHLO_Token:$output);
  let assemblyFormat = "attr-dict `:` type(results)";
}

def StableHLO_InfeedOp : StableHLO_Op<"infeed", [
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "infeed: read values from the infeed";
  let arguments = (ins StableHLO_Token:$token,
      DefaultValuedStrAttr<StrAttr, "">:$infeed_config,
      OptionalAttr<ArrayAttr>:$layout);
  let results = (outs Variadic<AnyTypeOf<[HLO_StaticShapeTensor, StableHLO_Token]>>);
  let hasVerifier = 1;
}

def StableHLO_OutfeedOp : StableHLO_Op<"outfeed", [
    MemoryEffects<[MemRead, MemWrite]>, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "outfeed: write values to the outfeed";
  let arguments = (ins Variadic<HLO_Tensor>:$inputs, StableHLO_Token:$token,
      DefaultValuedStrAttr<StrAttr, "">:$outfeed_config);
  let results = (outs StableHLO_Token);
}

// channel_handle is `#stablehlo.channel_handle<handle = 1, type = 2>`
// (defined with the structured attributes); any attribute is accepted here.
def StableHLO_SendOp : StableHLO_Op<"send", [
    MemoryEffects<[MemRead, MemWrite]>, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "send: send values over a channel";
  let arguments = (ins Variadic<HLO_Tensor>:$inputs, StableHLO_Token:$token,
      AnyAttr:$channel_handle,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$is_host_transfer,
      OptionalAttr<I64ElementsAttr>:$source_target_pairs);
  let results = (outs StableHLO_Token);
}

def StableHLO_RecvOp : StableHLO_Op<"recv", [
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "recv: receive values over a channel";
  let arguments = (ins StableHLO_Token:$token, AnyAttr:$channel_handle,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$is_host_transfer,
      OptionalAttr<I64ElementsAttr>:$source_target_pairs);
  let results = (outs Variadic<AnyTypeOf<[HLO_StaticShapeTensor, StableHLO_Token]>>);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra, fft, batch norm
//===----------------------------------------------------------------------===//

def StableHLO_CholeskyOp : StableHLO_Op<"cholesky", [Pure,
    SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "cholesky: Cholesky decomposition of a batch of matrices";
  let arguments = (ins HLOX_FpOrComplexTensor:$a,
      DefaultValuedOptionalAttr<BoolAttr, "false">:$lower);
  let results = (outs HLOX_FpOrComplexTensor:$result);
  let assemblyFormat = [{
    $a (`,` `lower` `=` $lower^)? attr-dict
      `:` custom<SameOperandsAndResultType>(type($a), type($result))
  }];
  let hasVerifier = 1;
}

def StableHLO_TriangularSolveOp : StableHLO_Op<"triangular_solve", [Pure,
    SameOperandsAndResultElementType, AllTypesMatch<["b", "result"]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "triangular_solve: solve triangular systems of equations";
  let arguments = (ins HLOX_FpOrComplexTensor:$a, HLOX_FpOrComplexTensor:$b,
      BoolAttr:$left_side, BoolAttr:$lower, BoolAttr:$unit_diagonal,
      StableHLO_TransposeAttr:$transpose_a);
  let results = (outs HLOX_FpOrComplexTensor:$result);
  let hasVerifier = 1;
}

def StableHLO_FftOp : StableHLO_Op<"fft", [Pure, InferTypeOpAdaptor]> {
  let summary = "fft: forward and inverse Fourier transforms";
  let arguments = (ins HLOX_FpOrComplexTensor:$operand,
      StableHLO_FftTypeAttr:$fft_type, DenseI64ArrayAttr:$fft_length);
  let results = (outs HLOX_FpOrComplexTensor:$result);
  let assemblyFormat = [{
    $operand `,` `type` `=` custom<EnumCase>($fft_type) `,` `length` `=` $fft_length
      attr-dict `:` functional-type(operands, results)
  }];
}

def StableHLO_BatchNormTrainingOp : StableHLO_Op<"batch_norm_training", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "batch_norm_training: normalize with the batch's statistics";
  let arguments = (ins HLOX_FpTensor:$operand, 1DTensorOf<[HLO_Float]>:$scale,
      1DTensorOf<[HLO_Float]>:$offset, F32Attr:$epsilon,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$feature_index);
  let results = (outs HLOX_FpTensor:$output, 1DTensorOf<[HLO_Float]>:$batch_mean,
      1DTensorOf<[HLO_Float]>:$batch_var);
}

def StableHLO_BatchNormInferenceOp : StableHLO_Op<"batch_norm_inference", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "batch_norm_inference: normalize with given statistics";
  let arguments = (ins HLOX_FpTensor:$operand, 1DTensorOf<[HLO_Float]>:$scale,
      1DTensorOf<[HLO_Float]>:$offset, 1DTensorOf<[HLO_Float]>:$mean,
      1DTensorOf<[HLO_Float]>:$variance, F32Attr:$epsilon,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$feature_index);
  let results = (outs HLOX_FpTensor:$result);
}

def StableHLO_BatchNormGradOp : StableHLO_Op<"batch_norm_grad", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "batch_norm_grad: gradients of batch_norm_training";
  let arguments = (ins HLOX_FpTensor:$operand, 1DTensorOf<[HLO_Float]>:$scale,
      1DTensorOf<[HLO_Float]>:$mean, 1DTensorOf<[HLO_Float]>:$variance,
      HLOX_FpTensor:$grad_output, F32Attr:$epsilon,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$feature_index);
  let results = (outs HLOX_FpTensor:$grad_operand,
      1DTensorOf<[HLO_Float]>:$grad_scale, 1DTensorOf<[HLO_Float]>:$grad_offset);
}

#endif // HLOX_STABLEHLO_MISC_OPS
