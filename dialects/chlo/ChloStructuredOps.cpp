//===- ChloStructuredOps.cpp - ragged_dot and scan: syntax and verifiers --===//
#include "dialects/chlo/ChloOps.h"

#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::chlo;

//===----------------------------------------------------------------------===//
// #chlo.ragged_dot<lhs_batching_dimensions = [0], ..., rhs_group_dimensions = [0]>
//===----------------------------------------------------------------------===//

namespace {
constexpr llvm::StringLiteral kRaggedDotKeys[] = {
    "lhs_batching_dimensions",    "rhs_batching_dimensions",
    "lhs_contracting_dimensions", "rhs_contracting_dimensions",
    "lhs_ragged_dimensions",      "rhs_group_dimensions"};
} // namespace

Attribute RaggedDotDimensionNumbersAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> dims[6];
  bool seen[6] = {};
  auto parseEntry = [&]() -> ParseResult {
    llvm::SMLoc loc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    auto *it = llvm::find(kRaggedDotKeys, key);
    if (it == std::end(kRaggedDotKeys))
      return parser.emitError(loc) << "unknown ragged_dot dimension list '" << key << "'";
    size_t i = it - std::begin(kRaggedDotKeys);
    if (seen[i])
      return parser.emitError(loc) << "'" << key << "' given twice";
    seen[i] = true;
    return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
      return parser.parseInteger(dims[i].emplace_back());
    });
  };
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::LessGreater, parseEntry))
    return {};
  return get(parser.getContext(), dims[0], dims[1], dims[2], dims[3], dims[4], dims[5]);
}

void RaggedDotDimensionNumbersAttr::print(AsmPrinter &printer) const {
  ArrayRef<int64_t> dims[] = {getLhsBatchingDimensions(),    getRhsBatchingDimensions(),
                              getLhsContractingDimensions(), getRhsContractingDimensions(),
                              getLhsRaggedDimensions(),      getRhsGroupDimensions()};
  printer << '<';
  for (auto [i, list] : llvm::enumerate(dims)) {
    if (i)
      printer << ", ";
    printer << kRaggedDotKeys[i] << " = [";
    llvm::interleaveComma(list, printer.getStream());
    printer << ']';
  }
  printer << '>';
}

//===----------------------------------------------------------------------===//
// ragged_dot
//===----------------------------------------------------------------------===//

namespace {
/// Dimensions in [0, rank), none twice across `lists`.
LogicalResult checkDims(Operation *op, StringRef side, int64_t rank,
                        ArrayRef<ArrayRef<int64_t>> lists) {
  llvm::SmallSet<int64_t, 8> seen;
  for (ArrayRef<int64_t> list : lists)
    for (int64_t d : list) {
      if (d < 0 || d >= rank)
        return op->emitOpError() << side << " dimension " << d << " is out of range for rank "
                                 << rank;
      if (!seen.insert(d).second)
        return op->emitOpError() << side << " dimension " << d << " is named twice";
    }
  return success();
}

SmallVector<int64_t> freeDims(int64_t rank, ArrayRef<ArrayRef<int64_t>> used) {
  SmallVector<int64_t> free;
  for (int64_t d = 0; d < rank; ++d)
    if (llvm::none_of(used, [&](ArrayRef<int64_t> l) { return llvm::is_contained(l, d); }))
      free.push_back(d);
  return free;
}
} // namespace

