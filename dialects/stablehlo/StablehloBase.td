//===- StablehloBase.td - the StableHLO dialect, types and constraints ----===//
//
// hlox's own ODS definition of StableHLO, written from the public spec
// (https://openxla.org/stablehlo/spec). Names, operands, attributes and the
// textual syntax follow the spec and what JAX prints, so that StableHLO from
// `jax.jit(f).lower(...).as_text()` parses unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef HLOX_STABLEHLO_BASE
#define HLOX_STABLEHLO_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"

def StableHLO_Dialect : Dialect {
  let name = "stablehlo";
  let cppNamespace = "::mlir::stablehlo";
  let summary = "StableHLO: the portable op set of ML frameworks";
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  // quant: the element types of quantized tensors (`!quant.uniform<i8:f32, 0.5:-3>`).
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::quant::QuantDialect"];
}

//===----------------------------------------------------------------------===//
// Types
//===----------------------------------------------------------------------===//

class StableHLO_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<StableHLO_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def StableHLO_Token : StableHLO_Type<"Token", "token"> {
  let summary = "token: orders side-effecting ops";
}

//===----------------------------------------------------------------------===//
// Element type and tensor constraints (spec: "Types")
//===----------------------------------------------------------------------===//

def HLO_Pred : TypeAlias<I1, "pred (i1)">;
def HLO_SInt : SignlessIntOfWidths<[2, 4, 8, 16, 32, 64]>;
def HLO_UInt : UnsignedIntOfWidths<[2, 4, 8, 16, 32, 64]>;
def HLO_Int : AnyTypeOf<[HLO_SInt, HLO_UInt]>;
def HLO_Float : AnyTypeOf<[F4E2M1FN, F6E2M3FN, F6E3M2FN, F8E3M4, F8E4M3,
    F8E4M3FN, F8E4M3FNUZ, F8E4M3B11FNUZ, F8E5M2, F8E5M2FNUZ, F8E8M0FNU,
    F16, F32, F64, BF16]>;
def HLO_Complex : Complex<AnyTypeOf<[F32, F64]>>;
def HLO_IntOrFloat : AnyTypeOf<[HLO_Int, HLO_Float]>;
def HLO_PredOrInt : AnyTypeOf<[HLO_Pred, HLO_Int]>;
def HLO_FloatOrComplex : AnyTypeOf<[HLO_Float, HLO_Complex]>;
def HLO_ElementType : AnyTypeOf<[HLO_Pred, HLO_Int, HLO_Float, HLO_Complex]>;

// Quantized element types (spec: "Quantized element types"), from the upstream
// quant dialect: per-tensor `!quant.uniform<i8:f32, 0.5:-3>` and per-axis
// `!quant.uniform<i8:f32:0, {0.1:-30, 0.5:-20}>`, with a (u)i2..(u)i32 storage
// type and a float expressed type. Ops admit them where the spec does.
def HLO_QuantizedInt : Type<CPred<"::mlir::stablehlo::isSpecQuantizedType($_self)">,
    "per-tensor or per-axis uniform quantized integer", "::mlir::quant::QuantizedType">;
def HLO_PerTensorQuantizedInt : Type<And<[HLO_QuantizedInt.predicate,
    CPred<"::llvm::isa<::mlir::quant::UniformQuantizedType>($_self)">]>,
    "per-tensor uniform quantized integer", "::mlir::quant::UniformQuantizedType">;

// Ranked tensors of the spec's element types (quantized ones apart).
def HLO_Tensor : RankedTensorOf<[HLO_ElementType]>;
// The spec's "tensor or quantized tensor" and "tensor or per-tensor quantized
// tensor" (data movement, dot_general and convolution operands).
def HLO_TensorOrQuantized : RankedTensorOf<[HLO_ElementType, HLO_QuantizedInt]>;
def HLO_TensorOrPerTensorQuantized : RankedTensorOf<[HLO_ElementType, HLO_PerTensorQuantizedInt]>;
def HLO_StaticShapeTensorOrQuantized : StaticShapeTensorOf<[HLO_ElementType, HLO_QuantizedInt]>;
def HLO_PredTensor : RankedTensorOf<[HLO_Pred]>;
def HLO_IntTensor : RankedTensorOf<[HLO_Int]>;
def HLO_FpTensor : RankedTensorOf<[HLO_Float]>;
def HLO_ComplexTensor : RankedTensorOf<[HLO_Complex]>;
def HLO_FpOrComplexTensor : RankedTensorOf<[HLO_Float, HLO_Complex]>;
def HLO_PredOrIntTensor : RankedTensorOf<[HLO_Pred, HLO_Int]>;
def HLO_IntOrFpTensor : RankedTensorOf<[HLO_Int, HLO_Float]>;
def HLO_ScalarIntTensor : 0DTensorOf<[HLO_Int]>;
def HLO_ScalarPredTensor : 0DTensorOf<[HLO_Pred]>;
def HLO_DimensionTensor : 1DTensorOf<[HLO_Int]>;
def HLO_StaticShapeTensor : StaticShapeTensorOf<[HLO_ElementType]>;

def HLO_Tuple : NestedTupleOf<[HLO_Tensor, StableHLO_Token]>;
def HLO_TensorOrToken : AnyTypeOf<[HLO_Tensor, StableHLO_Token]>;
def HLO_TensorOrPerAxisQuantizedTensorOrToken : AnyTypeOf<[HLO_Tensor, StableHLO_Token]>;
def HLO_TensorOrTokenOrTuple : AnyTypeOf<[HLO_Tensor, StableHLO_Token, HLO_Tuple]>;

//===----------------------------------------------------------------------===//
// Op base class
//===----------------------------------------------------------------------===//

class StableHLO_Op<string mnemonic, list<Trait> traits = []>
    : Op<StableHLO_Dialect, mnemonic, traits>;

#endif // HLOX_STABLEHLO_BASE
