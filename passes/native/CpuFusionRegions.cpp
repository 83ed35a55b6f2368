//===- CpuFusionRegions.cpp - hlox.fusion regions as single loop nests -----===//
//
// hlox-cpu-fuse-regions (CPU backend, after hlox-stablehlo-legalize-to-linalg
// and linalg-generalize-named-ops, which lower the ops inside the regions
// too): in each hlox.fusion region, linalg's elementwise fusion merges the
// generics into as few as it can (one for a loop region; the producers fused
// into the reduction for an input region; the contraction followed by one
// epilogue generic for an output region, which hlox-cpu-vectorize-contractions
// receives as such), then the region is inlined. hlox-fuse chose what belongs
// together, so inside a region a producer read twice is fused into both
// readers (linalg-fuse-elementwise-ops, which runs after this for the ops
// outside regions, only fuses producers read once), except into a reduction
// when its result is also read elsewhere (it would be computed twice: the
// producer's result would have to be written from inside the reduction loop).
// Then the readers of row reductions are tiled over row blocks with what
// they depend on (CpuRowBlocks.cpp: a softmax or layernorm is one loop over
// row blocks, across the regions hlox-fuse formed for it). After
// bufferization each loop nest is one kernel of hlox-cpu-outline-loops.
//
//===----------------------------------------------------------------------===//
#include "passes/native/CpuPasses.h"
#include "passes/native/CpuRowBlocks.h"
#include "passes/native/Fusion.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

/// Whether the producer of `operand` may be fused into its reader, both
/// inside one region.
bool fuseInRegion(OpOperand *operand) {
  Operation *producer = operand->get().getDefiningOp();
  if (!producer)
    return false;
  if (producer->hasOneUse())
    return true;
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  return consumer && consumer.getNumReductionLoops() == 0;
}

struct FuseRegions : PassWrapper<FuseRegions, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FuseRegions)

  FuseRegions() = default;
  FuseRegions(const FuseRegions &other) : PassWrapper(other) {}

  StringRef getArgument() const final { return "hlox-cpu-fuse-regions"; }
  StringRef getDescription() const final {
    return "Fuse the linalg ops of each hlox.fusion region into as few loop nests as "
           "possible, then inline the region";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<affine::AffineDialect, linalg::LinalgDialect, scf::SCFDialect,
                    tensor::TensorDialect>();
  }

  Option<int64_t> rowBlockBytes{*this, "row-block-bytes",
                                llvm::cl::desc("bytes of a row block's tile of the "
                                               "result (and of each intermediate)"),
                                llvm::cl::init(32768)};

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, fuseInRegion);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, fuseInRegion);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));

    SmallVector<mlir::hlox::FusionOp> fusions;
    getOperation()->walk([&](mlir::hlox::FusionOp op) { fusions.push_back(op); });
    for (mlir::hlox::FusionOp fusion : fusions) {
      // The region is isolated: fusion cannot reach outside it.
      (void)applyPatternsGreedily(fusion.getBody(), frozen);
      ::hlox::fusion::inlineFusion(fusion);
    }
    ::hlox::fuseRowBlocks(getOperation(), rowBlockBytes);
  }
};

} // namespace

void ::hlox::registerCpuFusionRegionsPass() { PassRegistration<FuseRegions>(); }
