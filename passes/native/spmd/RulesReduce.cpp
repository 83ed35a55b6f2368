//===- RulesReduce.cpp - reduce over split dimensions ---------------------===//
//
// Kept dimensions take the result's split. A reduced dimension that is split
// stays split when the body is one associative op (add, multiply, max, min,
// and, or, xor) and the init value is a constant identity of it: the padding
// is masked with the init value, each partition reduces its chunk, and an
// all_reduce with the same op combines them. A reduce of several operands
// (argmax) masks with its init values, reduces locally, gathers the partials
// and reduces them again with its body. Otherwise (an unknown body or init)
// the reduced dimensions are gathered first.
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

// The body's single binary op, when it combines the two block arguments.
Operation *combiner(hlo::ReduceOp op) {
  Block &body = op.getBody().front();
  if (body.getOperations().size() != 2)
    return nullptr;
  Operation *inner = &body.front();
  if (inner->getNumOperands() != 2 || inner->getNumResults() != 1 ||
      body.getTerminator()->getOperand(0) != inner->getResult(0))
    return nullptr;
  if (!llvm::is_contained(inner->getOperands(), body.getArgument(0)) ||
      !llvm::is_contained(inner->getOperands(), body.getArgument(1)))
    return nullptr;
  if (!isa<hlo::AddOp, hlo::MulOp, hlo::MaxOp, hlo::MinOp, hlo::AndOp, hlo::OrOp, hlo::XorOp>(
          inner))
    return nullptr;
  return inner;
}

bool isIdentity(Operation *combine, Value init) {
  DenseElementsAttr value;
  if (!matchPattern(init, m_Constant(&value)) || !value.isSplat())
    return false;
  Type element = value.getElementType();
  if (isa<FloatType>(element)) {
    APFloat f = value.getSplatValue<APFloat>();
    if (isa<hlo::AddOp>(combine))
      return f.isZero();
    if (isa<hlo::MulOp>(combine))
      return f.isExactlyValue(1.0);
    if (isa<hlo::MaxOp>(combine))
      return f.isInfinity() && f.isNegative();
    if (isa<hlo::MinOp>(combine))
      return f.isInfinity() && !f.isNegative();
    return false;
  }
  if (auto it = dyn_cast<IntegerType>(element)) {
    APInt i = value.getSplatValue<APInt>();
    bool isUnsigned = it.isUnsigned();
    if (isa<hlo::AddOp, hlo::OrOp, hlo::XorOp>(combine))
      return i.isZero();
    if (isa<hlo::MulOp>(combine))
      return i.isOne();
    if (isa<hlo::AndOp>(combine))
      return i.isAllOnes();
    if (isa<hlo::MaxOp>(combine))
      return isUnsigned || it.getWidth() == 1 ? i.isZero() : i.isMinSignedValue();
    if (isa<hlo::MinOp>(combine))
      return isUnsigned || it.getWidth() == 1 ? i.isAllOnes() : i.isMaxSignedValue();
  }
  return false;
}

RuleResult reduce(Partitioner &P, hlo::ReduceOp op) {
  auto inType = cast<RankedTensorType>(op.getInputs().front().getType());
  ArrayRef<int64_t> dims = op.getDimensions();
  size_t n = op.getInputs().size();
  Sharding r = P.annotated(op, 0);
  Sharding want = Sharding::replicated(inType.getRank());
  int64_t j = 0;
  for (int64_t d = 0; d < inType.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      want.dims[d] = r.dims[j++];
  // One operand: its op and identity are checked, partials meet in an
  // all_reduce. Several (argmax: values and indices): the body combines the
  // gathered partials in a second reduce; the spec lets a reduction apply
  // its init values any number of times, and JAX's are identities.
  Operation *combine = n == 1 ? combiner(op) : nullptr;
  bool keepSplit = n > 1 || (combine && isIdentity(combine, op.getInitValues().front()));
  DimAxes reduced;
  if (keepSplit) {
    const Sharding &cur = P.lookup(op.getInputs().front()).sharding;
    DimAxes used = r.allAxes();
    for (int64_t d : dims)
      if (!cur.dims.empty() && !cur.dims[d].empty() && !overlaps(cur.dims[d], used)) {
        want.dims[d] = cur.dims[d];
        used.append(cur.dims[d].begin(), cur.dims[d].end());
        reduced.append(cur.dims[d].begin(), cur.dims[d].end());
      }
  }
  Location loc = op.getLoc();
  SmallVector<Value> operands;
  for (Value v : op.getInputs())
    operands.push_back(P.get(v, want));
  for (Value v : op.getInitValues())
    operands.push_back(P.get(v, Sharding::replicated(0)));
  if (!reduced.empty())
    for (size_t i = 0; i < n; ++i)
      operands[i] = P.maskPadding(loc, operands[i], inType, want, dims, operands[n + i]);
  SmallVector<Type> types;
  for (Value res : op.getResults())
    types.push_back(P.local(Partitioner::globalType(res), r));
  Operation *copy = P.cloneWith(op, operands, types);
  SmallVector<Value> results(copy->getResults());
  if (!reduced.empty() && n == 1) {
    results[0] = P.allReduce(loc, results[0], reduced, combine->getName().getStringRef());
  } else if (!reduced.empty()) {
    SmallVector<Value> partials;
    for (Value v : results) {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape{1};
      shape.append(t.getShape().begin(), t.getShape().end());
      Value one = hlo::ReshapeOp::create(P.builder, loc,
                                         RankedTensorType::get(shape, t.getElementType()), v);
      partials.push_back(P.allGather(loc, one, 0, reduced));
    }
    partials.append(operands.begin() + n, operands.end());
    auto second = cast<hlo::ReduceOp>(P.cloneWith(op, partials, types));
    second.setDimensions(ArrayRef<int64_t>{0});
    results.assign(second->getResults().begin(), second->getResults().end());
  }
  P.setResults(op, results, SmallVector<Sharding>(op->getNumResults(), r));
  return RuleResult::Done;
}

} // namespace

RuleResult partitionReduce(Partitioner &P, Operation *op) {
  if (auto r = dyn_cast<hlo::ReduceOp>(op))
    return reduce(P, r);
  return RuleResult::NoRule;
}

} // namespace hlox::spmd
