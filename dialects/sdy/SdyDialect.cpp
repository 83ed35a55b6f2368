//===- SdyDialect.cpp - sdy attributes' syntax, manual_computation --------===//
//
// Every sdy attribute has a hand-written syntax (Shardy's, as JAX prints it):
// parse(print(x)) == x and print(parse(text)) == text for JAX's text.
//
//===----------------------------------------------------------------------===//
#include "dialects/sdy/SdyOps.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::sdy;

#include "sdy/SdyDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "sdy/SdyAttrs.cpp.inc"

void SdyDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sdy/SdyCoreOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sdy/SdyAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Axis references: "x" or "x":(pre)size
//===----------------------------------------------------------------------===//

namespace {

AxisRefAttr parseAxisRefBody(AsmParser &parser) {
  std::string name;
  if (parser.parseString(&name))
    return {};
  int64_t pre = 0, size = 0;
  if (succeeded(parser.parseOptionalColon())) {
    if (parser.parseLParen() || parser.parseInteger(pre) || parser.parseRParen() ||
        parser.parseInteger(size))
      return {};
    if (pre < 1 || size < 1) {
      parser.emitError(parser.getCurrentLocation(), "sub-axis sizes must be >= 1");
      return {};
    }
  }
  return AxisRefAttr::get(parser.getContext(), name, pre, size);
}

void printAxisRefBody(AsmPrinter &p, AxisRefAttr axis) {
  p.printString(axis.getName());
  if (axis.getPreSize() > 0)
    p << ":(" << axis.getPreSize() << ")" << axis.getSize();
}

// `{"x", "y"}` (possibly empty).
ParseResult parseAxisList(AsmParser &parser, SmallVectorImpl<AxisRefAttr> &axes) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Braces, [&]() {
    AxisRefAttr axis = parseAxisRefBody(parser);
    if (!axis)
      return failure();
    axes.push_back(axis);
    return success();
  });
}

void printAxisList(AsmPrinter &p, ArrayRef<AxisRefAttr> axes) {
  p << '{';
  llvm::interleaveComma(axes, p, [&](AxisRefAttr a) { printAxisRefBody(p, a); });
  p << '}';
}

} // namespace

Attribute AxisRefAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  AxisRefAttr axis = parseAxisRefBody(parser);
  if (!axis || parser.parseGreater())
    return {};
  return axis;
}

void AxisRefAttr::print(AsmPrinter &p) const {
  p << '<';
  printAxisRefBody(p, *this);
  p << '>';
}

//===----------------------------------------------------------------------===//
// #sdy.mesh<["x"=2, "y"=4], device_ids=[...]>
//===----------------------------------------------------------------------===//

int64_t MeshAttr::getNumDevices() const {
  int64_t n = 1;
  for (int64_t s : getAxisSizes())
    n *= s;
  return n;
}

int64_t MeshAttr::getAxisSize(StringRef name) const {
  for (auto [axis, size] : llvm::zip(getAxisNames(), getAxisSizes()))
    if (axis.getValue() == name)
      return size;
  return 0;
}

LogicalResult MeshAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<StringAttr> names, ArrayRef<int64_t> sizes,
                               ArrayRef<int64_t> deviceIds) {
  if (names.size() != sizes.size())
    return emitError() << "mesh axis names and sizes differ in number";
  llvm::DenseSet<StringRef> seen;
  int64_t total = 1;
  for (auto [name, size] : llvm::zip(names, sizes)) {
    if (!seen.insert(name.getValue()).second)
      return emitError() << "mesh axis \"" << name.getValue() << "\" appears twice";
    if (size < 1)
      return emitError() << "mesh axis \"" << name.getValue() << "\" has size " << size;
    total *= size;
  }
  for (int64_t id : deviceIds)
    if (id < 0)
      return emitError() << "device ids must be >= 0";
  if (names.empty()) {
    if (deviceIds.size() > 1)
      return emitError() << "a mesh without axes has at most one device id";
  } else if (!deviceIds.empty() && static_cast<int64_t>(deviceIds.size()) != total) {
    return emitError() << "device_ids has " << deviceIds.size()
                       << " entries but the mesh has " << total << " devices";
  }
  return success();
}

