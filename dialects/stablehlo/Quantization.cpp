//===- Quantization.cpp - quantized element types in StableHLO ------------===//
#include "dialects/stablehlo/Quantization.h"
#include "dialects/stablehlo/StablehloAssembly.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::stablehlo {

bool isSpecQuantizedType(Type type) {
  if (!llvm::isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(type))
    return false;
  auto q = llvm::cast<quant::QuantizedType>(type);
  auto storage = llvm::dyn_cast<IntegerType>(q.getStorageType());
  unsigned width = storage ? storage.getWidth() : 0;
  return (width == 2 || width == 4 || width == 8 || width == 16 || width == 32) &&
         llvm::isa<FloatType>(q.getExpressedType());
}

unsigned quantizedStorageBits(Type type) {
  auto q = llvm::dyn_cast<quant::QuantizedType>(type);
  return q ? q.getStorageTypeIntegralWidth() : 0;
}

namespace {

// Quantized alike: what the spec's baseline_element_type keeps (storage type
// and range, expressed type, quantization dimension), scales and zero points
// apart.
bool sameBaseline(quant::QuantizedType a, quant::QuantizedType b) {
  if (a.getStorageType() != b.getStorageType() || a.getFlags() != b.getFlags() ||
      a.getExpressedType() != b.getExpressedType() ||
      a.getStorageTypeMin() != b.getStorageTypeMin() ||
      a.getStorageTypeMax() != b.getStorageTypeMax())
    return false;
  auto pa = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(a);
  auto pb = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(b);
  if (static_cast<bool>(pa) != static_cast<bool>(pb))
    return false;
  return !pa || pa.getQuantizedDimension() == pb.getQuantizedDimension();
}

} // namespace

bool quantizableCompatibleReturnTypes(TypeRange inferred, TypeRange actual) {
  if (compatibleReturnTypes(inferred, actual))
    return true;
  if (inferred.size() != actual.size())
    return false;
  for (auto [a, b] : llvm::zip(inferred, actual)) {
    auto ta = llvm::dyn_cast<RankedTensorType>(a);
    auto tb = llvm::dyn_cast<RankedTensorType>(b);
    if (!ta || !tb || failed(verifyCompatibleShape(ta.getShape(), tb.getShape())))
      return false;
    auto qa = llvm::dyn_cast<quant::QuantizedType>(ta.getElementType());
    auto qb = llvm::dyn_cast<quant::QuantizedType>(tb.getElementType());
    if (ta.getElementType() != tb.getElementType() &&
        !(qa && qb && sameBaseline(qa, qb)))
      return false;
  }
  return true;
}

LogicalResult verifyPerAxisShape(Operation *op, Type type) {
  auto tensor = llvm::dyn_cast<RankedTensorType>(type);
  auto q = tensor ? llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(
                        tensor.getElementType())
                  : nullptr;
  if (!q)
    return success();
  int64_t dim = q.getQuantizedDimension();
  if (dim < 0 || dim >= tensor.getRank())
    return op->emitOpError("quantization dimension ")
           << dim << " of " << q << " is out of range for " << tensor;
  int64_t size = tensor.getDimSize(dim);
  if (!ShapedType::isDynamic(size) && static_cast<int64_t>(q.getScales().size()) != size)
    return op->emitOpError("per-axis quantized type ")
           << q << " has " << q.getScales().size() << " scales for dimension "
           << dim << " of size " << size << " in " << tensor;
  return success();
}

LogicalResult verifyQuantizableElementwise(Operation *op) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  return verifyQuantizableTypes(op, types);
}

LogicalResult verifyQuantizableTypes(Operation *op, TypeRange types) {
  SmallVector<Type> elements;
  for (Type t : types)
    elements.push_back(getElementTypeOrSelf(t));
  auto first = llvm::dyn_cast<quant::QuantizedType>(elements.front());
  for (Type element : elements) {
    auto q = llvm::dyn_cast<quant::QuantizedType>(element);
    if (!first) {
      if (element != elements.front())
        return op->emitOpError("requires the same type for all operands and results, got ")
               << elements.front() << " and " << element;
      continue;
    }
    if (!q)
      return op->emitOpError("requires all operands and results to be quantized or "
                             "none, got ")
             << first << " and " << element;
    if (!sameBaseline(first, q))
      return op->emitOpError("requires quantized operands and results with one "
                             "storage type, expressed type and quantization "
                             "dimension, got ")
             << first << " and " << q;
  }
  for (Type t : types)
    if (failed(verifyPerAxisShape(op, t)))
      return failure();
  return success();
}

