//===- HloxDialect.cpp - hlox dialect, #hlox.sharding, hlox.fusion --------===//
#include "dialects/hlox/HloxOps.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::hlox;

#include "hlox/HloxDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "hlox/HloxAttrs.cpp.inc"

void HloxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "hlox/HloxStructureOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "hlox/HloxAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #hlox.sharding
//===----------------------------------------------------------------------===//

int64_t ShardingAttr::getNumDevices() const {
  int64_t n = 1;
  for (int64_t s : getAxisSizes())
    n *= s;
  return n;
}

SmallVector<StringRef> ShardingAttr::getDimAxes(unsigned i) const {
  SmallVector<StringRef> axes;
  for (Attribute a : llvm::cast<ArrayAttr>(getDims()[i]))
    axes.push_back(llvm::cast<StringAttr>(a).getValue());
  return axes;
}

LogicalResult ShardingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   ShardingKind kind, ArrayRef<StringAttr> axisNames,
                                   ArrayRef<int64_t> axisSizes,
                                   ArrayRef<int64_t> deviceIds, ArrayAttr dims,
                                   ArrayRef<StringAttr> replicated, int64_t device) {
  if (kind == ShardingKind::Maximal && device < 0)
    return emitError() << "maximal sharding needs a device id >= 0";
  if (kind != ShardingKind::Mesh) {
    if (!axisNames.empty() || !deviceIds.empty() || (dims && !dims.empty()) ||
        !replicated.empty())
      return emitError() << "only a mesh sharding has axes and dims";
    return success();
  }
  if (axisNames.size() != axisSizes.size())
    return emitError() << "mesh axis names and sizes differ in number";
  llvm::DenseSet<StringRef> names;
  int64_t total = 1;
  for (auto [name, size] : llvm::zip(axisNames, axisSizes)) {
    if (name.getValue().empty())
      return emitError() << "mesh axis names must not be empty";
    if (!names.insert(name.getValue()).second)
      return emitError() << "mesh axis \"" << name.getValue() << "\" appears twice";
    if (size < 1)
      return emitError() << "mesh axis \"" << name.getValue() << "\" has size " << size;
    total *= size;
  }
  if (!deviceIds.empty()) {
    if (static_cast<int64_t>(deviceIds.size()) != total)
      return emitError() << "device_ids has " << deviceIds.size()
                         << " entries but the mesh has " << total << " devices";
    SmallVector<bool> seen(total, false);
    for (int64_t id : deviceIds) {
      if (id < 0 || id >= total || seen[id])
        return emitError() << "device_ids must be a permutation of 0.." << total - 1;
      seen[id] = true;
    }
  }
  llvm::DenseSet<StringRef> used;
  auto use = [&](Attribute a) -> LogicalResult {
    auto name = llvm::dyn_cast<StringAttr>(a);
    if (!name)
      return emitError() << "expected an axis name, got " << a;
    if (!names.contains(name.getValue()))
      return emitError() << "axis \"" << name.getValue() << "\" is not in the mesh";
    if (!used.insert(name.getValue()).second)
      return emitError() << "axis \"" << name.getValue() << "\" is used twice";
    return success();
  };
  if (!dims)
    return emitError() << "a mesh sharding needs dims";
  for (Attribute dim : dims) {
    auto axes = llvm::dyn_cast<ArrayAttr>(dim);
    if (!axes)
      return emitError() << "each dim must be a list of axis names";
    for (Attribute a : axes)
      if (failed(use(a)))
        return failure();
  }
  for (StringAttr a : replicated)
    if (failed(use(a)))
      return failure();
  return success();
}

namespace {

ParseResult parseNameList(AsmParser &parser, SmallVectorImpl<Attribute> &names) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
    std::string name;
    if (parser.parseString(&name))
      return failure();
    names.push_back(StringAttr::get(parser.getContext(), name));
    return success();
  });
}

void printNameList(AsmPrinter &p, ArrayRef<Attribute> names) {
  p << '[';
  llvm::interleaveComma(names, p, [&](Attribute a) {
    p << '"' << llvm::cast<StringAttr>(a).getValue() << '"';
  });
  p << ']';
}

} // namespace

