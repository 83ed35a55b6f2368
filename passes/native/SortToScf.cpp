//===- SortToScf.cpp - sort -> a bottom-up merge sort in scf --------------===//
//
// For every position of the dimensions other than `dimension` (an scf.for
// nest), a stable merge sort along `dimension` of all operands together, on
// tensors (bufferization makes the inserts stores in place):
//
//   1. insertion sort of each run of R (16 or 32) elements, in place:
//        for i in lo+1..hi: j = i; while j > lo and less(x[j], x[j-1]):
//          swap elements j and j-1; j -= 1
//   2. merge passes: runs of `width` of `src` merged pairwise into `dst`,
//      width R, 2R, 4R, ...; the passes alternate between the operands and a
//      scratch tensor per operand, two per scf.for iteration (data ->
//      scratch, scratch -> data), so the loop carries each tensor in its own
//      buffer. R is chosen so that the number of passes is even: the sorted
//      row ends in the data tensors.
//
// A merge takes the right run's element only when the comparator says it is
// strictly "less" than the left run's, and insertion moves an element only
// past strictly greater ones, so equal elements keep their order: the sort is
// stable whatever `is_stable` says. O(n log n) comparisons per row.
// The comparator (lhs0, rhs0, lhs1, rhs1, ...) is inlined as scalar code.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

/// Emits the sort of one row (one position of the other dimensions).
class RowSorter {
public:
  RowSorter(Region &comparator, int64_t rank, int64_t dim, int64_t n)
      : comparator(comparator), rank(rank), dim(dim), n(n) {}

  /// Sorts the row `outerIvs` of `data` (one tensor per operand); `scratch`
  /// (as many tensors, same types) is overwritten. Returns (data, scratch).
  SmallVector<Value> sort(OpBuilder &b, Location l, ValueRange outerIvs, ValueRange data,
                          ValueRange scratch) {
    outer.assign(outerIvs.begin(), outerIvs.end());
    int64_t run = 16;
    if (mergePasses(run) % 2 != 0)
      run = 32;
    SmallVector<Value> sorted = sortRuns(b, l, data, run);
    int64_t pairs = mergePasses(run) / 2;
    llvm::append_range(sorted, scratch);
    if (pairs == 0)
      return sorted;
    SmallVector<Value> init{indexConstant(b, l, run)};
    llvm::append_range(init, sorted);
    size_t count = data.size();
    auto loop = scf::ForOp::create(
        b, l, indexConstant(b, l, 0), indexConstant(b, l, pairs), indexConstant(b, l, 1),
        init, [&](OpBuilder &pb, Location pl, Value, ValueRange state) {
          Value width = state[0];
          ValueRange tensors = state.drop_front();
          SmallVector<Value> toScratch =
              mergePass(pb, pl, tensors.take_front(count), tensors.drop_front(count), width);
          Value twice = arith::AddIOp::create(pb, pl, width, width);
          SmallVector<Value> toData = mergePass(pb, pl, toScratch, tensors.take_front(count),
                                                twice);
          SmallVector<Value> next{arith::AddIOp::create(pb, pl, twice, twice)};
          llvm::append_range(next, toData);
          llvm::append_range(next, toScratch);
          scf::YieldOp::create(pb, pl, next);
        });
    return llvm::to_vector_of<Value>(loop.getResults().drop_front());
  }

  bool ok = true;

private:
  /// The number of merge passes after sorting runs of `run` elements.
  int64_t mergePasses(int64_t run) const {
    int64_t runs = (n + run - 1) / run, passes = 0;
    while ((int64_t(1) << passes) < runs)
      ++passes;
    return passes;
  }

  /// Index of element `j` of the row.
  SmallVector<Value> at(Value j) const {
    SmallVector<Value> index;
    for (int64_t d = 0, o = 0; d < rank; ++d)
      index.push_back(d == dim ? j : outer[o++]);
    return index;
  }

