//===- RulesReduce.cpp - reduce over split dimensions ---------------------===//
//
// Kept dimensions take the result's split. A reduced dimension that is split
// stays split when the body is one associative op (add, multiply, max, min,
// and, or, xor) and the init value is a constant identity of it: the padding
// is masked with the init value, each partition reduces its chunk, and an
// all_reduce with the same op combines them. Otherwise (several operands, an
// unknown body or init) the reduced dimensions are gathered first.
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
  Sharding r = P.annotated(op, 0);
  Sharding want = Sharding::replicated(inType.getRank());
  int64_t j = 0;
  for (int64_t d = 0; d < inType.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      want.dims[d] = r.dims[j++];
  Operation *combine = op.getInputs().size() == 1 ? combiner(op) : nullptr;
  bool keepSplit = combine && isIdentity(combine, op.getInitValues().front());
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
    operands[0] = P.maskPadding(loc, operands[0], inType, want, dims, operands[1]);
  SmallVector<Type> types;
  for (Value res : op.getResults())
    types.push_back(P.local(Partitioner::globalType(res), r));
  Operation *copy = P.cloneWith(op, operands, types);
  Value v = copy->getResult(0);
  if (!reduced.empty())
    v = P.allReduce(loc, v, reduced, combine->getName().getStringRef());
  SmallVector<Value> results(copy->getResults());
  results[0] = v;
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
