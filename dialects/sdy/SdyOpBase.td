//===- SdyOpBase.td - a minimal Shardy (`sdy`) dialect ----------------------===//
//
// The part of Shardy's `sdy` dialect that JAX prints into StableHLO: device
// meshes, tensor shardings, the per-op factor sharding rules it attaches to
// custom calls, and the ops that carry them. Written from the public Shardy
// spec so that hlox parses and prints JAX's text unchanged. This is hlox's one
// sharding model: hlox-import-mhlo-sharding writes JAX's GSPMD
// `mhlo.sharding` strings in it; hlox-drop-sdy drops it on one device.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_SDY_OP_BASE
#define HLOX_SDY_OP_BASE

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Sdy_Dialect : Dialect {
  let name = "sdy";
  let cppNamespace = "::mlir::sdy";
  let summary = "Shardy's sharding annotations, as JAX prints them";
  let useDefaultAttributePrinterParser = 1;
}

class Sdy_Attr<string name, string attrMnemonic> : AttrDef<Sdy_Dialect, name> {
  let mnemonic = attrMnemonic;
  let hasCustomAssemblyFormat = 1;
}

// `"x"` or the sub-axis `"x":(2)4` (pre-size 2, size 4).
def Sdy_AxisRefAttr : Sdy_Attr<"AxisRef", "axis_ref"> {
  let summary = "a mesh axis, or a sub-axis of one";
  let parameters = (ins StringRefParameter<"axis name">:$name,
                        "int64_t":$preSize,   // 0: the whole axis
                        "int64_t":$size);
}

// `<["x"=2, "y"=4]>`, `<["a"=2], device_ids=[1, 0]>`, `<[]>`,
// `<[], device_ids=[3]>` (a maximal mesh: everything on device 3).
def Sdy_MeshAttr : Sdy_Attr<"Mesh", "mesh"> {
  let summary = "named mesh axes with sizes and an optional device order";
  let parameters = (ins OptionalArrayRefParameter<"::mlir::StringAttr">:$axisNames,
                        OptionalArrayRefParameter<"int64_t">:$axisSizes,
                        OptionalArrayRefParameter<"int64_t">:$deviceIds);
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of devices (product of the axis sizes; 1 for maximal/empty).
    int64_t getNumDevices() const;
    /// Size of the axis `name`, or 0 if the mesh has no such axis.
    int64_t getAxisSize(::llvm::StringRef name) const;
  }];
}

// `{"x", "y"}`, `{}` (replicated, closed), `{?}` / `{"x", ?}` (open: the
// partitioner may shard it further), with an optional priority `p1`.
def Sdy_DimensionShardingAttr : Sdy_Attr<"DimensionSharding", "dimension_sharding"> {
  let summary = "the mesh axes one tensor dimension is split over";
  let parameters = (ins OptionalArrayRefParameter<"AxisRefAttr">:$axes,
                        "bool":$isClosed,
                        "int64_t":$priority);  // -1: none
}

// `#sdy.sharding<@mesh, [{"x"}, {}], replicated={"y"}, unreduced={"z"}>`; the
// mesh is a symbol (an `sdy.mesh` op) or inline: `mesh<["x"=2]>`.
def Sdy_TensorShardingAttr : Sdy_Attr<"TensorSharding", "sharding"> {
  let summary = "how a tensor is split over a mesh";
  let parameters = (ins "::mlir::Attribute":$meshOrRef,
                        OptionalArrayRefParameter<"DimensionShardingAttr">:$dims,
                        OptionalArrayRefParameter<"AxisRefAttr">:$replicated,
                        OptionalArrayRefParameter<"AxisRefAttr">:$unreduced,
                        StringRefParameter<"reduction of unreduced axes", "\"\"">:$reduction);
  let extraClassDeclaration = [{
    /// The mesh: inline, or the `sdy.mesh` that the symbol names (looked up
    /// from `from`'s symbol tables); null if it cannot be found.
    MeshAttr getMesh(::mlir::Operation *from) const;
  }];
}

// `#sdy.sharding_per_value<[<@mesh, [{"x"}]>, <@mesh, []>]>`: one per result.
def Sdy_TensorShardingPerValueAttr
    : Sdy_Attr<"TensorShardingPerValue", "sharding_per_value"> {
  let summary = "one tensor sharding per value (an op's results)";
  let parameters = (ins OptionalArrayRefParameter<"TensorShardingAttr">:$shardings);
}

// `#sdy.op_sharding_rule<([i, j], [j, k])->([i, k]) {i=2, j=4, k=8}
//   reduction={j}, custom>`: how each operand/result dimension maps to the
// op's factors (i..z, then z_1, z_2, ...; `ij` maps one dimension to two).
def Sdy_OpShardingRuleAttr : Sdy_Attr<"OpShardingRule", "op_sharding_rule"> {
  let summary = "how an op may be partitioned, as factors of its dimensions";
  let parameters = (ins
      // Per operand / result: an ArrayAttr over its dimensions, each a
      // DenseI64ArrayAttr of factor indices (empty: the dimension maps to none).
      "::mlir::ArrayAttr":$operandMappings,
      "::mlir::ArrayAttr":$resultMappings,
      OptionalArrayRefParameter<"int64_t">:$factorSizes,
      OptionalArrayRefParameter<"int64_t">:$reductionFactors,
      OptionalArrayRefParameter<"int64_t">:$needReplicationFactors,
      OptionalArrayRefParameter<"int64_t">:$permutationFactors,
      OptionalArrayRefParameter<"int64_t">:$blockedPropagationFactors,
      "bool":$isCustomRule);
  let genVerifyDecl = 1;
}

// `{"x", "y"}`: the mesh axes an sdy.manual_computation body is manual over
// (generic form: `#sdy<manual_axes{"x"}>`).
def Sdy_ManualAxesAttr : Sdy_Attr<"ManualAxes", "manual_axes"> {
  let summary = "mesh axis names";
  let parameters = (ins OptionalArrayRefParameter<"::mlir::StringAttr">:$names);
}

class Sdy_Op<string mnemonic, list<Trait> traits = []>
    : Op<Sdy_Dialect, mnemonic, traits>;

#endif // HLOX_SDY_OP_BASE
