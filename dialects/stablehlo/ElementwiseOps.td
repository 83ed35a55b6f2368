//===- ElementwiseOps.td - elementwise ops of the spec --------------------===//
//
// Unary and binary elementwise ops, compare, select, clamp and the element
// type conversions. The pretty syntax is the one JAX prints:
//   %0 = stablehlo.exponential %a : tensor<4xf32>
//   %1 = stablehlo.multiply %a, %b : tensor<4xf32>
//   %2 = stablehlo.convert %p : (tensor<4xi1>) -> tensor<4xi32>
// Where operand and result types differ the type is printed in functional form.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_ELEMENTWISE_OPS
#define HLOX_STABLEHLO_ELEMENTWISE_OPS

include "dialects/stablehlo/SimpleOpsBase.td"

//===----------------------------------------------------------------------===//
// Op classes
//===----------------------------------------------------------------------===//

// Unary op whose result type is its operand's type (inferred).
class HLOX_UnaryOp<string mnemonic, Type type, list<Trait> traits = []>
    : StableHLO_Op<mnemonic, !listconcat([Pure, Elementwise,
        SameOperandsAndResultType, InferTypeOpInterface], traits)> {
  let arguments = (ins type:$operand);
  let results = (outs type:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
  let extraClassDeclaration = HLOX_CompatibleReturnTypesDeclaration;
  let extraClassDefinition = HLOX_CompatibleReturnTypesDefinition;
}

// Unary transcendental op: carries the optional `result_accuracy` attribute
// (`#stablehlo.result_accuracy<...>`) of the spec.
class HLOX_UnaryAccuracyOp<string mnemonic, Type type, list<Trait> traits = []>
    : HLOX_UnaryOp<mnemonic, type, traits> {
  let arguments = (ins type:$operand,
      OptionalAttr<StableHLO_ResultAccuracyAttr>:$result_accuracy);
}

// Elementwise ops the spec also defines on quantized tensors (dequantize ->
// compute in the expressed type -> quantize): operands and result are all
// quantized, with one storage and expressed type but their own scales and zero
// points, or none is and all have one type. The result type is inferred as the
// first operand's (a declared quantized result may quantize differently).
// `elements`: the op's non-quantized element types.
defvar HLOX_QuantizableDeclaration = [{
  static bool isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r);
}];
defvar HLOX_QuantizableDefinition = [{
  bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r) {
    return ::mlir::stablehlo::quantizableCompatibleReturnTypes(l, r);
  }
  ::llvm::LogicalResult $cppClass::verify() {
    return ::mlir::stablehlo::verifyQuantizableElementwise(getOperation());
  }
  ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
      ::std::optional<::mlir::Location> location, ::mlir::ValueRange operands,
      ::mlir::DictionaryAttr, ::mlir::OpaqueProperties, ::mlir::RegionRange,
      ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
    return ::mlir::stablehlo::inferFirstOperandType(location, operands, inferred);
  }
}];

