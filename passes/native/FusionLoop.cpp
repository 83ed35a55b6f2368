//===- FusionLoop.cpp - hlox-fuse: the loop rule ---------------------------===//
//
// Elementwise ops, broadcast_in_dim, reshape, transpose, iota and constants
// fuse producer into consumer: one loop nest over the consumer's shape, each
// producer recomputed per element (free for a broadcast, a reshape or a
// transpose of a value that is read anyway). Through an expanding broadcast
// only cheap producers are pulled in: a division over the rows would be
// recomputed once per column.
//
// (slice, concatenate, pad and dynamic_slice stay out: the CPU lowering
// makes tensor ops of them, which linalg's elementwise fusion does not merge
// into one loop nest.)
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace hlox::fusion {

static bool isFusibleElementType(Type type) {
  if (type.isF16() || type.isBF16() || type.isF32() || type.isF64())
    return true;
  // Signless only: the CPU lowering retypes unsigned integers, which a
  // region's own types would not follow.
  if (auto integer = dyn_cast<IntegerType>(type); integer && integer.isSignless()) {
    unsigned width = integer.getWidth();
    return width == 1 || width == 8 || width == 16 || width == 32 || width == 64;
  }
  return false;
}

static bool isFusibleType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && isFusibleElementType(tensor.getElementType());
}

bool hasFusibleTypes(Operation *op) {
  for (Type type : op->getOperandTypes())
    if (!isFusibleType(type))
      return false;
  for (Type type : op->getResultTypes())
    if (!isFusibleType(type))
      return false;
  return op->getNumResults() > 0;
}

bool isLoopOp(Operation *op) {
  static const llvm::StringSet<> shapeOps = {
      "stablehlo.broadcast_in_dim", "stablehlo.reshape", "stablehlo.transpose",
      "stablehlo.iota",             "stablehlo.constant", "stablehlo.select",
      "stablehlo.clamp"};
  static const llvm::StringSet<> excluded = {
      // Changes the shape when the widths differ; quantized types.
      "stablehlo.bitcast_convert", "stablehlo.uniform_quantize",
      "stablehlo.uniform_dequantize"};
  StringRef name = op->getName().getStringRef();
  if (!name.starts_with("stablehlo.") || excluded.contains(name) || op->getNumRegions())
    return false;
  if (!shapeOps.contains(name) && !op->hasTrait<OpTrait::Elementwise>())
    return false;
  return hasFusibleTypes(op);
}

static bool isExpandingBroadcast(Operation *op) {
  if (op->getName().getStringRef() != "stablehlo.broadcast_in_dim")
    return false;
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  auto out = cast<RankedTensorType>(op->getResult(0).getType());
  return out.getNumElements() > in.getNumElements();
}

bool mayAbsorbLoopProducer(const Clustering &, int, Operation *member, Operation *producer) {
  if (!isLoopOp(producer))
    return false;
  if (isExpandingBroadcast(member) && !isCheapToDuplicate(producer))
    return false;
  return true;
}

} // namespace hlox::fusion
