//===- SdyPropagatePass.cpp - hlox-sdy-propagate's driver -----------------===//
//
// Calls are inlined first (SdyPropagateInline.cpp). Per function: read and check every sharding the input gives (arguments,
// results, op results, sharding constraints, manual_computation boundaries),
// build every op's rules once, then propagate through all rules forward and
// backward until nothing changes, once per priority round, and write the
// final shardings back (closed) on the arguments, the results and every op
// result, in while/case/if bodies too. sdy.manual_computation bodies (local
// values over manual axes) and the scalar bodies of reduce/sort/... are not
// annotated.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Passes.h"
#include "passes/native/SdyPropagateState.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <set>

namespace hlox {
#define GEN_PASS_DEF_SDYPROPAGATE
#include "passes/Passes.h.inc"
} // namespace hlox

using namespace mlir;
using namespace hlox::sdy_propagation;

namespace {

constexpr StringLiteral kSharding = "sdy.sharding";
constexpr StringLiteral kRule = "sdy.sharding_rule";

/// A rule relating two tensors of one shape dimension by dimension.
Rule identityRule(PropagationState &state, TensorId a, TensorId b) {
  Rule rule;
  ArrayRef<int64_t> shape = state.tensor(a).shape;
  unsigned ta = rule.addTensor(a, shape.size()), tb = rule.addTensor(b, shape.size());
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (size == 1)
      continue;
    unsigned f = rule.addFactor(size);
    rule.map(ta, d, f);
    rule.map(tb, d, f);
  }
  return rule;
}

/// An annotation that fixes a tensor replicated and closed.
Annotation closedReplicated(unsigned rank) {
  Annotation a;
  a.dims.resize(rank);
  for (DimState &d : a.dims)
    d.closed = true;
  a.priorities.assign(rank, 0);
  return a;
}

class FunctionPropagation {
public:
  explicit FunctionPropagation(func::FuncOp func) : func(func) {}

  LogicalResult collect();
  /// False when the function has no sharding and the module no single mesh.
  bool chooseMesh();
  void run();
  void write();

private:
  LogicalResult annotate(TensorId id, sdy::TensorShardingAttr attr, Type type,
                         function_ref<InFlightDiagnostic()> emitError, bool forceClosed = false);
  LogicalResult visitBlock(Block &block);
  LogicalResult visitOp(Operation &op);
  Attribute shardingOf(Value value);
  Attribute shardingOf(TensorId id);

  func::FuncOp func;
  PropagationState state;
  SmallVector<Rule, 0> rules;
  llvm::DenseMap<TensorId, Annotation> annotations;
  SmallVector<TensorId> resultIds;
  SmallVector<Operation *> annotatedOps;
  Attribute meshRef;
};

LogicalResult FunctionPropagation::annotate(TensorId id, sdy::TensorShardingAttr attr, Type type,
                                            function_ref<InFlightDiagnostic()> emitError,
                                            bool forceClosed) {
  FailureOr<Annotation> a = readAnnotation(attr, type, func, emitError);
  if (failed(a))
    return failure();
  if (forceClosed)
    for (DimState &d : a->dims)
      d.closed = true;
  annotations[id] = std::move(*a);
  return success();
}

LogicalResult FunctionPropagation::visitOp(Operation &op) {
  auto opError = [&]() { return op.emitError(); };
  if (op.getNumResults() > 0)
    annotatedOps.push_back(&op);
  if (auto perValue = op.getAttrOfType<sdy::TensorShardingPerValueAttr>(kSharding)) {
    if (perValue.getShardings().size() != op.getNumResults())
      return op.emitError() << "has " << perValue.getShardings().size()
                            << " result shardings for " << op.getNumResults() << " results";
    for (auto [result, sharding] : llvm::zip(op.getResults(), perValue.getShardings()))
      if (std::optional<TensorId> id = state.idOf(result))
        if (failed(annotate(*id, sharding, result.getType(), opError)))
          return failure();
  }
  if (isa<sdy::ShardingConstraintOp, sdy::ReshardOp>(op)) {
    auto attr = op.getAttrOfType<sdy::TensorShardingAttr>("sharding");
    if (std::optional<TensorId> id = state.idOf(op.getResult(0)))
      if (failed(annotate(*id, attr, op.getResult(0).getType(), opError)))
        return failure();
  }
  if (auto manual = dyn_cast<sdy::ManualComputationOp>(op)) {
    // Fixed boundaries: the operands meet their in_shardings through a
    // closed stand-in each; the results are the out_shardings.
    for (auto [operand, sharding] :
         llvm::zip(manual.getTensors(), manual.getInShardings().getShardings())) {
      std::optional<TensorId> id = state.idOf(operand);
      if (!id)
        continue;
      TensorId boundary = state.addVirtual(state.tensor(*id).shape);
      if (failed(annotate(boundary, sharding, operand.getType(), opError, /*forceClosed=*/true)))
        return failure();
      rules.push_back(identityRule(state, *id, boundary));
    }
    for (auto [result, sharding] :
         llvm::zip(manual.getResults(), manual.getOutShardings().getShardings()))
      if (std::optional<TensorId> id = state.idOf(result))
        if (failed(annotate(*id, sharding, result.getType(), opError, /*forceClosed=*/true)))
          return failure();
    return success();
  }
  if (isa<stablehlo::CustomCallOp>(op) && !op.hasAttr(kRule) && !op.hasAttr(kSharding)) {
    // What a custom call computes is unknown: its results stay whole.
    for (Value result : op.getResults())
      if (std::optional<TensorId> id = state.idOf(result))
        annotations[*id] = closedReplicated(state.tensor(*id).shape.size());
  }
  buildRules(&op, state, rules);
  if (isa<stablehlo::WhileOp, stablehlo::CaseOp, stablehlo::IfOp>(op))
    for (Region &region : op.getRegions())
      for (Block &block : region)
        if (failed(visitBlock(block)))
          return failure();
  return success();
}

