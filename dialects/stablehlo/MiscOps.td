//===- MiscOps.td - return, tuples, rng, custom_call, composite, ... ------===//
#ifndef HLOX_STABLEHLO_MISC_OPS
#define HLOX_STABLEHLO_MISC_OPS

include "dialects/stablehlo/StablehloOpBase.td"

def StableHLO_ReturnOp : StableHLO_Op<"return", [Pure, Terminator]> {
  let summary = "return: yields the results of a region";
  let arguments = (ins Variadic<HLO_TensorOrTokenOrTuple>:$results);
  let assemblyFormat = "$results attr-dict (`:` type($results)^)?";
}

#endif // HLOX_STABLEHLO_MISC_OPS
