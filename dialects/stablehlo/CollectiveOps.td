//===- CollectiveOps.td - all_reduce, all_gather, reduce_scatter, all_to_all, collective_permute, ... ===//
#ifndef HLOX_STABLEHLO_COLLECTIVEOPS
#define HLOX_STABLEHLO_COLLECTIVEOPS

include "dialects/stablehlo/StablehloOpBase.td"

#endif // HLOX_STABLEHLO_COLLECTIVEOPS
