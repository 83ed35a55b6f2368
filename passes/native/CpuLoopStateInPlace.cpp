//===- CpuLoopStateInPlace.cpp - loop state updated in its own buffer -----===//
//
// hlox-loop-state-in-place (on tensors, right before one-shot-bufferize):
// rewrites that let bufferization keep the state of an scf.while/scf.for
// in the same buffers across iterations, instead of allocating (and, for
// scf.while, copying) every loop-carried tensor on every iteration.
//
// 1. `tensor.extract %t[]` of a 0-d elementwise linalg.generic (a loop's
//    `i < n` condition, JAX's 0-d counter arithmetic) becomes the generic's
//    payload on the extracted scalars: no 0-d buffer is made for it.
// 2. An elementwise linalg.generic (all loops parallel) whose init is a
//    tensor.empty, whose payload ignores the init, and one of whose inputs is
//    a loop-carried block argument (through reshapes) of the same type and
//    indexing map as the result, which is yielded back at that argument's
//    position and not read after the generic: the input becomes the init.
//    One-shot bufferization then writes the new state over the old one in
//    place (each element is read before it is written), the yield is
//    equivalent to the block argument, and the loop needs no allocation and
//    no copy of that state per iteration. (Should the analysis still find a
//    conflict, it inserts a copy: the rewrite never changes what is computed.)
// 3. The same generic with no input from the state (an RNN's tanh(h @ w + x @ u)):
//    the loop-carried argument it is yielded at becomes the init when every
//    other reader of that argument comes before the generic (the matmuls have
//    read the old state by then). In scf.while, that also spares the copy of
//    the state the condition region made on every iteration (bufferization
//    copies there unless both regions yield their arguments' buffers).
//
//===----------------------------------------------------------------------===//
#include "passes/native/CpuPasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

bool isElementwise(linalg::GenericOp op) {
  return op.getNumDpsInits() == 1 && op->getNumResults() == 1 &&
         llvm::all_of(op.getIteratorTypesArray(), [](utils::IteratorType type) {
           return type == utils::IteratorType::parallel;
         });
}

bool readsInit(linalg::GenericOp op) {
  return !op.getRegionOutputArgs().front().use_empty();
}

/// extract(generic 0-d) -> the payload on scalars, computed once per generic
/// for all its extracts: expanding each extract on its own would copy a chain
/// of 0-d generics that read one value twice once per path through it
/// (exponential in the chain's length: JAX's gamma sampler's rejection loop).
struct ExtractOfScalarGeneric : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp generic,
                                PatternRewriter &rewriter) const override {
    if (!isElementwise(generic) || generic.getNumLoops() != 0 || readsInit(generic))
      return failure();
    SmallVector<tensor::ExtractOp> extracts;
    for (Operation *user : generic->getResult(0).getUsers())
      if (auto extract = dyn_cast<tensor::ExtractOp>(user))
        extracts.push_back(extract);
    if (extracts.empty())
      return failure();
    for (Value input : generic.getDpsInputs())
      if (auto type = dyn_cast<RankedTensorType>(input.getType()); type && type.getRank() != 0)
        return failure();
    // Right after the generic: that dominates every extract of its result.
    rewriter.setInsertionPointAfter(generic);
    Block &body = generic.getRegion().front();
    IRMapping mapping;
    Location loc = generic.getLoc();
    for (auto [input, arg] : llvm::zip(generic.getDpsInputs(), body.getArguments())) {
      Value scalar = isa<RankedTensorType>(input.getType())
                         ? tensor::ExtractOp::create(rewriter, loc, input, ValueRange{})
                         : input;
      mapping.map(arg, scalar);
    }
    for (Operation &op : body.without_terminator())
      rewriter.clone(op, mapping);
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    Value result = mapping.lookupOrDefault(yield.getValues().front());
    for (tensor::ExtractOp extract : extracts)
      rewriter.replaceOp(extract, result);
    return success();
  }
};

/// `value` through tensor.expand_shape/collapse_shape to where it comes from.
Value throughReshapes(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(def))
      value = expand.getSrc();
    else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(def))
      value = collapse.getSrc();
    else
      break;
  }
  return value;
}

/// Position `value` (through reshapes) is yielded at by the terminator of `block`, or -1.
int64_t yieldedAt(Value value, Block *block) {
  Operation *terminator = block->getTerminator();
  if (!isa<scf::YieldOp>(terminator))
    return -1;
  SmallVector<Value> chain{value};
  for (int64_t i = 0; i < (int64_t)chain.size(); ++i)
    for (Operation *user : chain[i].getUsers())
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user))
        chain.push_back(user->getResult(0));
  for (OpOperand &operand : terminator->getOpOperands())
    if (llvm::is_contained(chain, operand.get()))
      return operand.getOperandNumber();
  return -1;
}

