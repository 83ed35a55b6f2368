//===- HloxOpBase.td - the hlox dialect and its attributes ----------------===//
//
// hlox's own dialect: `hlox.fusion` regions (what the fusion pass groups into
// one kernel) and `#hlox.sharding`, a mesh-based sharding annotation that
// hlox-import-sharding makes from JAX's `mhlo.sharding` strings.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_HLOX_OP_BASE
#define HLOX_HLOX_OP_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Hlox_Dialect : Dialect {
  let name = "hlox";
  let cppNamespace = "::mlir::hlox";
  let summary = "hlox: fusion regions and sharding annotations";
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// #hlox.sharding
//===----------------------------------------------------------------------===//

def Hlox_ShardingAttr : AttrDef<Hlox_Dialect, "Sharding"> {
  let mnemonic = "sharding";
  let summary = "how a tensor is split over a mesh of devices";
  let description = [{
    A device mesh is a list of named axes with sizes; its devices are
    numbered row-major over the axes (or listed in `device_ids`). Each tensor
    dimension names the mesh axes it is split over, major to minor; an axis
    used by no dimension replicates the tensor along it (`replicated` lists
    axes that must stay replicated, e.g. XLA's last_tile_dim_replicate).

    ```
    #hlox.sharding<mesh = ["x"=2, "y"=4], dims = [["x"], [], ["y"]]>
    #hlox.sharding<mesh = ["x"=2, "y"=2], device_ids = [0, 2, 1, 3], dims = [["x", "y"]]>
    #hlox.sharding<mesh = ["a"=4, "r"=2], dims = [["a"], []], replicated = ["r"]>
    #hlox.sharding<replicated>
    #hlox.sharding<maximal device = 0>
    #hlox.sharding<manual>
    ```
  }];
  let parameters = (ins
      "::mlir::hlox::ShardingKind":$kind,
      OptionalArrayRefParameter<"::mlir::StringAttr">:$axisNames,
      OptionalArrayRefParameter<"int64_t">:$axisSizes,
      OptionalArrayRefParameter<"int64_t">:$deviceIds,
      "::mlir::ArrayAttr":$dims,
      OptionalArrayRefParameter<"::mlir::StringAttr">:$replicatedAxes,
      "int64_t":$device);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of devices of the mesh (1 for replicated/maximal/manual).
    int64_t getNumDevices() const;
    /// The mesh axes that dimension `i` is split over.
    ::llvm::SmallVector<::llvm::StringRef> getDimAxes(unsigned i) const;
    unsigned getRank() const { return getDims() ? getDims().size() : 0; }
  }];
}

class Hlox_Op<string mnemonic, list<Trait> traits = []>
    : Op<Hlox_Dialect, mnemonic, traits>;

#endif // HLOX_HLOX_OP_BASE
