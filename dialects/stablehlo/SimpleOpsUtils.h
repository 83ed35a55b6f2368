//===- SimpleOpsUtils.h - helpers shared by the simple op groups -*- C++ -*-===//
#ifndef HLOX_DIALECTS_STABLEHLO_SIMPLEOPSUTILS_H
#define HLOX_DIALECTS_STABLEHLO_SIMPLEOPSUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::stablehlo {

// Inferred and declared result types agree when they are equal, or are ranked
// tensors of one element type whose shapes are compatible (a `?` matches any
// size; encodings such as bounds are not compared). So a result may be more
// or less static than inferred, as the spec allows.
inline bool compatibleReturnTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [a, b] : llvm::zip(inferred, actual)) {
    if (a == b)
      continue;
    auto ta = llvm::dyn_cast<RankedTensorType>(a);
    auto tb = llvm::dyn_cast<RankedTensorType>(b);
    if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
        failed(verifyCompatibleShape(ta.getShape(), tb.getShape())))
      return false;
  }
  return true;
}

} // namespace mlir::stablehlo

// Defines Op::isCompatibleReturnTypes with compatibleReturnTypes.
#define HLOX_COMPATIBLE_RETURN_TYPES(Op)                                       \
  bool Op::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return compatibleReturnTypes(l, r);                                        \
  }

#endif // HLOX_DIALECTS_STABLEHLO_SIMPLEOPSUTILS_H
