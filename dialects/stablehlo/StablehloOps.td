//===- StablehloOps.td - every op of the StableHLO spec -------------------===//
//
// The ops are defined in groups, one .td file each, so that the C++ for one
// group regenerates and recompiles alone. This file includes them all; it is
// used for the Python op classes (hlox.dialects.stablehlo).
//
//===----------------------------------------------------------------------===//

#ifndef HLOX_STABLEHLO_OPS
#define HLOX_STABLEHLO_OPS

include "dialects/stablehlo/ElementwiseOps.td"
include "dialects/stablehlo/ShapeOps.td"
include "dialects/stablehlo/MiscOps.td"
include "dialects/stablehlo/StructuredOps.td"
include "dialects/stablehlo/RegionOps.td"
include "dialects/stablehlo/CollectiveOps.td"

#endif // HLOX_STABLEHLO_OPS
