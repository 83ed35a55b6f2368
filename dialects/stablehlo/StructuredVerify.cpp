//===- StructuredVerify.cpp - checks shared by the structured ops ---------===//
#include "dialects/stablehlo/StructuredVerify.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::stablehlo;

namespace mlir::stablehlo::detail {

LogicalResult checkDimsInRange(std::optional<Location> loc, StringRef name,
                               ArrayRef<int64_t> dims, int64_t rank) {
  for (int64_t d : dims)
    if (d < 0 || d >= rank)
      return emitOptionalError(loc, name, " has dimension ", d,
                               " out of range [0, ", rank, ")");
  return success();
}

LogicalResult checkUnique(std::optional<Location> loc, StringRef name,
                          ArrayRef<int64_t> dims) {
  llvm::SmallSet<int64_t, 8> seen;
  for (int64_t d : dims)
    if (!seen.insert(d).second)
      return emitOptionalError(loc, name, " has dimension ", d, " twice");
  return success();
}

std::string listString(ArrayRef<int64_t> values);

LogicalResult checkSortedUnique(std::optional<Location> loc, StringRef name,
                                ArrayRef<int64_t> dims) {
  for (size_t i = 1; i < dims.size(); ++i)
    if (dims[i - 1] >= dims[i])
      return emitOptionalError(loc, name,
                               " must be sorted ascending without repeats, got ",
                               listString(dims));
  return success();
}

std::string listString(ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return text;
}

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  if (shape.empty())
    os << "(scalar)";
  return text;
}

LogicalResult checkCompatibleShape(Location loc, StringRef what,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> expected) {
  bool ok = shape.size() == expected.size() &&
            llvm::all_of(llvm::zip(shape, expected), [](auto pair) {
              return compatibleDims(std::get<0>(pair), std::get<1>(pair));
            });
  if (!ok)
    return emitError(loc) << what << " shape " << shapeString(shape)
                          << " does not match the inferred shape "
                          << shapeString(expected);
  return success();
}

RankedTensorType scalarOf(Type type) {
  if (auto shaped = llvm::dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return RankedTensorType::get({}, type);
}

LogicalResult checkRegion(Operation *op, Region &region, StringRef what,
                          ArrayRef<Type> argTypes, ArrayRef<Type> resultTypes) {
  if (!region.hasOneBlock())
    return op->emitOpError() << what << " must have exactly one block";
  Block &block = region.front();
  if (block.getNumArguments() != argTypes.size())
    return op->emitOpError()
           << what << " must take " << argTypes.size() << " arguments, got "
           << block.getNumArguments();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip(block.getArgumentTypes(), argTypes))) {
    auto [actual, expected] = pair;
    if (expected && actual != expected)
      return op->emitOpError() << what << " argument #" << i << " must be "
                               << expected << ", got " << actual;
  }
  Operation *terminator = block.empty() ? nullptr : &block.back();
  auto ret = llvm::dyn_cast_or_null<ReturnOp>(terminator);
  if (!ret)
    return op->emitOpError() << what << " must end with stablehlo.return";
  if (ret->getNumOperands() != resultTypes.size())
    return op->emitOpError()
           << what << " must return " << resultTypes.size()
           << " values, got " << ret->getNumOperands();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip(ret->getOperandTypes(), resultTypes))) {
    auto [actual, expected] = pair;
    if (expected && actual != expected)
      return op->emitOpError() << what << " result #" << i << " must be "
                               << expected << ", got " << actual;
  }
  return success();
}

namespace {
// `from` can be widened to `to` without changing kind (spec: is_promotable).
bool isPromotable(Type from, Type to) {
  if (from == to)
    return true;
  if (llvm::isa<FloatType>(from) && llvm::isa<FloatType>(to))
    return from.getIntOrFloatBitWidth() <= to.getIntOrFloatBitWidth();
  auto fi = llvm::dyn_cast<IntegerType>(from);
  auto ti = llvm::dyn_cast<IntegerType>(to);
  if (fi && ti)
    return fi.getSignedness() == ti.getSignedness() &&
           fi.getWidth() <= ti.getWidth();
  return false;
}
} // namespace

