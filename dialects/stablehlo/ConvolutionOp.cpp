//===- ConvolutionOp.cpp - convolution: verifier, result shape ------------===//
#include "dialects/stablehlo/StructuredVerify.h"

using namespace mlir;
using namespace mlir::stablehlo;
using namespace mlir::stablehlo::detail;

namespace {

// What the spec's constraints and the result shape depend on; shared by the
// verifier and shape inference (where attributes may be missing).
struct ConvArgs {
  RankedTensorType lhs, rhs;
  std::optional<ArrayRef<int64_t>> strides, lhsDilation, rhsDilation;
  std::optional<ArrayRef<bool>> reversal;
  DenseIntElementsAttr padding;
  ConvDimensionNumbersAttr dims;
  int64_t featureGroups = 1, batchGroups = 1;
  ArrayAttr precision;
};

// (batch/input-feature, feature/output-feature, spatial...) must be a
// permutation of [0, rank).
LogicalResult checkLayout(const OpLoc &at, StringRef what, int64_t first,
                          int64_t second, ArrayRef<int64_t> spatial,
                          int64_t rank) {
  SmallVector<int64_t> all{first, second};
  all.append(spatial.begin(), spatial.end());
  if (static_cast<int64_t>(all.size()) != rank)
    return emitAt(at, what, " dimension numbers name ", all.size(),
                  " dimensions, but the rank is ", rank);
  if (failed(checkDimsInRange(at, what, all, rank)) ||
      failed(checkUnique(at, what, all)))
    return failure();
  return success();
}

// spec convolution (C1)-(C21) without quantization; on success `shape` is
// the result shape (C25).
LogicalResult inferConvolutionShape(const OpLoc &at, const ConvArgs &a,
                                    SmallVectorImpl<int64_t> &shape) {
  int64_t rank = a.lhs.getRank();
  if (rank < 2)
    return emitAt(at, "operands must have rank >= 2, got ", rank);
  if (a.rhs.getRank() != rank)
    return emitAt(at, "lhs and rhs must have the same rank, got ", rank,
                  " and ", a.rhs.getRank());
  int64_t numSpatial = rank - 2;

  // Window attributes: one entry per spatial dimension.
  auto sized = [&](StringRef name, std::optional<ArrayRef<int64_t>> values)
      -> LogicalResult {
    if (!values)
      return success();
    if (static_cast<int64_t>(values->size()) != numSpatial)
      return emitAt(at, name, " must have ", numSpatial,
                    " entries (one per spatial dimension), got ",
                    values->size());
    for (int64_t v : *values)
      if (v <= 0)
        return emitAt(at, name, " entries must be positive, got ", v);
    return success();
  };
  if (failed(sized("window_strides", a.strides)) ||
      failed(sized("lhs_dilation", a.lhsDilation)) ||
      failed(sized("rhs_dilation", a.rhsDilation)))
    return failure();
  if (a.reversal && static_cast<int64_t>(a.reversal->size()) != numSpatial)
    return emitAt(at, "window_reversal must have ", numSpatial,
                  " entries (one per spatial dimension), got ",
                  a.reversal->size());
  SmallVector<int64_t> padding(2 * numSpatial, 0);
  if (a.padding) {
    auto type = llvm::cast<ShapedType>(a.padding.getType());
    if (type.getRank() != 2 || type.getDimSize(0) != numSpatial ||
        type.getDimSize(1) != 2)
      return emitAt(at, "padding must have shape ", numSpatial, "x2, got ",
                    shapeString(type.getShape()));
    padding.assign(a.padding.getValues<int64_t>().begin(),
                   a.padding.getValues<int64_t>().end());
  }

  ConvDimensionNumbersAttr dims = a.dims;
  if (failed(checkLayout(at, "input", dims.getInputBatchDimension(),
                         dims.getInputFeatureDimension(),
                         dims.getInputSpatialDimensions(), rank)) ||
      failed(checkLayout(at, "kernel", dims.getKernelInputFeatureDimension(),
                         dims.getKernelOutputFeatureDimension(),
                         dims.getKernelSpatialDimensions(), rank)) ||
      failed(checkLayout(at, "output", dims.getOutputBatchDimension(),
                         dims.getOutputFeatureDimension(),
                         dims.getOutputSpatialDimensions(), rank)))
    return failure();

  int64_t featureGroups = a.featureGroups, batchGroups = a.batchGroups;
  if (featureGroups < 1 || batchGroups < 1)
    return emitAt(at, "feature_group_count and batch_group_count must be "
                      "positive, got ",
                  featureGroups, " and ", batchGroups);
  if (featureGroups != 1 && batchGroups != 1)
    return emitAt(at, "feature_group_count and batch_group_count cannot both "
                      "exceed 1, got ",
                  featureGroups, " and ", batchGroups);
  int64_t inBatch = a.lhs.getDimSize(dims.getInputBatchDimension());
  int64_t inFeature = a.lhs.getDimSize(dims.getInputFeatureDimension());
  int64_t kIn = a.rhs.getDimSize(dims.getKernelInputFeatureDimension());
  int64_t kOut = a.rhs.getDimSize(dims.getKernelOutputFeatureDimension());
  if (!ShapedType::isDynamic(inFeature)) {
    if (inFeature % featureGroups != 0)
      return emitAt(at, "input feature dimension (", inFeature,
                    ") must be divisible by feature_group_count (",
                    featureGroups, ")");
    if (!ShapedType::isDynamic(kIn) && inFeature / featureGroups != kIn)
      return emitAt(at, "input feature dimension (", inFeature,
                    ") / feature_group_count (", featureGroups,
                    ") must equal the kernel input feature dimension (", kIn,
                    ")");
  }
  if (!ShapedType::isDynamic(inBatch) && inBatch % batchGroups != 0)
    return emitAt(at, "input batch dimension (", inBatch,
                  ") must be divisible by batch_group_count (", batchGroups,
                  ")");
  if (!ShapedType::isDynamic(kOut)) {
    if (kOut % batchGroups != 0)
      return emitAt(at, "kernel output feature dimension (", kOut,
                    ") must be divisible by batch_group_count (", batchGroups,
                    ")");
    if (kOut % featureGroups != 0)
      return emitAt(at, "kernel output feature dimension (", kOut,
                    ") must be divisible by feature_group_count (",
                    featureGroups, ")");
  }
  if (a.precision && !a.precision.empty() && a.precision.size() != 2)
    return emitAt(at, "precision_config must have 0 or 2 entries, got ",
                  a.precision.size());

  // The result's shape.
  shape.assign(rank, ShapedType::kDynamic);
  shape[dims.getOutputBatchDimension()] =
      ShapedType::isDynamic(inBatch) ? inBatch : inBatch / batchGroups;
  shape[dims.getOutputFeatureDimension()] = kOut;
  for (int64_t k = 0; k < numSpatial; ++k) {
    int64_t in = a.lhs.getDimSize(dims.getInputSpatialDimensions()[k]);
    int64_t window = a.rhs.getDimSize(dims.getKernelSpatialDimensions()[k]);
    int64_t &out = shape[dims.getOutputSpatialDimensions()[k]];
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(window))
      continue;
    int64_t stride = a.strides ? (*a.strides)[k] : 1;
    int64_t lhsDil = a.lhsDilation ? (*a.lhsDilation)[k] : 1;
    int64_t rhsDil = a.rhsDilation ? (*a.rhsDilation)[k] : 1;
    int64_t dilatedIn = in == 0 ? 0 : (in - 1) * lhsDil + 1;
    int64_t padded = padding[2 * k] + dilatedIn + padding[2 * k + 1];
    int64_t dilatedWindow = window == 0 ? 0 : (window - 1) * rhsDil + 1;
    out = (padded < dilatedWindow || padded < 0)
              ? 0
              : (padded - dilatedWindow) / stride + 1;
  }
  return success();
}

} // namespace

