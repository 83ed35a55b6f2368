//===- RulesDot.cpp - dot_general ------------------------------------------===//
//
// As XLA's SPMD partitioner: batch dimensions split alike on both operands
// and the result compute locally; a free (non-contracting) dimension split in
// the result is split in its operand; a contracting dimension keeps the axes
// its operands are already split over (when the result does not use them):
// each partition contracts its chunks (padding masked to zero on both
// sides) and an all_reduce sums the partial results -- or a reduce_scatter,
// when the result is split over those same axes on one dimension.
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

bool endsWith(ArrayRef<AxisPart> all, ArrayRef<AxisPart> suffix) {
  return suffix.size() <= all.size() && llvm::equal(all.take_back(suffix.size()), suffix);
}

RuleResult dotGeneral(Partitioner &P, hlo::DotGeneralOp op) {
  auto dn = op.getDotDimensionNumbers();
  auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
  auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
  auto outType = op.getType();
  Sharding r = P.annotated(op, 0);
  ArrayRef<int64_t> lb = dn.getLhsBatchingDimensions(), rb = dn.getRhsBatchingDimensions(),
                    lc = dn.getLhsContractingDimensions(), rc = dn.getRhsContractingDimensions();
  SmallVector<int64_t> lf, rf;
  for (int64_t d = 0; d < lhsType.getRank(); ++d)
    if (!llvm::is_contained(lb, d) && !llvm::is_contained(lc, d))
      lf.push_back(d);
  for (int64_t d = 0; d < rhsType.getRank(); ++d)
    if (!llvm::is_contained(rb, d) && !llvm::is_contained(rc, d))
      rf.push_back(d);

  // Reduce-scatter form: one contracting dimension split alike on both
  // operands over X, and the result split over ...++X on one dimension.
  Sharding computed = r;
  DimAxes scatterAxes;
  int64_t scatterDim = -1;
  const Sharding &lcur = P.lookup(op.getLhs()).sharding, &rcur = P.lookup(op.getRhs()).sharding;
  if (lc.size() == 1 && !lcur.dims.empty() && !rcur.dims.empty()) {
    const DimAxes &x = lcur.dims[lc[0]];
    if (!x.empty() && x == rcur.dims[rc[0]])
      for (int64_t d = 0; d < outType.getRank(); ++d)
        if (endsWith(r.dims[d], x) && outType.getDimSize(d) % product(r.dims[d]) == 0) {
          DimAxes rest = r.dims[d];
          rest.resize(rest.size() - x.size());
          Sharding trial = r;
          trial.dims[d] = rest;
          if (overlaps(trial.allAxes(), x))
            continue;
          computed = trial;
          scatterAxes = x;
          scatterDim = d;
          break;
        }
  }

  Sharding lhsWant = Sharding::replicated(lhsType.getRank());
  Sharding rhsWant = Sharding::replicated(rhsType.getRank());
  for (size_t k = 0; k < lb.size(); ++k) {
    lhsWant.dims[lb[k]] = computed.dims[k];
    rhsWant.dims[rb[k]] = computed.dims[k];
  }
  for (auto [k, d] : llvm::enumerate(lf))
    lhsWant.dims[d] = computed.dims[lb.size() + k];
  for (auto [k, d] : llvm::enumerate(rf))
    rhsWant.dims[d] = computed.dims[lb.size() + lf.size() + k];
  DimAxes used = computed.allAxes();
  DimAxes contracted;
  for (size_t k = 0; k < lc.size(); ++k) {
    DimAxes choice;
    const DimAxes *cl = lcur.dims.empty() ? nullptr : &lcur.dims[lc[k]];
    const DimAxes *cr = rcur.dims.empty() ? nullptr : &rcur.dims[rc[k]];
    for (const DimAxes *c : {cl, cr})
      if (c && !c->empty() && !overlaps(*c, used)) {
        choice = *c;
        break;
      }
    lhsWant.dims[lc[k]] = choice;
    rhsWant.dims[rc[k]] = choice;
    used.append(choice.begin(), choice.end());
    contracted.append(choice.begin(), choice.end());
  }
  if (scatterDim >= 0 && contracted != scatterAxes) {
    // The contraction did not keep the scatter axes: plain form.
    scatterDim = -1;
  }

  Location loc = op.getLoc();
  Value lhs = P.get(op.getLhs(), lhsWant), rhs = P.get(op.getRhs(), rhsWant);
  if (!contracted.empty()) {
    Type element = lhsType.getElementType();
    SmallVector<int64_t> ld(lc), rd(rc);
    if (llvm::any_of(ld, [&](int64_t d) { return P.hasPadding(lhsType, lhsWant, d); })) {
      Value zero = P.scalarConstant(loc, element, 0);
      Value rzero = P.scalarConstant(loc, rhsType.getElementType(), 0);
      if (!zero || !rzero) {
        P.error(op) << "masking the padding of a contracting dimension of element type "
                    << element << " is not supported";
        return RuleResult::Failed;
      }
      lhs = P.maskPadding(loc, lhs, lhsType, lhsWant, ld, zero);
      rhs = P.maskPadding(loc, rhs, rhsType, rhsWant, rd, rzero);
    }
  }
  Value v = P.cloneWith(op, {lhs, rhs}, {P.local(outType, computed)})->getResult(0);
  if (!contracted.empty()) {
    if (scatterDim >= 0) {
      v = P.reduceScatter(loc, v, scatterDim, contracted, "stablehlo.add");
      computed = r;
    } else {
      v = P.allReduce(loc, v, contracted, "stablehlo.add");
    }
  }
  P.set(op.getResult(), v, computed);
  return RuleResult::Done;
}

} // namespace

RuleResult partitionDot(Partitioner &P, Operation *op) {
  if (auto d = dyn_cast<hlo::DotGeneralOp>(op))
    return dotGeneral(P, d);
  return RuleResult::NoRule;
}

} // namespace hlox::spmd
