//===- ShapeOps.cpp - hand-written parts of the shape ops -----------------===//
#include "dialects/stablehlo/StablehloOps.h"
#include "dialects/stablehlo/SimpleOpsUtils.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <string>

using namespace mlir;
using namespace mlir::stablehlo;

//===----------------------------------------------------------------------===//
// ConstantOp: `stablehlo.constant dense<1.0> : tensor<f32>`
//===----------------------------------------------------------------------===//

ParseResult ConstantOp::parse(OpAsmParser &parser, OperationState &result) {
  // The pretty form is an optional attr-dict, then a typed elements literal.
  if (parser.parseOptionalAttrDict(result.attributes))
    return failure();
  llvm::SMLoc loc = parser.getCurrentLocation();
  TypedAttr value;
  if (parser.parseAttribute(value))
    return failure();
  auto elements = llvm::dyn_cast<ElementsAttr>(value);
  if (!elements)
    return parser.emitError(loc, "expected an elements literal for the constant");
  result.addAttribute("value", elements);
  result.addTypes(elements.getType());
  return success();
}

void ConstantOp::print(OpAsmPrinter &p) {
  p.printOptionalAttrDict((*this)->getAttrs(), /*elidedAttrs=*/{"value"});
  p << ' ';
  p.printAttribute(getValue());
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

RankedTensorType rankedType(Value v) {
  return llvm::dyn_cast<RankedTensorType>(v.getType());
}

// `[a, b, c]` for diagnostics.
std::string formatList(ArrayRef<int64_t> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleaveComma(values, os, [&](int64_t v) {
    if (ShapedType::isDynamic(v))
      os << '?';
    else
      os << v;
  });
  os << ']';
  return s;
}

// Each value in [0, rank) and no value twice.
LogicalResult checkDimensions(function_ref<InFlightDiagnostic()> emitError,
                              StringRef what, ArrayRef<int64_t> dims,
                              int64_t rank) {
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t d : dims) {
    if (d < 0 || d >= rank)
      return emitError() << what << " " << formatList(dims)
                         << " has a value out of range [0, " << rank << ")";
    if (!seen.insert(d).second)
      return emitError() << what << " " << formatList(dims)
                         << " has the value " << d << " more than once";
  }
  return success();
}

// Length of a 1-D shape operand if static, else nullopt.
std::optional<int64_t> shapeOperandLength(Value shape) {
  auto type = rankedType(shape);
  if (!type || type.getRank() != 1 || type.isDynamicDim(0))
    return std::nullopt;
  return type.getDimSize(0);
}

} // namespace

//===----------------------------------------------------------------------===//
// iota, dynamic_iota
//===----------------------------------------------------------------------===//

LogicalResult IotaOp::verify() {
  auto type = llvm::cast<RankedTensorType>(getOutput().getType());
  // (C1) 0 <= iota_dimension < rank(output).
  if (static_cast<int64_t>(getIotaDimension()) >= type.getRank())
    return emitOpError("iota_dimension ")
           << getIotaDimension() << " is out of range for the result " << type
           << " of rank " << type.getRank();
  return success();
}

LogicalResult DynamicIotaOp::verify() {
  auto type = llvm::cast<RankedTensorType>(getResult().getType());
  if (static_cast<int64_t>(getIotaDimension()) >= type.getRank())
    return emitOpError("iota_dimension ")
           << getIotaDimension() << " is out of range for the result " << type
           << " of rank " << type.getRank();
  if (auto n = shapeOperandLength(getOutputShape()); n && *n != type.getRank())
    return emitOpError("output_shape has ")
           << *n << " elements but the result has rank " << type.getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// broadcast_in_dim, broadcast, dynamic_broadcast_in_dim
//===----------------------------------------------------------------------===//

static LogicalResult verifyBroadcastDims(Operation *op, RankedTensorType operand,
                                         RankedTensorType result,
                                         ArrayRef<int64_t> dims) {
  auto emitError = [&]() { return op->emitOpError(); };
  // (C2) size(broadcast_dimensions) = rank(operand).
  if (static_cast<int64_t>(dims.size()) != operand.getRank())
    return op->emitOpError("broadcast_dimensions ")
           << formatList(dims) << " must have one entry per operand dimension ("
           << operand.getRank() << "), got " << dims.size();
  // (C3, C4) 0 <= dims < rank(result), unique.
  if (failed(checkDimensions(emitError, "broadcast_dimensions", dims,
                             result.getRank())))
    return failure();
  // (C5) dim(operand, i) = 1 or dim(operand, i) = dim(result, dims[i]).
  for (auto [i, d] : llvm::enumerate(dims)) {
    int64_t in = operand.getDimSize(i), out = result.getDimSize(d);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out) || in == 1 ||
        in == out)
      continue;
    return op->emitOpError("operand dimension ")
           << i << " of size " << in << " cannot be broadcast to result dimension "
           << d << " of size " << out;
  }
  return success();
}

