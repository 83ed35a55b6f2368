//===- Partitioner.h - the SPMD partitioner's state and rule entry points -===//
//
// hlox-spmd-partition rewrites a fully-annotated global program (every value
// carries an sdy sharding) into the one per-device program every partition
// runs. The Partitioner walks the global ops in order and builds local ops,
// keeping for every global value its local value and the sharding that local
// value has; a use that needs another sharding reshards (Reshard.cpp). Rules
// per op family (Rules*.cpp) build local ops; an op without a rule runs
// replicated (operands gathered, the global op cloned, its result sliced).
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_SPMD_PARTITIONER_H
#define HLOX_PASSES_NATIVE_SPMD_PARTITIONER_H

#include "passes/native/spmd/Sharding.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"

namespace hlox::spmd {

struct Local {
  mlir::Value value;
  Sharding sharding;
};

/// Outcome of a rule: Done, NoRule (use the replicated fallback), or Failed
/// (a diagnostic was emitted).
enum class RuleResult { Done, NoRule, Failed };

class Partitioner {
public:
  Partitioner(mlir::ModuleOp module, Mesh mesh, int64_t firstChannel)
      : module(module), mesh(std::move(mesh)), builder(module.getContext()),
        nextChannel(firstChannel) {}

  mlir::ModuleOp module;
  Mesh mesh;
  mlir::OpBuilder builder;
  int64_t nextChannel;
  bool failed = false;

  // --- values ---------------------------------------------------------
  /// The sharding the fully-annotated program gives an op's result.
  Sharding annotated(mlir::Operation *op, unsigned result);
  /// The local value of `global` with sharding `want` (resharded if needed).
  mlir::Value get(mlir::Value global, const Sharding &want);
  /// The local value of `global` as it is, with its sharding.
  const Local &lookup(mlir::Value global);
  void set(mlir::Value global, mlir::Value local, Sharding sharding);
  /// Records the op's results as computed with `computed` shardings, and
  /// reshards them to their annotations right away.
  void setResults(mlir::Operation *global, mlir::ValueRange locals,
                  llvm::ArrayRef<Sharding> computed);
  static mlir::RankedTensorType globalType(mlir::Value v) {
    return llvm::dyn_cast<mlir::RankedTensorType>(v.getType());
  }
  mlir::RankedTensorType local(mlir::RankedTensorType global, const Sharding &s) {
    return localType(mesh, global, s);
  }

  // --- walking ----------------------------------------------------------
  /// Partitions the ops of `block` (global) into the builder's insertion
  /// point. The terminator is not visited.
  void partitionBlock(mlir::Block &block);
  void partitionOp(mlir::Operation *op);
  /// Runs `op` on replicated operands and slices its results.
  void replicatedFallback(mlir::Operation *op);
  /// Clones `op` with `operands` (mapped in order) and local result types.
  mlir::Operation *cloneWith(mlir::Operation *op, mlir::ValueRange operands,
                             mlir::TypeRange resultTypes);
  mlir::InFlightDiagnostic error(mlir::Operation *op);

  // --- reshards and collectives (Reshard.cpp, Collectives.cpp) ----------
  mlir::Value reshard(mlir::Location loc, mlir::Value local, mlir::RankedTensorType global,
                      const Sharding &from, const Sharding &to);
  /// partition id as a tensor<i32>.
  mlir::Value partitionId(mlir::Location loc);
  /// For partition p: table[p] as a tensor<i32> (a constant table indexed
  /// by the partition id).
  mlir::Value lookupTable(mlir::Location loc, llvm::ArrayRef<int64_t> table);
  /// Start of this partition's chunk along a dimension split over `axes`.
  mlir::Value chunkStart(mlir::Location loc, llvm::ArrayRef<AxisPart> axes, int64_t chunkSize);
  mlir::stablehlo::ChannelHandleAttr newChannel();
  mlir::DenseIntElementsAttr replicaGroups(llvm::ArrayRef<AxisPart> axes);
  mlir::Value allGather(mlir::Location loc, mlir::Value v, int64_t dim,
                        llvm::ArrayRef<AxisPart> axes);
  /// all_reduce of each value over `axes` with the scalar binary `bodyOp`
  /// (e.g. "stablehlo.add"), or a copy of `body` when given.
  mlir::Value allReduce(mlir::Location loc, mlir::Value v, llvm::ArrayRef<AxisPart> axes,
                        llvm::StringRef bodyOp, mlir::Region *body = nullptr);
  mlir::Value reduceScatter(mlir::Location loc, mlir::Value v, int64_t dim,
                            llvm::ArrayRef<AxisPart> axes, llvm::StringRef bodyOp);
  mlir::Value allToAll(mlir::Location loc, mlir::Value v, int64_t splitDim, int64_t concatDim,
                       llvm::ArrayRef<AxisPart> axes);
  mlir::Value collectivePermute(mlir::Location loc, mlir::Value v,
                                llvm::ArrayRef<std::pair<int64_t, int64_t>> pairs);
  /// Replaces the padding positions (global index >= size) of the split
  /// dimensions `dims` of `local` by the scalar `fill`.
  mlir::Value maskPadding(mlir::Location loc, mlir::Value local, mlir::RankedTensorType global,
                          const Sharding &s, llvm::ArrayRef<int64_t> dims, mlir::Value fill);
  bool hasPadding(mlir::RankedTensorType global, const Sharding &s, int64_t dim) const {
    return global.getDimSize(dim) % product(s.dims[dim]) != 0;
  }
  mlir::Value scalarConstant(mlir::Location loc, mlir::Type elementType, double value);
  mlir::Value i32Constant(mlir::Location loc, int64_t value);

private:
  llvm::DenseMap<mlir::Value, Local> values;
};

// Rules, one file per op family.
RuleResult partitionElementwise(Partitioner &P, mlir::Operation *op);
RuleResult partitionShapeOp(Partitioner &P, mlir::Operation *op);
RuleResult partitionDataMovement(Partitioner &P, mlir::Operation *op);
RuleResult partitionDot(Partitioner &P, mlir::Operation *op);
RuleResult partitionReduce(Partitioner &P, mlir::Operation *op);
RuleResult partitionGather(Partitioner &P, mlir::Operation *op); // and scatter
RuleResult partitionControlFlow(Partitioner &P, mlir::Operation *op);
RuleResult partitionSdyOp(Partitioner &P, mlir::Operation *op);

} // namespace hlox::spmd

#endif
