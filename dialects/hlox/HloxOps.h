//===- HloxOps.h - the hlox dialect's C++ API -------------------*- C++ -*-===//
#ifndef HLOX_DIALECTS_HLOX_HLOXOPS_H
#define HLOX_DIALECTS_HLOX_HLOXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "hlox/HloxDialect.h.inc"
#include "hlox/HloxEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "hlox/HloxAttrs.h.inc"

namespace mlir::hlox {
class FusionKindAttr;
ParseResult parseFusionKind(OpAsmParser &parser, FusionKindAttr &kind);
void printFusionKind(OpAsmPrinter &printer, Operation *op, FusionKindAttr kind);
} // namespace mlir::hlox

#define GET_OP_CLASSES
#include "hlox/HloxStructureOps.h.inc"

#endif // HLOX_DIALECTS_HLOX_HLOXOPS_H