LogicalResult BroadcastInDimOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  ArrayRef<int64_t> dims = getBroadcastDimensions();
  if (failed(verifyBroadcastDims(*this, operand, result, dims)))
    return failure();
  // (C1, C6) quantization_dimension(result) = broadcast_dimensions[quantization_dimension(operand)].
  return verifyMovedElementType(
      *this, operand, result,
      [&](int64_t in, int64_t out) { return dims[in] == out; },
      "broadcast_dimensions[operand's] = result's");
}

LogicalResult BroadcastOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto operand = rankedType(adaptor.getOperand());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  SmallVector<int64_t> shape(adaptor.getBroadcastSizes());
  for (int64_t s : shape)
    if (s < 0)
      return emitOptionalError(loc, "broadcast_sizes ", formatList(shape),
                               " must be non-negative");
  llvm::append_range(shape, operand.getShape());
  inferred.push_back(operand.clone(shape));
  return success();
}

LogicalResult DynamicBroadcastInDimOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  if (auto n = shapeOperandLength(getOutputDimensions()); n && *n != result.getRank())
    return emitOpError("output_dimensions has ")
           << *n << " elements but the result has rank " << result.getRank();
  if (failed(verifyBroadcastDims(*this, operand, result, getBroadcastDimensions())))
    return failure();
  // The known (non)expanding dimensions are operand dimensions, disjoint.
  llvm::SmallDenseSet<int64_t> seen;
  for (auto known : {getKnownExpandingDimensions(), getKnownNonexpandingDimensions()}) {
    if (!known)
      continue;
    for (int64_t d : *known) {
      if (d < 0 || d >= operand.getRank())
        return emitOpError("known (non)expanding dimension ")
               << d << " is out of range for the operand of rank "
               << operand.getRank();
      if (!seen.insert(d).second)
        return emitOpError("dimension ")
               << d << " is listed more than once as known (non)expanding";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// reshape, dynamic_reshape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  // (C2) size(operand) = size(result).
  if (operand.hasStaticShape() && operand.getNumElements() != result.getNumElements())
    return emitOpError("operand ")
           << operand << " has " << operand.getNumElements()
           << " elements but the result " << result << " has "
           << result.getNumElements();
  // (C1, C3) a per-axis quantization dimension keeps its size and the number
  // of elements before (and so after) it.
  auto product = [](RankedTensorType t, int64_t begin, int64_t end) {
    int64_t n = 1;
    for (int64_t d = begin; d < end; ++d)
      n *= t.getDimSize(d);
    return n;
  };
  return verifyMovedElementType(
      *this, operand, result,
      [&](int64_t in, int64_t out) {
        return !operand.hasStaticShape() ||
               (operand.getDimSize(in) == result.getDimSize(out) &&
                product(operand, 0, in) == product(result, 0, out));
      },
      "its size and the product of the dimensions before it are kept");
}

LogicalResult DynamicReshapeOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  if (auto n = shapeOperandLength(getOutputShape()); n && *n != result.getRank())
    return emitOpError("output_shape has ")
           << *n << " elements but the result has rank " << result.getRank();
  if (operand.hasStaticShape() && result.hasStaticShape() &&
      operand.getNumElements() != result.getNumElements())
    return emitOpError("operand ")
           << operand << " and result " << result
           << " have different numbers of elements";
  return success();
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto operand = rankedType(adaptor.getOperand());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  // (C2) permutation is a permutation of [0, rank(operand)).
  if (static_cast<int64_t>(perm.size()) != operand.getRank())
    return emitOptionalError(loc, "'stablehlo.transpose' op permutation ",
                             formatList(perm), " must have ", operand.getRank(),
                             " entries for the operand ", operand);
  llvm::SmallDenseSet<int64_t> seen;
  for (int64_t d : perm)
    if (d < 0 || d >= operand.getRank() || !seen.insert(d).second)
      return emitOptionalError(loc, "'stablehlo.transpose' op permutation ",
                               formatList(perm), " is not a permutation of [0, ",
                               operand.getRank(), ")");
  // (C4) dim(result, i) = dim(operand, permutation[i]).
  SmallVector<int64_t> shape;
  for (int64_t d : perm)
    shape.push_back(operand.getDimSize(d));
  // (C4) quantization_dimension(operand) = permutation[quantization_dimension(result)].
  Type element = operand.getElementType();
  if (auto q = llvm::dyn_cast<quant::UniformQuantizedPerAxisType>(element))
    element = withQuantizedDimension(
        q, llvm::find(perm, q.getQuantizedDimension()) - perm.begin());
  inferred.push_back(RankedTensorType::get(shape, element, operand.getEncoding()));
  return success();
}

