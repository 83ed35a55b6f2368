//===- GatherScatterOps.cpp - gather, dynamic_gather, scatter -------------===//
#include "dialects/stablehlo/StructuredVerify.h"

using namespace mlir;
using namespace mlir::stablehlo;
using namespace mlir::stablehlo::detail;

namespace {

// The number of index components: the size of start_indices' index vector
// dimension, or 1 when index_vector_dim == rank (implicit trailing 1).
int64_t indexVectorSize(RankedTensorType indices, int64_t indexVectorDim) {
  return indexVectorDim < indices.getRank() ? indices.getDimSize(indexVectorDim)
                                            : 1;
}

// spec gather (C1)-(C17), all but the slice_sizes checks, which need static
// slice sizes (given as `sliceSizes` when known).
LogicalResult checkGather(std::optional<Location> loc, RankedTensorType operand,
                          RankedTensorType indices,
                          GatherDimensionNumbersAttr dims,
                          std::optional<ArrayRef<int64_t>> sliceSizes) {
  int64_t rank = operand.getRank();
  int64_t indicesRank = indices.getRank();
  ArrayRef<int64_t> offsetDims = dims.getOffsetDims();
  ArrayRef<int64_t> collapsed = dims.getCollapsedSliceDims();
  ArrayRef<int64_t> operandBatching = dims.getOperandBatchingDims();
  ArrayRef<int64_t> indicesBatching = dims.getStartIndicesBatchingDims();
  ArrayRef<int64_t> startIndexMap = dims.getStartIndexMap();
  int64_t ivd = dims.getIndexVectorDim();

  if (static_cast<int64_t>(offsetDims.size() + collapsed.size() +
                           operandBatching.size()) != rank)
    return emitOptionalError(
        loc, "offset_dims (", offsetDims.size(), ") + collapsed_slice_dims (",
        collapsed.size(), ") + operand_batching_dims (", operandBatching.size(),
        ") must add up to the operand rank ", rank);
  if (ivd < 0 || ivd > indicesRank)
    return emitOptionalError(loc, "index_vector_dim ", ivd,
                             " out of range [0, ", indicesRank, "]");
  SmallVector<int64_t> dropped(collapsed);
  dropped.append(operandBatching.begin(), operandBatching.end());
  if (failed(checkSortedUnique(loc, "offset_dims", offsetDims)) ||
      failed(checkSortedUnique(loc, "collapsed_slice_dims", collapsed)) ||
      failed(checkSortedUnique(loc, "operand_batching_dims", operandBatching)) ||
      failed(checkUnique(loc, "collapsed_slice_dims and operand_batching_dims",
                         dropped)) ||
      failed(checkDimsInRange(loc, "collapsed_slice_dims", collapsed, rank)) ||
      failed(checkDimsInRange(loc, "operand_batching_dims", operandBatching,
                              rank)) ||
      failed(checkUnique(loc, "start_indices_batching_dims", indicesBatching)) ||
      failed(checkDimsInRange(loc, "start_indices_batching_dims",
                              indicesBatching, indicesRank)))
    return failure();
  if (llvm::is_contained(indicesBatching, ivd))
    return emitOptionalError(loc, "start_indices_batching_dims must not "
                                  "contain index_vector_dim ",
                             ivd);
  if (operandBatching.size() != indicesBatching.size())
    return emitOptionalError(loc, "operand_batching_dims and "
                                  "start_indices_batching_dims need the same "
                                  "size, got ",
                             operandBatching.size(), " and ",
                             indicesBatching.size());
  for (auto [o, i] : llvm::zip(operandBatching, indicesBatching))
    if (!compatibleDims(operand.getDimSize(o), indices.getDimSize(i)))
      return emitOptionalError(loc, "operand batching dimension ", o, " (size ",
                               operand.getDimSize(o),
                               ") and start_indices batching dimension ", i,
                               " (size ", indices.getDimSize(i), ") differ");
  SmallVector<int64_t> mapped(startIndexMap);
  mapped.append(operandBatching.begin(), operandBatching.end());
  if (failed(checkUnique(loc, "start_index_map and operand_batching_dims",
                         mapped)) ||
      failed(checkDimsInRange(loc, "start_index_map", startIndexMap, rank)))
    return failure();
  int64_t components = indexVectorSize(indices, ivd);
  if (!ShapedType::isDynamic(components) &&
      static_cast<int64_t>(startIndexMap.size()) != components)
    return emitOptionalError(loc, "start_index_map has ",
                             startIndexMap.size(),
                             " entries, but the index vector has ", components,
                             " components");
  if (!sliceSizes)
    return success();
  if (static_cast<int64_t>(sliceSizes->size()) != rank)
    return emitOptionalError(loc, "slice_sizes has ", sliceSizes->size(),
                             " entries, expected the operand rank ", rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t size = (*sliceSizes)[d];
    int64_t bound = operand.getDimSize(d);
    if (size < 0 || (!ShapedType::isDynamic(bound) && size > bound))
      return emitOptionalError(loc, "slice size ", size, " of dimension ", d,
                               " out of range [0, ", bound, "]");
    if (llvm::is_contained(dropped, d) && size > 1)
      return emitOptionalError(loc, "slice size of collapsed or batching "
                                    "dimension ",
                               d, " must be 0 or 1, got ", size);
  }
  return success();
}

// Result shape of gather from (static or dynamic) slice sizes.
LogicalResult inferGatherShape(std::optional<Location> loc,
                               RankedTensorType indices,
                               GatherDimensionNumbersAttr dims,
                               ArrayRef<int64_t> sliceSizes,
                               SmallVectorImpl<int64_t> &shape) {
  int64_t ivd = dims.getIndexVectorDim();
  SmallVector<int64_t> batch;
  for (int64_t d = 0; d < indices.getRank(); ++d)
    if (d != ivd)
      batch.push_back(indices.getDimSize(d));
  SmallVector<int64_t> offsets;
  for (auto [d, size] : llvm::enumerate(sliceSizes))
    if (!llvm::is_contained(dims.getCollapsedSliceDims(), int64_t(d)) &&
        !llvm::is_contained(dims.getOperandBatchingDims(), int64_t(d)))
      offsets.push_back(size);
  int64_t resultRank = batch.size() + offsets.size();
  if (failed(checkDimsInRange(loc, "offset_dims", dims.getOffsetDims(),
                              resultRank)))
    return failure();
  shape.clear();
  size_t nextBatch = 0, nextOffset = 0;
  for (int64_t d = 0; d < resultRank; ++d) {
    if (llvm::is_contained(dims.getOffsetDims(), d))
      shape.push_back(offsets[nextOffset++]);
    else
      shape.push_back(batch[nextBatch++]);
  }
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// gather
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, ValueShapeRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<ShapedTypeComponents> &inferredReturnShapes) {
  GatherOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto operand = llvm::dyn_cast<RankedTensorType>(adaptor.getOperand().getType());
  auto indices =
      llvm::dyn_cast<RankedTensorType>(adaptor.getStartIndices().getType());
  auto dims = llvm::dyn_cast_or_null<GatherDimensionNumbersAttr>(
      adaptor.getProperties().dimension_numbers);
  auto sliceSizes = llvm::dyn_cast_or_null<DenseI64ArrayAttr>(
      adaptor.getProperties().slice_sizes);
  if (!operand || !indices || !dims || !sliceSizes)
    return emitOptionalError(location, "gather needs ranked tensor operands, "
                                       "dimension_numbers and slice_sizes");
  if (failed(checkGather(location, operand, indices, dims,
                         sliceSizes.asArrayRef())))
    return failure();
  SmallVector<int64_t> shape;
  if (failed(inferGatherShape(location, indices, dims, sliceSizes.asArrayRef(),
                              shape)))
    return failure();
  inferredReturnShapes.emplace_back(shape, operand.getElementType());
  return success();
}

LogicalResult GatherOp::verify() {
  RankedTensorType operand = getOperand().getType();
  if (failed(checkGather(getLoc(), operand, getStartIndices().getType(),
                         getDimensionNumbers(), getSliceSizes())))
    return failure();
  SmallVector<int64_t> shape;
  if (failed(inferGatherShape(getLoc(), getStartIndices().getType(),
                              getDimensionNumbers(), getSliceSizes(), shape)))
    return failure();
  if (getResult().getType().getElementType() != operand.getElementType())
    return emitOpError() << "result element type "
                         << getResult().getType().getElementType()
                         << " differs from the operand's "
                         << operand.getElementType();
  return checkCompatibleShape(getLoc(), "result",
                              getResult().getType().getShape(), shape);
}

//===----------------------------------------------------------------------===//
// dynamic_gather
//===----------------------------------------------------------------------===//

LogicalResult DynamicGatherOp::verify() {
  RankedTensorType operand = getOperand().getType();
  RankedTensorType indices = getStartIndices().getType();
  RankedTensorType sizesType = getSliceSizes().getType();
  if (failed(checkGather(getLoc(), operand, indices, getDimensionNumbers(),
                         std::nullopt)))
    return failure();
  if (!sizesType.isDynamicDim(0) && sizesType.getDimSize(0) != operand.getRank())
    return emitOpError() << "slice_sizes has " << sizesType.getDimSize(0)
                         << " entries, expected the operand rank "
                         << operand.getRank();
  if (getResult().getType().getElementType() != operand.getElementType())
    return emitOpError() << "result element type "
                         << getResult().getType().getElementType()
                         << " differs from the operand's "
                         << operand.getElementType();
  // Slice sizes are values: only the rank and the batch dimensions are known.
  SmallVector<int64_t> unknownSizes(operand.getRank(), ShapedType::kDynamic);
  SmallVector<int64_t> shape;
  if (failed(inferGatherShape(getLoc(), indices, getDimensionNumbers(),
                              unknownSizes, shape)))
    return failure();
  return checkCompatibleShape(getLoc(), "result",
                              getResult().getType().getShape(), shape);
}

//===----------------------------------------------------------------------===//
// scatter
//===----------------------------------------------------------------------===//

LogicalResult ScatterOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  auto input = llvm::cast<RankedTensorType>(getInputs().front().getType());
  auto update = llvm::cast<RankedTensorType>(getUpdates().front().getType());
  RankedTensorType indices = getScatterIndices().getType();
  for (Value v : getInputs())
    if (failed(checkCompatibleShape(getLoc(), "input",
                                    llvm::cast<ShapedType>(v.getType()).getShape(),
                                    input.getShape())))
      return failure();
  for (Value v : getUpdates())
    if (failed(checkCompatibleShape(getLoc(), "update",
                                    llvm::cast<ShapedType>(v.getType()).getShape(),
                                    update.getShape())))
      return failure();
  if (getNumResults() != getInputs().size())
    return emitOpError() << "needs one result per input: " << getInputs().size()
                         << " inputs, " << getNumResults() << " results";
  for (auto [in, res] : llvm::zip(getInputs(), getResults())) {
    auto inType = llvm::cast<RankedTensorType>(in.getType());
    auto resType = llvm::cast<RankedTensorType>(res.getType());
    if (inType.getElementType() != resType.getElementType())
      return emitOpError() << "result element type " << resType.getElementType()
                           << " differs from the input's "
                           << inType.getElementType();
    if (failed(checkCompatibleShape(getLoc(), "result", resType.getShape(),
                                    inType.getShape())))
      return failure();
  }

