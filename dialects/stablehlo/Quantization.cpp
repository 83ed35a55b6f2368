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
  SmallVector<Type> elements;
  for (Type t : op->getOperandTypes())
    elements.push_back(getElementTypeOrSelf(t));
  for (Type t : op->getResultTypes())
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
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (failed(verifyPerAxisShape(op, t)))
      return failure();
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
