//===- ElementwiseOps.cpp - hand-written parts of the elementwise ops -----===//
//
// Result type inference and verifiers (spec constraints in comments), and
// the #stablehlo.result_accuracy attribute.
//
//===----------------------------------------------------------------------===//
#include "dialects/stablehlo/StablehloOps.h"
#include "dialects/stablehlo/SimpleOpsUtils.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::stablehlo;

namespace {

// The element type of a complex tensor's parts; other types unchanged.
Type realElementType(Type element) {
  if (auto complex = llvm::dyn_cast<ComplexType>(element))
    return complex.getElementType();
  return element;
}

// Bits of one element (complex: both parts).
unsigned elementBits(Type element) {
  if (auto complex = llvm::dyn_cast<ComplexType>(element))
    return 2 * complex.getElementType().getIntOrFloatBitWidth();
  if (unsigned bits = quantizedStorageBits(element))
    return bits; // a quantized value is its storage integer
  return element.getIntOrFloatBitWidth();
}

LogicalResult sameShapeWithElement(std::optional<Location> loc, Value operand,
                                   Type element, SmallVectorImpl<Type> &out) {
  auto type = llvm::dyn_cast<RankedTensorType>(operand.getType());
  if (!type)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  out.push_back(type.clone(element));
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// abs, real, imag, is_finite, complex: result element type from the operand's
//===----------------------------------------------------------------------===//

LogicalResult AbsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  Type element = getElementTypeOrSelf(adaptor.getOperand().getType());
  return sameShapeWithElement(loc, adaptor.getOperand(), realElementType(element),
                              inferred);
}

LogicalResult RealOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  Type element = getElementTypeOrSelf(adaptor.getOperand().getType());
  return sameShapeWithElement(loc, adaptor.getOperand(), realElementType(element),
                              inferred);
}

LogicalResult ImagOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  Type element = getElementTypeOrSelf(adaptor.getOperand().getType());
  return sameShapeWithElement(loc, adaptor.getOperand(), realElementType(element),
                              inferred);
}

LogicalResult IsFiniteOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  return sameShapeWithElement(loc, adaptor.getX(), IntegerType::get(context, 1),
                              inferred);
}

LogicalResult ComplexOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  Type element = getElementTypeOrSelf(adaptor.getLhs().getType());
  if (!llvm::isa<FloatType>(element))
    return emitOptionalError(loc, "expected f32 or f64 operands, got ", element);
  return sameShapeWithElement(loc, adaptor.getLhs(), ComplexType::get(element),
                              inferred);
}

//===----------------------------------------------------------------------===//
// compare
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return sameShapeWithElement(loc, adaptor.getLhs(), IntegerType::get(context, 1),
                              inferred);
}

LogicalResult CompareOp::verify() {
  // (C3) compare_type matches the element type (NOTYPE is accepted).
  std::optional<ComparisonType> type = getCompareType();
  if (!type || *type == ComparisonType::NOTYPE)
    return success();
  Type element = getElementTypeOrSelf(getLhs().getType());
  bool ok = false;
  const char *expected = "";
  if (element.isInteger(1) || element.isUnsignedInteger()) {
    ok = *type == ComparisonType::UNSIGNED;
    expected = "UNSIGNED";
  } else if (llvm::isa<IntegerType>(element)) {
    ok = *type == ComparisonType::SIGNED;
    expected = "SIGNED";
  } else if (llvm::isa<FloatType>(element)) {
    ok = *type == ComparisonType::FLOAT || *type == ComparisonType::TOTALORDER;
    expected = "FLOAT or TOTALORDER";
  } else if (llvm::isa<ComplexType>(element)) {
    ok = *type == ComparisonType::FLOAT;
    expected = "FLOAT";
  }
  if (!ok)
    return emitOpError("compare_type ")
           << stringifyComparisonType(*type) << " is invalid for element type "
           << element << ": expected " << expected;
  return success();
}

//===----------------------------------------------------------------------===//
// select, clamp
//===----------------------------------------------------------------------===//

