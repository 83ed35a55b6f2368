//===- CollectiveOps.td - all_reduce, all_gather, reduce_scatter, all_to_all, collective_permute, ... ===//
//
// Cross-replica/partition communication. JAX prints these in the generic
// form (`"stablehlo.all_reduce"(%x) <{replica_groups = dense<...> :
// tensor<1x2xi64>, channel_handle = #stablehlo.channel_handle<handle = 1,
// type = 1>}> ({...})`), which is their only syntax here. Verifiers in
// CollectiveOps.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_STABLEHLO_COLLECTIVEOPS
#define HLOX_STABLEHLO_COLLECTIVEOPS

include "dialects/stablehlo/StablehloOpBase.td"

def StableHLO_AllReduceOp : StableHLO_Op<"all_reduce"> {
  let summary = "all_reduce: reduces each operand across a replica group";
  let arguments = (ins Variadic<HLO_Tensor>:$operands,
      I64ElementsAttr:$replica_groups,
      OptionalAttr<StableHLO_ChannelHandle>:$channel_handle,
      UnitAttr:$use_global_device_ids);
  let results = (outs Variadic<HLO_Tensor>);
  let regions = (region SizedRegion<1>:$computation);
  let hasVerifier = 1;
}

def StableHLO_AllGatherOp : StableHLO_Op<"all_gather"> {
  let summary = "all_gather: concatenates the group's operands along all_gather_dim";
  let arguments = (ins Variadic<HLO_Tensor>:$operands,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$all_gather_dim,
      I64ElementsAttr:$replica_groups,
      OptionalAttr<StableHLO_ChannelHandle>:$channel_handle,
      UnitAttr:$use_global_device_ids);
  let results = (outs Variadic<HLO_Tensor>);
  let hasVerifier = 1;
}

def StableHLO_ReduceScatterOp : StableHLO_Op<"reduce_scatter"> {
  let summary = "reduce_scatter: reduces across the group, scatters the result";
  let arguments = (ins HLO_Tensor:$operand,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$scatter_dimension,
      I64ElementsAttr:$replica_groups,
      OptionalAttr<StableHLO_ChannelHandle>:$channel_handle,
      UnitAttr:$use_global_device_ids);
  let results = (outs HLO_Tensor);
  let regions = (region SizedRegion<1>:$computation);
  let hasVerifier = 1;
}

def StableHLO_AllToAllOp : StableHLO_Op<"all_to_all"> {
  let summary = "all_to_all: splits, exchanges and concatenates across the group";
  let arguments = (ins Variadic<HLO_Tensor>:$operands,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$split_dimension,
      ConfinedAttr<I64Attr, [IntNonNegative]>:$concat_dimension,
      ConfinedAttr<I64Attr, [IntPositive]>:$split_count,
      I64ElementsAttr:$replica_groups,
      OptionalAttr<StableHLO_ChannelHandle>:$channel_handle);
  let results = (outs Variadic<HLO_Tensor>);
  let hasVerifier = 1;
}

def StableHLO_CollectivePermuteOp : StableHLO_Op<"collective_permute"> {
  let summary = "collective_permute: sends the operand from sources to targets";
  let arguments = (ins HLO_Tensor:$operand,
      I64ElementsAttr:$source_target_pairs,
      OptionalAttr<StableHLO_ChannelHandle>:$channel_handle);
  let results = (outs HLO_Tensor);
  let hasVerifier = 1;
}

def StableHLO_CollectiveBroadcastOp : StableHLO_Op<"collective_broadcast"> {
  let summary = "collective_broadcast: each group's first process's operand to the group";
  let arguments = (ins HLO_Tensor:$operand,
      I64ElementsAttr:$replica_groups,
      OptionalAttr<StableHLO_ChannelHandle>:$channel_handle);
  let results = (outs HLO_Tensor);
  let hasVerifier = 1;
}

#endif // HLOX_STABLEHLO_COLLECTIVEOPS