  ScatterDimensionNumbersAttr dims = getScatterDimensionNumbers();
  ArrayRef<int64_t> windowDims = dims.getUpdateWindowDims();
  ArrayRef<int64_t> inserted = dims.getInsertedWindowDims();
  ArrayRef<int64_t> inputBatching = dims.getInputBatchingDims();
  ArrayRef<int64_t> indicesBatching = dims.getScatterIndicesBatchingDims();
  ArrayRef<int64_t> toOperand = dims.getScatterDimsToOperandDims();
  int64_t ivd = dims.getIndexVectorDim();
  int64_t rank = input.getRank();
  int64_t indicesRank = indices.getRank();
  Location loc = getLoc();

  if (static_cast<int64_t>(windowDims.size() + inserted.size() +
                           inputBatching.size()) != rank)
    return emitOpError() << "update_window_dims (" << windowDims.size()
                         << ") + inserted_window_dims (" << inserted.size()
                         << ") + input_batching_dims (" << inputBatching.size()
                         << ") must add up to the input rank " << rank;
  if (ivd < 0 || ivd > indicesRank)
    return emitOpError() << "index_vector_dim " << ivd << " out of range [0, "
                         << indicesRank << "]";
  int64_t updateRank = update.getRank();
  int64_t expectedUpdateRank =
      windowDims.size() + indicesRank - (ivd < indicesRank ? 1 : 0);
  if (updateRank != expectedUpdateRank)
    return emitOpError() << "updates must have rank " << expectedUpdateRank
                         << " (update_window_dims + scatter index dimensions), "
                            "got "
                         << updateRank;
  SmallVector<int64_t> dropped(inserted);
  dropped.append(inputBatching.begin(), inputBatching.end());
  SmallVector<int64_t> mapped(toOperand);
  mapped.append(inputBatching.begin(), inputBatching.end());
  if (failed(checkSortedUnique(loc, "update_window_dims", windowDims)) ||
      failed(checkDimsInRange(loc, "update_window_dims", windowDims,
                              updateRank)) ||
      failed(checkSortedUnique(loc, "inserted_window_dims", inserted)) ||
      failed(checkSortedUnique(loc, "input_batching_dims", inputBatching)) ||
      failed(checkUnique(loc, "inserted_window_dims and input_batching_dims",
                         dropped)) ||
      failed(checkDimsInRange(loc, "inserted_window_dims", inserted, rank)) ||
      failed(checkDimsInRange(loc, "input_batching_dims", inputBatching,
                              rank)) ||
      failed(checkUnique(loc, "scatter_indices_batching_dims",
                         indicesBatching)) ||
      failed(checkDimsInRange(loc, "scatter_indices_batching_dims",
                              indicesBatching, indicesRank)) ||
      failed(checkUnique(loc,
                         "scatter_dims_to_operand_dims and input_batching_dims",
                         mapped)) ||
      failed(checkDimsInRange(loc, "scatter_dims_to_operand_dims", toOperand,
                              rank)))
    return failure();
  if (llvm::is_contained(indicesBatching, ivd))
    return emitOpError() << "scatter_indices_batching_dims must not contain "
                            "index_vector_dim "
                         << ivd;
  if (inputBatching.size() != indicesBatching.size())
    return emitOpError() << "input_batching_dims and "
                            "scatter_indices_batching_dims need the same size, "
                            "got "
                         << inputBatching.size() << " and "
                         << indicesBatching.size();
  for (auto [o, i] : llvm::zip(inputBatching, indicesBatching))
    if (!compatibleDims(input.getDimSize(o), indices.getDimSize(i)))
      return emitOpError() << "input batching dimension " << o << " (size "
                           << input.getDimSize(o)
                           << ") and scatter_indices batching dimension " << i
                           << " (size " << indices.getDimSize(i) << ") differ";
  int64_t components = indexVectorSize(indices, ivd);
  if (!ShapedType::isDynamic(components) &&
      static_cast<int64_t>(toOperand.size()) != components)
    return emitOpError() << "scatter_dims_to_operand_dims has "
                         << toOperand.size()
                         << " entries, but the index vector has " << components
                         << " components";

