//===- SortToScf.cpp - sort -> an insertion sort in scf -------------------===//
//
// For every position of the dimensions other than `dimension` (an scf.for
// nest), an insertion sort along `dimension` of all operands together:
//
//   for i in 1..n:
//     j = i
//     while j > 0 and comparator(x[j]..., x[j-1]...):   (scf.while)
//       swap elements j and j-1 of every operand; j -= 1
//
// An element moves before its predecessor only when the comparator says it
// is strictly "less", so equal elements keep their order: the sort is
// stable whatever `is_stable` says. O(n^2) per row: correctness first.
// The comparator (lhs0, rhs0, lhs1, rhs1, ...) is inlined as scalar code.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

struct SortToScf : OpConversionPattern<hlo::SortOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::SortOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    auto type = cast<RankedTensorType>(inputs[0].getType());
    int64_t rank = type.getRank();
    int64_t dim = op.getDimension();
    if (dim < 0)
      dim += rank;
    int64_t n = type.getDimSize(dim);
    if (n <= 1) {
      rewriter.replaceOp(op, inputs);
      return success();
    }
    SmallVector<int64_t> outerShape;
    for (int64_t d = 0; d < rank; ++d)
      if (d != dim)
        outerShape.push_back(type.getDimSize(d));
    size_t count = inputs.size();
    bool ok = true;
    Region &comparator = op.getComparator();

    SmallVector<Value> results = buildLoopNest(
        rewriter, loc, outerShape, inputs,
        [&](OpBuilder &b, Location l, ValueRange outer, ValueRange tensors) {
          auto indexAt = [&](Value j) {
            SmallVector<Value> at;
            for (int64_t d = 0, o = 0; d < rank; ++d)
              at.push_back(d == dim ? j : outer[o++]);
            return at;
          };
          Value one = indexConstant(b, l, 1);
          Value zero = indexConstant(b, l, 0);
          auto forOp = scf::ForOp::create(
              b, l, one, indexConstant(b, l, n), one, tensors,
              [&](OpBuilder &fb, Location fl, Value i, ValueRange ts) {
                SmallVector<Value> state{i};
                llvm::append_range(state, ts);
                SmallVector<Type> stateTypes;
                for (Value v : state)
                  stateTypes.push_back(v.getType());
                SmallVector<Location> locs(state.size(), fl);
                auto loop = scf::WhileOp::create(fb, fl, stateTypes, state);
                {
                  Block *before = fb.createBlock(&loop.getBefore(), loop.getBefore().end(), stateTypes, locs);
                  Value j = before->getArgument(0);
                  auto args = before->getArguments().drop_front();
                  Value positive =
                      arith::CmpIOp::create(fb, fl, arith::CmpIPredicate::sgt, j, zero);
                  auto ifOp = scf::IfOp::create(fb, fl, positive,
                      [&](OpBuilder &tb, Location tl) {
                        Value prev = arith::SubIOp::create(tb, tl, j, one);
                        SmallVector<Value> cmpArgs;
                        for (Value t : args) {
                          cmpArgs.push_back(tensor::ExtractOp::create(tb, tl, t, indexAt(j)));
                          cmpArgs.push_back(
                              tensor::ExtractOp::create(tb, tl, t, indexAt(prev)));
                        }
                        auto less = scalarizeRegion(tb, tl, comparator, cmpArgs);
                        if (failed(less) || less->size() != 1) {
                          ok = false;
                          scf::YieldOp::create(
                              tb, tl,
                              ValueRange{arith::ConstantOp::create(tb, tl, tb.getBoolAttr(false))});
                          return;
                        }
                        scf::YieldOp::create(tb, tl, (*less)[0]);
                      },
                      [&](OpBuilder &eb, Location el) {
                        scf::YieldOp::create(
                            eb, el,
                            ValueRange{arith::ConstantOp::create(eb, el, eb.getBoolAttr(false))});
                      });
                  scf::ConditionOp::create(fb, fl, ifOp.getResult(0), before->getArguments());
                }
                {
                  Block *after = fb.createBlock(&loop.getAfter(), loop.getAfter().end(), stateTypes, locs);
                  Value j = after->getArgument(0);
                  Value prev = arith::SubIOp::create(fb, fl, j, one);
                  SmallVector<Value> next{prev};
                  for (Value t : after->getArguments().drop_front()) {
                    Value a = tensor::ExtractOp::create(fb, fl, t, indexAt(j));
                    Value p = tensor::ExtractOp::create(fb, fl, t, indexAt(prev));
                    t = tensor::InsertOp::create(fb, fl, a, t, indexAt(prev));
                    t = tensor::InsertOp::create(fb, fl, p, t, indexAt(j));
                    next.push_back(t);
                  }
                  scf::YieldOp::create(fb, fl, next);
                }
                fb.setInsertionPointAfter(loop);
                scf::YieldOp::create(fb, fl, loop.getResults().drop_front());
              });
          return llvm::to_vector_of<Value>(forOp.getResults());
        });
    (void)count;
    if (!ok)
      return failure();
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateSortPatterns(const TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<SortToScf>(converter, patterns.getContext());
}
