//===- DotOps.cpp - dot_general and dot: verifiers, shape inference -------===//
#include "dialects/stablehlo/StructuredVerify.h"

using namespace mlir;
using namespace mlir::stablehlo;
using namespace mlir::stablehlo::detail;

namespace {

// spec dot_general (C1)-(C12) on shapes; on success `shape` is the result
// shape: batch dims, then lhs's free dims, then rhs's free dims.
LogicalResult inferDotGeneralShape(const OpLoc &loc,
                                   RankedTensorType lhs, RankedTensorType rhs,
                                   DotDimensionNumbersAttr dims,
                                   SmallVectorImpl<int64_t> &shape) {
  ArrayRef<int64_t> lb = dims.getLhsBatchingDimensions();
  ArrayRef<int64_t> rb = dims.getRhsBatchingDimensions();
  ArrayRef<int64_t> lc = dims.getLhsContractingDimensions();
  ArrayRef<int64_t> rc = dims.getRhsContractingDimensions();
  if (lb.size() != rb.size())
    return emitAt(loc, "lhs and rhs need the same number of "
                                  "batching dimensions, got ",
                             lb.size(), " and ", rb.size());
  if (lc.size() != rc.size())
    return emitAt(loc, "lhs and rhs need the same number of "
                                  "contracting dimensions, got ",
                             lc.size(), " and ", rc.size());
  SmallVector<int64_t> lhsUsed(lb), rhsUsed(rb);
  lhsUsed.append(lc.begin(), lc.end());
  rhsUsed.append(rc.begin(), rc.end());
  if (failed(checkUnique(loc, "lhs batching and contracting dimensions",
                         lhsUsed)) ||
      failed(checkUnique(loc, "rhs batching and contracting dimensions",
                         rhsUsed)) ||
      failed(checkDimsInRange(loc, "lhs_batching_dimensions", lb,
                              lhs.getRank())) ||
      failed(checkDimsInRange(loc, "lhs_contracting_dimensions", lc,
                              lhs.getRank())) ||
      failed(checkDimsInRange(loc, "rhs_batching_dimensions", rb,
                              rhs.getRank())) ||
      failed(checkDimsInRange(loc, "rhs_contracting_dimensions", rc,
                              rhs.getRank())))
    return failure();
  ArrayRef<int64_t> ls = lhs.getShape(), rs = rhs.getShape();
  for (auto [l, r] : llvm::zip(lb, rb))
    if (!compatibleDims(ls[l], rs[r]))
      return emitAt(loc, "batching dimension sizes differ: lhs "
                                    "dimension ",
                               l, " has size ", ls[l], ", rhs dimension ", r,
                               " has size ", rs[r]);
  for (auto [l, r] : llvm::zip(lc, rc))
    if (!compatibleDims(ls[l], rs[r]))
      return emitAt(loc, "contracting dimension sizes differ: lhs "
                                    "dimension ",
                               l, " has size ", ls[l], ", rhs dimension ", r,
                               " has size ", rs[r]);
  shape.clear();
  for (auto [l, r] : llvm::zip(lb, rb))
    shape.push_back(ShapedType::isDynamic(ls[l]) ? rs[r] : ls[l]);
  for (int64_t d = 0; d < lhs.getRank(); ++d)
    if (!llvm::is_contained(lhsUsed, d))
      shape.push_back(ls[d]);
  for (int64_t d = 0; d < rhs.getRank(); ++d)
    if (!llvm::is_contained(rhsUsed, d))
      shape.push_back(rs[d]);
  return success();
}

LogicalResult verifyPrecisionConfig(Operation *op,
                                    std::optional<ArrayAttr> precision) {
  if (precision && !precision->empty() && precision->size() != 2)
    return op->emitOpError() << "precision_config must have 0 or 2 entries, got "
                             << precision->size();
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// dot_general
//===----------------------------------------------------------------------===//

LogicalResult DotGeneralOp::inferReturnTypeComponents(
    MLIRContext *, std::optional<Location> location, ValueShapeRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<ShapedTypeComponents> &inferredReturnShapes) {
  OpLoc at{location, getOperationName()};
  DotGeneralOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto lhs = llvm::dyn_cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = llvm::dyn_cast<RankedTensorType>(adaptor.getRhs().getType());
  auto dims = llvm::dyn_cast_or_null<DotDimensionNumbersAttr>(
      adaptor.getProperties().dot_dimension_numbers);
  if (!lhs || !rhs || !dims)
    return emitAt(at, "needs ranked tensor operands and "
                             "dot_dimension_numbers");
  SmallVector<int64_t> shape;
  if (failed(inferDotGeneralShape(at, lhs, rhs, dims, shape)))
    return failure();
  // The element type is the result's own (it may differ from the operands').
  inferredReturnShapes.emplace_back(shape);
  return success();
}

LogicalResult DotGeneralOp::verify() {
  SmallVector<int64_t> shape;
  if (failed(inferDotGeneralShape({getLoc(), getOperationName()}, getLhs().getType(),
                                  getRhs().getType(), getDotDimensionNumbers(),
                                  shape)))
    return failure();
  if (failed(checkCompatibleShape(*this, "result",
                                  getResult().getType().getShape(), shape)))
    return failure();
  if (failed(verifyPrecisionConfig(*this, getPrecisionConfig())))
    return failure();
  if (getAlgorithm()) {
    if (std::optional<ArrayAttr> precision = getPrecisionConfig())
      for (Attribute a : *precision)
        if (auto p = llvm::dyn_cast<PrecisionAttr>(a);
            p && p.getValue() != Precision::DEFAULT)
          return emitOpError()
                 << "precision_config must be DEFAULT when an algorithm is set";
  }
  Type le = getLhs().getType().getElementType();
  Type re = getRhs().getType().getElementType();
  Type out = getResult().getType().getElementType();
  bool lbool = le.isInteger(1), rbool = re.isInteger(1), obool = out.isInteger(1);
  if (lbool != rbool || (lbool && !obool))
    return emitOpError() << "boolean operands need a boolean result and each "
                            "other, got "
                         << le << ", " << re << " -> " << out;
  if (failed(verifyQuantizedContraction(*this, getLhs().getType(), getRhs().getType(),
                                        getResult().getType())))
    return failure();
  // (C15) zero_points(rhs) = 0; (C16) a per-axis rhs's quantization dimension
  // is not contracted.
  if (auto rhs = llvm::dyn_cast<quant::UniformQuantizedType>(re);
      rhs && rhs.getZeroPoint() != 0)
    return emitOpError() << "needs a quantized rhs with zero point 0, got " << rhs;
  if (auto rhs = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(re)) {
    if (llvm::any_of(rhs.getZeroPoints(), [](int64_t z) { return z != 0; }))
      return emitOpError() << "needs a quantized rhs with zero points 0, got " << rhs;
    if (llvm::is_contained(getDotDimensionNumbers().getRhsContractingDimensions(),
                           rhs.getQuantizedDimension()))
      return emitOpError() << "needs rhs's quantization dimension "
                           << rhs.getQuantizedDimension()
                           << " outside its contracting dimensions, got " << rhs;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// dot (legacy): [m]x[m] -> [], [n,m]x[m] -> [n], [m]x[m,k] -> [k],
// [n,m]x[m,k] -> [n,k]
//===----------------------------------------------------------------------===//

LogicalResult DotOp::verify() {
  RankedTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  if (lhs.getRank() < 1 || lhs.getRank() > 2 || rhs.getRank() < 1 ||
      rhs.getRank() > 2)
    return emitOpError() << "operands must be vectors or matrices, got ranks "
                         << lhs.getRank() << " and " << rhs.getRank();
  int64_t lk = lhs.getDimSize(lhs.getRank() - 1), rk = rhs.getDimSize(0);
  if (!compatibleDims(lk, rk))
    return emitOpError() << "contracting dimension sizes differ: " << lk
                         << " (lhs) and " << rk << " (rhs)";
  SmallVector<int64_t> shape;
  if (lhs.getRank() == 2)
    shape.push_back(lhs.getDimSize(0));
  if (rhs.getRank() == 2)
    shape.push_back(rhs.getDimSize(1));
  if (failed(checkCompatibleShape(*this, "result",
                                  getResult().getType().getShape(), shape)))
    return failure();
  return verifyPrecisionConfig(*this, getPrecisionConfig());
}
