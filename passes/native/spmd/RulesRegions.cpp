//===- RulesRegions.cpp - sdy ops, while/case/if ---------------------------===//
//
// sharding_constraint and reshard reshard. A manual_computation's operands
// are resharded to its in_shardings and its body is inlined on the local
// values (it already computes per device). while/case/if carry local values:
// their regions are partitioned recursively, with the loop values and branch
// results kept in the shardings the op's results are annotated with.
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

RuleResult manualComputation(Partitioner &P, sdy::ManualComputationOp op) {
  llvm::StringSet<> manual;
  for (StringAttr name : op.getManualAxes().getNames())
    manual.insert(name.getValue());
  auto shardingsOf = [&](sdy::TensorShardingPerValueAttr attr, ValueRange vals,
                         SmallVector<Sharding> &out) {
    for (auto [attrS, v] : llvm::zip(attr.getShardings(), vals)) {
      std::string message;
      auto type = Partitioner::globalType(v);
      Sharding s = fromAttr(P.mesh, attrS, type ? type.getRank() : 0, op, message);
      if (!message.empty()) {
        P.error(op) << message;
        return false;
      }
      // The body's types follow the manual axes only (Shardy puts them
      // first in every dimension); over the free axes it runs replicated.
      for (DimAxes &d : s.dims) {
        auto firstFree = llvm::find_if(d, [&](const AxisPart &a) { return !manual.contains(a.name); });
        if (std::any_of(firstFree, d.end(), [&](const AxisPart &a) { return manual.contains(a.name); })) {
          P.error(op) << "a free axis precedes a manual axis in " << s.str();
          return false;
        }
        d.erase(firstFree, d.end());
      }
      out.push_back(s);
    }
    return true;
  };
  SmallVector<Sharding> ins, outs;
  if (!shardingsOf(op.getInShardings(), op.getTensors(), ins) ||
      !shardingsOf(op.getOutShardings(), op.getResults(), outs))
    return RuleResult::Failed;
  Block &body = op.getBody().front();
  IRMapping mapping;
  for (auto [arg, operand, s] : llvm::zip(body.getArguments(), op.getTensors(), ins)) {
    Value local = P.get(operand, s);
    if (local.getType() != arg.getType()) {
      P.error(op) << "the body's argument type " << arg.getType()
                  << " is not the operand's local type " << local.getType();
      return RuleResult::Failed;
    }
    mapping.map(arg, local);
  }
  // The body runs as it is on every partition (replicated over free axes).
  for (Operation &inner : body.without_terminator()) {
    if (isa<sdy::ShardingConstraintOp, sdy::ReshardOp>(inner)) {
      mapping.map(inner.getResult(0), mapping.lookupOrDefault(inner.getOperand(0)));
      continue;
    }
    if (isa<sdy::ManualComputationOp>(inner)) {
      P.error(&inner) << "nested shard_map is not supported";
      return RuleResult::Failed;
    }
    // Values from outside the body (isolated from above: none) or mapped.
    Operation *copy = P.builder.clone(inner, mapping);
    copy->walk([](Operation *o) {
      o->removeAttr("sdy.sharding");
      o->removeAttr("sdy.sharding_rule");
    });
  }
  Operation *ret = body.getTerminator();
  for (auto [result, v, s] : llvm::zip(op.getResults(), ret->getOperands(), outs))
    P.set(result, mapping.lookupOrDefault(v), s);
  return RuleResult::Done;
}

