//===- ControlFlowToScf.cpp - while, if, case -> scf ----------------------===//
//
//   while -> scf.while: `cond` becomes the before region (its returned
//            tensor<i1> is extracted for scf.condition, which forwards the
//            loop values), `body` the after region (return -> scf.yield)
//   if    -> scf.if on the extracted predicate
//   case  -> a chain of scf.if on `index == k` for branches 0..N-2, the
//            last branch in the innermost else, so an index out of [0, N)
//            runs the last branch, as the spec clamps it. (Not
//            scf.index_switch: in MLIR 22.1.8 one-shot-bufferize's analysis
//            does not alias an index_switch's results with the values its
//            branches yield (scf.yield's getAliasingValues knows scf.if and
//            execute_region only), so a buffer a branch yields could be
//            overwritten in place while the switch's result is still live.)
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
    auto branches = op.getBranches();
    int64_t n = branches.size();
    if (n == 1) {  // no choice: a region canonicalize inlines
      auto region = scf::ExecuteRegionOp::create(rewriter, loc, types);
      if (failed(moveRegion(rewriter, branches[0], region.getRegion(), *getTypeConverter())) ||
          failed(returnToYield(rewriter, region.getRegion())))
        return failure();
      rewriter.replaceOp(op, region.getResults());
      return success();
    }
    Value index = extractScalar(rewriter, loc, adaptor.getIndex());
    // if index == 0 {b0} else {if index == 1 {b1} else {... else {b(n-1)}}};
    // each if is built in the previous one's else block.
    SmallVector<Value> results;
    for (int64_t i = 0; i + 1 < n; ++i) {
      Value k = arith::ConstantOp::create(rewriter, loc,
                                          rewriter.getIntegerAttr(index.getType(), i));
      Value isI = arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::eq, index, k);
      auto ifOp = scf::IfOp::create(rewriter, loc, types, isI,
                                    /*addThenBlock=*/false, /*addElseBlock=*/false);
      if (results.empty())
        results.assign(ifOp.getResults().begin(), ifOp.getResults().end());
      else
        scf::YieldOp::create(rewriter, loc, ifOp.getResults());  // ends the outer else
      Block *elseBlock = nullptr;
      if (i + 2 < n) {
        elseBlock = rewriter.createBlock(&ifOp.getElseRegion());
      } else if (failed(moveRegion(rewriter, branches[n - 1], ifOp.getElseRegion(),
                                   *getTypeConverter())) ||
                 failed(returnToYield(rewriter, ifOp.getElseRegion()))) {
        return failure();  // (the last branch is the innermost else)
      }
      if (failed(moveRegion(rewriter, branches[i], ifOp.getThenRegion(), *getTypeConverter())) ||
          failed(returnToYield(rewriter, ifOp.getThenRegion())))
        return failure();
      if (elseBlock)
        rewriter.setInsertionPointToEnd(elseBlock);
    }
    rewriter.replaceOp(op, results);
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