//===----------------------------------------------------------------------===//
// slice, dynamic_slice, dynamic_update_slice, real_dynamic_slice
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  auto operand = rankedType(adaptor.getOperand());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> start = adaptor.getStartIndices(),
                    limit = adaptor.getLimitIndices(),
                    strides = adaptor.getStrides();
  int64_t rank = operand.getRank();
  // (C2) size(start) = size(limit) = size(strides) = rank(operand).
  if (static_cast<int64_t>(start.size()) != rank ||
      static_cast<int64_t>(limit.size()) != rank ||
      static_cast<int64_t>(strides.size()) != rank)
    return emitOptionalError(loc, "'stablehlo.slice' op needs one start, limit "
                                  "and stride per dimension of the operand ",
                             operand, ", got ", start.size(), ", ", limit.size(),
                             " and ", strides.size());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t dim = operand.getDimSize(i);
    // (C3) 0 <= start <= limit <= dim; (C4) 0 < stride.
    if (start[i] < 0 || start[i] > limit[i] ||
        (!ShapedType::isDynamic(dim) && limit[i] > dim))
      return emitOptionalError(loc, "'stablehlo.slice' op slice [", start[i], ":",
                               limit[i], "] is out of bounds for dimension ", i,
                               " of size ", dim);
    if (strides[i] <= 0)
      return emitOptionalError(loc, "'stablehlo.slice' op stride ", strides[i],
                               " of dimension ", i, " must be positive");
    shape.push_back((limit[i] - start[i] + strides[i] - 1) / strides[i]);
  }
  inferred.push_back(operand.clone(shape));
  return success();
}

LogicalResult DynamicSliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &inferred) {
  auto operand = rankedType(adaptor.getOperand());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> sizes = adaptor.getSliceSizes();
  int64_t rank = operand.getRank();
  // (C2) size(start_indices) = size(slice_sizes) = rank(operand).
  if (static_cast<int64_t>(adaptor.getStartIndices().size()) != rank)
    return emitOptionalError(loc, "'stablehlo.dynamic_slice' op has ",
                             adaptor.getStartIndices().size(),
                             " start indices for an operand of rank ", rank);
  if (static_cast<int64_t>(sizes.size()) != rank)
    return emitOptionalError(loc, "'stablehlo.dynamic_slice' op slice_sizes ",
                             formatList(sizes), " must have ", rank, " entries");
  // (C4) 0 <= slice_sizes <= shape(operand).
  for (int64_t i = 0; i < rank; ++i) {
    int64_t dim = operand.getDimSize(i);
    if (sizes[i] < 0 || (!ShapedType::isDynamic(dim) && sizes[i] > dim))
      return emitOptionalError(loc, "'stablehlo.dynamic_slice' op slice size ",
                               sizes[i], " of dimension ", i,
                               " is out of range [0, ", dim, "]");
  }
  // (C3) the start indices share one element type.
  Type indexType;
  for (Value v : adaptor.getStartIndices()) {
    Type t = getElementTypeOrSelf(v.getType());
    if (indexType && t != indexType)
      return emitOptionalError(loc, "'stablehlo.dynamic_slice' op start indices "
                                    "must share one element type, got ",
                               indexType, " and ", t);
    indexType = t;
  }
  inferred.push_back(operand.clone(sizes));
  return success();
}

