//===- StructuredOps.td - dot_general, convolution, gather, scatter ===//
#ifndef HLOX_STABLEHLO_STRUCTUREDOPS
#define HLOX_STABLEHLO_STRUCTUREDOPS

include "dialects/stablehlo/StablehloOpBase.td"

#endif // HLOX_STABLEHLO_STRUCTUREDOPS