LogicalResult FunctionPropagation::visitBlock(Block &block) {
  for (Operation &op : block)
    if (failed(visitOp(op)))
      return failure();
  return success();
}

LogicalResult FunctionPropagation::collect() {
  for (BlockArgument arg : func.getArguments()) {
    std::optional<TensorId> id = state.idOf(arg);
    auto attr = func.getArgAttrOfType<sdy::TensorShardingAttr>(arg.getArgNumber(), kSharding);
    if (!id || !attr)
      continue;
    auto argError = [&]() {
      InFlightDiagnostic d = func.emitError();
      d << "argument " << arg.getArgNumber() << ": ";
      return d;
    };
    if (failed(annotate(*id, attr, arg.getType(), argError)))
      return failure();
  }
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    auto ranked = llvm::dyn_cast<RankedTensorType>(type);
    resultIds.push_back(state.addVirtual(ranked ? ranked.getShape() : ArrayRef<int64_t>()));
    auto attr = func.getResultAttrOfType<sdy::TensorShardingAttr>(i, kSharding);
    if (!attr)
      continue;
    auto resultError = [&]() {
      InFlightDiagnostic d = func.emitError();
      d << "result " << i << ": ";
      return d;
    };
    if (failed(annotate(resultIds.back(), attr, type, resultError)))
      return failure();
  }
  if (failed(visitBlock(func.getBody().front())))
    return failure();
  Operation *ret = func.getBody().front().getTerminator();
  for (auto [value, id] : llvm::zip(ret->getOperands(), resultIds))
    if (std::optional<TensorId> valueId = state.idOf(value))
      rules.push_back(identityRule(state, *valueId, id));
  return success();
}

bool FunctionPropagation::chooseMesh() {
  // The first annotation (in id order: arguments, results, ops) on a mesh with
  // axes; else the first one; else the module's only sdy.mesh.
  SmallVector<TensorId> ids;
  for (auto &[id, a] : annotations)
    if (a.attr)
      ids.push_back(id);
  llvm::sort(ids);
  for (TensorId id : ids)
    if (!annotations[id].attr.getMesh(func).getAxisNames().empty()) {
      meshRef = annotations[id].meshRef;
      return true;
    }
  if (!ids.empty()) {
    meshRef = annotations[ids.front()].meshRef;
    return true;
  }
  auto module = func->getParentOfType<ModuleOp>();
  auto meshes = module.getOps<sdy::MeshOp>();
  if (meshes.empty() || std::next(meshes.begin()) != meshes.end())
    return false;
  meshRef = FlatSymbolRefAttr::get((*meshes.begin()).getSymNameAttr());
  return true;
}

void FunctionPropagation::run() {
  // Tensors annotated on another mesh than the function's stay as they are.
  for (auto &[id, a] : annotations)
    if (a.attr && a.meshRef != meshRef) {
      Annotation frozen = closedReplicated(a.dims.size());
      frozen.attr = a.attr;
      frozen.meshRef = a.meshRef;
      a = std::move(frozen);
    }
  std::set<int64_t> rounds{0};
  for (auto &[id, a] : annotations)
    rounds.insert(a.priorities.begin(), a.priorities.end());
  for (int64_t round : rounds) {
    for (auto &[id, a] : annotations)
      applyAnnotation(a, round, state.tensor(id));
    bool changed = true;
    while (changed) {
      changed = false;
      for (const Rule &rule : rules)
        changed |= propagate(rule, state);
      for (const Rule &rule : llvm::reverse(rules))
        changed |= propagate(rule, state);
    }
  }
}

Attribute FunctionPropagation::shardingOf(TensorId id) {
  auto it = annotations.find(id);
  const Annotation *original =
      it == annotations.end() || !it->second.attr ? nullptr : &it->second;
  if (original && original->meshRef != meshRef)
    return original->attr;
  return writeSharding(func.getContext(), meshRef, state.tensor(id), original);
}

Attribute FunctionPropagation::shardingOf(Value value) {
  if (std::optional<TensorId> id = state.idOf(value))
    return shardingOf(*id);
  return sdy::TensorShardingAttr::get(func.getContext(), meshRef, {}, {}, {}, "");
}

void FunctionPropagation::write() {
  for (BlockArgument arg : func.getArguments())
    func.setArgAttr(arg.getArgNumber(), kSharding, shardingOf(arg));
  for (auto [i, id] : llvm::enumerate(resultIds))
    func.setResultAttr(i, kSharding, shardingOf(id));
  for (Operation *op : annotatedOps) {
    SmallVector<sdy::TensorShardingAttr> perValue;
    for (Value result : op->getResults())
      perValue.push_back(llvm::cast<sdy::TensorShardingAttr>(shardingOf(result)));
    op->setAttr(kSharding, sdy::TensorShardingPerValueAttr::get(func.getContext(), perValue));
  }
}

struct SdyPropagate : hlox::impl::SdyPropagateBase<SdyPropagate> {
  void runOnOperation() override {
    if (failed(inlineCalls(getOperation())))
      return signalPassFailure();
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      FunctionPropagation propagation(func);
      if (failed(propagation.collect()))
        return signalPassFailure();
      if (!propagation.chooseMesh())
        continue;
      propagation.run();
      propagation.write();
    }
  }
};

} // namespace
