//===- FusionReduction.cpp - hlox-fuse: the input (reduction) rule ---------===//
//
// A reduce absorbs the elementwise producers of its inputs (the loop rule
// applied to its operands): the reduced tensor is computed in the same pass
// over the rows instead of being written and read back. Its init values fuse
// when they are constants. Its consumers, which read the reduced value
// broadcast over the same rows (softmax's divide, layernorm's scale), form
// the next kernel: softmax, layernorm and logsumexp become one or two row
// kernels per reduction (with FusionSiblings.cpp's multi-output merge).
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace hlox::fusion {

bool isFusibleReduce(Operation *op) {
  if (op->getName().getStringRef() != "stablehlo.reduce" || !hasFusibleTypes(op))
    return false;
  ValueRange inputs = reduceInputs(op);
  return llvm::all_of(inputs, [&](Value input) {
    return input.getType() == inputs.front().getType() ||
           cast<RankedTensorType>(input.getType()).getShape() ==
               cast<RankedTensorType>(inputs.front().getType()).getShape();
  });
}

ValueRange reduceInputs(Operation *reduce) {
  // stablehlo.reduce(inputs..., init_values...): as many of each.
  return reduce->getOperands().take_front(reduce->getNumOperands() / 2);
}

bool mayAbsorbReduceProducer(const Clustering &, int, Operation *reduce, Operation *producer) {
  if (!isLoopOp(producer))
    return false;
  for (Value input : reduceInputs(reduce))
    if (input.getDefiningOp() == producer)
      return true;
  // An init value: only a constant (a scalar, cloned into the region).
  return producer->getName().getStringRef() == "stablehlo.constant";
}

} // namespace hlox::fusion
