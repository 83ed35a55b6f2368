//===- HloxOpBase.td - the hlox dialect -----------------------------------===//
//
// hlox's own dialect: `hlox.fusion` regions (what the fusion pass groups into
// one kernel). Shardings are Shardy's (`sdy`), as JAX emits them.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_HLOX_OP_BASE
#define HLOX_HLOX_OP_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Hlox_Dialect : Dialect {
  let name = "hlox";
  let cppNamespace = "::mlir::hlox";
  let summary = "hlox: fusion regions";
}

class Hlox_Op<string mnemonic, list<Trait> traits = []>
    : Op<Hlox_Dialect, mnemonic, traits>;

#endif // HLOX_HLOX_OP_BASE
