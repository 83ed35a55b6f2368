//===- ChloBase.td - the CHLO dialect, its constraints and enums ----------===//
//
// hlox's own ODS definition of CHLO ("client HLO"): the ops JAX emits beside
// StableHLO for functions that have no single StableHLO op (erf, lgamma,
// top_k, ...). Names and textual syntax follow what JAX prints, so its text
// parses unchanged; `hlox-chlo-legalize-to-stablehlo` decomposes every op.
//
//===----------------------------------------------------------------------===//

#ifndef HLOX_CHLO_BASE
#define HLOX_CHLO_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/EnumAttr.td"

def CHLO_Dialect : Dialect {
  let name = "chlo";
  let cppNamespace = "::mlir::chlo";
  let summary = "CHLO: client-level ops that decompose into StableHLO";
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Tensor constraints (same element types as StableHLO)
//===----------------------------------------------------------------------===//

def CHLO_Pred : TypeAlias<I1, "pred (i1)">;
def CHLO_Int : AnyTypeOf<[SignlessIntOfWidths<[2, 4, 8, 16, 32, 64]>,
                          UnsignedIntOfWidths<[2, 4, 8, 16, 32, 64]>]>;
def CHLO_Float : AnyTypeOf<[F4E2M1FN, F6E2M3FN, F6E3M2FN, F8E3M4, F8E4M3,
    F8E4M3FN, F8E4M3FNUZ, F8E4M3B11FNUZ, F8E5M2, F8E5M2FNUZ, F8E8M0FNU,
    F16, F32, F64, BF16]>;
def CHLO_Complex : Complex<AnyTypeOf<[F32, F64]>>;

def CHLO_Tensor : RankedTensorOf<[CHLO_Pred, CHLO_Int, CHLO_Float, CHLO_Complex]>;
def CHLO_FpTensor : RankedTensorOf<[CHLO_Float]>;
def CHLO_FpOrComplexTensor : RankedTensorOf<[CHLO_Float, CHLO_Complex]>;
def CHLO_PredTensor : RankedTensorOf<[CHLO_Pred]>;
def CHLO_PredOrIntTensor : RankedTensorOf<[CHLO_Pred, CHLO_Int]>;
def CHLO_IntTensor : RankedTensorOf<[CHLO_Int]>;
def CHLO_ComplexTensor : RankedTensorOf<[CHLO_Complex]>;
def CHLO_StaticShapeTensor
    : StaticShapeTensorOf<[CHLO_Pred, CHLO_Int, CHLO_Float, CHLO_Complex]>;

//===----------------------------------------------------------------------===//
// Enums (broadcast_compare): `#chlo<comparison_direction GT>`
//===----------------------------------------------------------------------===//

def CHLO_ComparisonDirection : I32EnumAttr<"ComparisonDirection",
    "comparison direction", [
      I32EnumAttrCase<"EQ", 0>, I32EnumAttrCase<"NE", 1>,
      I32EnumAttrCase<"GE", 2>, I32EnumAttrCase<"GT", 3>,
      I32EnumAttrCase<"LE", 4>, I32EnumAttrCase<"LT", 5>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::chlo";
}
def CHLO_ComparisonDirectionAttr
    : EnumAttr<CHLO_Dialect, CHLO_ComparisonDirection, "comparison_direction">;

def CHLO_ComparisonType : I32EnumAttr<"ComparisonType",
    "comparison type", [
      I32EnumAttrCase<"NOTYPE", 0>, I32EnumAttrCase<"FLOAT", 1>,
      I32EnumAttrCase<"TOTALORDER", 2>, I32EnumAttrCase<"SIGNED", 3>,
      I32EnumAttrCase<"UNSIGNED", 4>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::chlo";
}
def CHLO_ComparisonTypeAttr
    : EnumAttr<CHLO_Dialect, CHLO_ComparisonType, "comparison_type">;

def CHLO_Precision : I32EnumAttr<"Precision", "precision of a dot", [
      I32EnumAttrCase<"DEFAULT", 0>, I32EnumAttrCase<"HIGH", 1>,
      I32EnumAttrCase<"HIGHEST", 2>]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::chlo";
}
def CHLO_PrecisionAttr : EnumAttr<CHLO_Dialect, CHLO_Precision, "precision">;
def CHLO_PrecisionConfigAttr
    : TypedArrayAttrBase<CHLO_PrecisionAttr, "precision config">;

//===----------------------------------------------------------------------===//
// Attributes: `#chlo.ragged_dot<lhs_batching_dimensions = [0], ...>`
//===----------------------------------------------------------------------===//

def CHLO_RaggedDotDimensionNumbers
    : AttrDef<CHLO_Dialect, "RaggedDotDimensionNumbers"> {
  let mnemonic = "ragged_dot";
  let summary = "ragged_dot's batching, contracting, ragged and group dimensions";
  let parameters = (ins
    ArrayRefParameter<"int64_t">:$lhsBatchingDimensions,
    ArrayRefParameter<"int64_t">:$rhsBatchingDimensions,
    ArrayRefParameter<"int64_t">:$lhsContractingDimensions,
    ArrayRefParameter<"int64_t">:$rhsContractingDimensions,
    ArrayRefParameter<"int64_t">:$lhsRaggedDimensions,
    ArrayRefParameter<"int64_t">:$rhsGroupDimensions);
  let hasCustomAssemblyFormat = 1;
}

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

class CHLO_Op<string mnemonic, list<Trait> traits = []>
    : Op<CHLO_Dialect, mnemonic, traits>;

#endif // HLOX_CHLO_BASE
