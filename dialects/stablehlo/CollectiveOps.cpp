//===- CollectiveOps.cpp - verifiers of the collective ops ----------------===//
#include "dialects/stablehlo/StructuredVerify.h"

using namespace mlir;
using namespace mlir::stablehlo;
using namespace mlir::stablehlo::detail;

namespace {

// The number of processes per replica group (the groups' second dimension),
// or nullopt when unknown (no groups).
std::optional<int64_t> groupSize(DenseIntElementsAttr groups) {
  auto type = llvm::cast<ShapedType>(groups.getType());
  if (type.getRank() != 2 || type.getDimSize(1) == 0)
    return std::nullopt;
  return type.getDimSize(1);
}

// The channel handle, if any, has a non-negative handle.
LogicalResult checkChannel(Operation *op,
                           std::optional<ChannelHandleAttr> channel) {
  if (channel && *channel && channel->getHandle() < 0)
    return op->emitOpError() << "channel handle must be non-negative, got "
                             << channel->getHandle();
  return success();
}

// use_global_device_ids requires a channel with handle > 0 (spec C5).
LogicalResult checkGlobalIds(Operation *op, bool useGlobalDeviceIds,
                             std::optional<ChannelHandleAttr> channel) {
  if (useGlobalDeviceIds && (!channel || !*channel || channel->getHandle() <= 0))
    return op->emitOpError()
           << "use_global_device_ids needs a channel_handle with handle > 0";
  return success();
}

// `operand` scaled along `dim`: multiplied (all_gather) or divided
// (reduce_scatter) by `factor`; `what` names the checked result.
LogicalResult checkScaledResult(Operation *op, Type operandType, Type resultType,
                                int64_t dim, std::optional<int64_t> factor,
                                bool multiply, StringRef dimName) {
  auto operand = llvm::cast<RankedTensorType>(operandType);
  auto result = llvm::cast<RankedTensorType>(resultType);
  if (dim >= operand.getRank())
    return op->emitOpError() << dimName << " " << dim
                             << " out of range for an operand of rank "
                             << operand.getRank();
  if (result.getRank() != operand.getRank())
    return op->emitOpError() << "result rank " << result.getRank()
                             << " differs from the operand rank "
                             << operand.getRank();
  if (result.getElementType() != operand.getElementType())
    return op->emitOpError() << "result element type "
                             << result.getElementType()
                             << " differs from the operand's "
                             << operand.getElementType();
  SmallVector<int64_t> expected(operand.getShape());
  int64_t &d = expected[dim];
  if (!factor || ShapedType::isDynamic(d)) {
    d = ShapedType::kDynamic;
  } else if (multiply) {
    d *= *factor;
  } else {
    if (d % *factor != 0)
      return op->emitOpError() << "operand dimension " << dim << " (size " << d
                               << ") is not divisible by the group size "
                               << *factor;
    d /= *factor;
  }
  return checkCompatibleShape(op->getLoc(), "result", result.getShape(),
                              expected);
}

} // namespace

LogicalResult AllReduceOp::verify() {
  if (failed(checkReplicaGroups(*this, getReplicaGroups(), true, true)) ||
      failed(checkChannel(*this, getChannelHandle())) ||
      failed(checkGlobalIds(*this, getUseGlobalDeviceIds(), getChannelHandle())))
    return failure();
  if (getOperands().size() != getNumResults())
    return emitOpError() << "needs one result per operand, got "
                         << getOperands().size() << " operands and "
                         << getNumResults() << " results";
  if (getOperands().empty())
    return emitOpError() << "needs at least one operand";
  SmallVector<Type> elements;
  for (auto [operand, result] : llvm::zip(getOperands(), getResults())) {
    auto o = llvm::cast<RankedTensorType>(operand.getType());
    auto r = llvm::cast<RankedTensorType>(result.getType());
    if (failed(checkCompatibleShape(getLoc(), "result", r.getShape(),
                                    o.getShape())))
      return failure();
    elements.push_back(o.getElementType());
  }
  // One computation for all operands: (tensor<E>, tensor<E>) -> tensor<E>,
  // with E each result's element type.
  auto first = llvm::cast<RankedTensorType>(getResult(0).getType());
  SmallVector<Type> acc{RankedTensorType::get({}, first.getElementType())};
  SmallVector<Type> oneElement{elements.front()};
  if (failed(checkReducerBody(*this, getComputation(), "computation", acc,
                              oneElement)))
    return failure();
  for (Value result : getResults())
    if (llvm::cast<ShapedType>(result.getType()).getElementType() !=
        first.getElementType())
      return emitOpError() << "all results must have the computation's "
                              "element type "
                           << first.getElementType();
  return success();
}