LogicalResult DynamicUpdateSliceOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto update = llvm::cast<RankedTensorType>(getUpdate().getType());
  // (C3) rank(update) = rank(operand); (C4) size(start_indices) = rank(operand).
  if (update.getRank() != operand.getRank())
    return emitOpError("update ") << update << " must have the rank of the operand "
                                  << operand;
  if (static_cast<int64_t>(getStartIndices().size()) != operand.getRank())
    return emitOpError("has ") << getStartIndices().size()
                               << " start indices for an operand of rank "
                               << operand.getRank();
  // (C6) 0 <= shape(update) <= shape(operand).
  for (int64_t i = 0; i < operand.getRank(); ++i) {
    int64_t in = operand.getDimSize(i), up = update.getDimSize(i);
    if (!ShapedType::isDynamic(in) && !ShapedType::isDynamic(up) && up > in)
      return emitOpError("update dimension ")
             << i << " of size " << up << " is larger than the operand's (" << in
             << ")";
  }
  // (C5) the start indices share one element type.
  Type indexType;
  for (Value v : getStartIndices()) {
    Type t = getElementTypeOrSelf(v.getType());
    if (indexType && t != indexType)
      return emitOpError("start indices must share one element type, got ")
             << indexType << " and " << t;
    indexType = t;
  }
  return success();
}

LogicalResult RealDynamicSliceOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  if (result.getRank() != operand.getRank())
    return emitOpError("result ") << result << " must have the rank of the operand "
                                  << operand;
  if (auto n = shapeOperandLength(getStartIndices()); n && *n != operand.getRank())
    return emitOpError("start_indices, limit_indices and strides must have ")
           << operand.getRank() << " elements, got " << *n;
  return success();
}

//===----------------------------------------------------------------------===//
// concatenate
//===----------------------------------------------------------------------===//