LogicalResult RaggedDotOp::verify() {
  auto lhs = llvm::cast<RankedTensorType>(getLhs().getType());
  auto rhs = llvm::cast<RankedTensorType>(getRhs().getType());
  auto groups = llvm::cast<RankedTensorType>(getGroupSizes().getType());
  auto result = llvm::cast<RankedTensorType>(getType());
  RaggedDotDimensionNumbersAttr dn = getRaggedDotDimensionNumbers();
  ArrayRef<int64_t> lb = dn.getLhsBatchingDimensions(), rb = dn.getRhsBatchingDimensions(),
                    lc = dn.getLhsContractingDimensions(),
                    rc = dn.getRhsContractingDimensions(),
                    lr = dn.getLhsRaggedDimensions(), rg = dn.getRhsGroupDimensions();
  if (failed(checkDims(*this, "lhs", lhs.getRank(), {lb, lc})) ||
      failed(checkDims(*this, "lhs", lhs.getRank(), {lr})) ||
      failed(checkDims(*this, "rhs", rhs.getRank(), {rb, rc, rg})))
    return failure();
  if (lb.size() != rb.size() || lc.size() != rc.size())
    return emitOpError("lhs and rhs must name as many batching and as many contracting "
                       "dimensions");
  SmallVector<std::pair<int64_t, int64_t>> pairs;
  for (size_t i = 0; i < lb.size(); ++i)
    pairs.push_back({lb[i], rb[i]});
  for (size_t i = 0; i < lc.size(); ++i)
    pairs.push_back({lc[i], rc[i]});
  for (auto [l, r] : pairs) {
    int64_t a = lhs.getDimSize(l), b = rhs.getDimSize(r);
    if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
      return emitOpError() << "lhs dimension " << l << " (size " << a << ") and rhs dimension "
                           << r << " (size " << b << ") must have one size";
  }
  if (lr.size() != 1)
    return emitOpError("needs exactly one lhs ragged dimension");
  if (rg.size() > 1)
    return emitOpError("takes at most one rhs group dimension");
  int64_t ragged = lr.front();
  bool mode1 = !llvm::is_contained(lb, ragged) && !llvm::is_contained(lc, ragged);
  if (mode1 != (rg.size() == 1))
    return emitOpError(mode1 ? "with a non-contracting, non-batching ragged dimension "
                               "needs one rhs group dimension"
                             : "with a contracting or batching ragged dimension takes no rhs "
                               "group dimension");
  if (groups.getRank() < 1)
    return emitOpError("group_sizes must have rank 1 or more");
  int64_t g = groups.getDimSize(groups.getRank() - 1);
  if (mode1 && !ShapedType::isDynamic(g) && !rhs.isDynamicDim(rg.front()) &&
      g != rhs.getDimSize(rg.front()))
    return emitOpError() << "group_sizes has " << g << " groups but the rhs group dimension "
                         << rg.front() << " has size " << rhs.getDimSize(rg.front());
  if (getElementTypeOrSelf(lhs) != getElementTypeOrSelf(rhs) &&
      !(llvm::isa<FloatType>(getElementTypeOrSelf(lhs)) &&
        llvm::isa<FloatType>(getElementTypeOrSelf(rhs))))
    return emitOpError("lhs and rhs must have one element type");

  // The result: [g]? batch..., lhs free..., rhs free... (the group dimension dropped).
  SmallVector<int64_t> expected;
  if (llvm::is_contained(lc, ragged))
    expected.push_back(g);
  for (int64_t d : lb)
    expected.push_back(lhs.getDimSize(d));
  for (int64_t d : freeDims(lhs.getRank(), {lb, lc}))
    expected.push_back(lhs.getDimSize(d));
  for (int64_t d : freeDims(rhs.getRank(), {rb, rc, rg}))
    expected.push_back(rhs.getDimSize(d));
  if (result.getRank() != static_cast<int64_t>(expected.size()))
    return emitOpError() << "result must have rank " << expected.size();
  for (auto [i, size] : llvm::enumerate(expected)) {
    int64_t got = result.getDimSize(i);
    if (!ShapedType::isDynamic(size) && !ShapedType::isDynamic(got) && size != got)
      return emitOpError() << "result dimension " << i << " has size " << got
                           << ", expected " << size;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// scan: `chlo.scan(%x) inits(%c) dimension=0 attributes {...} {body} : (...) -> (...)`
//===----------------------------------------------------------------------===//

ParseResult ScanOp::parse(OpAsmParser &parser, OperationState &result) {
  SmallVector<OpAsmParser::UnresolvedOperand> inputs, inits;
  int64_t dimension = 0;
  FunctionType type;
  Region *body = result.addRegion();
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseOperandList(inputs, OpAsmParser::Delimiter::Paren) ||
      parser.parseKeyword("inits") ||
      parser.parseOperandList(inits, OpAsmParser::Delimiter::Paren) ||
      parser.parseKeyword("dimension") || parser.parseEqual() ||
      parser.parseInteger(dimension) ||
      parser.parseOptionalAttrDictWithKeyword(result.attributes) ||
      parser.parseRegion(*body) || parser.parseColonType(type))
    return failure();
  int32_t numInputs = inputs.size(), numCarries = inits.size();
  if (type.getNumInputs() != inputs.size() + inits.size())
    return parser.emitError(loc) << "has " << inputs.size() + inits.size()
                                 << " operands but its type names " << type.getNumInputs();
  if (static_cast<int32_t>(type.getNumResults()) < numCarries)
    return parser.emitError(loc) << "has fewer results than carries";
  if (parser.resolveOperands(inputs, type.getInputs().take_front(numInputs), loc,
                             result.operands) ||
      parser.resolveOperands(inits, type.getInputs().drop_front(numInputs), loc,
                             result.operands))
    return failure();
  result.addTypes(type.getResults());
  Builder &b = parser.getBuilder();
  result.addAttribute("dimension", b.getI64IntegerAttr(dimension));
  result.addAttribute(getOperandSegmentSizeAttr(),
                      b.getDenseI32ArrayAttr({numInputs, numCarries}));
  result.addAttribute(getResultSegmentSizeAttr(),
                      b.getDenseI32ArrayAttr(
                          {static_cast<int32_t>(type.getNumResults()) - numCarries, numCarries}));
  return success();
}

void ScanOp::print(OpAsmPrinter &p) {
  p << '(' << getInputs() << ") inits(" << getInits() << ") dimension=" << getDimension();
  p.printOptionalAttrDictWithKeyword(
      getOperation()->getAttrDictionary().getValue(),
      {"dimension", getOperandSegmentSizeAttr(), getResultSegmentSizeAttr()});
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/true);
  p << " : ";
  p.printFunctionalType(getOperandTypes(), getResultTypes());
}