  // Update dims: scatter dims match the indices' batch dims, window dims fit
  // in the input's remaining dims.
  SmallVector<int64_t> indexBatch;
  for (int64_t d = 0; d < indicesRank; ++d)
    if (d != ivd)
      indexBatch.push_back(indices.getDimSize(d));
  SmallVector<int64_t> inputWindow;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      inputWindow.push_back(input.getDimSize(d));
  size_t nextScatter = 0, nextWindow = 0;
  for (int64_t d = 0; d < updateRank; ++d) {
    int64_t size = update.getDimSize(d);
    if (llvm::is_contained(windowDims, d)) {
      int64_t bound = inputWindow[nextWindow++];
      if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(bound) &&
          size > bound)
        return emitOpError() << "update window dimension " << d << " (size "
                             << size << ") exceeds the input's size " << bound;
    } else {
      int64_t expected = indexBatch[nextScatter++];
      if (!compatibleDims(size, expected))
        return emitOpError() << "update scatter dimension " << d << " (size "
                             << size
                             << ") differs from the scatter_indices' size "
                             << expected;
    }
  }

  SmallVector<Type> accumulators, elements;
  for (Value v : getInputs())
    accumulators.push_back(scalarOf(v.getType()));
  for (Value v : getUpdates())
    elements.push_back(llvm::cast<ShapedType>(v.getType()).getElementType());
  return checkReducerBody(*this, getUpdateComputation(), "update_computation",
                          accumulators, elements);
}
