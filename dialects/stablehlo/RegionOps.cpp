//===- RegionOps.cpp - verifiers and type inference of the region ops -----===//
#include "dialects/stablehlo/StructuredVerify.h"

using namespace mlir;
using namespace mlir::stablehlo;
using namespace mlir::stablehlo::detail;

namespace {

// All `values` have the shape of the first (compatible dims); `what` names them.
LogicalResult checkSameShapes(Operation *op, StringRef what, ValueRange values) {
  if (values.empty())
    return op->emitOpError() << "needs at least one " << what;
  auto first = llvm::cast<ShapedType>(values.front().getType());
  for (Value v : values.drop_front()) {
    auto type = llvm::cast<ShapedType>(v.getType());
    bool ok = type.getRank() == first.getRank() &&
              llvm::all_of(llvm::zip(type.getShape(), first.getShape()),
                           [](auto p) {
                             return compatibleDims(std::get<0>(p),
                                                   std::get<1>(p));
                           });
    if (!ok)
      return op->emitOpError()
             << "all " << what << "s must have the same shape, got "
             << shapeString(first.getShape()) << " and "
             << shapeString(type.getShape());
  }
  return success();
}

// Init values are 0-d tensors, one per input.
LogicalResult checkInits(Operation *op, ValueRange inputs, ValueRange inits) {
  if (inputs.size() != inits.size())
    return op->emitOpError() << "needs one init value per input, got "
                             << inputs.size() << " inputs and " << inits.size()
                             << " init values";
  for (auto [i, v] : llvm::enumerate(inits))
    if (llvm::cast<ShapedType>(v.getType()).getRank() != 0)
      return op->emitOpError() << "init value #" << i
                               << " must be a 0-d tensor, got " << v.getType();
  return success();
}

SmallVector<Type> elementTypes(ValueRange values) {
  SmallVector<Type> types;
  for (Value v : values)
    types.push_back(llvm::cast<ShapedType>(v.getType()).getElementType());
  return types;
}

// The results must be `expected` (shape-compatible, same element types).
LogicalResult checkResults(Operation *op, TypeRange expected) {
  if (op->getNumResults() != expected.size())
    return op->emitOpError() << "must have " << expected.size()
                             << " results, got " << op->getNumResults();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip(op->getResultTypes(), expected))) {
    auto [actual, want] = pair;
    auto a = llvm::dyn_cast<RankedTensorType>(actual);
    auto w = llvm::dyn_cast<RankedTensorType>(want);
    if (!a || !w) {
      if (actual != want)
        return op->emitOpError() << "result #" << i << " must be " << want
                                 << ", got " << actual;
      continue;
    }
    if (a.getElementType() != w.getElementType())
      return op->emitOpError() << "result #" << i << " must have element type "
                               << w.getElementType() << ", got "
                               << a.getElementType();
    if (failed(checkCompatibleShape(op->getLoc(),
                                    ("result #" + Twine(i)).str(),
                                    a.getShape(), w.getShape())))
      return failure();
  }
  return success();
}

bool compatibleTypes(Type l, Type r) {
  auto a = llvm::dyn_cast<RankedTensorType>(l);
  auto b = llvm::dyn_cast<RankedTensorType>(r);
  if (!a || !b)
    return l == r;
  return a.getElementType() == b.getElementType() &&
         a.getRank() == b.getRank() &&
         llvm::all_of(llvm::zip(a.getShape(), b.getShape()), [](auto p) {
           return compatibleDims(std::get<0>(p), std::get<1>(p));
         });
}

// Shape after a window reduction (reduce_window, select_and_scatter's source).
SmallVector<int64_t> windowedShape(ArrayRef<int64_t> input,
                                   ArrayRef<int64_t> window,
                                   std::optional<ArrayRef<int64_t>> strides,
                                   std::optional<ArrayRef<int64_t>> baseDil,
                                   std::optional<ArrayRef<int64_t>> winDil,
                                   std::optional<DenseIntElementsAttr> padding) {
  SmallVector<int64_t> pad(2 * input.size(), 0);
  if (padding && *padding)
    pad.assign(padding->getValues<int64_t>().begin(),
               padding->getValues<int64_t>().end());
  SmallVector<int64_t> shape;
  for (size_t d = 0; d < input.size(); ++d) {
    if (ShapedType::isDynamic(input[d])) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t stride = strides ? (*strides)[d] : 1;
    int64_t bd = baseDil ? (*baseDil)[d] : 1;
    int64_t wd = winDil ? (*winDil)[d] : 1;
    int64_t dilatedIn = input[d] == 0 ? 0 : (input[d] - 1) * bd + 1;
    int64_t padded = pad[2 * d] + dilatedIn + pad[2 * d + 1];
    int64_t dilatedWin = window[d] == 0 ? 0 : (window[d] - 1) * wd + 1;
    shape.push_back(padded < dilatedWin ? 0
                                        : (padded - dilatedWin) / stride + 1);
  }
  return shape;
}

