//===- FusionCost.cpp - hlox-fuse: what may be recomputed ------------------===//
//
// A producer read by ops in several clusters is copied into each only when
// recomputing it costs less than writing its result and reading it back:
// a few integer or float operations per element, or data movement that the
// consumer does anyway (broadcast, reshape, transpose, convert, iota, small
// constants). Transcendental functions, divisions, powers, reductions and
// contractions are never recomputed (kMaxCopies bounds the copies of one op;
// kMaxRegionInputs/kMaxRegionOps bound a region).
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace hlox::fusion {

/// Constants up to this many elements are cloned into regions; larger ones
/// (not splats) are region operands, so that the data is not duplicated.
constexpr int64_t kMaxClonedConstantElements = 16;

bool isCheapToDuplicate(Operation *op) {
  static const llvm::StringSet<> cheap = {
      "stablehlo.broadcast_in_dim", "stablehlo.reshape", "stablehlo.transpose",
      "stablehlo.convert", "stablehlo.iota", "stablehlo.add", "stablehlo.subtract",
      "stablehlo.multiply", "stablehlo.negate", "stablehlo.abs", "stablehlo.maximum",
      "stablehlo.minimum", "stablehlo.select", "stablehlo.compare", "stablehlo.and",
      "stablehlo.or", "stablehlo.xor", "stablehlo.not", "stablehlo.clamp",
      "stablehlo.sign", "stablehlo.floor", "stablehlo.ceil",
      "stablehlo.shift_left", "stablehlo.shift_right_logical",
      "stablehlo.shift_right_arithmetic"};
  StringRef name = op->getName().getStringRef();
  if (name == "stablehlo.constant") {
    auto value = op->getAttrOfType<ElementsAttr>("value");
    return value && (value.isSplat() || value.getNumElements() <= kMaxClonedConstantElements);
  }
  return cheap.contains(name) && isLoopOp(op);
}

} // namespace hlox::fusion