LogicalResult ConvolutionOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, ValueShapeRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<ShapedTypeComponents> &inferredReturnShapes) {
  OpLoc at{location, getOperationName()};
  ConvolutionOp::Adaptor adaptor(operands, attributes, properties, regions);
  const Properties &props = adaptor.getProperties();
  ConvArgs a;
  a.lhs = llvm::dyn_cast<RankedTensorType>(adaptor.getLhs().getType());
  a.rhs = llvm::dyn_cast<RankedTensorType>(adaptor.getRhs().getType());
  a.dims = llvm::dyn_cast_or_null<ConvDimensionNumbersAttr>(
      props.dimension_numbers);
  auto features = llvm::dyn_cast_or_null<IntegerAttr>(props.feature_group_count);
  auto batches = llvm::dyn_cast_or_null<IntegerAttr>(props.batch_group_count);
  if (!a.lhs || !a.rhs || !a.dims || !features || !batches)
    return emitAt(at, "needs ranked tensor operands, dimension_numbers, "
                      "feature_group_count and batch_group_count");
  a.featureGroups = features.getInt();
  a.batchGroups = batches.getInt();
  auto i64s = [](Attribute attr) -> std::optional<ArrayRef<int64_t>> {
    if (auto array = llvm::dyn_cast_or_null<DenseI64ArrayAttr>(attr))
      return array.asArrayRef();
    return std::nullopt;
  };
  a.strides = i64s(props.window_strides);
  a.lhsDilation = i64s(props.lhs_dilation);
  a.rhsDilation = i64s(props.rhs_dilation);
  if (auto reversal =
          llvm::dyn_cast_or_null<DenseBoolArrayAttr>(props.window_reversal))
    a.reversal = reversal.asArrayRef();
  a.padding = llvm::dyn_cast_or_null<DenseIntElementsAttr>(props.padding);
  a.precision = llvm::dyn_cast_or_null<ArrayAttr>(props.precision_config);
  SmallVector<int64_t> shape;
  if (failed(inferConvolutionShape(at, a, shape)))
    return failure();
  // The element type is the result's own (it may differ from the operands').
  inferredReturnShapes.emplace_back(shape);
  return success();
}