// A region without arguments returning `types` (if/case branches).
LogicalResult checkBranch(Operation *op, Region &region, StringRef what,
                          TypeRange types) {
  SmallVector<Type> expected(types.begin(), types.end());
  return checkRegion(op, region, what, {}, expected);
}

} // namespace

//===----------------------------------------------------------------------===//
// reduce
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  if (operands.empty() || operands.size() % 2 != 0)
    return emitOptionalError(location, "reduce needs as many init values as "
                                       "inputs, got ",
                             operands.size(), " operands");
  ReduceOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto dims = llvm::dyn_cast_or_null<DenseI64ArrayAttr>(
      adaptor.getProperties().dimensions);
  if (!dims)
    return emitOptionalError(location, "reduce needs `dimensions`");
  auto input = llvm::dyn_cast<RankedTensorType>(adaptor.getInputs()[0].getType());
  if (!input)
    return emitOptionalError(location, "reduce needs ranked tensor inputs");
  if (failed(checkDimsInRange(location, "dimensions", dims.asArrayRef(),
                              input.getRank())) ||
      failed(checkUnique(location, "dimensions", dims.asArrayRef())))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < input.getRank(); ++d)
    if (!llvm::is_contained(dims.asArrayRef(), d))
      shape.push_back(input.getDimSize(d));
  for (Value init : adaptor.getInitValues()) {
    auto type = llvm::dyn_cast<ShapedType>(init.getType());
    if (!type)
      return emitOptionalError(location, "reduce needs tensor init values");
    inferredReturnTypes.push_back(
        RankedTensorType::get(shape, type.getElementType()));
  }
  return success();
}

bool ReduceOp::isCompatibleReturnTypes(TypeRange l, TypeRange r) {
  return l.size() == r.size() &&
         llvm::all_of(llvm::zip(l, r), [](auto p) {
           return compatibleTypes(std::get<0>(p), std::get<1>(p));
         });
}

LogicalResult ReduceOp::verify() {
  if (failed(checkSameShapes(*this, "input", getInputs())) ||
      failed(checkInits(*this, getInputs(), getInitValues())))
    return failure();
  SmallVector<Type> accumulators(getInitValues().getTypes());
  return checkReducerBody(*this, getBody(), "body", accumulators,
                          elementTypes(getInputs()));
}

//===----------------------------------------------------------------------===//
// reduce_window
//===----------------------------------------------------------------------===//

LogicalResult ReduceWindowOp::verify() {
  if (failed(checkSameShapes(*this, "input", getInputs())) ||
      failed(checkInits(*this, getInputs(), getInitValues())))
    return failure();
  auto input = llvm::cast<RankedTensorType>(getInputs().front().getType());
  if (failed(checkWindow(*this, input.getRank(), getWindowDimensions(),
                         getWindowStrides(), getBaseDilations(),
                         getWindowDilations(),
                         getPadding() ? *getPadding() : DenseIntElementsAttr())))
    return failure();
  SmallVector<Type> accumulators(getInitValues().getTypes());
  if (failed(checkReducerBody(*this, getBody(), "body", accumulators,
                              elementTypes(getInputs()))))
    return failure();
  SmallVector<int64_t> shape =
      windowedShape(input.getShape(), getWindowDimensions(), getWindowStrides(),
                    getBaseDilations(), getWindowDilations(), getPadding());
  SmallVector<Type> expected;
  for (Value init : getInitValues())
    expected.push_back(RankedTensorType::get(
        shape, llvm::cast<ShapedType>(init.getType()).getElementType()));
  return checkResults(*this, expected);
}

//===----------------------------------------------------------------------===//
// select_and_scatter
//===----------------------------------------------------------------------===//

