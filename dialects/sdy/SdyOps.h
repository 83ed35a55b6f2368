//===- SdyOps.h - the sdy dialect's C++ API ---------------------*- C++ -*-===//
#ifndef HLOX_DIALECTS_SDY_SDYOPS_H
#define HLOX_DIALECTS_SDY_SDYOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_ATTRDEF_CLASSES
#include "sdy/SdyAttrs.h.inc"

#include "sdy/SdyDialect.h.inc"

#define GET_OP_CLASSES
#include "sdy/SdyCoreOps.h.inc"

#endif // HLOX_DIALECTS_SDY_SDYOPS_H