Attribute MeshAttr::parse(AsmParser &parser, Type) {
  MLIRContext *ctx = parser.getContext();
  SmallVector<StringAttr> names;
  SmallVector<int64_t> sizes, deviceIds;
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        std::string name;
        if (parser.parseString(&name) || parser.parseEqual() ||
            parser.parseInteger(sizes.emplace_back()))
          return failure();
        names.push_back(StringAttr::get(ctx, name));
        return success();
      }))
    return {};
  if (succeeded(parser.parseOptionalComma())) {
    if (parser.parseKeyword("device_ids") || parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
          return parser.parseInteger(deviceIds.emplace_back());
        }))
      return {};
  }
  if (parser.parseGreater())
    return {};
  auto emit = [&]() { return parser.emitError(parser.getCurrentLocation()); };
  return getChecked(emit, ctx, names, sizes, deviceIds);
}

void MeshAttr::print(AsmPrinter &p) const {
  p << "<[";
  llvm::interleaveComma(llvm::zip(getAxisNames(), getAxisSizes()), p, [&](auto axis) {
    p.printString(std::get<0>(axis).getValue());
    p << '=' << std::get<1>(axis);
  });
  p << ']';
  if (!getDeviceIds().empty()) {
    p << ", device_ids=[";
    llvm::interleaveComma(getDeviceIds(), p);
    p << ']';
  }
  p << '>';
}

//===----------------------------------------------------------------------===//
// Dimension shardings: {"x", ?}p1
//===----------------------------------------------------------------------===//

namespace {

DimensionShardingAttr parseDimShardingBody(AsmParser &parser) {
  SmallVector<AxisRefAttr> axes;
  bool closed = true;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Braces, [&]() -> ParseResult {
        if (!closed)
          return parser.emitError(parser.getCurrentLocation(),
                                  "'?' must be the last entry of a dimension sharding");
        if (succeeded(parser.parseOptionalQuestion())) {
          closed = false;
          return success();
        }
        AxisRefAttr axis = parseAxisRefBody(parser);
        if (!axis)
          return failure();
        axes.push_back(axis);
        return success();
      }))
    return {};
  int64_t priority = -1;
  StringRef word;
  SMLoc loc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalKeyword(&word))) {
    if (!word.consume_front("p") || word.getAsInteger(10, priority) || priority < 0) {
      parser.emitError(loc, "expected a priority like 'p1' after a dimension sharding");
      return {};
    }
  }
  return DimensionShardingAttr::get(parser.getContext(), axes, closed, priority);
}

void printDimShardingBody(AsmPrinter &p, DimensionShardingAttr dim) {
  p << '{';
  llvm::interleaveComma(dim.getAxes(), p, [&](AxisRefAttr a) { printAxisRefBody(p, a); });
  if (!dim.getIsClosed())
    p << (dim.getAxes().empty() ? "?" : ", ?");
  p << '}';
  if (dim.getPriority() >= 0)
    p << 'p' << dim.getPriority();
}

} // namespace

Attribute DimensionShardingAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  DimensionShardingAttr dim = parseDimShardingBody(parser);
  if (!dim || parser.parseGreater())
    return {};
  return dim;
}

void DimensionShardingAttr::print(AsmPrinter &p) const {
  p << '<';
  printDimShardingBody(p, *this);
  p << '>';
}

//===----------------------------------------------------------------------===//
// #sdy.sharding<@mesh, [{"x"}, {}], replicated={"y"}, unreduced={"z"}>
//===----------------------------------------------------------------------===//

MeshAttr TensorShardingAttr::getMesh(Operation *from) const {
  if (auto mesh = llvm::dyn_cast<MeshAttr>(getMeshOrRef()))
    return mesh;
  auto ref = llvm::dyn_cast<FlatSymbolRefAttr>(getMeshOrRef());
  if (!ref || !from)
    return {};
  auto meshOp = SymbolTable::lookupNearestSymbolFrom<MeshOp>(from, ref.getAttr());
  return meshOp ? meshOp.getMesh() : MeshAttr();
}