LogicalResult SelectAndScatterOp::verify() {
  auto operand = llvm::cast<RankedTensorType>(getOperand().getType());
  auto source = llvm::cast<RankedTensorType>(getSource().getType());
  auto init = llvm::cast<RankedTensorType>(getInitValue().getType());
  int64_t rank = operand.getRank();
  if (init.getRank() != 0)
    return emitOpError() << "init_value must be a 0-d tensor, got " << init;
  SmallVector<int64_t> window(rank, 1);
  if (auto dims = getWindowDimensions())
    window.assign(dims->begin(), dims->end());
  if (failed(checkWindow(*this, rank, window, getWindowStrides(), std::nullopt,
                         std::nullopt,
                         getPadding() ? *getPadding() : DenseIntElementsAttr())))
    return failure();
  Type element = scalarOf(operand);
  Type pred = RankedTensorType::get({}, IntegerType::get(getContext(), 1));
  if (failed(checkRegion(*this, getSelect(), "select", {element, element},
                         {pred})))
    return failure();
  SmallVector<Type> accumulators{init};
  SmallVector<Type> elements{source.getElementType()};
  if (failed(checkReducerBody(*this, getScatter(), "scatter", accumulators,
                              elements)))
    return failure();
  SmallVector<int64_t> expectedSource =
      windowedShape(operand.getShape(), window, getWindowStrides(), std::nullopt,
                    std::nullopt, getPadding());
  if (failed(checkCompatibleShape(getLoc(), "source", source.getShape(),
                                  expectedSource)))
    return failure();
  SmallVector<Type> expected{
      RankedTensorType::get(operand.getShape(), init.getElementType())};
  return checkResults(*this, expected);
}

//===----------------------------------------------------------------------===//
// sort
//===----------------------------------------------------------------------===//

LogicalResult SortOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferredReturnTypes) {
  llvm::append_range(inferredReturnTypes, operands.getTypes());
  return success();
}

LogicalResult SortOp::verify() {
  if (failed(checkSameShapes(*this, "input", getInputs())))
    return failure();
  int64_t rank = llvm::cast<ShapedType>(getInputs().front().getType()).getRank();
  int64_t dim = getDimension();
  if (dim < -rank || dim >= std::max<int64_t>(rank, 1))
    return emitOpError() << "dimension " << dim << " out of range [" << -rank
                         << ", " << rank << ")";
  SmallVector<Type> args;
  for (Value v : getInputs()) {
    args.push_back(scalarOf(v.getType()));
    args.push_back(scalarOf(v.getType()));
  }
  Type pred = RankedTensorType::get({}, IntegerType::get(getContext(), 1));
  return checkRegion(*this, getComparator(), "comparator", args, {pred});
}

//===----------------------------------------------------------------------===//
// map
//===----------------------------------------------------------------------===//

LogicalResult MapOp::verify() {
  if (failed(checkSameShapes(*this, "input", getInputs())))
    return failure();
  int64_t rank = llvm::cast<ShapedType>(getInputs().front().getType()).getRank();
  ArrayRef<int64_t> dims = getDimensions();
  bool identity = static_cast<int64_t>(dims.size()) == rank;
  for (int64_t d = 0; identity && d < rank; ++d)
    identity = dims[d] == d;
  if (!identity)
    return emitOpError() << "dimensions must be [0, ..., " << rank - 1
                         << "] (all dimensions in order), got "
                         << listString(dims);
  SmallVector<Type> args;
  for (Value v : getInputs())
    args.push_back(scalarOf(v.getType()));
  auto resultType = llvm::cast<RankedTensorType>(getResult().getType());
  return checkRegion(*this, getComputation(), "computation", args,
                     {scalarOf(resultType)});
}

//===----------------------------------------------------------------------===//
// while
//===----------------------------------------------------------------------===//

LogicalResult WhileOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferredReturnTypes) {
  llvm::append_range(inferredReturnTypes, operands.getTypes());
  return success();
}

LogicalResult WhileOp::verify() {
  SmallVector<Type> types(getOperand().getTypes());
  Type pred = RankedTensorType::get({}, IntegerType::get(getContext(), 1));
  if (failed(checkRegion(*this, getCond(), "cond", types, {pred})) ||
      failed(checkRegion(*this, getBody(), "body", types, types)))
    return failure();
  return success();
}

void WhileOp::getAsmBlockArgumentNames(Region &region,
                                       OpAsmSetValueNameFn setNameFn) {
  for (BlockArgument arg : region.getArguments())
    setNameFn(arg, "iterArg");
}

//===----------------------------------------------------------------------===//
// if, case
//===----------------------------------------------------------------------===//

LogicalResult IfOp::verify() {
  if (failed(checkBranch(*this, getTrueBranch(), "true_branch",
                         getResultTypes())) ||
      failed(checkBranch(*this, getFalseBranch(), "false_branch",
                         getResultTypes())))
    return failure();
  return success();
}

LogicalResult CaseOp::verify() {
  if (getBranches().empty())
    return emitOpError() << "needs at least one branch";
  for (auto [i, region] : llvm::enumerate(getBranches()))
    if (failed(checkBranch(*this, region, ("branch #" + Twine(i)).str(),
                           getResultTypes())))
      return failure();
  return success();
}
