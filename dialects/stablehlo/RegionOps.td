//===- RegionOps.td - reduce, reduce_window, select_and_scatter, sort, map, while, if, case ===//
//
// Ops with regions, each region ending in stablehlo.return. reduce and while
// have JAX's pretty syntax (RegionAssembly.cpp); the others print in the
// generic form, as JAX does. The verifiers (RegionOps.cpp) check the spec's
// region signatures.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_REGIONOPS
#define HLOX_STABLEHLO_REGIONOPS

include "dialects/stablehlo/StablehloOpBase.td"

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def StableHLO_ReduceOp : StableHLO_Op<"reduce", [
    RecursiveMemoryEffects, SameVariadicOperandSize,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "reduce: folds `body` over `dimensions` of the inputs";
  let description = [{
    `stablehlo.reduce(%x init: %c) applies stablehlo.add across
     dimensions = [1] : (tensor<4x4xf32>, tensor<f32>) -> tensor<4xf32>`,
    or with the body spelled out:
    `stablehlo.reduce(%a init: %ia), (%b init: %ib) across dimensions = [0]
     : (...) -> (...) reducer(%acc0: tensor<f32>, %x0: tensor<f32>)
     (%acc1: tensor<i32>, %x1: tensor<i32>) { ... }`.
    The results are the inputs' shapes without `dimensions`, with the
    init values' element types.
  }];
  let arguments = (ins Variadic<HLO_Tensor>:$inputs,
      Variadic<HLO_Tensor>:$init_values,
      DenseI64ArrayAttr:$dimensions);
  let results = (outs Variadic<HLO_Tensor>);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    // Results match the inferred types up to dynamic dimensions.
    static bool isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r);
  }];
}

def StableHLO_ReduceWindowOp : StableHLO_Op<"reduce_window", [
    RecursiveMemoryEffects, SameVariadicOperandSize]> {
  let summary = "reduce_window: reduce over sliding windows";
  let arguments = (ins Variadic<HLO_Tensor>:$inputs,
      Variadic<HLO_Tensor>:$init_values,
      DenseI64ArrayAttr:$window_dimensions,
      OptionalAttr<DenseI64ArrayAttr>:$window_strides,
      OptionalAttr<DenseI64ArrayAttr>:$base_dilations,
      OptionalAttr<DenseI64ArrayAttr>:$window_dilations,
      OptionalAttr<I64ElementsAttr>:$padding);
  let results = (outs Variadic<HLO_Tensor>);
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
}

def StableHLO_SelectAndScatterOp : StableHLO_Op<"select_and_scatter", [
    RecursiveMemoryEffects]> {
  let summary = "select_and_scatter: scatter source at the selected window "
                "elements (gradient of max-pooling)";
  let arguments = (ins HLO_Tensor:$operand, HLO_Tensor:$source,
      HLO_Tensor:$init_value,
      OptionalAttr<DenseI64ArrayAttr>:$window_dimensions,
      OptionalAttr<DenseI64ArrayAttr>:$window_strides,
      OptionalAttr<I64ElementsAttr>:$padding);
  let results = (outs HLO_Tensor);
  let regions = (region SizedRegion<1>:$select, SizedRegion<1>:$scatter);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// sort, map
//===----------------------------------------------------------------------===//

def StableHLO_SortOp : StableHLO_Op<"sort", [RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "sort: sorts the inputs together along `dimension`";
  let arguments = (ins Variadic<HLO_Tensor>:$inputs,
      DefaultValuedAttr<I64Attr, "-1">:$dimension,
      DefaultValuedAttr<BoolAttr, "false">:$is_stable);
  let results = (outs Variadic<HLO_Tensor>);
  let regions = (region SizedRegion<1>:$comparator);
  let hasVerifier = 1;
}

def StableHLO_MapOp : StableHLO_Op<"map", [RecursiveMemoryEffects,
    SameOperandsAndResultShape]> {
  let summary = "map: applies `computation` elementwise";
  let arguments = (ins Variadic<HLO_Tensor>:$inputs,
      DenseI64ArrayAttr:$dimensions);
  let results = (outs HLO_Tensor);
  let regions = (region SizedRegion<1>:$computation);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Control flow
//===----------------------------------------------------------------------===//

def StableHLO_WhileOp : StableHLO_Op<"while", [RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<InferTypeOpInterface>,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "while: loops `body` while `cond` holds";
  let description = [{
    `stablehlo.while(%iterArg = %c, %iterArg_1 = %x) : tensor<i32>,
     tensor<4xf32> cond { ... } do { ... }`. Both regions take the loop
    values; `cond` returns a tensor<i1>, `body` the next loop values.
  }];
  let arguments = (ins Variadic<HLO_TensorOrTokenOrTuple>:$operand);
  let results = (outs Variadic<HLO_TensorOrTokenOrTuple>);
  let regions = (region SizedRegion<1>:$cond, SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def StableHLO_IfOp : StableHLO_Op<"if", [RecursiveMemoryEffects]> {
  let summary = "if: runs true_branch or false_branch";
  let arguments = (ins HLO_ScalarPredTensor:$pred);
  let results = (outs Variadic<HLO_TensorOrTokenOrTuple>);
  let regions = (region SizedRegion<1>:$true_branch,
                        SizedRegion<1>:$false_branch);
  let hasVerifier = 1;
}

def StableHLO_CaseOp : StableHLO_Op<"case", [RecursiveMemoryEffects]> {
  let summary = "case: runs branches[index] (the last for out-of-range index)";
  let arguments = (ins 0DTensorOf<[I32]>:$index);
  let results = (outs Variadic<HLO_TensorOrTokenOrTuple>);
  let regions = (region VariadicRegion<SizedRegion<1>>:$branches);
  let hasVerifier = 1;
}

#endif // HLOX_STABLEHLO_REGIONOPS
