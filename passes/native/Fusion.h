//===- Fusion.h - hlox-fuse: hlox's own fusion pass -------------*- C++ -*-===//
//
// hlox-fuse (shared StableHLO stage, after CHLO legalization and, for N > 1
// devices, after SPMD partitioning) groups StableHLO ops into `hlox.fusion`
// regions, each compiled as one kernel, the way XLA's fusion passes do:
//
//   loop          producer -> consumer chains of elementwise ops with
//                 broadcast_in_dim, reshape, transpose, convert, iota and
//                 constants inside (FusionLoop.cpp)
//   input         a reduce with the elementwise producers of its inputs: one
//                 pass over the rows (FusionReduction.cpp)
//   output        a dot_general/convolution with its elementwise epilogue
//                 (bias, activation, residual add, convert) (FusionContraction.cpp)
//   multi_output  a reduction cluster with the loop cluster that produces its
//                 input and is also read elsewhere (softmax's exp), and sibling
//                 reductions of one input (FusionSiblings.cpp)
//
// The clustering (FusionClusters.cpp) visits each block's ops consumers first
// (reverse order, as XLA's instruction fusion); each op belongs to at most one
// cluster, whose growth is checked for convexity in the graph where every
// other cluster is already one node: no path from the cluster through ops or
// clusters outside back into it. Two clusters that are each convex on the
// ops alone may still read each other (a1 -> b2, b1 -> a2): as regions, each
// would have to come before the other. FusionPass.cpp checks, before any
// region is built, that the clustered block is acyclic, and after, that every
// value dominates its uses: a violation is an error, never invalid IR.
// Copies are modelled as FusionOutline.cpp builds them (each clone reads its
// original's operands, or its own cluster's clones of them), in both checks.
// A producer with users outside the cluster is copied into it only when the
// cost model (FusionCost.cpp) calls it cheap; expensive work (transcendental
// functions, divisions, reductions, contractions) is never duplicated.
// FusionOutline.cpp turns each cluster of at least two ops into a region.
//
// Backends that do not want regions run hlox-inline-fusions (FusionPass.cpp);
// the CPU backend lowers them (CpuFusionRegions.cpp).
//
// Not yet (against the first design): slice, concatenate, pad and
// dynamic_slice stay out of loop regions (the CPU lowering makes tensor ops
// of them, not generics); no prologue is fused into a contraction; on CPU an
// output region's epilogue is a generic after the contraction's (not applied
// to each register tile before the store), sibling reductions stay two loop
// nests, and a value both reduced and yielded is computed in its own generic.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_FUSION_H
#define HLOX_PASSES_NATIVE_FUSION_H

#include "dialects/hlox/HloxOps.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <vector>

namespace hlox {
/// hlox-fuse and hlox-inline-fusions.
void registerFusionPasses();
} // namespace hlox

namespace hlox::fusion {

// --- what may be fused (FusionLoop.cpp, FusionReduction.cpp, FusionContraction.cpp)

/// Statically shaped tensors of f16/bf16/f32/f64 or signless 1..64-bit
/// integers only (complex numbers, f8 formats and unsigned integers are
/// rewritten by backend passes that want plain ops).
bool hasFusibleTypes(mlir::Operation *op);
/// An op of a loop fusion: elementwise, broadcast_in_dim, reshape, transpose,
/// iota, constant, select, clamp.
bool isLoopOp(mlir::Operation *op);
/// A stablehlo.reduce whose inputs share one shape.
bool isFusibleReduce(mlir::Operation *op);
/// The tensors a reduce reads (not its init values).
mlir::ValueRange reduceInputs(mlir::Operation *reduce);
/// dot_general, dot or convolution.
bool isContraction(mlir::Operation *op);

// --- the cost model (FusionCost.cpp)

/// Recomputing the op in every consumer costs less than writing and reading
/// its result (no transcendental, division, reduction or contraction).
bool isCheapToDuplicate(mlir::Operation *op);
/// How many clusters one op may be copied into.
constexpr unsigned kMaxCopies = 4;
/// A region's operands and ops (live values in one kernel, LLVM's cost).
constexpr unsigned kMaxRegionInputs = 32;
constexpr unsigned kMaxRegionOps = 256;

// --- clusters (FusionClusters.cpp)

struct Cluster {
  mlir::hlox::FusionKind kind = mlir::hlox::FusionKind::loop;
  llvm::SetVector<mlir::Operation *> owned;  // moved into the region
  llvm::SetVector<mlir::Operation *> copies; // cloned into it, the original stays
  bool dead = false;                         // merged into another cluster
  unsigned first = ~0u, last = 0;            // positions spanned, copies included
  unsigned size() const { return owned.size() + copies.size(); }
};

class Clustering {
public:
  explicit Clustering(mlir::Block &block);