Attribute TensorShardingAttr::parse(AsmParser &parser, Type) {
  MLIRContext *ctx = parser.getContext();
  if (parser.parseLess())
    return {};
  Attribute meshOrRef;
  StringAttr symbol;
  if (succeeded(parser.parseOptionalSymbolName(symbol))) {
    meshOrRef = FlatSymbolRefAttr::get(symbol);
  } else {
    if (parser.parseKeyword("mesh"))
      return {};
    meshOrRef = MeshAttr::parse(parser, Type());
    if (!meshOrRef)
      return {};
  }
  SmallVector<DimensionShardingAttr> dims;
  if (parser.parseComma() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        DimensionShardingAttr dim = parseDimShardingBody(parser);
        if (!dim)
          return failure();
        dims.push_back(dim);
        return success();
      }))
    return {};
  SmallVector<AxisRefAttr> replicated, unreduced;
  std::string reduction;
  while (succeeded(parser.parseOptionalComma())) {
    StringRef word;
    SMLoc loc = parser.getCurrentLocation();
    if (parser.parseKeyword(&word) || parser.parseEqual())
      return {};
    if (word == "replicated") {
      if (parseAxisList(parser, replicated))
        return {};
    } else if (word == "unreduced") {
      StringRef op;
      if (succeeded(parser.parseOptionalKeyword(&op, {"max", "min"})))
        reduction = op.str();
      if (parseAxisList(parser, unreduced))
        return {};
    } else {
      parser.emitError(loc, "expected 'replicated' or 'unreduced', got '") << word << "'";
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  return get(ctx, meshOrRef, dims, replicated, unreduced, reduction);
}

void TensorShardingAttr::print(AsmPrinter &p) const {
  p << '<';
  if (auto mesh = llvm::dyn_cast<MeshAttr>(getMeshOrRef())) {
    p << "mesh";
    mesh.print(p);
  } else {
    p.printAttribute(getMeshOrRef());
  }
  p << ", [";
  llvm::interleaveComma(getDims(), p,
                        [&](DimensionShardingAttr d) { printDimShardingBody(p, d); });
  p << ']';
  if (!getReplicated().empty()) {
    p << ", replicated=";
    printAxisList(p, getReplicated());
  }
  if (!getUnreduced().empty()) {
    p << ", unreduced=" << getReduction();
    printAxisList(p, getUnreduced());
  }
  p << '>';
}

//===----------------------------------------------------------------------===//
// #sdy.sharding_per_value<[<@mesh, [...]>, ...]>
//===----------------------------------------------------------------------===//

namespace {

ParseResult parseShardingList(AsmParser &parser,
                              SmallVectorImpl<TensorShardingAttr> &shardings) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
    auto sharding = llvm::dyn_cast_or_null<TensorShardingAttr>(
        TensorShardingAttr::parse(parser, Type()));
    if (!sharding)
      return failure();
    shardings.push_back(sharding);
    return success();
  });
}

void printShardingList(AsmPrinter &p, ArrayRef<TensorShardingAttr> shardings) {
  p << '[';
  llvm::interleaveComma(shardings, p, [&](TensorShardingAttr s) { s.print(p); });
  p << ']';
}

} // namespace

Attribute TensorShardingPerValueAttr::parse(AsmParser &parser, Type) {
  SmallVector<TensorShardingAttr> shardings;
  if (parser.parseLess() || parseShardingList(parser, shardings) || parser.parseGreater())
    return {};
  return get(parser.getContext(), shardings);
}

void TensorShardingPerValueAttr::print(AsmPrinter &p) const {
  p << '<';
  printShardingList(p, getShardings());
  p << '>';
}

//===----------------------------------------------------------------------===//
// #sdy.op_sharding_rule<([i, j])->([j, i]) {i=2, j=4} reduction={...}, custom>
//===----------------------------------------------------------------------===//

namespace {

// Factors are named i, j, ..., z, then z_1, z_2, ...
constexpr int64_t kFactorZ = 'z' - 'i';

std::string factorName(int64_t factor) {
  if (factor <= kFactorZ)
    return std::string(1, static_cast<char>('i' + factor));
  return "z_" + std::to_string(factor - kFactorZ);
}

// Splits one identifier (`i`, `ij`, `kz_2`) into factor indices.
ParseResult parseFactorWord(AsmParser &parser, SmallVectorImpl<int64_t> &factors) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef word;
  if (parser.parseKeyword(&word))
    return failure();
  while (!word.empty()) {
    char c = word.front();
    if (c < 'i' || c > 'z')
      return parser.emitError(loc, "expected factor names i..z or z_<n>, got '")
             << word << "'";
    word = word.drop_front();
    if (c == 'z' && word.consume_front("_")) {
      size_t digits = word.find_first_not_of("0123456789");
      StringRef number = word.take_front(digits);
      int64_t n;
      if (number.empty() || number.getAsInteger(10, n) || n < 1)
        return parser.emitError(loc, "expected z_<n> with n >= 1");
      factors.push_back(kFactorZ + n);
      word = word.drop_front(number.size());
      continue;
    }
    factors.push_back(c - 'i');
  }
  return success();
}

