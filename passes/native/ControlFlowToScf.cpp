//===- ControlFlowToScf.cpp - while, if, case -> scf ----------------------===//
//
//   while -> scf.while: `cond` becomes the before region (its returned
//            tensor<i1> is extracted for scf.condition, which forwards the
//            loop values), `body` the after region (return -> scf.yield)
//   if    -> scf.if on the extracted predicate
//   case  -> scf.index_switch on the extracted index: branches 0..N-2 are
//            cases, the last branch is the default region, so an index out
//            of [0, N) runs the last branch, as the spec clamps it
//
// The regions are moved, not cloned: the StableHLO ops inside them are
// converted afterwards by the other patterns, on tensors.
// stablehlo.return is only ever rewritten by its parent's pattern (the
// pattern registered for it always fails; it names return as handled).
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

/// Moves `from` into `to` and converts its block argument types.
LogicalResult moveRegion(ConversionPatternRewriter &rewriter, Region &from, Region &to,
                         const TypeConverter &converter) {
  rewriter.inlineRegionBefore(from, to, to.end());
  if (failed(rewriter.convertRegionTypes(&to, converter)))
    return failure();
  return success();
}

/// The values `ret` returns, as the converted (signless) types: the ops in
/// the region are converted after their parent, so a ui32 value is still
/// ui32 here and must be cast for the scf terminator to be legal at once.
FailureOr<SmallVector<Value>> convertedResults(ConversionPatternRewriter &rewriter,
                                               hlo::ReturnOp ret) {
  SmallVector<Value> values;
  if (failed(rewriter.getRemappedValues(ret.getResults(), values)))
    return failure();
  return values;
}

/// Replaces the stablehlo.return ending `region` with scf.yield.
LogicalResult returnToYield(ConversionPatternRewriter &rewriter, Region &region) {
  auto ret = cast<hlo::ReturnOp>(region.front().getTerminator());
  rewriter.setInsertionPoint(ret);
  FailureOr<SmallVector<Value>> values = convertedResults(rewriter, ret);
  if (failed(values))
    return failure();
  rewriter.replaceOpWithNewOp<scf::YieldOp>(ret, *values);
  return success();
}

LogicalResult convertResultTypes(const TypeConverter &converter, TypeRange types,
                                 SmallVector<Type> &converted) {
  return converter.convertTypes(types, converted);
}

struct WhileToScf : OpConversionPattern<hlo::WhileOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::WhileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    if (failed(convertResultTypes(*getTypeConverter(), op.getResultTypes(), types)))
      return failure();
    auto loop = scf::WhileOp::create(rewriter, op.getLoc(), types, adaptor.getOperand());
    if (failed(moveRegion(rewriter, op.getCond(), loop.getBefore(), *getTypeConverter())) ||
        failed(moveRegion(rewriter, op.getBody(), loop.getAfter(), *getTypeConverter())))
      return failure();
    Block &before = loop.getBefore().front();
    auto ret = cast<hlo::ReturnOp>(before.getTerminator());
    rewriter.setInsertionPoint(ret);
    Value pred = extractScalar(rewriter, ret.getLoc(), ret.getResults()[0]);
    rewriter.replaceOpWithNewOp<scf::ConditionOp>(ret, pred, before.getArguments());
    if (failed(returnToYield(rewriter, loop.getAfter())))
      return failure();
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

struct IfToScf : OpConversionPattern<hlo::IfOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    if (failed(convertResultTypes(*getTypeConverter(), op.getResultTypes(), types)))
      return failure();
    Value pred = extractScalar(rewriter, op.getLoc(), adaptor.getPred());
    auto ifOp = scf::IfOp::create(rewriter, op.getLoc(), types, pred,
                                  /*addThenBlock=*/false, /*addElseBlock=*/false);
    if (failed(moveRegion(rewriter, op.getTrueBranch(), ifOp.getThenRegion(),
                          *getTypeConverter())) ||
        failed(moveRegion(rewriter, op.getFalseBranch(), ifOp.getElseRegion(),
                          *getTypeConverter())))
      return failure();
    if (failed(returnToYield(rewriter, ifOp.getThenRegion())) ||
        failed(returnToYield(rewriter, ifOp.getElseRegion())))
      return failure();
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

struct CaseToScf : OpConversionPattern<hlo::CaseOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::CaseOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> types;
    if (failed(convertResultTypes(*getTypeConverter(), op.getResultTypes(), types)))
      return failure();
    Location loc = op.getLoc();
    Value index = extractScalar(rewriter, loc, adaptor.getIndex());
    index = arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(), index);
    auto branches = op.getBranches();
    int64_t n = branches.size();
    SmallVector<int64_t> cases;
    for (int64_t i = 0; i + 1 < n; ++i)
      cases.push_back(i);
    auto sw = scf::IndexSwitchOp::create(rewriter, loc, types, index, cases, cases.size());
    for (int64_t i = 0; i + 1 < n; ++i) {
      if (failed(moveRegion(rewriter, branches[i], sw.getCaseRegions()[i], *getTypeConverter())))
        return failure();
      if (failed(returnToYield(rewriter, sw.getCaseRegions()[i])))
        return failure();
    }
    if (failed(moveRegion(rewriter, branches[n - 1], sw.getDefaultRegion(), *getTypeConverter())))
      return failure();
    if (failed(returnToYield(rewriter, sw.getDefaultRegion())))
      return failure();
    rewriter.replaceOp(op, sw.getResults());
    return success();
  }
};

/// Named as handled; rewritten by the parent's pattern only.
struct ReturnHandledByParent : OpConversionPattern<hlo::ReturnOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(hlo::ReturnOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    return rewriter.notifyMatchFailure(op, "rewritten by its parent op's pattern");
  }
};

} // namespace

void hlox::linalg_lowering::populateControlFlowPatterns(const TypeConverter &converter,
                                                        RewritePatternSet &patterns) {
  patterns.add<WhileToScf, IfToScf, CaseToScf, ReturnHandledByParent>(converter,
                                                                      patterns.getContext());
}