LogicalResult SelectOp::verify() {
  // (C1) rank(pred) = 0 or shape(pred) = shape(on_true).
  auto pred = llvm::cast<RankedTensorType>(getPred().getType());
  auto onTrue = llvm::cast<RankedTensorType>(getOnTrue().getType());
  if (pred.getRank() != 0 &&
      failed(verifyCompatibleShape(pred.getShape(), onTrue.getShape())))
    return emitOpError("requires pred to be a scalar or to have the shape of "
                       "on_true, got ")
           << pred << " and " << onTrue;
  // (C2) baseline_type(on_true) = baseline_type(on_false) = baseline_type(result).
  for (Type t : {getOnFalse().getType(), getResult().getType()})
    if (failed(verifyCompatibleShape(onTrue, t)))
      return emitOpError("requires on_true, on_false and result of one shape, got ")
             << onTrue << " and " << t;
  return verifyQuantizableTypes(*this, {onTrue, getOnFalse().getType(),
                                        getResult().getType()});
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *, std::optional<Location> location,
                                         ValueRange operands, DictionaryAttr,
                                         OpaqueProperties, RegionRange,
                                         SmallVectorImpl<Type> &inferred) {
  if (operands.size() != 3)
    return emitOptionalError(location, "expected pred, on_true and on_false");
  inferred.push_back(operands[1].getType());
  return success();
}

LogicalResult ClampOp::verify() {
  // (C1, C2) min and max are scalars or have the operand's shape.
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  for (auto [name, value] : {std::pair<const char *, Value>{"min", getMin()},
                             std::pair<const char *, Value>{"max", getMax()}}) {
    auto type = llvm::cast<RankedTensorType>(value.getType());
    if (type.getRank() != 0 &&
        failed(verifyCompatibleShape(type.getShape(), operand.getShape())))
      return emitOpError("requires ")
             << name << " to be a scalar or to have the operand's shape, got "
             << type << " and " << operand;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// bitcast_convert
//===----------------------------------------------------------------------===//

LogicalResult BitcastConvertOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  Type inElement = operand.getElementType(), outElement = result.getElementType();
  if (failed(verifyPerAxisShape(*this, operand)) || failed(verifyPerAxisShape(*this, result)))
    return failure();
  // (C2) complex only to complex.
  if (llvm::isa<ComplexType>(inElement) != llvm::isa<ComplexType>(outElement))
    return emitOpError("cannot convert between complex and real element types: ")
           << inElement << " and " << outElement;
  unsigned inBits = elementBits(inElement), outBits = elementBits(outElement);
  ArrayRef<int64_t> in = operand.getShape(), out = result.getShape();
  auto mismatch = [&]() {
    return emitOpError("result shape ")
           << result << " does not match operand " << operand
           << " for element bit widths " << inBits << " -> " << outBits;
  };
  if (inBits == outBits)
    return failed(verifyCompatibleShape(in, out)) ? mismatch() : success();
  if (outBits < inBits) {
    // (C1) rank + 1, the new minor dimension holds inBits / outBits elements.
    if (out.size() != in.size() + 1 ||
        failed(verifyCompatibleShape(in, out.drop_back())))
      return mismatch();
    if (inBits % outBits != 0 ||
        (!ShapedType::isDynamic(out.back()) && out.back() != inBits / outBits))
      return mismatch();
    return success();
  }
  if (in.size() != out.size() + 1 ||
      failed(verifyCompatibleShape(in.drop_back(), out)))
    return mismatch();
  if (outBits % inBits != 0 ||
      (!ShapedType::isDynamic(in.back()) && in.back() != outBits / inBits))
    return mismatch();
  return success();
}

//===----------------------------------------------------------------------===//
// uniform_quantize, uniform_dequantize
//===----------------------------------------------------------------------===//

LogicalResult UniformQuantizeOp::verify() {
  if (failed(verifyPerAxisShape(*this, getOperand().getType())) ||
      failed(verifyPerAxisShape(*this, getResult().getType())))
    return failure();
  // (C1) the result is quantized; the operand is float or quantized, and a
  // float operand is the result's expressed type.
  Type in = getElementTypeOrSelf(getOperand().getType());
  auto out = llvm::dyn_cast<quant::QuantizedType>(
      getElementTypeOrSelf(getResult().getType()));
  if (!out)
    return emitOpError("needs a result of quantized type, got ")
           << getResult().getType();
  if (!isSpecQuantizedType(out))
    return emitOpError("result element type ")
           << out << " is not a quantized type of the spec (uniform, an integer "
           << "storage type of 2 to 32 bits, a float expressed type)";
  if (auto q = llvm::dyn_cast<quant::QuantizedType>(in)) {
    if (!isSpecQuantizedType(q))
      return emitOpError("operand element type ")
             << q << " is not a quantized type of the spec (uniform, an integer "
             << "storage type of 2 to 32 bits, a float expressed type)";
    if (q.getExpressedType() != out.getExpressedType())
      return emitOpError("operand and result express different types: ")
             << q.getExpressedType() << " and " << out.getExpressedType();
    return success();
  }
  if (!llvm::isa<FloatType>(in) || in != out.getExpressedType())
    return emitOpError("operand element type ")
           << in << " must be the result's expressed type "
           << out.getExpressedType();
  return success();
}

LogicalResult UniformDequantizeOp::verify() {
  if (failed(verifyPerAxisShape(*this, getOperand().getType())))
    return failure();
  // (C1) a quantized operand to its expressed float type.
  auto in = llvm::dyn_cast<quant::QuantizedType>(
      getElementTypeOrSelf(getOperand().getType()));
  if (!in)
    return emitOpError("needs an operand of quantized type, got ")
           << getOperand().getType();
  if (!isSpecQuantizedType(in))
    return emitOpError("operand element type ")
           << in << " is not a quantized type of the spec (uniform, an integer "
           << "storage type of 2 to 32 bits, a float expressed type)";
  Type out = getElementTypeOrSelf(getResult().getType());
  if (out != in.getExpressedType())
    return emitOpError("result element type ")
           << out << " must be the operand's expressed type "
           << in.getExpressedType();
  return success();
}

//===----------------------------------------------------------------------===//
// #stablehlo.result_accuracy<atol = 0.0, rtol = 0.0, ulps = 0,
//                            mode = #stablehlo.result_accuracy_mode<DEFAULT>>
//===----------------------------------------------------------------------===//

Attribute ResultAccuracyAttr::parse(AsmParser &parser, Type) {
  MLIRContext *context = parser.getContext();
  double atol = 0.0, rtol = 0.0;
  int64_t ulps = 0;
  ResultAccuracyModeAttr mode =
      ResultAccuracyModeAttr::get(context, ResultAccuracyMode::DEFAULT);
  auto parseEntry = [&]() -> ParseResult {
    llvm::SMLoc loc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    if (key == "atol")
      return parser.parseFloat(atol);
    if (key == "rtol")
      return parser.parseFloat(rtol);
    if (key == "ulps")
      return parser.parseInteger(ulps);
    if (key == "mode") {
      Attribute attr;
      llvm::SMLoc attrLoc = parser.getCurrentLocation();
      if (parser.parseAttribute(attr))
        return failure();
      mode = llvm::dyn_cast<ResultAccuracyModeAttr>(attr);
      if (!mode)
        return parser.emitError(attrLoc,
                                "expected #stablehlo.result_accuracy_mode<...>");
      return success();
    }
    return parser.emitError(loc, "unknown result_accuracy key '") << key << "'";
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::LessGreater, parseEntry))
    return {};
  return ResultAccuracyAttr::getChecked(
      [&]() { return parser.emitError(parser.getNameLoc()); }, context,
      llvm::APFloat(atol), llvm::APFloat(rtol), ulps, mode);
}

