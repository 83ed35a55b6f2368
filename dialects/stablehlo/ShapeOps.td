//===- ShapeOps.td - constants, iota and ops that move data ---------------===//
#ifndef HLOX_STABLEHLO_SHAPE_OPS
#define HLOX_STABLEHLO_SHAPE_OPS

include "dialects/stablehlo/StablehloOpBase.td"

def StableHLO_ConstantOp : StableHLO_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "output"]>]> {
  let summary = "constant: a tensor from a literal";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs HLO_StaticShapeTensor:$output);
  let hasCustomAssemblyFormat = 1;
  let hasFolder = 1;
}

#endif // HLOX_STABLEHLO_SHAPE_OPS