LogicalResult checkReducerBody(Operation *op, Region &region, StringRef what,
                               TypeRange accumulatorTypes,
                               TypeRange inputElementTypes) {
  size_t n = accumulatorTypes.size();
  SmallVector<Type> scalars;
  for (Type t : accumulatorTypes)
    scalars.push_back(scalarOf(t));
  SmallVector<Type> args(scalars);
  args.append(scalars);
  if (failed(checkRegion(op, region, what, args, scalars)))
    return failure();
  for (size_t i = 0; i < n && i < inputElementTypes.size(); ++i) {
    Type acc = llvm::cast<RankedTensorType>(scalars[i]).getElementType();
    if (!isPromotable(inputElementTypes[i], acc))
      return op->emitOpError()
             << what << ": input #" << i << " has element type "
             << inputElementTypes[i]
             << ", which the accumulator element type " << acc
             << " cannot hold";
  }
  return success();
}

LogicalResult checkReplicaGroups(Operation *op, DenseIntElementsAttr groups,
                                 bool allowEmpty, bool allowPadding,
                                 bool dense) {
  if (!groups)
    return success();
  auto type = llvm::cast<ShapedType>(groups.getType());
  if (type.getRank() != 2)
    return op->emitOpError() << "replica_groups must be a 2-d tensor, got rank "
                             << type.getRank();
  if (!allowEmpty && type.getNumElements() == 0)
    return op->emitOpError() << "replica_groups must not be empty";
  // The ids (without -1 padding) are 0, 1, ..., n-1, each once.
  SmallVector<int64_t> ids;
  for (int64_t id : groups.getValues<int64_t>()) {
    if (id == -1 && allowPadding)
      continue;
    if (id < 0)
      return op->emitOpError() << "replica id " << id << " in replica_groups "
                               << (allowPadding ? "is below -1" : "is negative");
    ids.push_back(id);
  }
  if (!dense)
    return checkUnique(op->getLoc(), "replica_groups", ids);
  SmallVector<bool> seen(ids.size(), false);
  for (int64_t id : ids) {
    if (id >= static_cast<int64_t>(ids.size()))
      return op->emitOpError()
             << "replica id " << id << " out of range: replica_groups hold "
             << ids.size() << " ids, which must be 0.." << ids.size() - 1;
    if (seen[id])
      return op->emitOpError()
             << "replica id " << id << " appears more than once in replica_groups";
    seen[id] = true;
  }
  return success();
}

LogicalResult checkWindow(Operation *op, int64_t rank,
                          ArrayRef<int64_t> dimensions,
                          std::optional<ArrayRef<int64_t>> strides,
                          std::optional<ArrayRef<int64_t>> baseDilations,
                          std::optional<ArrayRef<int64_t>> windowDilations,
                          DenseIntElementsAttr padding) {
  auto sized = [&](StringRef name, ArrayRef<int64_t> values,
                   int64_t min) -> LogicalResult {
    if (static_cast<int64_t>(values.size()) != rank)
      return op->emitOpError() << name << " has " << values.size()
                               << " entries, expected the rank " << rank;
    for (int64_t v : values)
      if (v < min)
        return op->emitOpError()
               << name << " entries must be >= " << min << ", got " << v;
    return success();
  };
  if (failed(sized("window_dimensions", dimensions, 1)))
    return failure();
  if (strides && failed(sized("window_strides", *strides, 1)))
    return failure();
  if (baseDilations && failed(sized("base_dilations", *baseDilations, 1)))
    return failure();
  if (windowDilations && failed(sized("window_dilations", *windowDilations, 1)))
    return failure();
  if (padding) {
    auto type = llvm::cast<ShapedType>(padding.getType());
    if (type.getRank() != 2 || type.getDimSize(1) != 2 ||
        type.getDimSize(0) != rank)
      return op->emitOpError() << "padding must have shape " << rank
                               << "x2, got "
                               << shapeString(type.getShape());
  }
  return success();
}

} // namespace mlir::stablehlo::detail