LogicalResult ConcatenateOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  ValueRange inputs = adaptor.getInputs();
  // (C1) at least one input.
  if (inputs.empty())
    return emitOptionalError(loc, "'stablehlo.concatenate' op needs at least one input");
  auto first = rankedType(inputs.front());
  if (!first)
    return emitOptionalError(loc, "expected ranked tensor inputs");
  int64_t rank = first.getRank();
  int64_t dim = adaptor.getDimension();
  // (C4) 0 <= dimension < rank(inputs[0]).
  if (dim >= rank)
    return emitOptionalError(loc, "'stablehlo.concatenate' op dimension ", dim,
                             " is out of range for inputs of rank ", rank);
  SmallVector<int64_t> shape(first.getShape());
  shape[dim] = 0;
  for (auto [i, v] : llvm::enumerate(inputs)) {
    auto type = rankedType(v);
    // (C3) same rank; (C5) same shape but along `dimension`.
    if (!type || type.getRank() != rank)
      return emitOptionalError(loc, "'stablehlo.concatenate' op input ", i, " (",
                               v.getType(), ") must have rank ", rank);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == dim) {
        shape[d] = (ShapedType::isDynamic(shape[d]) || ShapedType::isDynamic(size))
                       ? ShapedType::kDynamic
                       : shape[d] + size;
        continue;
      }
      if (ShapedType::isDynamic(shape[d])) {
        shape[d] = size;
      } else if (!ShapedType::isDynamic(size) && size != shape[d]) {
        return emitOptionalError(loc, "'stablehlo.concatenate' op input ", i, " (",
                                 type, ") has size ", size, " in dimension ", d,
                                 ", expected ", shape[d]);
      }
    }
  }
  inferred.push_back(first.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// pad, dynamic_pad
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  auto operand = rankedType(adaptor.getOperand());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> low = adaptor.getEdgePaddingLow(),
                    high = adaptor.getEdgePaddingHigh(),
                    interior = adaptor.getInteriorPadding();
  int64_t rank = operand.getRank();
  // (C2) size(low) = size(high) = size(interior) = rank(operand).
  if (static_cast<int64_t>(low.size()) != rank ||
      static_cast<int64_t>(high.size()) != rank ||
      static_cast<int64_t>(interior.size()) != rank)
    return emitOptionalError(loc, "'stablehlo.pad' op needs one low, high and "
                                  "interior padding per dimension of the operand ",
                             operand, ", got ", low.size(), ", ", high.size(),
                             " and ", interior.size());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    // (C3) 0 <= interior_padding.
    if (interior[i] < 0)
      return emitOptionalError(loc, "'stablehlo.pad' op interior padding ",
                               interior[i], " of dimension ", i,
                               " must be non-negative");
    int64_t dim = operand.getDimSize(i);
    if (ShapedType::isDynamic(dim)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // (C4) dim(result) = low + dim + max(dim - 1, 0) * interior + high.
    int64_t size = low[i] + dim + std::max<int64_t>(dim - 1, 0) * interior[i] + high[i];
    if (size < 0)
      return emitOptionalError(loc, "'stablehlo.pad' op padding of dimension ", i,
                               " gives a negative size ", size);
    shape.push_back(size);
  }
  inferred.push_back(operand.clone(shape));
  return success();
}

LogicalResult DynamicPadOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto result = llvm::cast<RankedTensorType>(getResult().getType());
  if (result.getRank() != operand.getRank())
    return emitOpError("result ") << result << " must have the rank of the operand "
                                  << operand;
  if (auto n = shapeOperandLength(getEdgePaddingLow()); n && *n != operand.getRank())
    return emitOpError("padding operands must have ")
           << operand.getRank() << " elements, got " << *n;
  return success();
}

//===----------------------------------------------------------------------===//
// reverse, get_dimension_size
//===----------------------------------------------------------------------===//

LogicalResult ReverseOp::verify() {
  auto type = llvm::cast<RankedTensorType>(getOperand().getType());
  return checkDimensions([&]() { return emitOpError(); }, "dimensions",
                         getDimensions(), type.getRank());
}

LogicalResult GetDimensionSizeOp::inferReturnTypes(MLIRContext *context,
                                                   std::optional<Location> loc,
                                                   Adaptor adaptor,
                                                   SmallVectorImpl<Type> &inferred) {
  auto operand = rankedType(adaptor.getOperand());
  if (!operand)
    return emitOptionalError(loc, "expected a ranked tensor operand");
  if (static_cast<int64_t>(adaptor.getDimension()) >= operand.getRank())
    return emitOptionalError(loc, "'stablehlo.get_dimension_size' op dimension ",
                             adaptor.getDimension(), " is out of range for ",
                             operand);
  inferred.push_back(RankedTensorType::get({}, IntegerType::get(context, 32)));
  return success();
}

//===----------------------------------------------------------------------===//
// Inferred result types may be more or less static than the declared ones.
//===----------------------------------------------------------------------===//

HLOX_COMPATIBLE_RETURN_TYPES(BroadcastOp)
HLOX_COMPATIBLE_RETURN_TYPES(TransposeOp)
HLOX_COMPATIBLE_RETURN_TYPES(SliceOp)
HLOX_COMPATIBLE_RETURN_TYPES(DynamicSliceOp)
HLOX_COMPATIBLE_RETURN_TYPES(ConcatenateOp)
HLOX_COMPATIBLE_RETURN_TYPES(PadOp)
HLOX_COMPATIBLE_RETURN_TYPES(GetDimensionSizeOp)