void ResultAccuracyAttr::print(AsmPrinter &printer) const {
  // Zero tolerances are left out, as StableHLO prints them:
  // `<atol = 1.000000e-05, ulps = 2, mode = ...>`, `<mode = ...>`.
  printer << '<';
  if (!getAtol().isZero()) {
    printer << "atol = ";
    printer.printFloat(getAtol());
    printer << ", ";
  }
  if (!getRtol().isZero()) {
    printer << "rtol = ";
    printer.printFloat(getRtol());
    printer << ", ";
  }
  if (getUlps() != 0)
    printer << "ulps = " << getUlps() << ", ";
  printer << "mode = ";
  printer.printAttribute(getMode());
  printer << '>';
}

LogicalResult ResultAccuracyAttr::verify(
    llvm::function_ref<InFlightDiagnostic()> emitError, llvm::APFloat atol,
    llvm::APFloat rtol, int64_t ulps, ResultAccuracyModeAttr mode) {
  if (atol.isNegative() || rtol.isNegative() || ulps < 0)
    return emitError() << "result_accuracy tolerances must be non-negative";
  if (!mode)
    return emitError() << "result_accuracy needs a mode";
  if (mode.getValue() != ResultAccuracyMode::TOLERANCE &&
      (!atol.isZero() || !rtol.isZero() || ulps != 0))
    return emitError() << "result_accuracy tolerances must be 0 unless the mode "
                          "is TOLERANCE";
  return success();
}

//===----------------------------------------------------------------------===//
// Inferred result types may be more or less static than the declared ones.
//===----------------------------------------------------------------------===//

HLOX_COMPATIBLE_RETURN_TYPES(AbsOp)
HLOX_COMPATIBLE_RETURN_TYPES(ImagOp)
HLOX_COMPATIBLE_RETURN_TYPES(IsFiniteOp)
HLOX_COMPATIBLE_RETURN_TYPES(RealOp)
HLOX_COMPATIBLE_RETURN_TYPES(ComplexOp)
HLOX_COMPATIBLE_RETURN_TYPES(CompareOp)
