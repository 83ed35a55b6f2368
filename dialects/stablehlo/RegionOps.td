//===- RegionOps.td - reduce, reduce_window, select_and_scatter, sort, map, while, if, case ===//
#ifndef HLOX_STABLEHLO_REGIONOPS
#define HLOX_STABLEHLO_REGIONOPS

include "dialects/stablehlo/StablehloOpBase.td"

#endif // HLOX_STABLEHLO_REGIONOPS
