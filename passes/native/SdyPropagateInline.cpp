//===- SdyPropagateInline.cpp - calls inlined before propagation ----------===//
//
// JAX calls private functions for nested jits, scan/while bodies and
// jnp helpers (`func.call @closed_call`, `@dynamic_index_in_dim`, ...). As
// XLA does before partitioning, every call is replaced by the callee's body,
// so that one function holds the whole program and its shardings; private
// functions left without callers are erased.
//
//===----------------------------------------------------------------------===//
#include "passes/native/SdyPropagation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace {

/// Inlines one call; fails (with a diagnostic) when the callee is missing or
/// is not a single block ending in func.return.
LogicalResult inlineCall(func::CallOp call, SymbolTable &symbols) {
  auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
  if (!callee || callee.isExternal() || !callee.getBody().hasOneBlock())
    return call.emitError() << "cannot inline call to @" << call.getCallee()
                            << " for sharding propagation (no single-block body)";
  Block &body = callee.getBody().front();
  IRMapping mapping;
  mapping.map(body.getArguments(), call.getOperands());
  OpBuilder builder(call);
  for (Operation &op : body.without_terminator())
    builder.clone(op, mapping);
  Operation *ret = body.getTerminator();
  for (auto [result, value] : llvm::zip(call.getResults(), ret->getOperands()))
    result.replaceAllUsesWith(mapping.lookupOrDefault(value));
  call.erase();
  return success();
}

} // namespace

LogicalResult hlox::sdy_propagation::inlineCalls(ModuleOp module) {
  SymbolTable symbols(module);
  // StableHLO has no recursion; the bound only guards against a malformed
  // module whose calls form a cycle.
  for (int round = 0; round < 64; ++round) {
    SmallVector<func::CallOp> calls;
    module.walk([&](func::CallOp call) { calls.push_back(call); });
    if (calls.empty())
      break;
    if (round == 63)
      return calls.front().emitError() << "calls nest too deeply (recursion?) to inline";
    for (func::CallOp call : calls)
      if (failed(inlineCall(call, symbols)))
        return failure();
  }
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
    if (func.isPrivate() && SymbolTable::symbolKnownUseEmpty(func, module))
      func.erase();
  return success();
}
