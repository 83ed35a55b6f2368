//===- ConvolutionOp.cpp - convolution: verifier, result shape ------------===//
#include "dialects/stablehlo/StructuredVerify.h"

using namespace mlir;
using namespace mlir::stablehlo;
using namespace mlir::stablehlo::detail;

namespace {

// (batch/input-feature, feature/output-feature, spatial...) must be a
// permutation of [0, rank).
LogicalResult checkLayout(Operation *op, StringRef what, int64_t first,
                          int64_t second, ArrayRef<int64_t> spatial,
                          int64_t rank) {
  SmallVector<int64_t> all{first, second};
  all.append(spatial.begin(), spatial.end());
  if (static_cast<int64_t>(all.size()) != rank)
    return op->emitOpError() << what << " dimension numbers name " << all.size()
                             << " dimensions, but the rank is " << rank;
  if (failed(checkDimsInRange(op->getLoc(), what, all, rank)) ||
      failed(checkUnique(op->getLoc(), what, all)))
    return failure();
  return success();
}

} // namespace

LogicalResult ConvolutionOp::verify() {
  RankedTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  RankedTensorType result = getResult().getType();
  int64_t rank = lhs.getRank();
  if (rank < 2)
    return emitOpError() << "operands must have rank >= 2, got " << rank;
  if (rhs.getRank() != rank || result.getRank() != rank)
    return emitOpError() << "lhs, rhs and result must have the same rank, got "
                         << rank << ", " << rhs.getRank() << " and "
                         << result.getRank();
  int64_t numSpatial = rank - 2;

  // Window attributes: one entry per spatial dimension.
  auto sized = [&](StringRef name, std::optional<ArrayRef<int64_t>> values,
                   bool positive) -> LogicalResult {
    if (!values)
      return success();
    if (static_cast<int64_t>(values->size()) != numSpatial)
      return emitOpError() << name << " must have " << numSpatial
                           << " entries (one per spatial dimension), got "
                           << values->size();
    if (positive)
      for (int64_t v : *values)
        if (v <= 0)
          return emitOpError() << name << " entries must be positive, got " << v;
    return success();
  };
  if (failed(sized("window_strides", getWindowStrides(), true)) ||
      failed(sized("lhs_dilation", getLhsDilation(), true)) ||
      failed(sized("rhs_dilation", getRhsDilation(), true)))
    return failure();
  if (auto reversal = getWindowReversal();
      reversal && static_cast<int64_t>(reversal->size()) != numSpatial)
    return emitOpError() << "window_reversal must have " << numSpatial
                         << " entries (one per spatial dimension), got "
                         << reversal->size();
  SmallVector<int64_t> padding(2 * numSpatial, 0);
  if (auto pad = getPadding()) {
    auto type = llvm::cast<ShapedType>(pad->getType());
    if (type.getRank() != 2 || type.getDimSize(0) != numSpatial ||
        type.getDimSize(1) != 2)
      return emitOpError() << "padding must have shape " << numSpatial
                           << "x2, got " << shapeString(type.getShape());
    padding.assign(pad->getValues<int64_t>().begin(),
                   pad->getValues<int64_t>().end());
  }

  ConvDimensionNumbersAttr dims = getDimensionNumbers();
  if (failed(checkLayout(*this, "input", dims.getInputBatchDimension(),
                         dims.getInputFeatureDimension(),
                         dims.getInputSpatialDimensions(), rank)) ||
      failed(checkLayout(*this, "kernel", dims.getKernelInputFeatureDimension(),
                         dims.getKernelOutputFeatureDimension(),
                         dims.getKernelSpatialDimensions(), rank)) ||
      failed(checkLayout(*this, "output", dims.getOutputBatchDimension(),
                         dims.getOutputFeatureDimension(),
                         dims.getOutputSpatialDimensions(), rank)))
    return failure();

  int64_t featureGroups = getFeatureGroupCount();
  int64_t batchGroups = getBatchGroupCount();
  if (featureGroups != 1 && batchGroups != 1)
    return emitOpError() << "feature_group_count and batch_group_count cannot "
                            "both exceed 1, got "
                         << featureGroups << " and " << batchGroups;
  int64_t inBatch = lhs.getDimSize(dims.getInputBatchDimension());
  int64_t inFeature = lhs.getDimSize(dims.getInputFeatureDimension());
  int64_t kIn = rhs.getDimSize(dims.getKernelInputFeatureDimension());
  int64_t kOut = rhs.getDimSize(dims.getKernelOutputFeatureDimension());
  if (!ShapedType::isDynamic(inFeature)) {
    if (inFeature % featureGroups != 0)
      return emitOpError() << "input feature dimension (" << inFeature
                           << ") must be divisible by feature_group_count ("
                           << featureGroups << ")";
    if (!ShapedType::isDynamic(kIn) && inFeature / featureGroups != kIn)
      return emitOpError() << "input feature dimension (" << inFeature
                           << ") / feature_group_count (" << featureGroups
                           << ") must equal the kernel input feature "
                              "dimension ("
                           << kIn << ")";
  }
  if (!ShapedType::isDynamic(inBatch) && inBatch % batchGroups != 0)
    return emitOpError() << "input batch dimension (" << inBatch
                         << ") must be divisible by batch_group_count ("
                         << batchGroups << ")";
  if (!ShapedType::isDynamic(kOut)) {
    if (kOut % batchGroups != 0)
      return emitOpError() << "kernel output feature dimension (" << kOut
                           << ") must be divisible by batch_group_count ("
                           << batchGroups << ")";
    if (kOut % featureGroups != 0)
      return emitOpError() << "kernel output feature dimension (" << kOut
                           << ") must be divisible by feature_group_count ("
                           << featureGroups << ")";
  }
  if (auto precision = getPrecisionConfig();
      precision && !precision->empty() && precision->size() != 2)
    return emitOpError() << "precision_config must have 0 or 2 entries, got "
                         << precision->size();

  // The result's shape.
  SmallVector<int64_t> shape(rank, ShapedType::kDynamic);
  shape[dims.getOutputBatchDimension()] =
      ShapedType::isDynamic(inBatch) ? inBatch : inBatch / batchGroups;
  shape[dims.getOutputFeatureDimension()] = kOut;
  for (int64_t k = 0; k < numSpatial; ++k) {
    int64_t in = lhs.getDimSize(dims.getInputSpatialDimensions()[k]);
    int64_t window = rhs.getDimSize(dims.getKernelSpatialDimensions()[k]);
    int64_t &out = shape[dims.getOutputSpatialDimensions()[k]];
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(window))
      continue;
    int64_t stride = getWindowStrides() ? (*getWindowStrides())[k] : 1;
    int64_t lhsDil = getLhsDilation() ? (*getLhsDilation())[k] : 1;
    int64_t rhsDil = getRhsDilation() ? (*getRhsDilation())[k] : 1;
    int64_t dilatedIn = in == 0 ? 0 : (in - 1) * lhsDil + 1;
    int64_t padded = padding[2 * k] + dilatedIn + padding[2 * k + 1];
    int64_t dilatedWindow = window == 0 ? 0 : (window - 1) * rhsDil + 1;
    out = (padded < dilatedWindow || padded < 0)
              ? 0
              : (padded - dilatedWindow) / stride + 1;
  }
  return checkCompatibleShape(getLoc(), "result", result.getShape(), shape);
}
