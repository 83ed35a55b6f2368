//===- SdyPropagateRulesContraction.cpp - contractions, reductions, windows ===//
//
//   dot_general        batch factors (lhs, rhs, result), lhs and rhs free
//                      (non-contracting) factors (operand, result),
//                      contracting factors (lhs, rhs: a reduction, absent
//                      from the result)
//   convolution        batch (input, output), input feature (input, kernel:
//                      a reduction), output feature (kernel, output); a
//                      spatial dimension only when its window is trivial
//                      (size 1, stride 1, no padding or dilation); grouped
//                      feature/batch dimensions are unrelated
//   reduce             every input dimension is a factor; the result keeps
//                      the kept dimensions' factors (reduced dimensions'
//                      axes do not reach the result)
//   reduce_window,     a dimension whose window is trivial is shared by
//   select_and_scatter inputs and results; windowed dimensions are not
//   sort               every dimension but the sorted one
//   fft, cholesky,     leading (batch) dimensions only; the transformed /
//   triangular_solve   matrix dimensions are not related
//
//===----------------------------------------------------------------------===//
#include "passes/native/SdyPropagation.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace hlox::sdy_propagation;
using namespace mlir;
using llvm::SmallVectorImpl;

namespace {

/// Maps `dims[k]` of each (tensor, dims) pair to one new factor of the size
/// of the first tensor's dimension; pairs with a negative tensor are skipped.
void shareFactor(Rule &rule, int64_t size,
                 std::initializer_list<std::pair<int, int64_t>> members) {
  if (size == 1)
    return;
  unsigned f = rule.addFactor(size);
  for (auto [t, d] : members)
    if (t >= 0 && d >= 0)
      rule.map(t, d, f);
}

SmallVector<int64_t> freeDims(unsigned rank, ArrayRef<int64_t> batch, ArrayRef<int64_t> contract) {
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(batch, d) && !llvm::is_contained(contract, d))
      out.push_back(d);
  return out;
}

Rule dotRule(stablehlo::DotGeneralOp op, PropagationState &state) {
  Rule rule;
  int lhs = addValue(rule, state, op.getLhs()), rhs = addValue(rule, state, op.getRhs());
  int out = addValue(rule, state, op.getResult());
  auto dims = op.getDotDimensionNumbers();
  ArrayRef<int64_t> ls = shapeOf(op.getLhs()), rs = shapeOf(op.getRhs());
  int64_t r = 0; // result dims: batch, lhs free, rhs free
  for (auto [lb, rb] : llvm::zip(dims.getLhsBatchingDimensions(), dims.getRhsBatchingDimensions()))
    shareFactor(rule, ls[lb], {{lhs, lb}, {rhs, rb}, {out, r++}});
  for (int64_t d : freeDims(ls.size(), dims.getLhsBatchingDimensions(),
                            dims.getLhsContractingDimensions()))
    shareFactor(rule, ls[d], {{lhs, d}, {out, r++}});
  for (int64_t d : freeDims(rs.size(), dims.getRhsBatchingDimensions(),
                            dims.getRhsContractingDimensions()))
    shareFactor(rule, rs[d], {{rhs, d}, {out, r++}});
  for (auto [lc, rc] :
       llvm::zip(dims.getLhsContractingDimensions(), dims.getRhsContractingDimensions()))
    shareFactor(rule, ls[lc], {{lhs, lc}, {rhs, rc}});
  return rule;
}

/// The i-th window of an op is trivial: size 1 (the `sizesName` attribute;
/// none for convolution, whose kernel gives it), stride 1, no padding or
/// dilation (absent attributes count as trivial).
bool trivialWindow(Operation *op, StringRef sizesName, unsigned i) {
  auto at = [&](StringRef name, int64_t trivial) {
    if (auto a = op->getAttrOfType<DenseI64ArrayAttr>(name))
      return a.asArrayRef()[i] == trivial;
    return true;
  };
  if ((!sizesName.empty() && !at(sizesName, 1)) || !at("window_strides", 1) || !at("base_dilations", 1) ||
      !at("window_dilations", 1) || !at("lhs_dilation", 1) || !at("rhs_dilation", 1))
    return false;
  if (auto pad = op->getAttrOfType<DenseIntElementsAttr>("padding")) {
    auto values = pad.getValues<int64_t>();
    if (values[2 * i] != 0 || values[2 * i + 1] != 0)
      return false;
  }
  if (auto rev = op->getAttrOfType<DenseBoolArrayAttr>("window_reversal"))
    if (rev.asArrayRef()[i])
      return false;
  return true;
}

