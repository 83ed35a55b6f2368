//===- LinalgContractionLoopOrder.cpp - contiguous inner loops ------------===//
//
// hlox-linalg-contraction-loop-order: see Passes.td. A backend pass (CPU):
// it chooses the loop order convert-linalg-to-loops will emit.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace hlox {
#define GEN_PASS_DEF_LINALGCONTRACTIONLOOPORDER
#include "passes/Passes.h.inc"
} // namespace hlox

using namespace mlir;

namespace {

/// The loop that indexes the last dimension of `map`'s results, if it is a
/// plain loop dimension.
std::optional<unsigned> lastDim(AffineMap map) {
  if (map.getNumResults() == 0)
    return std::nullopt;
  if (auto dim = dyn_cast<AffineDimExpr>(map.getResults().back()))
    return dim.getPosition();
  return std::nullopt;
}

/// The interchange vector moving the contiguous parallel loop innermost, or
/// an empty vector when `op` is better left alone.
SmallVector<unsigned> chooseOrder(linalg::GenericOp op) {
  unsigned numLoops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (numLoops < 2 || op.getNumDpsInits() != 1 ||
      iterators.back() != utils::IteratorType::reduction)
    return {};
  std::optional<unsigned> inner =
      lastDim(op.getMatchingIndexingMap(op.getDpsInitOperand(0)));
  if (!inner || iterators[*inner] != utils::IteratorType::parallel)
    return {};
  // An input read along a reduction loop too (a contraction's operand, not a
  // row's value broadcast over a row reduction, as in softmax's sum of exp(x - max)).
  bool contiguousInInput = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
    AffineMap map = op.getMatchingIndexingMap(input);
    bool readAlongReduction = llvm::any_of(map.getResults(), [&](AffineExpr expr) {
      auto dim = dyn_cast<AffineDimExpr>(expr);
      return dim && iterators[dim.getPosition()] == utils::IteratorType::reduction;
    });
    return readAlongReduction && lastDim(map) == inner;
  });
  if (!contiguousInInput)
    return {};
  SmallVector<unsigned> order;
  for (unsigned loop = 0; loop < numLoops; ++loop)
    if (loop != *inner)
      order.push_back(loop);
  order.push_back(*inner);
  return order;
}

struct LinalgContractionLoopOrder
    : hlox::impl::LinalgContractionLoopOrderBase<LinalgContractionLoopOrder> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation()->walk([&](linalg::GenericOp op) { generics.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : generics) {
      SmallVector<unsigned> order = chooseOrder(op);
      if (order.empty())
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, order))) {
        op.emitError("hlox-linalg-contraction-loop-order: interchange failed");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
