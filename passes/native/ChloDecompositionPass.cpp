//===- ChloDecompositionPass.cpp - hlox-chlo-legalize-to-stablehlo --------===//
//
// Replaces every CHLO op with StableHLO (see ChloDecomposition*.cpp for the
// math). A CHLO op that cannot be decomposed (e.g. dynamic shapes) is an
// error that names the op; the pass then fails.
//
//===----------------------------------------------------------------------===//
#include "passes/native/ChloDecomposition.h"

#include "dialects/chlo/ChloOps.h"
#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace hlox {

FailureOr<SmallVector<Value>> decomposeTopK(Operation *op, HloEmitter &h) {
  auto topK = llvm::cast<chlo::TopKOp>(op);
  auto type = llvm::cast<RankedTensorType>(topK.getOperand().getType());
  if (!type.hasStaticShape()) {
    op->emitOpError("needs a static shape to be decomposed");
    return failure();
  }
  OpBuilder &b = h.builder();
  int64_t last = type.getRank() - 1;
  Type i32 = b.getI32Type();
  auto indexType = type.clone(i32);
  Value iota = h.create("iota", {}, indexType,
                        {b.getNamedAttr("iota_dimension", b.getI64IntegerAttr(last))})
                   ->getResult(0);

  // A stable sort along the last dimension, largest first (floats in total
  // order), carrying the indices along.
  OperationState state(h.location(), "stablehlo.sort");
  state.addOperands({topK.getOperand(), iota});
  state.addTypes({type, indexType});
  state.addAttribute("dimension", b.getI64IntegerAttr(last));
  state.addAttribute("is_stable", b.getBoolAttr(true));
  Region *region = state.addRegion();
  Block *block = new Block();
  region->push_back(block);
  Type elem = type.getElementType();
  auto scalar = RankedTensorType::get({}, elem);
  auto scalarIndex = RankedTensorType::get({}, i32);
  for (Type t : {Type(scalar), Type(scalar), Type(scalarIndex), Type(scalarIndex)})
    block->addArgument(t, h.location());
  Operation *sort;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(block);
    StringRef kind = "TOTALORDER";
    if (auto i = llvm::dyn_cast<IntegerType>(elem))
      kind = i.isUnsigned() || i.getWidth() == 1 ? "UNSIGNED" : "SIGNED";
    NamedAttribute attrs[] = {
        b.getNamedAttr("comparison_direction",
                       parseAttribute("#stablehlo<comparison_direction GT>", b.getContext())),
        b.getNamedAttr("compare_type",
                       parseAttribute(("#stablehlo<comparison_type " + kind + ">").str(),
                                      b.getContext()))};
    Value gt = h.create("compare", {block->getArgument(0), block->getArgument(1)},
                        RankedTensorType::get({}, b.getI1Type()), attrs)
                   ->getResult(0);
    h.create("return", {gt}, {});
  }
  sort = b.create(state);

  // The first k along the last dimension.
  SmallVector<int64_t> start(type.getRank(), 0), limit(type.getShape()),
      strides(type.getRank(), 1);
  limit[last] = topK.getK();
  NamedAttribute sliceAttrs[] = {
      b.getNamedAttr("start_indices", b.getDenseI64ArrayAttr(start)),
      b.getNamedAttr("limit_indices", b.getDenseI64ArrayAttr(limit)),
      b.getNamedAttr("strides", b.getDenseI64ArrayAttr(strides))};
  Value values = h.create("slice", {sort->getResult(0)}, topK.getValues().getType(),
                          sliceAttrs)->getResult(0);
  Value indices = h.create("slice", {sort->getResult(1)}, topK.getIndices().getType(),
                           sliceAttrs)->getResult(0);
  return SmallVector<Value>{values, indices};
}

namespace {

bool isSpecial(Operation *op) {
  return llvm::isa<chlo::ErfOp, chlo::ErfcOp, chlo::ErfInvOp, chlo::LgammaOp,
                   chlo::DigammaOp, chlo::BesselI1eOp, chlo::ZetaOp,
                   chlo::PolygammaOp>(op);
}

struct ChloLegalizeToStablehlo
    : PassWrapper<ChloLegalizeToStablehlo, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ChloLegalizeToStablehlo)

  StringRef getArgument() const final { return "hlox-chlo-legalize-to-stablehlo"; }
  StringRef getDescription() const final {
    return "Decompose every CHLO op (erf, lgamma, top_k, broadcast_*, ...) "
           "into StableHLO ops";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<stablehlo::StableHLODialect>();
  }

  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (llvm::isa<chlo::CHLODialect>(op->getDialect()))
        ops.push_back(op);
    });
    bool failed = false;
    for (Operation *op : ops) {
      // The decompositions build splat constants shaped like their operands.
      auto isStatic = [](Type t) {
        auto shaped = llvm::dyn_cast<ShapedType>(t);
        return !shaped || shaped.hasStaticShape();
      };
      if (!llvm::all_of(op->getOperandTypes(), isStatic) ||
          !llvm::all_of(op->getResultTypes(), isStatic)) {
        op->emitOpError("needs static shapes to be decomposed into StableHLO");
        failed = true;
        continue;
      }
      OpBuilder builder(op);
      HloEmitter h(builder, op->getLoc());
      FailureOr<SmallVector<Value>> replacement =
          llvm::isa<chlo::TopKOp>(op) ? decomposeTopK(op, h)
          : llvm::isa<chlo::MulhiOp, chlo::RaggedDotOp, chlo::ScanOp>(op)
              ? decomposeStructured(op, h)
          : isSpecial(op) ? decomposeSpecial(op, h)
                          : decomposeElementwise(op, h);
      if (llvm::failed(replacement)) {
        failed = true;
        continue;
      }
      op->replaceAllUsesWith(*replacement);
      op->erase();
    }
    if (failed)
      signalPassFailure();
  }
};

} // namespace

void registerCanonicalizePass(); // StablehloCanonicalize.cpp

void registerDecompositionPasses() {
  PassRegistration<ChloLegalizeToStablehlo>();
  registerCanonicalizePass();
}

} // namespace hlox
