//===- HloxDialect.cpp - hlox dialect, hlox.fusion -------------------------===//
#include "dialects/hlox/HloxOps.h"

using namespace mlir;
using namespace mlir::hlox;

#include "hlox/HloxDialect.cpp.inc"

void HloxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "hlox/HloxStructureOps.cpp.inc"
      >();
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
