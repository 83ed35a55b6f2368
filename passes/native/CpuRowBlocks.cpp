//===- CpuRowBlocks.cpp - row reductions and their readers as one loop ----===//
//
// Elementwise fusion cannot merge a reduction with the ops that read its
// result over the reduced rows (softmax: max, exp, sum, divide; layernorm:
// mean, variance, normalize), so each is a loop nest of its own that reads
// all the data from memory. Here the last reader is tiled over blocks of rows
// (an scf.forall: threads after hlox-cpu-outline-loops) and the ops it
// depends on are computed per row block inside that loop
// (scf::tileConsumerAndFuseProducersUsingSCF): a block's intermediates are
// small tensors that stay in cache. A producer is fused only when it is
// computed exactly once that way: its tile differs in every iteration (no
// recomputation, e.g. of a column reduction read by every row block), and
// all its readers are in the loop (none needs its whole result outside).
// Each row is still reduced by one generic (hlox-cpu-reassociate-reductions
// vectorizes it) in one order, whatever the number of threads.
//
//===----------------------------------------------------------------------===//
#include "passes/native/CpuRowBlocks.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// A contraction or convolution, also with an epilogue fused in (attention's
/// scaled scores): two inputs read along a reduction loop. Those are left to
/// hlox-cpu-vectorize-contractions.
bool isContractionOrConvolution(linalg::LinalgOp op) {
  if (linalg::isaContractionOpInterface(op) || linalg::isaConvolutionOpInterface(op))
    return true;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  return llvm::count_if(op.getDpsInputOperands(), [&](OpOperand *input) {
           return llvm::any_of(op.getMatchingIndexingMap(input).getResults(), [&](AffineExpr e) {
             auto dim = dyn_cast<AffineDimExpr>(e);
             return dim && iterators[dim.getPosition()] == utils::IteratorType::reduction;
           });
         }) >= 2;
}

/// A reduction over its innermost loops (rows), no contraction or convolution.
bool isRowReduction(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumReductionLoops() == 0 || isContractionOrConvolution(generic))
    return false;
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  auto isReduction = [](utils::IteratorType it) { return it == utils::IteratorType::reduction; };
  auto firstReduction = llvm::find_if(iterators, isReduction);
  return firstReduction != iterators.begin() &&
         std::all_of(firstReduction, iterators.end(), isReduction);
}

bool isElementwise(linalg::GenericOp op) { return op.getNumReductionLoops() == 0; }

/// Whether `op` reads the result of a row reduction over its own iteration
/// space, directly or through elementwise generics (layernorm's mean: the sum
/// divided).
bool readsRowReduction(linalg::GenericOp op) {
  SmallVector<Operation *> work{op};
  DenseSet<Operation *> seen;
  while (!work.empty()) {
    auto generic = dyn_cast_or_null<linalg::GenericOp>(work.pop_back_val());
    if (!generic || !seen.insert(generic).second)
      continue;
    for (Value input : generic.getDpsInputs()) {
      Operation *producer = input.getDefiningOp();
      if (isRowReduction(producer) &&
          cast<linalg::GenericOp>(producer).getNumLoops() == op.getNumLoops())
        return true;
      auto elementwise = dyn_cast_or_null<linalg::GenericOp>(producer);
      if (elementwise && isElementwise(elementwise))
        work.push_back(elementwise);
    }
  }
  return false;
}

/// An elementwise generic of static shape reading a row reduction's result.
bool isRowBlockConsumer(linalg::GenericOp op) {
  if (!isElementwise(op) || op.getNumLoops() < 2 || !op.hasPureTensorSemantics() ||
      isa<scf::ForallOp>(op->getParentOp()))
    return false;
  if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return false;
  return readsRowReduction(op);
}

/// Tile sizes: one along the outer loops, a block of rows along the
/// next-to-last loop (a divisor of its extent: tiles of one static shape),
/// the whole innermost loop; a tile of the result about `blockBytes`.
SmallVector<int64_t> rowBlockSizes(linalg::GenericOp op, int64_t blockBytes) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> sizes(ranges.size(), 1);
  sizes.back() = 0;
  int64_t rows = ranges[ranges.size() - 2];
  Type element = getElementTypeOrSelf(op->getResult(0).getType());
  int64_t elementBits = 32;
  if (auto complex = dyn_cast<ComplexType>(element))
    elementBits = 2 * complex.getElementType().getIntOrFloatBitWidth();
  else if (element.isIntOrFloat())
    elementBits = element.getIntOrFloatBitWidth();
  int64_t elementBytes = std::max<int64_t>(elementBits / 8, 1);
  int64_t rowBytes = std::max<int64_t>(ranges.back(), 1) * elementBytes;
  int64_t block = std::clamp<int64_t>(blockBytes / rowBytes, 1, rows);
  while (rows % block != 0)
    --block;
  sizes[ranges.size() - 2] = block;
  return sizes;
}