// `([i, j], [])`: one tensor mapping per operand (or result).
ParseResult parseTensorMappings(AsmParser &parser, SmallVectorImpl<Attribute> &tensors) {
  MLIRContext *ctx = parser.getContext();
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Paren, [&]() {
    SmallVector<Attribute> dims;
    if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
          SmallVector<int64_t> factors;
          if (failed(parser.parseOptionalStar()) && parseFactorWord(parser, factors))
            return failure();
          dims.push_back(DenseI64ArrayAttr::get(ctx, factors));
          return success();
        }))
      return failure();
    tensors.push_back(ArrayAttr::get(ctx, dims));
    return success();
  });
}

void printTensorMappings(AsmPrinter &p, ArrayAttr tensors) {
  p << '(';
  llvm::interleaveComma(tensors, p, [&](Attribute tensor) {
    p << '[';
    llvm::interleaveComma(llvm::cast<ArrayAttr>(tensor), p, [&](Attribute dim) {
      ArrayRef<int64_t> factors = llvm::cast<DenseI64ArrayAttr>(dim).asArrayRef();
      if (factors.empty())
        p << '*';
      for (int64_t f : factors)
        p << factorName(f);
    });
    p << ']';
  });
  p << ')';
}

void printFactorGroup(AsmPrinter &p, StringRef name, ArrayRef<int64_t> factors) {
  if (factors.empty())
    return;
  p << ' ' << name << "={";
  llvm::interleaveComma(factors, p, [&](int64_t f) { p << factorName(f); });
  p << '}';
}

} // namespace

LogicalResult OpShardingRuleAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, ArrayAttr operands, ArrayAttr results,
    ArrayRef<int64_t> factorSizes, ArrayRef<int64_t> reduction,
    ArrayRef<int64_t> needReplication, ArrayRef<int64_t> permutation,
    ArrayRef<int64_t> blocked, bool) {
  auto numFactors = static_cast<int64_t>(factorSizes.size());
  auto check = [&](int64_t f) -> LogicalResult {
    if (f < 0 || f >= numFactors)
      return emitError() << "factor " << factorName(f) << " has no size (the rule has "
                         << numFactors << " factors)";
    return success();
  };
  for (ArrayAttr side : {operands, results})
    for (Attribute tensor : side) {
      llvm::DenseSet<int64_t> seen;
      for (Attribute dim : llvm::cast<ArrayAttr>(tensor))
        for (int64_t f : llvm::cast<DenseI64ArrayAttr>(dim).asArrayRef()) {
          if (failed(check(f)))
            return failure();
          if (!seen.insert(f).second)
            return emitError() << "factor " << factorName(f) << " maps twice into one tensor";
        }
    }
  for (ArrayRef<int64_t> group : {reduction, needReplication, permutation, blocked})
    for (int64_t f : group)
      if (failed(check(f)))
        return failure();
  return success();
}

Attribute OpShardingRuleAttr::parse(AsmParser &parser, Type) {
  MLIRContext *ctx = parser.getContext();
  SmallVector<Attribute> operands, results;
  if (parser.parseLess() || parseTensorMappings(parser, operands) || parser.parseArrow() ||
      parseTensorMappings(parser, results))
    return {};
  SmallVector<int64_t> sizes;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::OptionalBraces, [&]() -> ParseResult {
        SMLoc loc = parser.getCurrentLocation();
        SmallVector<int64_t> factor;
        if (parseFactorWord(parser, factor) || parser.parseEqual() ||
            parser.parseInteger(sizes.emplace_back()))
          return failure();
        if (factor.size() != 1 || factor[0] != static_cast<int64_t>(sizes.size()) - 1)
          return parser.emitError(loc, "factor sizes must list i, j, k, ... in order");
        return success();
      }))
    return {};
  SmallVector<int64_t> groups[4];
  StringRef names[4] = {"reduction", "need_replication", "permutation",
                        "blocked_propagation"};
  StringRef word;
  while (succeeded(parser.parseOptionalKeyword(&word, names))) {
    unsigned g = llvm::find(names, word) - std::begin(names);
    if (parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Braces, [&]() {
          return parseFactorWord(parser, groups[g]);
        }))
      return {};
  }
  bool custom = false;
  if (succeeded(parser.parseOptionalComma())) {
    if (parser.parseKeyword("custom"))
      return {};
    custom = true;
  }
  if (parser.parseGreater())
    return {};
  auto emit = [&]() { return parser.emitError(parser.getCurrentLocation()); };
  return getChecked(emit, ctx, ArrayAttr::get(ctx, operands), ArrayAttr::get(ctx, results),
                    sizes, groups[0], groups[1], groups[2], groups[3], custom);
}