LogicalResult AllGatherOp::verify() {
  if (failed(checkReplicaGroups(*this, getReplicaGroups(), true, false)) ||
      failed(checkChannel(*this, getChannelHandle())) ||
      failed(checkGlobalIds(*this, getUseGlobalDeviceIds(), getChannelHandle())))
    return failure();
  if (getOperands().size() != getNumResults())
    return emitOpError() << "needs one result per operand, got "
                         << getOperands().size() << " operands and "
                         << getNumResults() << " results";
  std::optional<int64_t> size = groupSize(getReplicaGroups());
  for (auto [operand, result] : llvm::zip(getOperands(), getResults()))
    if (failed(checkScaledResult(*this, operand.getType(), result.getType(),
                                 getAllGatherDim(), size, /*multiply=*/true,
                                 "all_gather_dim")))
      return failure();
  return success();
}

LogicalResult ReduceScatterOp::verify() {
  if (failed(checkReplicaGroups(*this, getReplicaGroups(), false, false)) ||
      failed(checkChannel(*this, getChannelHandle())) ||
      failed(checkGlobalIds(*this, getUseGlobalDeviceIds(), getChannelHandle())))
    return failure();
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  SmallVector<Type> acc{RankedTensorType::get({}, result.getElementType())};
  SmallVector<Type> elements{operand.getElementType()};
  if (failed(checkReducerBody(*this, getComputation(), "computation", acc,
                              elements)))
    return failure();
  return checkScaledResult(*this, operand,
                           RankedTensorType::get(result.getShape(),
                                                 operand.getElementType()),
                           getScatterDimension(), groupSize(getReplicaGroups()),
                           /*multiply=*/false, "scatter_dimension");
}

LogicalResult AllToAllOp::verify() {
  if (failed(checkReplicaGroups(*this, getReplicaGroups(), false, false)) ||
      failed(checkChannel(*this, getChannelHandle())))
    return failure();
  if (getOperands().size() != getNumResults())
    return emitOpError() << "needs one result per operand, got "
                         << getOperands().size() << " operands and "
                         << getNumResults() << " results";
  int64_t count = getSplitCount();
  if (std::optional<int64_t> size = groupSize(getReplicaGroups());
      size && *size != count)
    return emitOpError() << "split_count " << count
                         << " must equal the replica group size " << *size;
  for (auto [operandValue, resultValue] :
       llvm::zip(getOperands(), getResults())) {
    auto operand = llvm::cast<RankedTensorType>(operandValue.getType());
    auto result = llvm::cast<RankedTensorType>(resultValue.getType());
    int64_t rank = operand.getRank();
    int64_t split = getSplitDimension(), concat = getConcatDimension();
    if (split >= rank || concat >= rank)
      return emitOpError() << "split_dimension " << split
                           << " and concat_dimension " << concat
                           << " must be less than the operand rank " << rank;
    if (result.getElementType() != operand.getElementType())
      return emitOpError() << "result element type " << result.getElementType()
                           << " differs from the operand's "
                           << operand.getElementType();
    SmallVector<int64_t> expected(operand.getShape());
    if (!ShapedType::isDynamic(expected[split])) {
      if (expected[split] % count != 0)
        return emitOpError() << "split dimension " << split << " (size "
                             << expected[split]
                             << ") is not divisible by split_count " << count;
      expected[split] /= count;
    }
    if (!ShapedType::isDynamic(expected[concat]))
      expected[concat] *= count;
    if (failed(checkCompatibleShape(getLoc(), "result", result.getShape(),
                                    expected)))
      return failure();
  }
  return success();
}

LogicalResult CollectivePermuteOp::verify() {
  if (failed(checkChannel(*this, getChannelHandle())))
    return failure();
  DenseIntElementsAttr pairs = getSourceTargetPairs();
  auto type = llvm::cast<ShapedType>(pairs.getType());
  if (type.getRank() != 2 || type.getDimSize(1) != 2)
    return emitOpError() << "source_target_pairs must have shape Nx2, got "
                         << shapeString(type.getShape());
  SmallVector<int64_t> sources, targets;
  SmallVector<int64_t> flat(pairs.getValues<int64_t>());
  for (size_t i = 0; i + 1 < flat.size(); i += 2) {
    if (flat[i] < 0 || flat[i + 1] < 0)
      return emitOpError() << "source_target_pairs must be non-negative, got ["
                           << flat[i] << ", " << flat[i + 1] << "]";
    sources.push_back(flat[i]);
    targets.push_back(flat[i + 1]);
  }
  if (failed(checkUnique(getLoc(), "source_target_pairs sources", sources)) ||
      failed(checkUnique(getLoc(), "source_target_pairs targets", targets)))
    return failure();
  if (getOperand().getType() != getResult().getType())
    return emitOpError() << "result type " << getResult().getType()
                         << " differs from the operand type "
                         << getOperand().getType();
  return success();
}

LogicalResult CollectiveBroadcastOp::verify() {
  if (failed(checkReplicaGroups(*this, getReplicaGroups(), true, false,
                                /*dense=*/false)) ||
      failed(checkChannel(*this, getChannelHandle())))
    return failure();
  if (getOperand().getType() != getResult().getType())
    return emitOpError() << "result type " << getResult().getType()
                         << " differs from the operand type "
                         << getOperand().getType();
  return success();
}
