//===- SdyPropagation.h - hlox-sdy-propagate's model ------------*- C++ -*-===//
//
// Sharding propagation in Shardy's terms. Every tensor the pass reasons about
// (an SSA value, a result of @main, a fixed boundary of an
// sdy.manual_computation) has a TensorState: per dimension, the mesh axes it is
// split over (major first) and whether it may still gain axes (open) or not
// (closed). Every op contributes Rules: like Shardy's OpShardingRule, a rule
// names factors (sizes) and maps each dimension of each tensor it relates to a
// list of factors (major-most first). Propagating through a rule projects the
// tensors' shardings onto factors, picks one axis list per factor and writes
// it back into the open dimensions (SdyPropagateFactors.cpp).
//
// Rules per op family: SdyPropagateRulesShape.cpp (elementwise, broadcast,
// reshape, transpose, slicing), SdyPropagateRulesContraction.cpp (dot_general,
// convolution, reductions, windows, sort, fft), SdyPropagateRulesGather.cpp
// (gather/scatter), SdyPropagateRulesMisc.cpp (while/case/if, custom calls,
// sdy ops). The driver is SdyPropagatePass.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_SDYPROPAGATION_H
#define HLOX_PASSES_NATIVE_SDYPROPAGATION_H

#include "dialects/sdy/SdyOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace hlox::sdy_propagation {

namespace sdy = mlir::sdy;
using mlir::Operation;
using mlir::Value;
using TensorId = unsigned;

/// A mesh axis or a sub-axis of one ("x":(pre)size); `size` is the number of
/// devices it spans (the mesh axis size for a whole axis).
struct Axis {
  mlir::StringRef name;
  int64_t preSize = 0; // 0: the whole axis
  int64_t size = 1;
  bool operator==(const Axis &o) const {
    return name == o.name && preSize == o.preSize && size == o.size;
  }
  bool operator!=(const Axis &o) const { return !(*this == o); }
  /// Two refs that share devices of one mesh axis cannot shard one tensor twice.
  bool overlaps(const Axis &o) const { return name == o.name; }
};
using AxisList = llvm::SmallVector<Axis, 2>;

int64_t product(llvm::ArrayRef<Axis> axes);
bool isPrefix(llvm::ArrayRef<Axis> prefix, llvm::ArrayRef<Axis> of);

struct DimState {
  AxisList axes;
  bool closed = false;
};

struct TensorState {
  llvm::SmallVector<int64_t, 4> shape;
  llvm::SmallVector<DimState, 4> dims;
  /// Axes the tensor must not be split over (its `replicated`/`unreduced`).
  AxisList reserved;
  /// Given by the user (an annotation or a constraint): wins a conflict.
  bool explicitlyGiven = false;
};

/// One sharding rule: factors and, per related tensor, per dimension, the
/// factors that dimension is made of (major-most first; empty: not related).
struct Rule {
  llvm::SmallVector<TensorId, 4> tensors;
  llvm::SmallVector<llvm::SmallVector<llvm::SmallVector<unsigned, 1>, 4>, 4> dimFactors;
  llvm::SmallVector<int64_t, 8> factorSizes;

  unsigned addFactor(int64_t size) {
    factorSizes.push_back(size);
    return factorSizes.size() - 1;
  }
  /// Adds a tensor of the given rank; returns its index in the rule.
  unsigned addTensor(TensorId id, unsigned rank) {
    tensors.push_back(id);
    dimFactors.emplace_back(rank);
    return tensors.size() - 1;
  }
  void map(unsigned tensor, unsigned dim, unsigned factor) {
    dimFactors[tensor][dim].push_back(factor);
  }
};

/// The tensors of one function and the ids of its values.
class PropagationState {
public:
  /// The id of a ranked-tensor value (created replicated and open on first use);
  /// nullopt for other values (tokens, tuples), which carry no sharding.
  std::optional<TensorId> idOf(Value value);
  /// A tensor that is not an SSA value (a function result, a boundary).
  TensorId addVirtual(llvm::ArrayRef<int64_t> shape);
  TensorState &tensor(TensorId id) { return tensors[id]; }
  unsigned numTensors() const { return tensors.size(); }

private:
  llvm::DenseMap<Value, TensorId> ids;
  std::vector<TensorState> tensors;
};

/// The shape of a ranked-tensor value.
llvm::ArrayRef<int64_t> shapeOf(Value value);

/// Adds `value` to `rule` if it carries a sharding: its index in the rule, or
/// -1 (tokens, tuples).
int addValue(Rule &rule, PropagationState &state, Value value);

/// Adds `op`'s rules (none when no family knows the op: then shardings do not
/// flow through it, its results take what their users ask for).
void buildRules(Operation *op, PropagationState &state, llvm::SmallVectorImpl<Rule> &rules);

// Per family; each returns false when the op is not one of its own.
bool buildShapeRules(Operation *op, PropagationState &state, llvm::SmallVectorImpl<Rule> &rules);
bool buildContractionRules(Operation *op, PropagationState &state,
                           llvm::SmallVectorImpl<Rule> &rules);
bool buildGatherScatterRules(Operation *op, PropagationState &state,
                             llvm::SmallVectorImpl<Rule> &rules);
bool buildMiscRules(Operation *op, PropagationState &state, llvm::SmallVectorImpl<Rule> &rules);

/// A rule relating same-shaped tensors dimension by dimension, skipping the
/// dimensions in `unrelated` (and every tensor whose shape differs from the
/// first's, e.g. scalar operands of select/clamp).
Rule elementwiseRule(PropagationState &state, llvm::ArrayRef<Value> values,
                     llvm::ArrayRef<int64_t> unrelated = {});

/// Replaces every func.call in `module` by the callee's body and erases the
/// private functions left unused (SdyPropagateInline.cpp).
mlir::LogicalResult inlineCalls(mlir::ModuleOp module);

/// Propagates through one rule; true when some tensor gained axes.
bool propagate(const Rule &rule, PropagationState &state);

} // namespace hlox::sdy_propagation

#endif