/// Whether every reader of `arg` (through reshapes) other than `op` comes before `op`.
bool lastReadIs(BlockArgument arg, Operation *op) {
  SmallVector<Value> chain{arg};
  for (int64_t i = 0; i < (int64_t)chain.size(); ++i) {
    for (Operation *user : chain[i].getUsers()) {
      if (user == op)
        continue;
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user)) {
        chain.push_back(user->getResult(0));
        continue;
      }
      Operation *ancestor = arg.getOwner()->findAncestorOpInBlock(*user);
      Operation *opAncestor = arg.getOwner()->findAncestorOpInBlock(*op);
      if (!ancestor || !opAncestor || ancestor == opAncestor ||
          !ancestor->isBeforeInBlock(opAncestor))
        return false;
    }
  }
  return true;
}

/// Index of the loop-carried block argument `arg` among those its terminator
/// yields back to (scf.for iter_args, scf.while's after region), or -1.
int64_t carriedIndex(BlockArgument arg) {
  Operation *parent = arg.getOwner()->getParentOp();
  if (auto loop = dyn_cast<scf::ForOp>(parent))
    return arg.getArgNumber() >= 1 && arg.getOwner() == loop.getBody()
               ? (int64_t)arg.getArgNumber() - 1 : -1;
  if (auto loop = dyn_cast<scf::WhileOp>(parent)) {
    if (arg.getOwner() != loop.getAfterBody())
      return -1;
    // The before region must forward its arguments unchanged, in order.
    auto condition = loop.getConditionOp();
    Block *before = loop.getBeforeBody();
    int64_t index = arg.getArgNumber();
    if (index >= (int64_t)condition.getArgs().size() ||
        index >= (int64_t)before->getNumArguments() ||
        condition.getArgs()[index] != before->getArgument(index))
      return -1;
    return index;
  }
  return -1;
}

/// The block argument of `block` carried at position `index` (see carriedIndex), or null.
BlockArgument carriedArgument(Block *block, int64_t index) {
  if (index < 0)
    return nullptr;
  for (BlockArgument arg : block->getArguments())
    if (carriedIndex(arg) == index)
      return arg;
  return nullptr;
}

/// Whether an operand of `op` is `arg` through reshapes.
bool readsThrough(Operation *op, BlockArgument arg) {
  return llvm::any_of(op->getOperands(),
                      [&](Value operand) { return throughReshapes(operand) == arg; });
}

struct StateUpdateInPlace : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp generic,
                                PatternRewriter &rewriter) const override {
    if (!isElementwise(generic) || readsInit(generic) || !generic.hasPureTensorSemantics())
      return failure();
    OpOperand *init = generic.getDpsInitOperand(0);
    if (!init->get().getDefiningOp<tensor::EmptyOp>())
      return failure();
    AffineMap outMap = generic.getMatchingIndexingMap(init);
    Block *block = generic->getBlock();
    for (OpOperand *input : generic.getDpsInputOperands()) {
      if (input->get().getType() != init->get().getType() ||
          generic.getMatchingIndexingMap(input) != outMap)
        continue;
      auto arg = dyn_cast<BlockArgument>(throughReshapes(input->get()));
      if (!arg || arg.getOwner() != block)
        continue;
      int64_t index = carriedIndex(arg);
      if (index < 0 || yieldedAt(generic->getResult(0), block) != index ||
          !lastReadIs(arg, generic))
        continue;
      rewriter.modifyOpInPlace(generic, [&] { init->set(input->get()); });
      return success();
    }
    // A new state computed from other values only (h = tanh(h @ w + x @ u)):
    // written over the state, which nothing reads from there on.
    BlockArgument arg = carriedArgument(block, yieldedAt(generic->getResult(0), block));
    if (!arg || arg.getType() != init->get().getType() || readsThrough(generic, arg) ||
        !lastReadIs(arg, generic))
      return failure();
    rewriter.modifyOpInPlace(generic, [&] { init->set(arg); });
    return success();
  }
};

/// Operand number of the loop-carried value at `index` in a while region's terminator.
unsigned carriedOperandNumber(Operation *terminator, int64_t index) {
  return isa<scf::ConditionOp>(terminator) ? index + 1 : index;
}

/// Whether `use` of a region's loop-carried 0-d tensor at `index` reads it as
/// a scalar once it is one: an extract, the terminator passing it on at
/// `index`, or a 0-d elementwise generic whose result is used that way too
/// (ExtractOfScalarGeneric then makes its payload scalar arithmetic).
bool readAsScalar(OpOperand &use, int64_t index, bool throughGeneric = true) {
  Operation *user = use.getOwner();
  if (isa<tensor::ExtractOp>(user))
    return true;
  if (user->hasTrait<OpTrait::IsTerminator>())
    return use.getOperandNumber() == carriedOperandNumber(user, index);
  auto generic = dyn_cast<linalg::GenericOp>(user);
  if (!throughGeneric || !generic || !isElementwise(generic) || generic.getNumLoops() != 0 ||
      readsInit(generic))
    return false;
  return llvm::all_of(generic->getResult(0).getUses(),
                      [&](OpOperand &next) { return readAsScalar(next, index, false); });
}