/// Whether `value` is computed from `iv` inside `loop`.
bool dependsOn(Value value, Value iv, Operation *loop) {
  SmallVector<Value> work{value};
  DenseSet<Value> seen;
  while (!work.empty()) {
    Value current = work.pop_back_val();
    if (current == iv)
      return true;
    if (!seen.insert(current).second)
      continue;
    Operation *def = current.getDefiningOp();
    if (def && loop->isProperAncestor(def))
      llvm::append_range(work, def->getOperands());
  }
  return false;
}

/// Fuse `producer`'s tile `slice` into the row-block loop when that computes
/// it exactly once (see the file comment). `readers` are the ops the
/// consumer depends on, and the consumer.
bool fusesOnce(tensor::ExtractSliceOp slice, Operation *producer,
               const llvm::SetVector<Operation *> &readers) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(producer);
  if (linalgOp && isContractionOrConvolution(linalgOp))
    return false;
  auto loop = slice->getParentOfType<scf::ForallOp>();
  if (!loop)
    return false;
  for (Operation *user : producer->getUsers())
    if (!readers.contains(user) && !loop->isProperAncestor(user))
      return false;
  return llvm::all_of(loop.getInductionVars(), [&](Value iv) {
    return llvm::any_of(slice.getOffsets(),
                        [&](Value offset) { return dependsOn(offset, iv, loop); });
  });
}

/// Tiles `consumer` over row blocks with its producers fused: the loop, or
/// null if no row reduction could be fused.
Operation *tileRowBlocks(linalg::GenericOp consumer, int64_t blockBytes) {
  llvm::SetVector<Operation *> readers;
  BackwardSliceOptions sliceOptions;
  sliceOptions.omitBlockArguments = true;
  sliceOptions.filter = [&](Operation *op) { return op->getBlock() == consumer->getBlock(); };
  (void)getBackwardSlice(consumer.getOperation(), &readers, sliceOptions);
  readers.insert(consumer);

  MLIRContext *context = consumer.getContext();
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  tiling.setTileSizes(getAsIndexOpFoldResult(context, rowBlockSizes(consumer, blockBytes)));
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // Each read of a producer fuses a copy of it (merged by CSE afterwards): in
  // a deep elementwise DAG (an unfused gradient) that doubles at every
  // diamond. Past a few copies per op the remaining reads take slices of the
  // producers' results, computed before the loop.
  size_t budget = 4 * readers.size();
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp slice, OpResult producer,
          bool isDestination) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (isDestination || (budget > 0 && fusesOnce(slice, producer.getOwner(), readers))) {
          budget -= budget > 0;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        }
        return std::nullopt;
      });

  IRRewriter rewriter(context);
  rewriter.setInsertionPoint(consumer);
  FailureOr<scf::SCFTileAndFuseResult> result = scf::tileConsumerAndFuseProducersUsingSCF(
      rewriter, cast<TilingInterface>(consumer.getOperation()), options);
  if (failed(result))
    return nullptr;
  // Without a reduction in the loop, the consumer is better left whole.
  if (!llvm::any_of(result->fusedProducers, isRowReduction)) {
    rewriter.eraseOp(result->loops.front().getOperation());
    return nullptr;
  }
  for (OpResult value : consumer->getResults())
    rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
  // The consumer, then the producers now computed in the loop only.
  for (Operation *op : llvm::reverse(readers))
    if (isOpTriviallyDead(op))
      rewriter.eraseOp(op);
  return result->loops.front().getOperation();
}

} // namespace

void hlox::fuseRowBlocks(Operation *root, int64_t blockBytes) {
  DenseSet<Operation *> failed;
  SmallVector<Operation *> loops;
  while (true) {
    // The last consumer first: it takes in the reductions before earlier
    // readers of theirs would.
    linalg::GenericOp consumer;
    root->walk([&](linalg::GenericOp op) {
      if (!failed.contains(op) && isRowBlockConsumer(op))
        consumer = op;
    });
    if (!consumer)
      break;
    if (Operation *loop = tileRowBlocks(consumer, blockBytes))
      loops.push_back(loop);
    else
      failed.insert(consumer);
  }
  // A fused op's destination (a slice of an empty tensor) as an empty tile.
  RewritePatternSet patterns(root->getContext());
  tensor::populateFoldTensorEmptyPatterns(patterns);
  affine::AffineApplyOp::getCanonicalizationPatterns(patterns, root->getContext());
  (void)applyPatternsGreedily(root, std::move(patterns));
  // Each read of a producer fused its own copy (softmax's max: by the exp and
  // by the division); one per block is enough.
  IRRewriter rewriter(root->getContext());
  DominanceInfo dominance(root);
  for (Operation *loop : loops)
    mlir::eliminateCommonSubExpressions(rewriter, dominance, loop);
}
