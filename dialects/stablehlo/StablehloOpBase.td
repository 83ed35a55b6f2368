//===- StablehloOpBase.td - what every op group includes ------------------===//
#ifndef HLOX_STABLEHLO_OP_BASE
#define HLOX_STABLEHLO_OP_BASE

include "dialects/stablehlo/StablehloBase.td"
include "dialects/stablehlo/StablehloEnums.td"
include "dialects/stablehlo/StablehloAttrs.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/IR/SymbolInterfaces.td"

#endif // HLOX_STABLEHLO_OP_BASE
