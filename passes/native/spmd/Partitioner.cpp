//===- Partitioner.cpp - the value map, the walk, the replicated fallback -===//
#include "passes/native/spmd/Partitioner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

InFlightDiagnostic Partitioner::error(Operation *op) {
  failed = true;
  return op->emitError() << "hlox-spmd-partition: '" << op->getName() << "': ";
}

Sharding Partitioner::annotated(Operation *op, unsigned result) {
  auto type = globalType(op->getResult(result));
  int64_t rank = type ? type.getRank() : 0;
  auto perValue = op->getAttrOfType<sdy::TensorShardingPerValueAttr>("sdy.sharding");
  if (!perValue || result >= perValue.getShardings().size())
    return Sharding::replicated(rank);
  std::string message;
  Sharding s = fromAttr(mesh, perValue.getShardings()[result], rank, op, message);
  if (!message.empty())
    error(op) << "result " << result << ": " << message;
  return s;
}

const Local &Partitioner::lookup(Value global) {
  auto it = values.find(global);
  if (it == values.end()) {
    // Only a value from outside the partitioned function can be missing.
    static Local none;
    none = {global, Sharding::replicated(0)};
    return none;
  }
  return it->second;
}

Value Partitioner::get(Value global, const Sharding &want) {
  const Local &l = lookup(global);
  auto type = globalType(global);
  if (!type || l.sharding == want)
    return l.value;
  return reshard(global.getLoc(), l.value, type, l.sharding, want);
}

void Partitioner::set(Value global, Value local, Sharding sharding) {
  values[global] = {local, std::move(sharding)};
}

void Partitioner::setResults(Operation *global, ValueRange locals, ArrayRef<Sharding> computed) {
  for (auto [g, l, s] : llvm::zip(global->getResults(), locals, computed))
    set(g, l, s);
}

Operation *Partitioner::cloneWith(Operation *op, ValueRange operands, TypeRange resultTypes) {
  IRMapping mapping;
  for (auto [g, l] : llvm::zip(op->getOperands(), operands))
    mapping.map(g, l);
  Operation *copy = builder.clone(*op, mapping);
  for (auto [r, t] : llvm::zip(copy->getResults(), resultTypes))
    r.setType(t);
  copy->removeAttr("sdy.sharding");
  copy->removeAttr("sdy.sharding_rule");
  return copy;
}

void Partitioner::partitionBlock(Block &block) {
  for (Operation &op : block.without_terminator()) {
    if (failed)
      return;
    partitionOp(&op);
  }
}

void Partitioner::partitionOp(Operation *op) {
  using Rule = RuleResult (*)(Partitioner &, Operation *);
  for (Rule rule : {partitionSdyOp, partitionControlFlow, partitionElementwise, partitionShapeOp,
                    partitionDataMovement, partitionDot, partitionReduce, partitionGather}) {
    RuleResult r = rule(*this, op);
    if (r == RuleResult::Failed) {
      failed = true;
      return;
    }
    if (r == RuleResult::Done)
      return;
  }
  replicatedFallback(op);
}

// Ops whose meaning depends on which device runs them, or that talk to the
// outside: running them on every partition would not be the global program.
static bool partitionDependent(Operation *op) {
  return isa<hlo::AllReduceOp, hlo::AllGatherOp, hlo::ReduceScatterOp, hlo::AllToAllOp,
             hlo::CollectivePermuteOp, hlo::CollectiveBroadcastOp, hlo::PartitionIdOp,
             hlo::ReplicaIdOp, hlo::SendOp, hlo::RecvOp, hlo::InfeedOp, hlo::OutfeedOp>(op);
}

void Partitioner::replicatedFallback(Operation *op) {
  if (partitionDependent(op)) {
    error(op) << "communicates between devices or reads the device id outside a "
                 "shard_map (sdy.manual_computation) body: it has no meaning in the "
                 "global program";
    return;
  }
  if (op->getNumRegions() && !isa<hlo::ReduceOp, hlo::ReduceWindowOp, hlo::SortOp,
                                  hlo::ScatterOp, hlo::SelectAndScatterOp, hlo::MapOp,
                                  hlo::AllReduceOp>(op)) {
    bool nestedSdy = false;
    op->walk([&](Operation *inner) {
      if (inner != op && inner->getDialect() &&
          inner->getDialect()->getNamespace() == "sdy")
        nestedSdy = true;
    });
    if (nestedSdy) {
      error(op) << "has sdy ops in its regions and no partitioning rule";
      return;
    }
  }
  IRMapping mapping;
  for (Value v : op->getOperands())
    mapping.map(v, get(v, Sharding::replicated(globalType(v) ? globalType(v).getRank() : 0)));
  // Values the regions capture from outside, replicated too.
  op->walk([&](Operation *inner) {
    for (Value v : inner->getOperands())
      if (!mapping.contains(v) && !op->isAncestor(v.getParentBlock()->getParentOp()) &&
          values.count(v))
        mapping.map(v, get(v, Sharding::replicated(globalType(v) ? globalType(v).getRank() : 0)));
  });
  Operation *copy = builder.clone(*op, mapping);
  copy->walk([](Operation *inner) {
    inner->removeAttr("sdy.sharding");
    inner->removeAttr("sdy.sharding_rule");
  });
  for (auto [g, l] : llvm::zip(op->getResults(), copy->getResults()))
    set(g, l, Sharding::replicated(globalType(g) ? globalType(g).getRank() : 0));
}

} // namespace hlox::spmd