void OpShardingRuleAttr::print(AsmPrinter &p) const {
  p << '<';
  printTensorMappings(p, getOperandMappings());
  p << "->";
  printTensorMappings(p, getResultMappings());
  if (!getFactorSizes().empty()) {
    p << " {";
    int64_t i = 0;
    llvm::interleaveComma(getFactorSizes(), p,
                          [&](int64_t size) { p << factorName(i++) << '=' << size; });
    p << '}';
  }
  printFactorGroup(p, "reduction", getReductionFactors());
  printFactorGroup(p, "need_replication", getNeedReplicationFactors());
  printFactorGroup(p, "permutation", getPermutationFactors());
  printFactorGroup(p, "blocked_propagation", getBlockedPropagationFactors());
  if (getIsCustomRule())
    p << ", custom";
  p << '>';
}

//===----------------------------------------------------------------------===//
// #sdy<manual_axes{"x", "y"}>
//===----------------------------------------------------------------------===//

namespace {

ParseResult parseNameSet(AsmParser &parser, SmallVectorImpl<StringAttr> &names) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Braces, [&]() {
    std::string name;
    if (parser.parseString(&name))
      return failure();
    names.push_back(StringAttr::get(parser.getContext(), name));
    return success();
  });
}

} // namespace

Attribute ManualAxesAttr::parse(AsmParser &parser, Type) {
  SmallVector<StringAttr> names;
  if (parseNameSet(parser, names))
    return {};
  return get(parser.getContext(), names);
}

void ManualAxesAttr::print(AsmPrinter &p) const {
  p << '{';
  llvm::interleaveComma(getNames(), p, [&](StringAttr a) { p.printString(a.getValue()); });
  p << '}';
}

//===----------------------------------------------------------------------===//
// sdy.manual_computation
//===----------------------------------------------------------------------===//

ParseResult ManualComputationOp::parse(OpAsmParser &parser, OperationState &result) {
  MLIRContext *ctx = parser.getContext();
  SmallVector<OpAsmParser::UnresolvedOperand> operands;
  SMLoc operandsLoc = parser.getCurrentLocation();
  if (parser.parseOperandList(operands, AsmParser::Delimiter::Paren))
    return failure();
  for (StringRef key : {"in_shardings", "out_shardings"}) {
    SmallVector<TensorShardingAttr> shardings;
    if (parser.parseKeyword(key) || parser.parseEqual() ||
        parseShardingList(parser, shardings))
      return failure();
    result.addAttribute(key, TensorShardingPerValueAttr::get(ctx, shardings));
  }
  SmallVector<StringAttr> manualAxes;
  if (parser.parseKeyword("manual_axes") || parser.parseEqual() ||
      parseNameSet(parser, manualAxes))
    return failure();
  result.addAttribute("manual_axes", ManualAxesAttr::get(ctx, manualAxes));
  SmallVector<OpAsmParser::Argument> args;
  Region *body = result.addRegion();
  FunctionType type;
  if (parser.parseArgumentList(args, AsmParser::Delimiter::Paren, /*allowType=*/true) ||
      parser.parseRegion(*body, args) || parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type) ||
      parser.resolveOperands(operands, type.getInputs(), operandsLoc, result.operands))
    return failure();
  result.addTypes(type.getResults());
  return success();
}

void ManualComputationOp::print(OpAsmPrinter &p) {
  p << '(';
  p.printOperands(getTensors());
  p << ") in_shardings=";
  printShardingList(p, getInShardings().getShardings());
  p << " out_shardings=";
  printShardingList(p, getOutShardings().getShardings());
  p << " manual_axes=";
  getManualAxes().print(p);
  p << " (";
  llvm::interleaveComma(getBody().getArguments(), p,
                        [&](BlockArgument arg) { p.printRegionArgument(arg); });
  p << ") ";
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false, /*printBlockTerminators=*/true);
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {"in_shardings", "out_shardings", "manual_axes"});
  p << " : ";
  p.printFunctionalType(getTensors().getTypes(), getResultTypes());
}

LogicalResult ManualComputationOp::verify() {
  Block &block = getBody().front();
  if (block.getNumArguments() != getTensors().size())
    return emitOpError() << "body has " << block.getNumArguments() << " arguments for "
                         << getTensors().size() << " operands";
  if (getInShardings().getShardings().size() != getTensors().size() ||
      getOutShardings().getShardings().size() != getNumResults())
    return emitOpError() << "needs one in_sharding per operand and one out_sharding "
                            "per result";
  auto ret = block.empty() ? ReturnOp() : llvm::dyn_cast<ReturnOp>(block.back());
  if (!ret || ret.getResults().size() != getNumResults())
    return emitOpError() << "body must end in sdy.return with one value per result";
  return success();
}