  mlir::Block &block;
  std::vector<Cluster> clusters;
  llvm::DenseMap<mlir::Operation *, unsigned> position;
  llvm::DenseMap<mlir::Operation *, int> clusterOf; // owned ops only
  /// The clusters each copied op is cloned into (at most kMaxCopies).
  llvm::DenseMap<mlir::Operation *, llvm::SmallVector<int, 2>> copiedInto;

  /// The op of this block that holds `op` (itself, or an ancestor).
  mlir::Operation *inBlock(mlir::Operation *op) const;
  /// Whether every user of `op` is owned by cluster `id`.
  bool usersOwnedBy(mlir::Operation *op, int id) const;
  /// Whether `owned` + `copies`, the would-be contents of clusters `ids`,
  /// would be convex: no path out and back in, the other clusters counted as
  /// one node each.
  bool isConvex(const llvm::SetVector<mlir::Operation *> &owned,
                const llvm::SetVector<mlir::Operation *> &copies,
                llvm::ArrayRef<int> ids) const;
  /// Whether the region inputs would stay within kMaxRegionInputs/Ops.
  bool withinLimits(const llvm::SetVector<mlir::Operation *> &owned,
                    const llvm::SetVector<mlir::Operation *> &copies) const;

  int newCluster(mlir::Operation *root, mlir::hlox::FusionKind kind);
  /// Adds `producer` to cluster `id` (owned when all its users are in it,
  /// copied when cheap), if it stays convex. Returns whether it was added.
  bool absorb(int id, mlir::Operation *producer);
  /// Grows cluster `id` through the producers of its members (the rules).
  void grow(int id);
  /// Merges cluster `from` into `into` as a multi_output cluster, if convex.
  bool merge(int into, int from);

private:
  /// Records that cluster `id` spans position(op).
  void span(int id, mlir::Operation *op);
  /// The last position a path from ops up to `last` back to them can visit:
  /// a cluster that starts at or before it may lead back from its end.
  unsigned searchBound(unsigned last) const;
  /// Prefix maximum (Fenwick tree) over positions of the clusters' last
  /// positions, indexed by their first: only grows (a stale entry is a
  /// longer search, never a wrong answer).
  std::vector<unsigned> reach;
};

/// Rules that decide which producers a member of a cluster may absorb.
bool mayAbsorbLoopProducer(const Clustering &c, int id, mlir::Operation *member,
                           mlir::Operation *producer);                  // FusionLoop.cpp
bool mayAbsorbReduceProducer(const Clustering &c, int id, mlir::Operation *reduce,
                             mlir::Operation *producer);                // FusionReduction.cpp
bool mayAbsorbContraction(const Clustering &c, int id, mlir::Operation *contraction); // FusionContraction.cpp

/// Sibling and producer-consumer multi-output merges (FusionSiblings.cpp).
void mergeMultiOutput(Clustering &c);

/// Turns every cluster of at least two ops into a hlox.fusion region
/// (FusionOutline.cpp).
void outlineClusters(Clustering &c);

/// Whether the block, each live cluster one node, is acyclic (every region
/// can be placed after its operands and before its users); an error on the
/// block's parent otherwise (FusionPass.cpp).
mlir::LogicalResult verifyAcyclic(const Clustering &c);
/// Whether every value used in `block` is defined before its use; an error
/// naming the use otherwise (FusionPass.cpp).
mlir::LogicalResult verifyDefsBeforeUses(mlir::Block &block);

/// Replaces a region by its ops (hlox-inline-fusions, and the CPU lowering).
void inlineFusion(mlir::hlox::FusionOp fusion);

} // namespace hlox::fusion

#endif
