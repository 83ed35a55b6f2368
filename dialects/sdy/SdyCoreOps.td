//===- SdyCoreOps.td - the sdy ops JAX prints -------------------------------===//
#ifndef HLOX_SDY_CORE_OPS
#define HLOX_SDY_CORE_OPS

include "dialects/sdy/SdyOpBase.td"

def Sdy_MeshOp : Sdy_Op<"mesh", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "a named device mesh, referenced by shardings as @name";
  let description = [{
    ```
    sdy.mesh @mesh = <["x"=2, "y"=4]>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Sdy_MeshAttr:$mesh);
  let assemblyFormat = "$sym_name `=` $mesh attr-dict";
}

// %1 = sdy.sharding_constraint %0 <@mesh, [{"x"}, {"y"}]> : tensor<4x8xf32>
def Sdy_ShardingConstraintOp : Sdy_Op<"sharding_constraint",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "asks the partitioner to shard a value this way";
  let description = [{
    Semantically the identity; the partitioner reshards its input.
  }];
  let arguments = (ins AnyType:$input, Sdy_TensorShardingAttr:$sharding);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$input $sharding attr-dict `:` type($result)";
}

def Sdy_ReshardOp : Sdy_Op<"reshard", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "moves a value to a new sharding (the identity on its data)";
  let arguments = (ins AnyType:$input, Sdy_TensorShardingAttr:$sharding);
  let results = (outs AnyType:$result);
  let assemblyFormat = "$input $sharding attr-dict `:` type($result)";
}

def Sdy_ReturnOp : Sdy_Op<"return", [Pure, ReturnLike, Terminator,
    HasParent<"ManualComputationOp">]> {
  let summary = "the results of an sdy.manual_computation body";
  let arguments = (ins Variadic<AnyType>:$results);
  let assemblyFormat = "attr-dict ($results^ `:` type($results))?";
}

// %0 = sdy.manual_computation(%arg0) in_shardings=[<@mesh, [{"x"}, {}]>]
//          out_shardings=[<@mesh, [{"x"}, {}]>] manual_axes={"x"}
//          (%arg1: tensor<2x4xf32>) {
//   sdy.return %arg1 : tensor<2x4xf32>
// } : (tensor<4x4xf32>) -> tensor<4x4xf32>
def Sdy_ManualComputationOp : Sdy_Op<"manual_computation",
    [RecursiveMemoryEffects, SingleBlock,
     IsolatedFromAbove]> {
  let summary = "a per-device body over local shards (jax.shard_map)";
  let description = [{
    The body sees each operand's local shard (the global shape divided by the
    sizes of the `manual_axes` that shard it) and returns local shards.
  }];
  let arguments = (ins Variadic<AnyType>:$tensors,
                       Sdy_TensorShardingPerValueAttr:$in_shardings,
                       Sdy_TensorShardingPerValueAttr:$out_shardings,
                       Sdy_ManualAxesAttr:$manual_axes);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

#endif // HLOX_SDY_CORE_OPS