/// A while loop's 0-d tensor state (JAX's counter, as tensor<i32>) carried as
/// a scalar, when both regions only read it as one and the after region
/// yields it (or a 0-d generic of it) back: otherwise it is a buffer loaded
/// and stored on every iteration.
struct ScalarWhileState : OpRewritePattern<scf::WhileOp> {
  using OpRewritePattern::OpRewritePattern;

  static bool scalarizable(scf::WhileOp loop, int64_t index) {
    auto type = dyn_cast<RankedTensorType>(loop.getInits()[index].getType());
    Block *before = loop.getBeforeBody(), *after = loop.getAfterBody();
    if (!type || type.getRank() != 0 || index >= (int64_t)loop.getConditionOp().getArgs().size() ||
        loop.getConditionOp().getArgs()[index] != before->getArgument(index) ||
        after->getArgument(index).getType() != type)
      return false;
    for (Block *block : {before, after})
      for (OpOperand &use : block->getArgument(index).getUses())
        if (!readAsScalar(use, index))
          return false;
    Value yielded = loop.getYieldOp().getResults()[index];
    return yielded == after->getArgument(index) ||
           (yielded.getDefiningOp<linalg::GenericOp>() &&
            readsThrough(yielded.getDefiningOp(), after->getArgument(index)));
  }

  LogicalResult matchAndRewrite(scf::WhileOp loop, PatternRewriter &rewriter) const override {
    SmallVector<int64_t> indices;
    for (int64_t index = 0, e = loop.getInits().size(); index < e; ++index)
      if (scalarizable(loop, index))
        indices.push_back(index);
    if (indices.empty())
      return failure();
    Location loc = loop.getLoc();
    SmallVector<Value> inits(loop.getInits());
    SmallVector<Type> types(loop.getResultTypes());
    for (int64_t index : indices) {
      inits[index] = tensor::ExtractOp::create(rewriter, loc, inits[index], ValueRange{});
      types[index] = inits[index].getType();
    }
    auto scalarLoop = scf::WhileOp::create(rewriter, loc, types, inits);
    rewriter.inlineRegionBefore(loop.getBefore(), scalarLoop.getBefore(), scalarLoop.getBefore().end());
    rewriter.inlineRegionBefore(loop.getAfter(), scalarLoop.getAfter(), scalarLoop.getAfter().end());
    // In each region the scalar argument is wrapped back into a tensor for its
    // readers and extracted for the terminator: both fold away.
    for (Block *block : {scalarLoop.getBeforeBody(), scalarLoop.getAfterBody()}) {
      Operation *terminator = block->getTerminator();
      for (int64_t index : indices) {
        BlockArgument arg = block->getArgument(index);
        Type tensorType = arg.getType();
        rewriter.modifyOpInPlace(scalarLoop, [&] { arg.setType(types[index]); });
        rewriter.setInsertionPointToStart(block);
        auto asTensor = tensor::FromElementsOp::create(rewriter, loc, tensorType, ValueRange{arg});
        rewriter.replaceAllUsesExcept(arg, asTensor, asTensor);
        rewriter.setInsertionPoint(terminator);
        OpOperand &out = terminator->getOpOperand(carriedOperandNumber(terminator, index));
        Value scalar = tensor::ExtractOp::create(rewriter, loc, out.get(), ValueRange{});
        rewriter.modifyOpInPlace(terminator, [&] { out.set(scalar); });
      }
    }
    rewriter.setInsertionPointAfter(scalarLoop);
    SmallVector<Value> results(scalarLoop.getResults());
    for (int64_t index : indices)
      results[index] = tensor::FromElementsOp::create(rewriter, loc, loop.getResultTypes()[index],
                                                      ValueRange{results[index]});
    rewriter.replaceOp(loop, results);
    return success();
  }
};

struct LoopStateInPlace : PassWrapper<LoopStateInPlace, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(LoopStateInPlace)

  StringRef getArgument() const final { return "hlox-loop-state-in-place"; }
  StringRef getDescription() const final {
    return "Loop-carried tensors updated in their own buffers (0-d conditions and "
           "while states as scalars, elementwise state updates into the state)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<tensor::TensorDialect>();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExtractOfScalarGeneric, StateUpdateInPlace, ScalarWhileState>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void hlox::registerCpuLoopStateInPlacePass() { PassRegistration<LoopStateInPlace>(); }