  /// Whether element `a` of the row sorts strictly before element `c`:
  /// comparator(ts[a]..., ts[c]...).
  Value less(OpBuilder &b, Location l, ValueRange ts, Value a, Value c) {
    SmallVector<Value> args;
    for (Value t : ts) {
      args.push_back(tensor::ExtractOp::create(b, l, t, at(a)));
      args.push_back(tensor::ExtractOp::create(b, l, t, at(c)));
    }
    auto result = scalarizeRegion(b, l, comparator, args);
    if (failed(result) || result->size() != 1) {
      ok = false;
      return arith::ConstantOp::create(b, l, b.getBoolAttr(false));
    }
    return (*result)[0];
  }

  /// Insertion sort of each run [lo, min(lo + run, n)), in place.
  SmallVector<Value> sortRuns(OpBuilder &b, Location l, ValueRange ts, int64_t run) {
    Value one = indexConstant(b, l, 1), end = indexConstant(b, l, n);
    auto runs = scf::ForOp::create(
        b, l, indexConstant(b, l, 0), end, indexConstant(b, l, run), ts,
        [&](OpBuilder &rb, Location rl, Value lo, ValueRange rts) {
          Value hi = arith::MinSIOp::create(
              rb, rl, arith::AddIOp::create(rb, rl, lo, indexConstant(rb, rl, run)), end);
          Value first = arith::AddIOp::create(rb, rl, lo, one);
          auto insertions = scf::ForOp::create(
              rb, rl, first, hi, one, rts,
              [&](OpBuilder &fb, Location fl, Value i, ValueRange fts) {
                scf::YieldOp::create(fb, fl, insert(fb, fl, lo, i, fts));
              });
          scf::YieldOp::create(rb, rl, insertions.getResults());
        });
    return llvm::to_vector_of<Value>(runs.getResults());
  }

