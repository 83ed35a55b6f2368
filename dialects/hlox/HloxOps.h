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

#define GET_OP_CLASSES
#include "hlox/HloxStructureOps.h.inc"

#endif // HLOX_DIALECTS_HLOX_HLOXOPS_H