class HLOX_QuantizableUnaryOp<string mnemonic, list<Type> elements, list<Trait> traits = []>
    : StableHLO_Op<mnemonic, !listconcat([Pure, Elementwise,
        SameOperandsAndResultShape, DeclareOpInterfaceMethods<InferTypeOpInterface>],
        traits)> {
  let arguments = (ins RankedTensorOf<!listconcat(elements, [HLO_QuantizedInt])>:$operand);
  let results = (outs RankedTensorOf<!listconcat(elements, [HLO_QuantizedInt])>:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = HLOX_QuantizableDeclaration;
  let extraClassDefinition = HLOX_QuantizableDefinition;
}

class HLOX_QuantizableUnaryAccuracyOp<string mnemonic, list<Type> elements, list<Trait> traits = []>
    : HLOX_QuantizableUnaryOp<mnemonic, elements, traits> {
  let arguments = (ins RankedTensorOf<!listconcat(elements, [HLO_QuantizedInt])>:$operand,
      OptionalAttr<StableHLO_ResultAccuracyAttr>:$result_accuracy);
}

class HLOX_QuantizableBinaryOp<string mnemonic, list<Type> elements, list<Trait> traits = []>
    : StableHLO_Op<mnemonic, !listconcat([Pure, Elementwise,
        SameOperandsAndResultShape, DeclareOpInterfaceMethods<InferTypeOpInterface>],
        traits)> {
  let arguments = (ins RankedTensorOf<!listconcat(elements, [HLO_QuantizedInt])>:$lhs,
      RankedTensorOf<!listconcat(elements, [HLO_QuantizedInt])>:$rhs);
  let results = (outs RankedTensorOf<!listconcat(elements, [HLO_QuantizedInt])>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict
      `:` custom<SameOperandsAndResultType>(type($lhs), type($rhs), type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = HLOX_QuantizableDeclaration;
  let extraClassDefinition = HLOX_QuantizableDefinition;
}

// Binary op whose result type is its operands' type (inferred).
class HLOX_BinaryOp<string mnemonic, Type type, list<Trait> traits = []>
    : StableHLO_Op<mnemonic, !listconcat([Pure, Elementwise,
        SameOperandsAndResultType, InferTypeOpInterface], traits)> {
  let arguments = (ins type:$lhs, type:$rhs);
  let results = (outs type:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict
      `:` custom<SameOperandsAndResultType>(type($lhs), type($rhs), type($result))
  }];
  let extraClassDeclaration = HLOX_CompatibleReturnTypesDeclaration;
  let extraClassDefinition = HLOX_CompatibleReturnTypesDefinition;
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

def StableHLO_AbsOp : StableHLO_Op<"abs", [Pure, Elementwise,
    SameOperandsAndResultShape, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "abs: elementwise absolute value (|complex| is real)";
  let arguments = (ins HLOX_SIntFpOrComplexTensor:$operand);
  let results = (outs RankedTensorOf<[HLO_SInt, HLO_Float]>:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
}

def StableHLO_CbrtOp : HLOX_QuantizableUnaryAccuracyOp<"cbrt", [HLO_Float, HLO_Complex]> {
  let summary = "cbrt: elementwise cubic root";
}
def StableHLO_CeilOp : HLOX_QuantizableUnaryOp<"ceil", [HLO_Float]> {
  let summary = "ceil: elementwise ceiling";
}
def StableHLO_ClzOp : HLOX_UnaryOp<"count_leading_zeros", HLOX_IntTensor> {
  let summary = "count_leading_zeros: elementwise count of leading zero bits";
}
def StableHLO_CosineOp : HLOX_QuantizableUnaryAccuracyOp<"cosine", [HLO_Float, HLO_Complex]> {
  let summary = "cosine: elementwise cosine";
}
def StableHLO_ExpOp : HLOX_QuantizableUnaryAccuracyOp<"exponential", [HLO_Float, HLO_Complex]> {
  let summary = "exponential: elementwise e^x";
}
def StableHLO_Expm1Op : HLOX_QuantizableUnaryAccuracyOp<"exponential_minus_one",
    [HLO_Float, HLO_Complex]> {
  let summary = "exponential_minus_one: elementwise e^x - 1";
}
def StableHLO_FloorOp : HLOX_QuantizableUnaryOp<"floor", [HLO_Float]> {
  let summary = "floor: elementwise floor";
}

def StableHLO_ImagOp : StableHLO_Op<"imag", [Pure, Elementwise,
    SameOperandsAndResultShape, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "imag: elementwise imaginary part (0 for real operands)";
  let arguments = (ins HLOX_FpOrComplexTensor:$operand);
  let results = (outs HLOX_FpTensor:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
}

def StableHLO_IsFiniteOp : StableHLO_Op<"is_finite", [Pure, Elementwise,
    SameOperandsAndResultShape, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "is_finite: elementwise test for a finite value";
  let arguments = (ins HLOX_FpTensor:$x);
  let results = (outs HLO_PredTensor:$y);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

def StableHLO_LogOp : HLOX_QuantizableUnaryAccuracyOp<"log", [HLO_Float, HLO_Complex]> {
  let summary = "log: elementwise natural logarithm";
}
def StableHLO_Log1pOp : HLOX_QuantizableUnaryAccuracyOp<"log_plus_one", [HLO_Float, HLO_Complex]> {
  let summary = "log_plus_one: elementwise log(1 + x)";
}
def StableHLO_LogisticOp : HLOX_QuantizableUnaryAccuracyOp<"logistic", [HLO_Float, HLO_Complex]> {
  let summary = "logistic: elementwise 1 / (1 + e^-x)";
}
def StableHLO_NotOp : HLOX_UnaryOp<"not", HLOX_PredOrIntTensor> {
  let summary = "not: elementwise logical / bitwise not";
}
def StableHLO_NegOp : HLOX_QuantizableUnaryOp<"negate", [HLO_Int, HLO_Float, HLO_Complex]> {
  let summary = "negate: elementwise negation";
}
def StableHLO_PopulationCountOp : HLOX_UnaryOp<"popcnt", HLOX_IntTensor> {
  let summary = "popcnt: elementwise count of set bits";
}

def StableHLO_RealOp : StableHLO_Op<"real", [Pure, Elementwise,
    SameOperandsAndResultShape, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "real: elementwise real part";
  let arguments = (ins HLOX_FpOrComplexTensor:$operand);
  let results = (outs HLOX_FpTensor:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
}

def StableHLO_RoundOp : HLOX_QuantizableUnaryOp<"round_nearest_afz", [HLO_Float]> {
  let summary = "round_nearest_afz: round to nearest, ties away from zero";
}
def StableHLO_RoundNearestEvenOp : HLOX_QuantizableUnaryOp<"round_nearest_even", [HLO_Float]> {
  let summary = "round_nearest_even: round to nearest, ties to even";
}
def StableHLO_RsqrtOp : HLOX_QuantizableUnaryAccuracyOp<"rsqrt", [HLO_Float, HLO_Complex]> {
  let summary = "rsqrt: elementwise reciprocal square root";
}
def StableHLO_SignOp : HLOX_QuantizableUnaryOp<"sign", [HLO_SInt, HLO_Float, HLO_Complex]> {
  let summary = "sign: elementwise sign";
}
def StableHLO_SineOp : HLOX_QuantizableUnaryAccuracyOp<"sine", [HLO_Float, HLO_Complex]> {
  let summary = "sine: elementwise sine";
}
def StableHLO_SqrtOp : HLOX_QuantizableUnaryAccuracyOp<"sqrt", [HLO_Float, HLO_Complex]> {
  let summary = "sqrt: elementwise square root";
}
def StableHLO_TanOp : HLOX_QuantizableUnaryAccuracyOp<"tan", [HLO_Float, HLO_Complex]> {
  let summary = "tan: elementwise tangent";
}
def StableHLO_TanhOp : HLOX_QuantizableUnaryAccuracyOp<"tanh", [HLO_Float, HLO_Complex]> {
  let summary = "tanh: elementwise hyperbolic tangent";
}

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

def StableHLO_AddOp : HLOX_QuantizableBinaryOp<"add", [HLO_ElementType], [Commutative]> {
  let summary = "add: elementwise sum (logical or for i1)";
}
def StableHLO_Atan2Op : HLOX_QuantizableBinaryOp<"atan2", [HLO_Float, HLO_Complex]> {
  let summary = "atan2: elementwise atan2(lhs, rhs)";
}

def StableHLO_ComplexOp : StableHLO_Op<"complex", [Pure, Elementwise,
    SameOperandsAndResultShape, SameTypeOperands, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "complex: elementwise complex number from real and imaginary parts";
  let arguments = (ins HLOX_F32OrF64Tensor:$lhs, HLOX_F32OrF64Tensor:$rhs);
  let results = (outs HLO_ComplexTensor:$result);
  let assemblyFormat = [{
    operands attr-dict
      `:` custom<ComplexOpType>(type($lhs), type($rhs), type($result))
  }];
}

def StableHLO_DivOp : HLOX_QuantizableBinaryOp<"divide", [HLO_Int, HLO_Float, HLO_Complex]> {
  let summary = "divide: elementwise quotient";
}
def StableHLO_MaxOp : HLOX_QuantizableBinaryOp<"maximum", [HLO_ElementType], [Commutative]> {
  let summary = "maximum: elementwise maximum";
}
def StableHLO_MinOp : HLOX_QuantizableBinaryOp<"minimum", [HLO_ElementType], [Commutative]> {
  let summary = "minimum: elementwise minimum";
}
def StableHLO_MulOp : HLOX_QuantizableBinaryOp<"multiply", [HLO_ElementType], [Commutative]> {
  let summary = "multiply: elementwise product (logical and for i1)";
}
def StableHLO_PowOp : HLOX_QuantizableBinaryOp<"power", [HLO_Int, HLO_Float, HLO_Complex]> {
  let summary = "power: elementwise lhs^rhs";
}
def StableHLO_RemOp : HLOX_QuantizableBinaryOp<"remainder", [HLO_Int, HLO_Float, HLO_Complex]> {
  let summary = "remainder: elementwise remainder (sign of the dividend)";
}
def StableHLO_ShiftLeftOp : HLOX_BinaryOp<"shift_left", HLOX_IntTensor> {
  let summary = "shift_left: elementwise left shift";
}
def StableHLO_ShiftRightArithmeticOp
    : HLOX_BinaryOp<"shift_right_arithmetic", HLOX_IntTensor> {
  let summary = "shift_right_arithmetic: elementwise arithmetic right shift";
}
def StableHLO_ShiftRightLogicalOp
    : HLOX_BinaryOp<"shift_right_logical", HLOX_IntTensor> {
  let summary = "shift_right_logical: elementwise logical right shift";
}
def StableHLO_SubtractOp : HLOX_QuantizableBinaryOp<"subtract", [HLO_Int, HLO_Float, HLO_Complex]> {
  let summary = "subtract: elementwise difference";
}
def StableHLO_AndOp : HLOX_BinaryOp<"and", HLOX_PredOrIntTensor, [Commutative]> {
  let summary = "and: elementwise logical / bitwise and";
}
def StableHLO_OrOp : HLOX_BinaryOp<"or", HLOX_PredOrIntTensor, [Commutative]> {
  let summary = "or: elementwise logical / bitwise or";
}
def StableHLO_XorOp : HLOX_BinaryOp<"xor", HLOX_PredOrIntTensor, [Commutative]> {
  let summary = "xor: elementwise logical / bitwise exclusive or";
}

//===----------------------------------------------------------------------===//
// compare, select, clamp
//===----------------------------------------------------------------------===//

def StableHLO_CompareOp : StableHLO_Op<"compare", [Pure, Elementwise,
    SameOperandsAndResultShape, SameTypeOperands, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "compare: elementwise comparison";
  let arguments = (ins HLO_Tensor:$lhs, HLO_Tensor:$rhs,
      StableHLO_ComparisonDirectionAttr:$comparison_direction,
      OptionalAttr<StableHLO_ComparisonTypeAttr>:$compare_type);
  let results = (outs HLO_PredTensor:$result);
  let assemblyFormat = [{
    custom<EnumCase>($comparison_direction) `,` $lhs `,` $rhs ``
      custom<OptionalCommaEnumCase>($compare_type) attr-dict
      `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

// On per-tensor quantized tensors dequantize -> select -> quantize: on_true,
// on_false and result are quantized alike, scales and zero points apart (C2).
def StableHLO_SelectOp : StableHLO_Op<"select", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "select: elementwise choice of on_true or on_false by pred";
  let arguments = (ins HLO_PredTensor:$pred, HLO_TensorOrPerTensorQuantized:$on_true,
      HLO_TensorOrPerTensorQuantized:$on_false);
  let results = (outs HLO_TensorOrPerTensorQuantized:$result);
  let extraClassDeclaration = [{
    static bool isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r) {
      return ::mlir::stablehlo::quantizableCompatibleReturnTypes(l, r);
    }
  }];
  let assemblyFormat = [{
    operands attr-dict `:`
      custom<SelectOpType>(type($pred), type($on_true), type($on_false), type($result))
  }];
  let hasVerifier = 1;
}

def StableHLO_ClampOp : StableHLO_Op<"clamp", [Pure,
    AllTypesMatch<["operand", "result"]>,
    AllElementTypesMatch<["min", "operand", "max"]>,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "clamp: elementwise min(max(operand, min), max)";
  let arguments = (ins HLO_Tensor:$min, HLO_Tensor:$operand, HLO_Tensor:$max);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $min `,` $operand `,` $max attr-dict
      `:` custom<SameOperandsAndResultType>(type($min), type($operand), type($max), type($result))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

def StableHLO_ConvertOp : StableHLO_Op<"convert", [Pure, Elementwise,
    SameOperandsAndResultShape]> {
  let summary = "convert: elementwise conversion to another element type";
  let arguments = (ins HLO_Tensor:$operand);
  let results = (outs HLO_Tensor:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
}

def StableHLO_BitcastConvertOp : StableHLO_Op<"bitcast_convert", [Pure]> {
  let summary = "bitcast_convert: reinterpret the bits as another element type";
  let arguments = (ins RankedTensorOf<[HLO_ElementType, HLO_QuantizedInt]>:$operand);
  let results = (outs RankedTensorOf<[HLO_ElementType, HLO_QuantizedInt]>:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def StableHLO_ReducePrecisionOp : StableHLO_Op<"reduce_precision", [Pure,
    Elementwise, SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "reduce_precision: round to a float format with fewer bits";
  let arguments = (ins HLOX_FpTensor:$operand,
      ConfinedAttr<I32Attr, [IntPositive]>:$exponent_bits,
      ConfinedAttr<I32Attr, [IntNonNegative]>:$mantissa_bits);
  let results = (outs HLOX_FpTensor:$output);
  let assemblyFormat = [{
    $operand `,` `format` `=` custom<ExponentMantissa>($exponent_bits, $mantissa_bits)
      attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($output))
  }];
  let extraClassDeclaration = HLOX_CompatibleReturnTypesDeclaration;
  let extraClassDefinition = HLOX_CompatibleReturnTypesDefinition;
}


//===----------------------------------------------------------------------===//
// Quantization (element types from the upstream quant dialect:
// `tensor<4x!quant.uniform<i8:f32, 0.5:-3>>`)
//===----------------------------------------------------------------------===//

def StableHLO_UniformQuantizeOp : StableHLO_Op<"uniform_quantize", [Pure,
    Elementwise, SameOperandsAndResultShape]> {
  let summary = "uniform_quantize: float (or quantized) to quantized elements";
  let arguments = (ins AnyRankedTensor:$operand);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
  let hasVerifier = 1;
}

def StableHLO_UniformDequantizeOp : StableHLO_Op<"uniform_dequantize", [Pure,
    Elementwise, SameOperandsAndResultShape]> {
  let summary = "uniform_dequantize: quantized to float elements";
  let arguments = (ins AnyRankedTensor:$operand);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $operand attr-dict `:` custom<SameOperandsAndResultType>(type($operand), type($result))
  }];
  let hasVerifier = 1;
}

#endif // HLOX_STABLEHLO_ELEMENTWISE_OPS