LogicalResult ConvolutionOp::verify() {
  ConvArgs a;
  a.lhs = getLhs().getType();
  a.rhs = getRhs().getType();
  a.strides = getWindowStrides();
  a.lhsDilation = getLhsDilation();
  a.rhsDilation = getRhsDilation();
  a.reversal = getWindowReversal();
  if (auto padding = getPadding())
    a.padding = *padding;
  a.dims = getDimensionNumbers();
  a.featureGroups = getFeatureGroupCount();
  a.batchGroups = getBatchGroupCount();
  if (auto precision = getPrecisionConfig())
    a.precision = *precision;
  SmallVector<int64_t> shape;
  if (failed(inferConvolutionShape({getLoc(), getOperationName()}, a, shape)))
    return failure();
  if (failed(checkCompatibleShape(*this, "result", getResult().getType().getShape(),
                                  shape)))
    return failure();
  if (failed(verifyQuantizedContraction(*this, getLhs().getType(), getRhs().getType(),
                                        getResult().getType())))
    return failure();
  // (C29, C30) per-axis rhs and result are quantized along their output features.
  auto axisOf = [](Type t) -> std::optional<int64_t> {
    if (auto q = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(getElementTypeOrSelf(t)))
      return q.getQuantizedDimension();
    return std::nullopt;
  };
  auto dims = getDimensionNumbers();
  if (auto axis = axisOf(getRhs().getType());
      axis && *axis != dims.getKernelOutputFeatureDimension())
    return emitOpError() << "needs rhs's quantization dimension " << *axis
                         << " to be kernel_output_feature_dimension "
                         << dims.getKernelOutputFeatureDimension();
  if (auto axis = axisOf(getResult().getType());
      axis && *axis != dims.getOutputFeatureDimension())
    return emitOpError() << "needs the result's quantization dimension " << *axis
                         << " to be output_feature_dimension "
                         << dims.getOutputFeatureDimension();
  return success();
}
