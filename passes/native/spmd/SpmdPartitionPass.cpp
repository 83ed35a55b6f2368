//===- SpmdPartitionPass.cpp - hlox-spmd-partition: the pass driver -------===//
//
// Finds the module's mesh, partitions @main (arguments and results take
// their local types; their sdy.sharding attributes stay, for the runtime),
// runs the other functions replicated, drops every other sdy op and
// attribute, and stamps mhlo.num_partitions / mhlo.num_replicas.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Passes.h"
#include "passes/native/spmd/Partitioner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"

namespace hlox {
#define GEN_PASS_DEF_SPMDPARTITION
#include "passes/Passes.h.inc"
} // namespace hlox

using namespace mlir;
using namespace hlox::spmd;
namespace hlo = mlir::stablehlo;

namespace {

constexpr llvm::StringLiteral kSharding = "sdy.sharding";

// The one mesh with more than one device (meshes of one device, and copies
// of the same axes, may sit beside it).
LogicalResult findMesh(ModuleOp module, Mesh &mesh) {
  sdy::MeshAttr chosen;
  for (auto op : module.getOps<sdy::MeshOp>()) {
    sdy::MeshAttr m = op.getMesh();
    if (m.getNumDevices() <= 1)
      continue;
    if (chosen && (chosen.getAxisNames() != m.getAxisNames() ||
                   chosen.getAxisSizes() != m.getAxisSizes()))
      return op.emitError() << "hlox-spmd-partition: the module has two meshes of several "
                               "devices with different axes; one mesh is supported";
    chosen = m;
  }
  if (!chosen)
    return success();
  for (auto [name, size] : llvm::zip(chosen.getAxisNames(), chosen.getAxisSizes())) {
    mesh.names.push_back(name.getValue().str());
    mesh.sizes.push_back(size);
  }
  return success();
}

int64_t firstFreeChannel(ModuleOp module) {
  int64_t next = 1;
  module.walk([&](Operation *op) {
    if (auto ch = op->getAttrOfType<hlo::ChannelHandleAttr>("channel_handle"))
      next = std::max(next, ch.getHandle() + 1);
  });
  return next;
}

// A boundary value's sharding; every split dimension must divide.
LogicalResult boundarySharding(Partitioner &P, func::FuncOp func, Type type, DictionaryAttr attrs,
                               StringRef what, Sharding &out) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  int64_t rank = tensor ? tensor.getRank() : 0;
  auto attr = attrs ? attrs.getAs<sdy::TensorShardingAttr>(kSharding) : nullptr;
  std::string message;
  out = fromAttr(P.mesh, attr, rank, func, message);
  if (!message.empty())
    return func.emitError() << "hlox-spmd-partition: " << what << ": " << message;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t k = product(out.dims[d]);
    if (tensor.getDimSize(d) % k)
      return func.emitError() << "hlox-spmd-partition: " << what << ": dimension " << d
                              << " of size " << tensor.getDimSize(d)
                              << " does not divide evenly over the " << k
                              << " devices of its axes " << out.str();
  }
  return success();
}

// Annotations go and constraints become identities: in functions other
// than @main (they run replicated where they are called) and in the regions
// of ops the partitioner copied whole (reduction bodies, shard_map bodies).
void stripAnnotations(Operation *root) {
  root->walk([&](Operation *op) {
    op->removeAttr(kSharding);
    op->removeAttr("sdy.sharding_rule");
  });
  root->walk([&](Operation *op) {
    if (isa<sdy::ShardingConstraintOp, sdy::ReshardOp>(op)) {
      op->getResult(0).replaceAllUsesWith(op->getOperand(0));
      op->erase();
    }
  });
}

LogicalResult partitionMain(Partitioner &P, func::FuncOp func) {
  Block &old = func.getBody().front();
  Operation *ret = old.getTerminator();
  // Boundary shardings first: a bad one fails before the IR changes.
  SmallVector<Sharding> argShardings, resultShardings;
  for (auto [i, arg] : llvm::enumerate(old.getArguments()))
    if (failed(boundarySharding(P, func, arg.getType(), func.getArgAttrDict(i),
                                "argument " + std::to_string(i),
                                argShardings.emplace_back())))
      return failure();
  for (auto [i, v] : llvm::enumerate(ret->getOperands()))
    if (failed(boundarySharding(P, func, v.getType(), func.getResultAttrDict(i),
                                "result " + std::to_string(i),
                                resultShardings.emplace_back())))
      return failure();

  auto *entry = new Block();
  func.getBody().push_back(entry);
  SmallVector<Type> argTypes, resultTypes;
  for (auto [arg, s] : llvm::zip(old.getArguments(), argShardings)) {
    Type t = arg.getType();
    if (auto tensor = dyn_cast<RankedTensorType>(t))
      t = P.local(tensor, s);
    argTypes.push_back(t);
    P.set(arg, entry->addArgument(t, arg.getLoc()), s);
  }
  P.builder.setInsertionPointToEnd(entry);
  P.partitionBlock(old);
  SmallVector<Value> results;
  if (!P.failed)
    for (auto [v, s] : llvm::zip(ret->getOperands(), resultShardings)) {
      results.push_back(P.get(v, s));
      resultTypes.push_back(results.back().getType());
    }
  if (P.failed) {
    // Leave the function as it was (the new ops use only new values).
    entry->dropAllReferences();
    entry->erase();
    return failure();
  }
  func::ReturnOp::create(P.builder, ret->getLoc(), results);
  old.dropAllDefinedValueUses();
  old.dropAllReferences();
  old.erase();
  func.setFunctionType(FunctionType::get(func.getContext(), argTypes, resultTypes));
  stripAnnotations(func);
  // Rules look up the partition's chunk offsets wherever they need them:
  // one partition_id and one table lookup per offset is enough.
  IRRewriter rewriter(func.getContext());
  DominanceInfo dominance(func);
  eliminateCommonSubExpressions(rewriter, dominance, func);
  return success();
}

LogicalResult stripFunction(func::FuncOp func) {
  WalkResult r = func.walk([&](sdy::ManualComputationOp op) {
    op->emitError() << "hlox-spmd-partition: a shard_map (sdy.manual_computation) outside "
                       "@main is not supported; inline the function first";
    return WalkResult::interrupt();
  });
  if (r.wasInterrupted())
    return failure();
  stripAnnotations(func);
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    func.removeArgAttr(i, kSharding);
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    func.removeResultAttr(i, StringAttr::get(func.getContext(), kSharding));
  return success();
}

struct SpmdPartition : hlox::impl::SpmdPartitionBase<SpmdPartition> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    Mesh mesh;
    if (failed(findMesh(module, mesh)))
      return signalPassFailure();
    auto main = module.lookupSymbol<func::FuncOp>("main");
    if (!main || main.isExternal()) {
      module.emitError() << "hlox-spmd-partition: the module has no @main function";
      return signalPassFailure();
    }
    for (auto func : module.getOps<func::FuncOp>())
      if (func != main && failed(stripFunction(func)))
        return signalPassFailure();
    Partitioner P(module, mesh, firstFreeChannel(module));
    if (failed(partitionMain(P, main)))
      return signalPassFailure();
    Builder b(module.getContext());
    module->setAttr("mhlo.num_partitions", b.getI32IntegerAttr(mesh.numDevices()));
    module->setAttr("mhlo.num_replicas", b.getI32IntegerAttr(1));
  }
};

} // namespace