Attribute ShardingAttr::parse(AsmParser &parser, Type) {
  MLIRContext *ctx = parser.getContext();
  auto emit = [&]() { return parser.emitError(parser.getCurrentLocation()); };
  if (parser.parseLess())
    return {};
  auto empty = ArrayAttr::get(ctx, {});
  if (succeeded(parser.parseOptionalKeyword("replicated"))) {
    if (parser.parseGreater())
      return {};
    return getChecked(emit, ctx, ShardingKind::Replicated, {}, {}, {}, empty, {}, -1);
  }
  if (succeeded(parser.parseOptionalKeyword("manual"))) {
    if (parser.parseGreater())
      return {};
    return getChecked(emit, ctx, ShardingKind::Manual, {}, {}, {}, empty, {}, -1);
  }
  if (succeeded(parser.parseOptionalKeyword("maximal"))) {
    int64_t device;
    if (parser.parseKeyword("device") || parser.parseEqual() ||
        parser.parseInteger(device) || parser.parseGreater())
      return {};
    return getChecked(emit, ctx, ShardingKind::Maximal, {}, {}, {}, empty, {}, device);
  }
  // mesh = ["x"=2, ...] (, device_ids = [...])? , dims = [[...], ...]
  // (, replicated = [...])?
  SmallVector<StringAttr> names;
  SmallVector<int64_t> sizes, deviceIds;
  if (parser.parseKeyword("mesh") || parser.parseEqual() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        std::string name;
        int64_t size;
        if (parser.parseString(&name) || parser.parseEqual() || parser.parseInteger(size))
          return failure();
        names.push_back(StringAttr::get(ctx, name));
        sizes.push_back(size);
        return success();
      }) ||
      parser.parseComma())
    return {};
  if (succeeded(parser.parseOptionalKeyword("device_ids"))) {
    if (parser.parseEqual() ||
        parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
          return parser.parseInteger(deviceIds.emplace_back());
        }) ||
        parser.parseComma())
      return {};
  }
  SmallVector<Attribute> dims;
  if (parser.parseKeyword("dims") || parser.parseEqual() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() {
        SmallVector<Attribute> axes;
        if (parseNameList(parser, axes))
          return failure();
        dims.push_back(ArrayAttr::get(ctx, axes));
        return success();
      }))
    return {};
  SmallVector<StringAttr> replicated;
  if (succeeded(parser.parseOptionalComma())) {
    SmallVector<Attribute> names;
    if (parser.parseKeyword("replicated") || parser.parseEqual() ||
        parseNameList(parser, names))
      return {};
    for (Attribute a : names)
      replicated.push_back(llvm::cast<StringAttr>(a));
  }
  if (parser.parseGreater())
    return {};
  return getChecked(emit, ctx, ShardingKind::Mesh, names, sizes, deviceIds,
                    ArrayAttr::get(ctx, dims), replicated, -1);
}

void ShardingAttr::print(AsmPrinter &p) const {
  p << '<';
  switch (getKind()) {
  case ShardingKind::Replicated:
    p << "replicated>";
    return;
  case ShardingKind::Manual:
    p << "manual>";
    return;
  case ShardingKind::Maximal:
    p << "maximal device = " << getDevice() << '>';
    return;
  case ShardingKind::Mesh:
    break;
  }
  p << "mesh = [";
  llvm::interleaveComma(llvm::zip(getAxisNames(), getAxisSizes()), p, [&](auto pair) {
    p << '"' << std::get<0>(pair).getValue() << "\"=" << std::get<1>(pair);
  });
  p << ']';
  if (!getDeviceIds().empty()) {
    p << ", device_ids = [";
    llvm::interleaveComma(getDeviceIds(), p);
    p << ']';
  }
  p << ", dims = [";
  llvm::interleaveComma(getDims(), p, [&](Attribute dim) {
    printNameList(p, llvm::cast<ArrayAttr>(dim).getValue());
  });
  p << ']';
  if (!getReplicatedAxes().empty()) {
    p << ", replicated = ";
    SmallVector<Attribute> names(getReplicatedAxes().begin(), getReplicatedAxes().end());
    printNameList(p, names);
  }
  p << '>';
}

//===----------------------------------------------------------------------===//
// hlox.fusion
//===----------------------------------------------------------------------===//

LogicalResult FusionOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "region has " << body.getNumArguments()
                         << " arguments but the op has " << getInputs().size()
                         << " operands";
  for (auto [i, arg, input] : llvm::enumerate(body.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError() << "region argument #" << i << " has type " << arg.getType()
                           << " but operand #" << i << " has type " << input.getType();
  auto yield = llvm::cast<YieldOp>(body.getTerminator());
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError() << "yields (" << yield.getValues().getTypes()
                         << ") but has results (" << getResultTypes() << ")";
  if (getKind().empty())
    return emitOpError("needs a non-empty kind");
  return success();
}
