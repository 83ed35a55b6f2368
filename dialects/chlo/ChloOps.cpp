//===- ChloOps.cpp - verifiers, folders and result names of CHLO ops ------===//
#include "dialects/chlo/ChloOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::chlo;

//===----------------------------------------------------------------------===//
// Broadcasting binary ops
//===----------------------------------------------------------------------===//

namespace {

/// Checks XlaBuilder broadcasting: with `broadcast_dimensions`, the operand of
/// lower rank maps its dimension i to result dimension dims[i]; without, both
/// operands are aligned at their trailing dimensions (numpy). Each pair of
/// static sizes must be equal or one of them 1, and the static result sizes
/// must be the broadcast sizes.
LogicalResult verifyBroadcast(Operation *op, ArrayRef<Type> operandTypes,
                              Type resultType,
                              std::optional<ArrayRef<int64_t>> dims) {
  auto result = llvm::cast<RankedTensorType>(resultType);
  int64_t rank = 0;
  for (Type t : operandTypes)
    rank = std::max(rank, llvm::cast<RankedTensorType>(t).getRank());
  if (result.getRank() != rank)
    return op->emitOpError() << "result rank " << result.getRank()
                             << " is not the broadcast rank " << rank;
  SmallVector<int64_t> expected(rank, 1);
  SmallVector<bool> dynamic(rank, false);
  for (Type t : operandTypes) {
    auto type = llvm::cast<RankedTensorType>(t);
    SmallVector<int64_t> map;
    if (dims && type.getRank() != rank) {
      if (static_cast<int64_t>(dims->size()) != type.getRank())
        return op->emitOpError()
               << "broadcast_dimensions has " << dims->size()
               << " entries but the lower-rank operand has rank " << type.getRank();
      map.assign(dims->begin(), dims->end());
    } else {
      for (int64_t i = 0; i < type.getRank(); ++i)
        map.push_back(rank - type.getRank() + i);
    }
    for (auto [i, d] : llvm::enumerate(map)) {
      if (d < 0 || d >= rank)
        return op->emitOpError() << "broadcast dimension " << d << " out of range";
      int64_t size = type.getDimSize(i);
      if (ShapedType::isDynamic(size)) {
        dynamic[d] = true;
        continue;
      }
      if (size == 1)
        continue;
      if (expected[d] != 1 && expected[d] != size)
        return op->emitOpError() << "operand shapes are not broadcast-compatible "
                                    "in result dimension " << d;
      expected[d] = size;
    }
  }
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = result.getDimSize(d);
    if (ShapedType::isDynamic(size) || dynamic[d])
      continue;
    if (size != expected[d])
      return op->emitOpError() << "result dimension " << d << " has size " << size
                               << " but the operands broadcast to " << expected[d];
  }
  return success();
}

template <class OpTy>
LogicalResult verifyBroadcastBinary(OpTy op, bool sameElementType = true) {
  Type types[] = {op.getLhs().getType(), op.getRhs().getType()};
  if (sameElementType) {
    Type elem = getElementTypeOrSelf(types[0]);
    if (elem != getElementTypeOrSelf(types[1]) ||
        elem != getElementTypeOrSelf(op.getType()))
      return op.emitOpError("operands and result must have one element type");
  }
  return verifyBroadcast(op, types, op.getType(), op.getBroadcastDimensions());
}

} // namespace

#define HLOX_CHLO_BROADCAST_VERIFIER(Op)                                       \
  LogicalResult Op::verify() { return verifyBroadcastBinary(*this); }
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastAddOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastAtan2Op)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastDivOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastMaxOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastMinOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastMulOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastNextAfterOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastPolygammaOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastPowOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastRemOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastShiftLeftOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastShiftRightArithmeticOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastShiftRightLogicalOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastSubOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastZetaOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastAndOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastOrOp)
HLOX_CHLO_BROADCAST_VERIFIER(BroadcastXorOp)
#undef HLOX_CHLO_BROADCAST_VERIFIER

LogicalResult BroadcastComplexOp::verify() {
  Type elem = getElementTypeOrSelf(getLhs().getType());
  if (elem != getElementTypeOrSelf(getRhs().getType()))
    return emitOpError("real and imaginary parts must have one element type");
  auto complex = llvm::dyn_cast<ComplexType>(getElementTypeOrSelf(getType()));
  if (!complex || complex.getElementType() != elem)
    return emitOpError("result must be complex of the operands' element type");
  return verifyBroadcastBinary(*this, /*sameElementType=*/false);
}

LogicalResult BroadcastCompareOp::verify() {
  if (getElementTypeOrSelf(getLhs().getType()) !=
      getElementTypeOrSelf(getRhs().getType()))
    return emitOpError("operands must have one element type");
  return verifyBroadcastBinary(*this, /*sameElementType=*/false);
}

LogicalResult BroadcastSelectOp::verify() {
  Type elem = getElementTypeOrSelf(getOnTrue().getType());
  if (elem != getElementTypeOrSelf(getOnFalse().getType()) ||
      elem != getElementTypeOrSelf(getType()))
    return emitOpError("on_true, on_false and result must have one element type");
  Type types[] = {getPred().getType(), getOnTrue().getType(),
                  getOnFalse().getType()};
  return verifyBroadcast(*this, types, getType(), std::nullopt);
}

//===----------------------------------------------------------------------===//
// top_k
//===----------------------------------------------------------------------===//

LogicalResult TopKOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto values = llvm::cast<RankedTensorType>(getValues().getType());
  auto indices = llvm::cast<RankedTensorType>(getIndices().getType());
  int64_t k = getK();
  if (operand.getRank() < 1)
    return emitOpError("operand must have rank 1 or more");
  if (k < 0)
    return emitOpError("k must not be negative");
  int64_t last = operand.getDimSize(operand.getRank() - 1);
  if (!ShapedType::isDynamic(last) && last < k)
    return emitOpError() << "k = " << k << " is larger than the last dimension ("
                         << last << ")";
  if (values.getElementType() != operand.getElementType())
    return emitOpError("values must have the operand's element type");
  if (!indices.getElementType().isSignlessInteger(32))
    return emitOpError("indices must be i32");
  SmallVector<int64_t> shape(operand.getShape());
  shape.back() = k;
  for (RankedTensorType t : {values, indices}) {
    if (t.getRank() != operand.getRank())
      return emitOpError("results must have the operand's rank");
    for (auto [a, b] : llvm::zip(t.getShape(), shape))
      if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
        return emitOpError() << "results must have shape operand.shape[:-1] + [k] = ["
                             << llvm::make_range(shape.begin(), shape.end()) << "]";
  }
  return success();
}

void TopKOp::getAsmResultNames(function_ref<void(Value, StringRef)> setName) {
  setName(getValues(), "values");
  setName(getIndices(), "indices");
}

//===----------------------------------------------------------------------===//
// constants
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult ConstantLikeOp::verify() {
  Type valueType = llvm::cast<TypedAttr>(getValue()).getType();
  if (valueType != getElementTypeOrSelf(getType()))
    return emitOpError() << "value type " << valueType
                         << " is not the result element type";
  return success();
}

OpFoldResult ConstantLikeOp::fold(FoldAdaptor) {
  auto type = llvm::cast<RankedTensorType>(getType());
  if (!type.hasStaticShape())
    return {};
  return SplatElementsAttr::get(type, getValue());
}
