//===- Sharding.h - meshes and tensor shardings for the SPMD partitioner --===//
//
// The partitioner's model of `sdy` shardings: a mesh (named axes, row-major
// partition ids), and per tensor dimension the list of (sub-)axes that split
// it, major to minor. A dimension of size D over axes of total size k is cut
// into k chunks of ceil(D/k) elements; the last chunks may hold padding
// (positions >= D), whose contents are unspecified and never observed.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_SPMD_SHARDING_H
#define HLOX_PASSES_NATIVE_SPMD_SHARDING_H

#include "dialects/sdy/SdyOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace hlox::spmd {

/// A mesh axis or a sub-axis of it: coordinate (c / pre) % size of the
/// axis's coordinate c.
struct AxisPart {
  std::string name;
  int64_t pre = 1;
  int64_t size = 1;
  bool operator==(const AxisPart &o) const {
    return name == o.name && pre == o.pre && size == o.size;
  }
  bool operator!=(const AxisPart &o) const { return !(*this == o); }
};

using DimAxes = llvm::SmallVector<AxisPart, 2>;

/// Per dimension, the axes that split it (empty: not split).
struct Sharding {
  llvm::SmallVector<DimAxes> dims;

  static Sharding replicated(int64_t rank) {
    Sharding s;
    s.dims.resize(rank);
    return s;
  }
  bool isReplicated() const;
  bool operator==(const Sharding &o) const { return dims == o.dims; }
  bool operator!=(const Sharding &o) const { return !(*this == o); }
  /// Every axis the sharding uses, in dimension order.
  DimAxes allAxes() const;
  std::string str() const;
};

int64_t product(llvm::ArrayRef<AxisPart> axes);
bool sameAxisSet(llvm::ArrayRef<AxisPart> a, llvm::ArrayRef<AxisPart> b);
bool overlaps(llvm::ArrayRef<AxisPart> a, llvm::ArrayRef<AxisPart> b);

/// Chunk size of a dimension of size `size` split `tiles` ways.
inline int64_t chunk(int64_t size, int64_t tiles) { return (size + tiles - 1) / tiles; }

class Mesh {
public:
  llvm::SmallVector<std::string> names;
  llvm::SmallVector<int64_t> sizes;

  int64_t numDevices() const;
  /// Index of the axis, or -1.
  int64_t axisIndex(llvm::StringRef name) const;
  int64_t axisSize(llvm::StringRef name) const;
  /// Coordinate of partition `p` along a (sub-)axis.
  int64_t coordinate(int64_t p, const AxisPart &part) const;
  /// Mixed-radix index of partition `p` over `axes` (major to minor): the
  /// chunk of a dimension split over them that `p` holds.
  int64_t shardIndex(int64_t p, llvm::ArrayRef<AxisPart> axes) const;
  /// The groups of partitions that differ only in `axes`, each ordered by
  /// shardIndex over `axes` (the order collectives concatenate in).
  llvm::SmallVector<llvm::SmallVector<int64_t>> groups(llvm::ArrayRef<AxisPart> axes) const;
  /// The tile of every dimension that partition p holds.
  llvm::SmallVector<int64_t> tile(int64_t p, const Sharding &s) const;
};

/// Local (per-partition) type of a value of type `global` sharded by `s`.
mlir::RankedTensorType localType(const Mesh &mesh, mlir::RankedTensorType global,
                                 const Sharding &s);

/// Reads an sdy sharding; `error` is set when it cannot be used (another
/// mesh, unreduced axes, an unknown axis).
Sharding fromAttr(const Mesh &mesh, mlir::sdy::TensorShardingAttr attr, int64_t rank,
                  mlir::Operation *from, std::string &error);

} // namespace hlox::spmd

#endif
