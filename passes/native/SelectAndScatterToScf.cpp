//===- SelectAndScatterToScf.cpp - select_and_scatter -> scf loops --------===//
//
// The result starts as init_value everywhere. For every source element s
// (an scf.for nest over the source's shape = the windows), the window
// starting at s * stride - padding_low is scanned in row-major order over
// the positions inside the operand (padding is never selected, as in XLA):
// the first position is selected, and a later candidate replaces the
// selection when `select(selected, candidate)` is false. Then
// result[selected] = scatter(result[selected], source[s]). Both bodies are
// inlined as scalar code.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

struct SelectAndScatterToScf : OpConversionPattern<hlo::SelectAndScatterOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::SelectAndScatterOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value operand = adaptor.getOperand(), source = adaptor.getSource();
    auto operandType = cast<RankedTensorType>(operand.getType());
    auto sourceType = cast<RankedTensorType>(source.getType());
    auto resultType = convertedTensorType(*getTypeConverter(), op.getType());
    int64_t rank = operandType.getRank();
    SmallVector<int64_t> window(rank, 1), strides(rank, 1), padLo(rank, 0);
    if (auto w = op.getWindowDimensions())
      window.assign(w->begin(), w->end());
    if (auto s = op.getWindowStrides())
      strides.assign(s->begin(), s->end());
    if (auto padding = op.getPaddingAttr()) {
      auto values = llvm::to_vector(cast<DenseIntElementsAttr>(padding).getValues<int64_t>());
      for (int64_t d = 0; d < rank; ++d)
        padLo[d] = values[2 * d];
    }
    Type elementType = operandType.getElementType();
    Value initScalar = extractScalar(rewriter, loc, adaptor.getInitValue());
    Value init = linalg::FillOp::create(rewriter, loc, ValueRange{initScalar},
                                        ValueRange{emptyLike(rewriter, loc, resultType)})
                     .getResult(0);
    bool ok = true;
    SmallVector<Value> results = buildLoopNest(
        rewriter, loc, sourceType.getShape(), ValueRange{init},
        [&](OpBuilder &b, Location l, ValueRange sIdx, ValueRange acc) -> SmallVector<Value> {
          SmallVector<Value> state;
          state.push_back(arith::ConstantOp::create(b, l, b.getBoolAttr(false)));
          state.push_back(arith::ConstantOp::create(b, l, b.getZeroAttr(elementType)));
          for (int64_t d = 0; d < rank; ++d)
            state.push_back(indexConstant(b, l, 0));
          SmallVector<Value> selected = buildLoopNest(
              b, l, window, state,
              [&](OpBuilder &wb, Location wl, ValueRange wIdx,
                  ValueRange st) -> SmallVector<Value> {
                SmallVector<Value> pos;
                Value inBounds = arith::ConstantOp::create(wb, wl, wb.getBoolAttr(true));
                for (int64_t d = 0; d < rank; ++d) {
                  Value p = arith::MulIOp::create(wb, wl, sIdx[d],
                                                  indexConstant(wb, wl, strides[d]));
                  p = arith::AddIOp::create(wb, wl, p, wIdx[d]);
                  p = arith::SubIOp::create(wb, wl, p, indexConstant(wb, wl, padLo[d]));
                  pos.push_back(p);
                  inBounds = andInRange(wb, wl, inBounds, p, 0, operandType.getDimSize(d));
                }
                return updateIf(
                    wb, wl, inBounds, st,
                    [&](OpBuilder &tb, Location tl) -> FailureOr<SmallVector<Value>> {
                      Value candidate = tensor::ExtractOp::create(tb, tl, operand, pos);
                      auto keep = scalarizeRegion(tb, tl, op.getSelect(),
                                                  ValueRange{st[1], candidate});
                      if (failed(keep))
                        return failure();
                      // Take the candidate unless something is selected and kept.
                      Value kept = arith::AndIOp::create(tb, tl, st[0], (*keep)[0]);
                      SmallVector<Value> next;
                      next.push_back(arith::ConstantOp::create(tb, tl, tb.getBoolAttr(true)));
                      next.push_back(arith::SelectOp::create(tb, tl, kept, st[1], candidate));
                      for (int64_t d = 0; d < rank; ++d)
                        next.push_back(
                            arith::SelectOp::create(tb, tl, kept, st[2 + d], pos[d]));
                      return next;
                    },
                    ok);
              });
          return updateIf(
              b, l, selected[0], acc,
              [&](OpBuilder &tb, Location tl) -> FailureOr<SmallVector<Value>> {
                SmallVector<Value> at(selected.begin() + 2, selected.end());
                Value src = tensor::ExtractOp::create(tb, tl, source, sIdx);
                return combineAt(tb, tl, op.getScatter(), acc, at, src);
              },
              ok);
        });
    if (!ok)
      return failure();
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateSelectAndScatterPatterns(const TypeConverter &converter,
                                                             RewritePatternSet &patterns) {
  patterns.add<SelectAndScatterToScf>(converter, patterns.getContext());
}