// Partitions `region` (one block) into `into` with its arguments given as
// (local type, sharding); the terminator returns `yield(operand index)`'s
// sharding.
void partitionRegion(Partitioner &P, Region &region, Region &into, ArrayRef<Sharding> argShardings,
                     function_ref<Sharding(unsigned)> yield) {
  OpBuilder::InsertionGuard guard(P.builder);
  Block &old = region.front();
  Block *block = P.builder.createBlock(&into);
  for (auto [arg, s] : llvm::zip(old.getArguments(), argShardings)) {
    Type t = arg.getType();
    if (auto tensor = dyn_cast<RankedTensorType>(t))
      t = P.local(tensor, s);
    P.set(arg, block->addArgument(t, arg.getLoc()), s);
  }
  P.builder.setInsertionPointToEnd(block);
  P.partitionBlock(old);
  if (P.failed)
    return;
  Operation *term = old.getTerminator();
  SmallVector<Value> operands;
  for (auto [i, v] : llvm::enumerate(term->getOperands()))
    operands.push_back(P.get(v, yield(i)));
  OperationState state(term->getLoc(), term->getName());
  state.addOperands(operands);
  state.addAttributes(term->getAttrs());
  P.builder.create(state);
}

RuleResult regionOp(Partitioner &P, Operation *op) {
  SmallVector<Sharding> results;
  SmallVector<Type> types;
  for (unsigned i = 0; i < op->getNumResults(); ++i) {
    results.push_back(P.annotated(op, i));
    Type t = op->getResult(i).getType();
    if (auto tensor = dyn_cast<RankedTensorType>(t))
      t = P.local(tensor, results.back());
    types.push_back(t);
  }
  SmallVector<Value> operands;
  bool isWhile = isa<hlo::WhileOp>(op);
  for (auto [i, v] : llvm::enumerate(op->getOperands())) {
    auto type = Partitioner::globalType(v);
    operands.push_back(isWhile ? P.get(v, results[i])
                               : P.get(v, Sharding::replicated(type ? type.getRank() : 0)));
  }
  OperationState state(op->getLoc(), op->getName());
  state.addOperands(operands);
  state.addTypes(types);
  for (NamedAttribute a : op->getAttrs())
    if (a.getName() != "sdy.sharding")
      state.addAttribute(a.getName(), a.getValue());
  for (unsigned i = 0; i < op->getNumRegions(); ++i)
    state.addRegion();
  Operation *copy = P.builder.create(state);
  for (unsigned i = 0; i < op->getNumRegions(); ++i) {
    bool isCond = isWhile && i == 0;
    ArrayRef<Sharding> args = isWhile ? ArrayRef<Sharding>(results) : ArrayRef<Sharding>();
    partitionRegion(P, op->getRegion(i), copy->getRegion(i), args, [&](unsigned k) {
      return isCond ? Sharding::replicated(0) : results[k];
    });
    if (P.failed)
      return RuleResult::Failed;
  }
  P.setResults(op, copy->getResults(), results);
  return RuleResult::Done;
}

} // namespace

// sharding_constraint and reshard: the value, moved to the op's sharding.
template <typename OpTy>
RuleResult reshardOp(Partitioner &P, OpTy op) {
  std::string message;
  auto type = Partitioner::globalType(op.getInput());
  Sharding s = fromAttr(P.mesh, op.getSharding(), type ? type.getRank() : 0, op, message);
  if (!message.empty()) {
    P.error(op) << message;
    return RuleResult::Failed;
  }
  P.set(op.getResult(), P.get(op.getInput(), s), s);
  return RuleResult::Done;
}

RuleResult partitionSdyOp(Partitioner &P, Operation *op) {
  if (auto c = dyn_cast<sdy::ShardingConstraintOp>(op))
    return reshardOp(P, c);
  if (auto r = dyn_cast<sdy::ReshardOp>(op))
    return reshardOp(P, r);
  if (auto m = dyn_cast<sdy::ManualComputationOp>(op))
    return manualComputation(P, m);
  return RuleResult::NoRule;
}

RuleResult partitionControlFlow(Partitioner &P, Operation *op) {
  if (isa<hlo::WhileOp, hlo::CaseOp, hlo::IfOp>(op))
    return regionOp(P, op);
  return RuleResult::NoRule;
}

} // namespace hlox::spmd
