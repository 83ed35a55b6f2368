//===- Sharding.cpp - meshes, shardings, partition groups -----------------===//
#include "passes/native/spmd/Sharding.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;

namespace hlox::spmd {

bool Sharding::isReplicated() const {
  return llvm::all_of(dims, [](const DimAxes &d) { return d.empty(); });
}

DimAxes Sharding::allAxes() const {
  DimAxes all;
  for (const DimAxes &d : dims)
    all.append(d.begin(), d.end());
  return all;
}

std::string Sharding::str() const {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << '[';
  llvm::interleaveComma(dims, os, [&](const DimAxes &d) {
    os << '{';
    llvm::interleaveComma(d, os, [&](const AxisPart &a) {
      os << '"' << a.name << '"';
      if (a.pre != 1)
        os << ":(" << a.pre << ")" << a.size;
    });
    os << '}';
  });
  os << ']';
  return out;
}

int64_t product(ArrayRef<AxisPart> axes) {
  int64_t n = 1;
  for (const AxisPart &a : axes)
    n *= a.size;
  return n;
}

bool sameAxisSet(ArrayRef<AxisPart> a, ArrayRef<AxisPart> b) {
  return a.size() == b.size() &&
         llvm::all_of(a, [&](const AxisPart &x) { return llvm::is_contained(b, x); });
}

bool overlaps(ArrayRef<AxisPart> a, ArrayRef<AxisPart> b) {
  for (const AxisPart &x : a)
    for (const AxisPart &y : b)
      if (x.name == y.name) {
        // Sub-axes of one axis overlap unless their ranges are disjoint.
        int64_t xl = x.pre, xh = x.pre * x.size, yl = y.pre, yh = y.pre * y.size;
        if (xl < yh && yl < xh)
          return true;
      }
  return false;
}

int64_t Mesh::numDevices() const {
  int64_t n = 1;
  for (int64_t s : sizes)
    n *= s;
  return n;
}

int64_t Mesh::axisIndex(StringRef name) const {
  for (auto [i, n] : llvm::enumerate(names))
    if (n == name)
      return i;
  return -1;
}

int64_t Mesh::axisSize(StringRef name) const {
  int64_t i = axisIndex(name);
  return i < 0 ? 0 : sizes[i];
}

int64_t Mesh::coordinate(int64_t p, const AxisPart &part) const {
  int64_t i = axisIndex(part.name);
  int64_t stride = 1;
  for (int64_t j = sizes.size() - 1; j > i; --j)
    stride *= sizes[j];
  int64_t c = (p / stride) % sizes[i];
  return (c / part.pre) % part.size;
}

int64_t Mesh::shardIndex(int64_t p, ArrayRef<AxisPart> axes) const {
  int64_t index = 0;
  for (const AxisPart &a : axes)
    index = index * a.size + coordinate(p, a);
  return index;
}

SmallVector<SmallVector<int64_t>> Mesh::groups(ArrayRef<AxisPart> axes) const {
  // Partitions with equal coordinates once the parts in `axes` are zeroed
  // form a group.
  std::map<SmallVector<int64_t>, SmallVector<int64_t>> byRest;
  for (int64_t p = 0, n = numDevices(); p < n; ++p) {
    SmallVector<int64_t> rest;
    for (auto [i, name] : llvm::enumerate(names)) {
      AxisPart whole{name, 1, sizes[i]};
      int64_t c = coordinate(p, whole);
      for (const AxisPart &a : axes)
        if (a.name == name)
          c -= ((c / a.pre) % a.size) * a.pre;
      rest.push_back(c);
    }
    byRest[rest].push_back(p);
  }
  SmallVector<SmallVector<int64_t>> result;
  for (auto &[rest, members] : byRest) {
    llvm::sort(members, [&](int64_t a, int64_t b) {
      return shardIndex(a, axes) < shardIndex(b, axes);
    });
    result.push_back(members);
  }
  return result;
}

SmallVector<int64_t> Mesh::tile(int64_t p, const Sharding &s) const {
  SmallVector<int64_t> t;
  for (const DimAxes &d : s.dims)
    t.push_back(shardIndex(p, d));
  return t;
}

RankedTensorType localType(const Mesh &, RankedTensorType global, const Sharding &s) {
  SmallVector<int64_t> shape(global.getShape());
  for (auto [i, d] : llvm::enumerate(s.dims))
    shape[i] = chunk(shape[i], product(d));
  return RankedTensorType::get(shape, global.getElementType());
}

Sharding fromAttr(const Mesh &mesh, sdy::TensorShardingAttr attr, int64_t rank,
                  Operation *from, std::string &error) {
  Sharding s = Sharding::replicated(rank);
  if (!attr)
    return s;
  if (!attr.getUnreduced().empty()) {
    error = "unreduced axes are not supported";
    return s;
  }
  sdy::MeshAttr m = attr.getMesh(from);
  if (!m) {
    error = "the sharding's mesh cannot be found";
    return s;
  }
  if (attr.getDims().empty() || m.getAxisNames().empty())
    return s; // a maximal or rank-0 sharding: every device computes it
  if ((int64_t)attr.getDims().size() != rank) {
    error = "the sharding has " + std::to_string(attr.getDims().size()) +
            " dimensions, the value " + std::to_string(rank);
    return s;
  }
  for (auto [i, dim] : llvm::enumerate(attr.getDims()))
    for (sdy::AxisRefAttr axis : dim.getAxes()) {
      int64_t full = m.getAxisSize(axis.getName());
      if (full == 0) {
        error = "unknown mesh axis '" + axis.getName().str() + "'";
        return s;
      }
      if (full == 1)
        continue; // splits nothing
      if (mesh.axisSize(axis.getName()) != full) {
        error = "the sharding's mesh differs from the module's mesh (axis '" +
                axis.getName().str() + "')";
        return s;
      }
      AxisPart part{axis.getName().str(), 1, full};
      if (axis.getPreSize() > 0)
        part = {axis.getName().str(), axis.getPreSize(), axis.getSize()};
      if (part.size > 1) // size-1 axes split nothing
        s.dims[i].push_back(part);
    }
  return s;
}

} // namespace hlox::spmd
