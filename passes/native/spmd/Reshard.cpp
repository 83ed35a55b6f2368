//===- Reshard.cpp - moving a value from one sharding to another ----------===//
//
// In order of preference (as XLA's reshard does):
//   - all_to_all when one dimension hands its minor axes to another and both
//     divide evenly;
//   - collective_permute when every dimension keeps its number of chunks and
//     each partition can receive its new chunk from a distinct one;
//   - otherwise: all_gather each dimension down to the longest prefix of
//     axes it shares with the target (to nothing when a size does not
//     divide: the padding is sliced off), then every partition slices its
//     chunk locally (dynamic_slice at an offset looked up by partition id,
//     padding the dimension first when it does not divide).
//
//===----------------------------------------------------------------------===//
#include "passes/native/spmd/Partitioner.h"

#include <set>

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::spmd {

namespace {

bool isPrefix(ArrayRef<AxisPart> prefix, ArrayRef<AxisPart> of) {
  return prefix.size() <= of.size() && llvm::equal(prefix, of.take_front(prefix.size()));
}

// The all_to_all case: dims i and j differ, from[i] = P++X, to[i] = P,
// from[j] = Q, to[j] = Q++X, both divisible.
std::optional<std::tuple<int64_t, int64_t, DimAxes>>
allToAllMove(RankedTensorType global, const Sharding &from, const Sharding &to) {
  SmallVector<int64_t> differ;
  for (int64_t d = 0; d < global.getRank(); ++d)
    if (from.dims[d] != to.dims[d])
      differ.push_back(d);
  if (differ.size() != 2)
    return std::nullopt;
  for (auto [i, j] : {std::pair(differ[0], differ[1]), std::pair(differ[1], differ[0])}) {
    ArrayRef<AxisPart> fi = from.dims[i], ti = to.dims[i], fj = from.dims[j], tj = to.dims[j];
    if (ti.size() >= fi.size() || !isPrefix(ti, fi) || !isPrefix(fj, tj))
      continue;
    ArrayRef<AxisPart> moved = fi.drop_front(ti.size());
    if (!llvm::equal(moved, tj.drop_front(fj.size())))
      continue;
    if (global.getDimSize(i) % product(fi) || global.getDimSize(j) % product(tj))
      continue;
    return std::tuple(j, i, DimAxes(moved.begin(), moved.end()));
  }
  return std::nullopt;
}

// Source partition for every target partition, when each keeps its chunk
// count per dimension and a permutation exists.
std::optional<SmallVector<std::pair<int64_t, int64_t>>>
permutation(const Mesh &mesh, RankedTensorType global, const Sharding &from, const Sharding &to) {
  for (int64_t d = 0; d < global.getRank(); ++d)
    if (product(from.dims[d]) != product(to.dims[d]))
      return std::nullopt;
  int64_t n = mesh.numDevices();
  SmallVector<SmallVector<int64_t>> holds;
  for (int64_t q = 0; q < n; ++q)
    holds.push_back(mesh.tile(q, from));
  std::set<int64_t> used;
  SmallVector<std::pair<int64_t, int64_t>> pairs;
  SmallVector<int64_t> sourceOf(n, -1);
  // Partitions that already hold their new chunk keep it.
  for (int64_t p = 0; p < n; ++p)
    if (holds[p] == mesh.tile(p, to)) {
      sourceOf[p] = p;
      used.insert(p);
    }
  for (int64_t p = 0; p < n; ++p) {
    if (sourceOf[p] >= 0)
      continue;
    auto want = mesh.tile(p, to);
    for (int64_t q = 0; q < n && sourceOf[p] < 0; ++q)
      if (!used.count(q) && holds[q] == want) {
        sourceOf[p] = q;
        used.insert(q);
      }
    if (sourceOf[p] < 0)
      return std::nullopt;
  }
  for (int64_t p = 0; p < n; ++p)
    pairs.push_back({sourceOf[p], p});
  return pairs;
}

} // namespace

Value Partitioner::reshard(Location loc, Value local, RankedTensorType global,
                           const Sharding &from, const Sharding &to) {
  if (from == to || global.getRank() == 0)
    return local;
  if (auto move = allToAllMove(global, from, to)) {
    auto [split, concat, axes] = *move;
    return allToAll(loc, local, split, concat, axes);
  }
  if (auto pairs = permutation(mesh, global, from, to)) {
    if (llvm::all_of(*pairs, [](auto pr) { return pr.first == pr.second; }))
      return local;
    return collectivePermute(loc, local, *pairs);
  }

  Sharding current = from;
  Value v = local;
  // Gather down to a common prefix.
  for (int64_t d = 0; d < global.getRank(); ++d) {
    ArrayRef<AxisPart> a = current.dims[d], b = to.dims[d];
    if (a.empty() || a == b)
      continue;
    int64_t size = global.getDimSize(d);
    bool divisible = size % product(a) == 0 && size % product(b) == 0;
    size_t keep = 0;
    if (divisible)
      while (keep < a.size() && keep < b.size() && a[keep] == b[keep])
        ++keep;
    if (keep == a.size())
      continue;
    v = allGather(loc, v, d, a.drop_front(keep));
    current.dims[d].resize(keep);
    if (keep == 0 && !divisible) {
      // The gathered dimension holds k*ceil(D/k) elements: drop the padding.
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> start(type.getRank(), 0), limit(type.getShape()),
          stride(type.getRank(), 1);
      limit[d] = size;
      v = hlo::SliceOp::create(builder, loc, v, start, limit, stride);
    }
  }
  // Slice each partition's chunk.
  SmallVector<Value> starts;
  SmallVector<int64_t> sizes;
  bool slice = false;
  for (int64_t d = 0; d < global.getRank(); ++d) {
    auto type = cast<RankedTensorType>(v.getType());
    ArrayRef<AxisPart> a = current.dims[d], b = to.dims[d];
    int64_t size = global.getDimSize(d);
    if (a == b) {
      starts.push_back(Value());
      sizes.push_back(type.getDimSize(d));
      continue;
    }
    slice = true;
    int64_t c = chunk(size, product(b));
    if (a.empty() && c * product(b) != size) {
      // Pad to k*ceil(D/k); the padding's contents never matter, so any
      // element of the value serves as the padding value.
      SmallVector<int64_t> zeros(type.getRank(), 0), ones(type.getRank(), 1),
          high(type.getRank(), 0);
      Value corner = hlo::SliceOp::create(builder, loc, v, zeros, ones, ones);
      Value scalar = hlo::ReshapeOp::create(
          builder, loc, RankedTensorType::get({}, type.getElementType()), corner);
      high[d] = c * product(b) - size;
      v = hlo::PadOp::create(builder, loc, v, scalar, zeros, high, zeros);
    }
    starts.push_back(chunkStart(loc, b.drop_front(a.size()), c));
    sizes.push_back(c);
  }
  if (slice) {
    for (Value &start : starts)
      if (!start)
        start = i32Constant(loc, 0);
    v = hlo::DynamicSliceOp::create(builder, loc, v, starts, sizes);
  }
  return v;
}

} // namespace hlox::spmd
