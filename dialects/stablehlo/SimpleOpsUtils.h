//===- SimpleOpsUtils.h - helpers shared by the simple op groups -*- C++ -*-===//
#ifndef HLOX_DIALECTS_STABLEHLO_SIMPLEOPSUTILS_H
#define HLOX_DIALECTS_STABLEHLO_SIMPLEOPSUTILS_H

#include "dialects/stablehlo/StablehloAssembly.h"

// compatibleReturnTypes is declared in StablehloAssembly.h (the generated op
// code uses it too).

// Defines Op::isCompatibleReturnTypes with compatibleReturnTypes.
#define HLOX_COMPATIBLE_RETURN_TYPES(Op)                                       \
  bool Op::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return compatibleReturnTypes(l, r);                                        \
  }

#endif // HLOX_DIALECTS_STABLEHLO_SIMPLEOPSUTILS_H