LogicalResult verifyQuantizedContraction(Operation *op, Type lhsType, Type rhsType,
                                         Type resultType) {
  Type lhsElement = getElementTypeOrSelf(lhsType);
  Type resultElement = getElementTypeOrSelf(resultType);
  auto lhs = llvm::dyn_cast<quant::QuantizedType>(lhsElement);
  auto rhs = llvm::dyn_cast<quant::QuantizedType>(getElementTypeOrSelf(rhsType));
  auto result = llvm::dyn_cast<quant::QuantizedType>(resultElement);
  if (!lhs && !rhs && !result)
    return success();
  // (C14/C28) is_quantized(lhs) = is_quantized(result) and is_quantized(rhs).
  if (!rhs || static_cast<bool>(lhs) != static_cast<bool>(result))
    return op->emitOpError("on quantized tensors needs a quantized rhs and lhs "
                           "and result both quantized or both not, got ")
           << lhsType << ", " << rhsType << " -> " << resultType;
  if (lhs) {
    // (C17/C31), (C18/C32), (C19/C33).
    if (lhs.getStorageType() != rhs.getStorageType() || lhs.isSigned() != rhs.isSigned())
      return op->emitOpError("needs one storage type for quantized lhs and rhs, got ")
             << lhs << " and " << rhs;
    if (lhs.getExpressedType() != rhs.getExpressedType() ||
        lhs.getExpressedType() != result.getExpressedType())
      return op->emitOpError("needs one expressed type for quantized lhs, rhs and "
                             "result, got ")
             << lhs << ", " << rhs << " -> " << result;
    if (llvm::isa<quant::UniformQuantizedType>(rhs) &&
        !llvm::isa<quant::UniformQuantizedType>(result))
      return op->emitOpError("with a per-tensor quantized rhs needs a per-tensor "
                             "quantized result, got ")
             << rhs << " -> " << result;
  } else if (lhsElement != rhs.getExpressedType() || lhsElement != resultElement) {
    // (C20/C34) hybrid: element_type(lhs) = expressed_type(rhs) = element_type(result).
    return op->emitOpError("with a float lhs and a quantized rhs needs lhs and "
                           "result of rhs's expressed type, got ")
           << lhsType << ", " << rhsType << " -> " << resultType;
  }
  for (Type t : {lhsType, rhsType, resultType})
    if (failed(verifyPerAxisShape(op, t)))
      return failure();
  return success();
}

Type withQuantizedDimension(Type element, int64_t axis) {
  auto q = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(element);
  if (!q)
    return element;
  return quant::UniformQuantizedPerAxisType::get(
      q.getFlags(), q.getStorageType(), q.getExpressedType(), q.getScales(),
      q.getZeroPoints(), axis, q.getStorageTypeMin(), q.getStorageTypeMax());
}

LogicalResult verifyMovedElementType(Operation *op, RankedTensorType operand,
                                     RankedTensorType result,
                                     function_ref<bool(int64_t, int64_t)> follows,
                                     StringRef rule) {
  Type in = operand.getElementType(), out = result.getElementType();
  auto inAxis = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(in);
  if (!inAxis) {
    if (in != out)
      return op->emitOpError("requires the operand's element type for the result, got ")
             << in << " and " << out;
    return success();
  }
  auto outAxis = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(out);
  if (!outAxis ||
      !sameBaseline(inAxis, llvm::cast<quant::QuantizedType>(withQuantizedDimension(
                                outAxis, inAxis.getQuantizedDimension()))))
    return op->emitOpError("requires a per-axis quantized result like the operand's ")
           << in << ", got " << out;
  if (failed(verifyPerAxisShape(op, operand)) || failed(verifyPerAxisShape(op, result)))
    return failure();
  if (!follows(inAxis.getQuantizedDimension(), outAxis.getQuantizedDimension()))
    return op->emitOpError("result quantization dimension ")
           << outAxis.getQuantizedDimension() << " does not follow the operand's ("
           << inAxis.getQuantizedDimension() << "): " << rule << ", got " << operand
           << " -> " << result;
  ArrayRef<double> scales = inAxis.getScales();
  ArrayRef<int64_t> zeroPoints = inAxis.getZeroPoints();
  for (size_t i = 0; i < outAxis.getScales().size(); ++i) {
    size_t j = scales.size() == 1 ? 0 : i;
    if (j >= scales.size() || outAxis.getScales()[i] != scales[j] ||
        outAxis.getZeroPoints()[i] != zeroPoints[j])
      return op->emitOpError("requires the operand's scales and zero points for the "
                             "result, got ")
             << in << " and " << out;
  }
  return success();
}

LogicalResult inferFirstOperandType(std::optional<Location> location,
                                    ValueRange operands,
                                    SmallVectorImpl<Type> &inferred) {
  if (operands.empty())
    return emitOptionalError(location, "expected at least one operand");
  inferred.push_back(operands.front().getType());
  return success();
}

} // namespace mlir::stablehlo