namespace {
/// `type` with dimension `d` dropped.
RankedTensorType dropDim(RankedTensorType type, int64_t d) {
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + d);
  return type.clone(shape);
}
} // namespace

LogicalResult ScanOp::verify() {
  int64_t dim = getDimension();
  int64_t length = ShapedType::kDynamic;
  auto checkLength = [&](Value v, StringRef what) -> LogicalResult {
    auto t = llvm::cast<RankedTensorType>(v.getType());
    if (dim >= t.getRank())
      return emitOpError() << what << " of rank " << t.getRank()
                           << " has no dimension " << dim;
    int64_t n = t.getDimSize(dim);
    if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(length) && n != length)
      return emitOpError() << "inputs and outputs must have one size along dimension " << dim;
    if (!ShapedType::isDynamic(n))
      length = n;
    return success();
  };
  for (Value v : getInputs())
    if (failed(checkLength(v, "an input")))
      return failure();
  for (Value v : getOutputs())
    if (failed(checkLength(v, "an output")))
      return failure();
  if (auto size = getScanDimSize();
      size && !ShapedType::isDynamic(length) && static_cast<int64_t>(*size) != length)
    return emitOpError("scan_dim_size differs from the inputs' size along the dimension");
  for (auto [init, carry] : llvm::zip(getInits(), getCarries()))
    if (init.getType() != carry.getType())
      return emitOpError("each carry result must have its init's type");

  Block &block = getBody().front();
  SmallVector<Type> args, returns;
  for (Value v : getInputs())
    args.push_back(dropDim(llvm::cast<RankedTensorType>(v.getType()), dim));
  for (Value v : getInits())
    args.push_back(v.getType());
  for (Value v : getOutputs())
    returns.push_back(dropDim(llvm::cast<RankedTensorType>(v.getType()), dim));
  for (Value v : getInits())
    returns.push_back(v.getType());
  if (TypeRange(block.getArgumentTypes()) != TypeRange(args))
    return emitOpError("body arguments must be the inputs' slices (the scan dimension "
                       "dropped), then the carries");
  Operation *terminator = block.mightHaveTerminator() ? block.getTerminator() : nullptr;
  if (!terminator || terminator->getName().getStringRef() != "stablehlo.return")
    return emitOpError("body must end in stablehlo.return");
  if (TypeRange(terminator->getOperandTypes()) != TypeRange(returns))
    return emitOpError("body must return the outputs' slices (the scan dimension dropped), "
                       "then the carries");
  return success();
}
