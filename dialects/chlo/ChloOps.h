//===- ChloOps.h - the CHLO dialect's C++ API -------------------*- C++ -*-===//
#ifndef HLOX_DIALECTS_CHLO_CHLOOPS_H
#define HLOX_DIALECTS_CHLO_CHLOOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "chlo/ChloEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "chlo/ChloAttrs.h.inc"

#include "chlo/ChloDialect.h.inc"

#define GET_OP_CLASSES
#include "chlo/ChloUnaryOps.h.inc"
#define GET_OP_CLASSES
#include "chlo/ChloBinaryOps.h.inc"
#define GET_OP_CLASSES
#include "chlo/ChloMiscOps.h.inc"

#endif // HLOX_DIALECTS_CHLO_CHLOOPS_H
