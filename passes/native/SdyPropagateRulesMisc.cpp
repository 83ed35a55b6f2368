//===- SdyPropagateRulesMisc.cpp - control flow, custom calls, sdy ops ----===//
//
//   while                  for each carried value: operand, both regions'
//                          block arguments, the body's yielded value and the
//                          result share every dimension
//   case, if               for each result: every branch's returned value
//   optimization_barrier   operand i and result i
//   sdy.sharding_constraint, sdy.reshard
//                          input and result alike (the result's own sharding
//                          is explicit and closed: it wins)
//   custom_call            its sdy.sharding_rule when it has one (as JAX
//                          writes for LAPACK calls); without one, no rule
//                          (the driver makes its results replicated)
//
//===----------------------------------------------------------------------===//
#include "passes/native/SdyPropagation.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace hlox::sdy_propagation;
using namespace mlir;
using llvm::SmallVectorImpl;

namespace {

void carriedRules(PropagationState &state, unsigned count,
                  llvm::function_ref<void(unsigned, SmallVectorImpl<Value> &)> valuesAt,
                  SmallVectorImpl<Rule> &rules) {
  for (unsigned i = 0; i < count; ++i) {
    SmallVector<Value> values;
    valuesAt(i, values);
    rules.push_back(elementwiseRule(state, values));
  }
}

void whileRules(stablehlo::WhileOp op, PropagationState &state, SmallVectorImpl<Rule> &rules) {
  Block &cond = op->getRegion(0).front(), &body = op->getRegion(1).front();
  Operation *yield = body.getTerminator();
  carriedRules(state, op->getNumResults(), [&](unsigned i, SmallVectorImpl<Value> &values) {
    values.append({op->getOperand(i), cond.getArgument(i), body.getArgument(i),
                   yield->getOperand(i), op->getResult(i)});
  }, rules);
}

void branchRules(Operation *op, PropagationState &state, SmallVectorImpl<Rule> &rules) {
  carriedRules(state, op->getNumResults(), [&](unsigned i, SmallVectorImpl<Value> &values) {
    values.push_back(op->getResult(i));
    for (Region &region : op->getRegions())
      values.push_back(region.front().getTerminator()->getOperand(i));
  }, rules);
}

/// The custom call's own sdy.sharding_rule, as a Rule (factors that need
/// replication are left unmapped: nothing flows through them).
void customCallRule(Operation *op, sdy::OpShardingRuleAttr attr, PropagationState &state,
                    SmallVectorImpl<Rule> &rules) {
  Rule rule;
  for (int64_t size : attr.getFactorSizes())
    rule.addFactor(size);
  auto addMapped = [&](Value value, Attribute mapping) {
    std::optional<TensorId> id = state.idOf(value);
    auto dims = llvm::dyn_cast<ArrayAttr>(mapping);
    if (!id || !dims)
      return;
    unsigned t = rule.addTensor(*id, dims.size());
    for (auto [d, factors] : llvm::enumerate(dims))
      if (auto list = llvm::dyn_cast<DenseI64ArrayAttr>(factors))
        for (int64_t f : list.asArrayRef())
          if (!llvm::is_contained(attr.getNeedReplicationFactors(), f) &&
              !llvm::is_contained(attr.getBlockedPropagationFactors(), f))
            rule.map(t, d, f);
  };
  for (auto [v, m] : llvm::zip(op->getOperands(), attr.getOperandMappings()))
    addMapped(v, m);
  for (auto [v, m] : llvm::zip(op->getResults(), attr.getResultMappings()))
    addMapped(v, m);
  rules.push_back(std::move(rule));
}

} // namespace

bool hlox::sdy_propagation::buildMiscRules(Operation *op, PropagationState &state,
                                           SmallVectorImpl<Rule> &rules) {
  return llvm::TypeSwitch<Operation *, bool>(op)
      .Case([&](stablehlo::WhileOp o) { return whileRules(o, state, rules), true; })
      .Case<stablehlo::CaseOp, stablehlo::IfOp>(
          [&](Operation *o) { return branchRules(o, state, rules), true; })
      .Case([&](stablehlo::OptimizationBarrierOp o) {
        carriedRules(state, o->getNumResults(), [&](unsigned i, SmallVectorImpl<Value> &values) {
          values.append({o->getOperand(i), o->getResult(i)});
        }, rules);
        return true;
      })
      .Case<sdy::ShardingConstraintOp, sdy::ReshardOp>([&](Operation *o) {
        rules.push_back(elementwiseRule(state, {o->getOperand(0), o->getResult(0)}));
        return true;
      })
      .Case([&](stablehlo::CustomCallOp o) {
        if (auto attr = o->getAttrOfType<sdy::OpShardingRuleAttr>("sdy.sharding_rule"))
          customCallRule(o, attr, state, rules);
        return true;
      })
      .Default([](Operation *) { return false; });
}

void hlox::sdy_propagation::buildRules(Operation *op, PropagationState &state,
                                       SmallVectorImpl<Rule> &rules) {
  (void)(buildShapeRules(op, state, rules) || buildContractionRules(op, state, rules) ||
         buildGatherScatterRules(op, state, rules) || buildMiscRules(op, state, rules));
}
