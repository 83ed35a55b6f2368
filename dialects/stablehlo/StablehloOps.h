//===- StablehloOps.h - the StableHLO dialect's C++ API ---------*- C++ -*-===//
#ifndef HLOX_DIALECTS_STABLEHLO_STABLEHLOOPS_H
#define HLOX_DIALECTS_STABLEHLO_STABLEHLOOPS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/stablehlo/Quantization.h"

#include "stablehlo/StablehloEnums.h.inc"

#define GET_TYPEDEF_CLASSES
#include "stablehlo/StablehloTypes.h.inc"

#define GET_ATTRDEF_CLASSES
#include "stablehlo/StablehloAttrs.h.inc"

#include "stablehlo/StablehloDialect.h.inc"

// Custom directives of the ops' textual syntax (`custom<...>` in ODS).
#include "dialects/stablehlo/StablehloAssembly.h"
#include "dialects/stablehlo/StructuredAssembly.h"

// One generated header per op group (see StablehloOps.td).
#define GET_OP_CLASSES
#include "stablehlo/ElementwiseOps.h.inc"
#define GET_OP_CLASSES
#include "stablehlo/ShapeOps.h.inc"
#define GET_OP_CLASSES
#include "stablehlo/MiscOps.h.inc"
#define GET_OP_CLASSES
#include "stablehlo/StructuredOps.h.inc"
#define GET_OP_CLASSES
#include "stablehlo/RegionOps.h.inc"
#define GET_OP_CLASSES
#include "stablehlo/CollectiveOps.h.inc"

#endif // HLOX_DIALECTS_STABLEHLO_STABLEHLOOPS_H
