//===- HloxOpBase.td - the hlox dialect -----------------------------------===//
//
// hlox's own dialect: `hlox.fusion` regions (what the fusion pass groups into
// one kernel). Shardings are Shardy's (`sdy`), as JAX emits them.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_HLOX_OP_BASE
#define HLOX_HLOX_OP_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Hlox_Dialect : Dialect {
  let name = "hlox";
  let cppNamespace = "::mlir::hlox";
  let summary = "hlox: fusion regions";
  let useDefaultAttributePrinterParser = 1;
}

// How a hlox.fusion region is compiled (the rule of hlox-fuse that formed it,
// named as XLA names its fusion kinds).
def Hlox_FusionKind : I32EnumAttr<"FusionKind", "hlox.fusion strategy", [
      I32EnumAttrCase<"loop", 0>,          // elementwise ops over one shape: one loop nest
      I32EnumAttrCase<"input", 1>,         // a reduce with its elementwise producers
      I32EnumAttrCase<"output", 2>,        // a contraction with its elementwise epilogue
      I32EnumAttrCase<"multi_output", 3>,  // several roots over one iteration space
      I32EnumAttrCase<"custom", 4>]> {     // formed by hand; no rule applies
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::hlox";
}

def Hlox_FusionKindAttr : EnumAttr<Hlox_Dialect, Hlox_FusionKind, "fusion_kind"> {
  // `hlox.fusion loop (...)` in the op; `#hlox.fusion_kind<loop>` elsewhere.
  let assemblyFormat = "`<` $value `>`";
}

class Hlox_Op<string mnemonic, list<Trait> traits = []>
    : Op<Hlox_Dialect, mnemonic, traits>;

#endif // HLOX_HLOX_OP_BASE