  /// Moves element `i` down past the strictly greater elements before it
  /// (down to `lo`), by swaps.
  SmallVector<Value> insert(OpBuilder &b, Location l, Value lo, Value i, ValueRange ts) {
    Value one = indexConstant(b, l, 1);
    SmallVector<Value> state{i};
    llvm::append_range(state, ts);
    SmallVector<Type> types;
    for (Value v : state)
      types.push_back(v.getType());
    SmallVector<Location> locs(state.size(), l);
    auto loop = scf::WhileOp::create(b, l, types, state);
    OpBuilder::InsertionGuard guard(b);
    Block *before = b.createBlock(&loop.getBefore(), loop.getBefore().end(), types, locs);
    {
      Value j = before->getArgument(0);
      auto args = before->getArguments().drop_front();
      Value inRun = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, j, lo);
      auto moves = scf::IfOp::create(
          b, l, inRun,
          [&](OpBuilder &tb, Location tl) {
            Value prev = arith::SubIOp::create(tb, tl, j, one);
            scf::YieldOp::create(tb, tl, less(tb, tl, args, j, prev));
          },
          [&](OpBuilder &eb, Location el) {
            scf::YieldOp::create(
                eb, el, ValueRange{arith::ConstantOp::create(eb, el, eb.getBoolAttr(false))});
          });
      scf::ConditionOp::create(b, l, moves.getResult(0), before->getArguments());
    }
    Block *after = b.createBlock(&loop.getAfter(), loop.getAfter().end(), types, locs);
    {
      Value j = after->getArgument(0);
      Value prev = arith::SubIOp::create(b, l, j, one);
      SmallVector<Value> next{prev};
      for (Value t : after->getArguments().drop_front()) {
        Value a = tensor::ExtractOp::create(b, l, t, at(j));
        Value p = tensor::ExtractOp::create(b, l, t, at(prev));
        t = tensor::InsertOp::create(b, l, a, t, at(prev));
        t = tensor::InsertOp::create(b, l, p, t, at(j));
        next.push_back(t);
      }
      scf::YieldOp::create(b, l, next);
    }
    return llvm::to_vector_of<Value>(loop.getResults().drop_front());
  }

  /// One merge pass: each pair of runs [lo, lo + width), [lo + width,
  /// lo + 2 width) of `src` merged into the same positions of `dst`.
  SmallVector<Value> mergePass(OpBuilder &b, Location l, ValueRange src, ValueRange dst,
                               Value width) {
    Value one = indexConstant(b, l, 1), end = indexConstant(b, l, n);
    Value pairWidth = arith::AddIOp::create(b, l, width, width);
    auto pass = scf::ForOp::create(
        b, l, indexConstant(b, l, 0), end, pairWidth, dst,
        [&](OpBuilder &pb, Location pl, Value lo, ValueRange dts) {
          Value mid = arith::MinSIOp::create(pb, pl, arith::AddIOp::create(pb, pl, lo, width),
                                             end);
          Value hi = arith::MinSIOp::create(
              pb, pl, arith::AddIOp::create(pb, pl, lo, pairWidth), end);
          SmallVector<Value> init{lo, mid};
          llvm::append_range(init, dts);
          auto merge = scf::ForOp::create(
              pb, pl, lo, hi, one, init,
              [&](OpBuilder &mb, Location ml, Value k, ValueRange state) {
                Value i = state[0], j = state[1];
                Value rightLeft =
                    arith::CmpIOp::create(mb, ml, arith::CmpIPredicate::slt, j, hi);
                // Right when the right run has elements and either the left
                // one is exhausted or right < left (strictly: stability).
                auto takeRight = scf::IfOp::create(
                    mb, ml, rightLeft,
                    [&](OpBuilder &tb, Location tl) {
                      Value leftLeft =
                          arith::CmpIOp::create(tb, tl, arith::CmpIPredicate::slt, i, mid);
                      auto inner = scf::IfOp::create(
                          tb, tl, leftLeft,
                          [&](OpBuilder &ib, Location il) {
                            scf::YieldOp::create(ib, il, less(ib, il, src, j, i));
                          },
                          [&](OpBuilder &ib, Location il) {
                            scf::YieldOp::create(
                                ib, il,
                                ValueRange{arith::ConstantOp::create(ib, il,
                                                                     ib.getBoolAttr(true))});
                          });
                      scf::YieldOp::create(tb, tl, inner.getResults());
                    },
                    [&](OpBuilder &eb, Location el) {
                      scf::YieldOp::create(
                          eb, el,
                          ValueRange{arith::ConstantOp::create(eb, el, eb.getBoolAttr(false))});
                    });
                Value right = takeRight.getResult(0);
                Value from = arith::SelectOp::create(mb, ml, right, j, i);
                Value nextI = arith::SelectOp::create(
                    mb, ml, right, i, arith::AddIOp::create(mb, ml, i, one));
                Value nextJ = arith::SelectOp::create(
                    mb, ml, right, arith::AddIOp::create(mb, ml, j, one), j);
                SmallVector<Value> next{nextI, nextJ};
                for (auto [s, d] : llvm::zip(src, state.drop_front(2))) {
                  Value v = tensor::ExtractOp::create(mb, ml, s, at(from));
                  next.push_back(tensor::InsertOp::create(mb, ml, v, d, at(k)));
                }
                scf::YieldOp::create(mb, ml, next);
              });
          scf::YieldOp::create(pb, pl, merge.getResults().drop_front(2));
        });
    return llvm::to_vector_of<Value>(pass.getResults());
  }

  Region &comparator;
  int64_t rank, dim, n;
  SmallVector<Value> outer;  // the row's indices in the other dimensions
};

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
    SmallVector<Value> state(inputs.begin(), inputs.end());
    // The merge passes' other buffer per operand: a copy of the operand, not
    // tensor.empty (CSE merges equal-typed empties, and one-shot-bufferize
    // then gives two loop-carried scratch tensors one buffer).
    llvm::append_range(state, inputs);
    RowSorter sorter(op.getComparator(), rank, dim, n);
    SmallVector<Value> results = buildLoopNest(
        rewriter, loc, outerShape, state,
        [&](OpBuilder &b, Location l, ValueRange outer, ValueRange tensors) {
          return sorter.sort(b, l, outer, tensors.take_front(count),
                             tensors.drop_front(count));
        });
    if (!sorter.ok)
      return failure();
    rewriter.replaceOp(op, ValueRange(results).take_front(count));
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateSortPatterns(const TypeConverter &converter,
                                                 RewritePatternSet &patterns) {
  patterns.add<SortToScf>(converter, patterns.getContext());
}