Rule convolutionRule(stablehlo::ConvolutionOp op, PropagationState &state) {
  Rule rule;
  int in = addValue(rule, state, op.getLhs()), kernel = addValue(rule, state, op.getRhs());
  int out = addValue(rule, state, op.getResult());
  auto dn = op.getDimensionNumbers();
  ArrayRef<int64_t> is = shapeOf(op.getLhs()), ks = shapeOf(op.getRhs());
  if (op.getBatchGroupCount() == 1)
    shareFactor(rule, is[dn.getInputBatchDimension()],
                {{in, dn.getInputBatchDimension()}, {out, dn.getOutputBatchDimension()}});
  if (op.getFeatureGroupCount() == 1 && op.getBatchGroupCount() == 1) {
    shareFactor(rule, is[dn.getInputFeatureDimension()],
                {{in, dn.getInputFeatureDimension()}, {kernel, dn.getKernelInputFeatureDimension()}});
    shareFactor(rule, ks[dn.getKernelOutputFeatureDimension()],
                {{kernel, dn.getKernelOutputFeatureDimension()},
                 {out, dn.getOutputFeatureDimension()}});
  }
  for (auto [i, d] : llvm::enumerate(dn.getInputSpatialDimensions())) {
    if (ks[dn.getKernelSpatialDimensions()[i]] != 1 || !trivialWindow(op, "", i))
      continue;
    shareFactor(rule, is[d], {{in, d}, {out, dn.getOutputSpatialDimensions()[i]}});
  }
  return rule;
}

Rule reduceRule(stablehlo::ReduceOp op, PropagationState &state) {
  Rule rule;
  SmallVector<int> inputs, results;
  for (Value v : op.getInputs())
    inputs.push_back(addValue(rule, state, v));
  for (Value v : op->getResults())
    results.push_back(addValue(rule, state, v));
  ArrayRef<int64_t> shape = shapeOf(op.getInputs()[0]);
  ArrayRef<int64_t> reduced = op.getDimensions();
  int64_t r = 0;
  for (auto [d, size] : llvm::enumerate(shape)) {
    bool kept = !llvm::is_contained(reduced, int64_t(d));
    if (size != 1) {
      unsigned f = rule.addFactor(size);
      for (int t : inputs)
        if (t >= 0)
          rule.map(t, d, f);
      if (kept)
        for (int t : results)
          if (t >= 0)
            rule.map(t, r, f);
    }
    r += kept;
  }
  return rule;
}

/// Same-shaped windowed values related on their trivial-window dimensions.
Rule windowRule(Operation *op, PropagationState &state, ArrayRef<Value> values,
                StringRef sizesName) {
  unsigned rank = shapeOf(values.front()).size();
  SmallVector<int64_t> windowed;
  for (unsigned d = 0; d < rank; ++d)
    if (!trivialWindow(op, sizesName, d))
      windowed.push_back(d);
  return elementwiseRule(state, values, windowed);
}

/// Leading `rank - trailing` dimensions related; the rest not.
Rule batchOnlyRule(PropagationState &state, ArrayRef<Value> values, unsigned trailing) {
  unsigned rank = shapeOf(values.back()).size();
  SmallVector<int64_t> inner;
  for (unsigned d = rank - std::min(rank, trailing); d < rank; ++d)
    inner.push_back(d);
  return elementwiseRule(state, values, inner);
}

SmallVector<Value> operandsAndResults(Operation *op) {
  SmallVector<Value> values(op->getOperands());
  llvm::append_range(values, op->getResults());
  return values;
}

} // namespace

bool hlox::sdy_propagation::buildContractionRules(Operation *op, PropagationState &state,
                                                  SmallVectorImpl<Rule> &rules) {
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case([&](stablehlo::DotGeneralOp o) { return rules.push_back(dotRule(o, state)), true; })
      .Case([&](stablehlo::ConvolutionOp o) {
        return rules.push_back(convolutionRule(o, state)), true;
      })
      .Case([&](stablehlo::ReduceOp o) { return rules.push_back(reduceRule(o, state)), true; })
      .Case([&](stablehlo::ReduceWindowOp o) {
        SmallVector<Value> values(o.getInputs());
        llvm::append_range(values, o->getResults());
        rules.push_back(windowRule(o, state, values, "window_dimensions"));
        return true;
      })
      .Case([&](stablehlo::SelectAndScatterOp o) {
        // The source has the windowed (result of reduce_window) shape: only
        // operand and result are related.
        rules.push_back(windowRule(o, state, {o.getOperand(), o->getResult(0)},
                                   "window_dimensions"));
        return true;
      })
      .Case([&](stablehlo::SortOp o) {
        rules.push_back(elementwiseRule(state, operandsAndResults(o), {int64_t(o.getDimension())}));
        return true;
      })
      .Case([&](stablehlo::FftOp o) {
        rules.push_back(batchOnlyRule(state, {o.getOperand(), o.getResult()},
                                      o.getFftLength().size()));
        return true;
      })
      .Case<stablehlo::CholeskyOp, stablehlo::TriangularSolveOp>([&](Operation *o) {
        rules.push_back(batchOnlyRule(state, operandsAndResults(o), 2));
        return true;
      })
      .Default([](Operation *) { return false; });
}
