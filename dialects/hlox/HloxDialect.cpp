//===- HloxDialect.cpp - hlox dialect, hlox.fusion -------------------------===//
#include "dialects/hlox/HloxOps.h"

using namespace mlir;
using namespace mlir::hlox;

#include "hlox/HloxDialect.cpp.inc"
#include "hlox/HloxEnums.cpp.inc"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"
#define GET_ATTRDEF_CLASSES
#include "hlox/HloxAttrs.cpp.inc"

void HloxDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "hlox/HloxAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "hlox/HloxStructureOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// hlox.fusion
//===----------------------------------------------------------------------===//

// The kind as a bare keyword: `hlox.fusion loop (%a)`.
ParseResult mlir::hlox::parseFusionKind(OpAsmParser &parser, FusionKindAttr &kind) {
  std::string keyword;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseKeywordOrString(&keyword))
    return failure();
  std::optional<FusionKind> value = symbolizeFusionKind(keyword);
  if (!value)
    return parser.emitError(loc) << "unknown fusion kind '" << keyword
                                 << "' (expected loop, input, output, multi_output or custom)";
  kind = FusionKindAttr::get(parser.getContext(), *value);
  return success();
}

void mlir::hlox::printFusionKind(OpAsmPrinter &printer, Operation *, FusionKindAttr kind) {
  printer << stringifyFusionKind(kind.getValue());
}

namespace {
bool isContraction(Operation *op) {
  StringRef name = op->getName().getStringRef();
  return name == "stablehlo.dot_general" || name == "stablehlo.dot" ||
         name == "stablehlo.convolution";
}
bool isReduction(Operation *op) { return op->getName().getStringRef() == "stablehlo.reduce"; }
} // namespace

// A StableHLO body fits the kind (what the CPU lowering of each kind relies on).
static LogicalResult verifyKind(FusionOp op) {
  unsigned contractions = 0, reductions = 0;
  for (Operation &inner : op.getBody().front()) {
    // A body a backend is lowering (to linalg) no longer says what it was.
    StringRef dialect = inner.getName().getDialectNamespace();
    if (dialect != "stablehlo" && dialect != "hlox")
      return success();
    contractions += isContraction(&inner);
    reductions += isReduction(&inner);
  }
  switch (op.getKind()) {
  case FusionKind::loop:
    if (contractions || reductions)
      return op.emitOpError("of kind loop holds a reduce or a contraction");
    return success();
  case FusionKind::input:
    if (!reductions || contractions)
      return op.emitOpError("of kind input needs a reduce and no contraction");
    return success();
  case FusionKind::output:
    if (contractions != 1 || reductions)
      return op.emitOpError("of kind output needs exactly one dot_general/convolution "
                            "and no reduce");
    return success();
  case FusionKind::multi_output:
    if (op.getNumResults() < 2)
      return op.emitOpError("of kind multi_output needs several results");
    return success();
  case FusionKind::custom:
    return success();
  }
  return success();
}

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
  return verifyKind(*this);
}
