//===- SdyPropagateFactors.cpp - one propagation step through a rule ------===//
//
// 1. Project: each tensor's dimension axes are assigned to the dimension's
//    factors major-most first. A dimension made of one factor takes all its
//    axes (a size that does not divide is padded by the partitioner). In a
//    dimension made of several factors (or of a factor smaller than itself)
//    an axis goes to a factor only while the axes' product divides the
//    factor's size, and the next factor gets axes
//    only once the previous one is split exactly (fully): otherwise the split
//    would not be expressible on the other side, and those axes stay
//    unprojected (the values stay replicated there).
// 2. Choose, per factor, one axis list among the tensors' projections (the
//    conflict rule): a projection from an explicitly given sharding (user
//    annotation, sharding constraint) wins over an inferred one; then the one
//    splitting into more shards; then the first in the rule's order (operands
//    before results). Any other projection that extends the winner (the
//    winner is its prefix) replaces it, so compatible shardings merge.
// 3. Write back: every open dimension whose current axes are a prefix of the
//    factors' axes (projected back, with the same divisibility rule) grows to
//    them, without an axis that another dimension of that tensor already
//    uses (a tensor is split over an axis once). Dimensions are served in
//    their factors' order of step 2 (explicit, more shards, first), so the
//    winning factor gets a contested axis. Closed dimensions never change,
//    and nothing ever loses axes, so propagation reaches a fixpoint.
//
//===----------------------------------------------------------------------===//
#include "passes/native/SdyPropagation.h"

using namespace hlox::sdy_propagation;
using llvm::ArrayRef;
using llvm::SmallVector;

int64_t hlox::sdy_propagation::product(ArrayRef<Axis> axes) {
  int64_t n = 1;
  for (const Axis &a : axes)
    n *= a.size;
  return n;
}

bool hlox::sdy_propagation::isPrefix(ArrayRef<Axis> prefix, ArrayRef<Axis> of) {
  return prefix.size() <= of.size() && of.take_front(prefix.size()) == prefix;
}

namespace {

/// The longest prefix of `axes` whose product divides `size`.
AxisList dividingPrefix(ArrayRef<Axis> axes, int64_t size) {
  AxisList out;
  int64_t n = 1;
  for (const Axis &a : axes) {
    if (size % (n * a.size) != 0)
      break;
    n *= a.size;
    out.push_back(a);
  }
  return out;
}

/// Step 1 for one dimension: the axes of each of its factors.
/// A dimension that is exactly one factor takes any axes (the partitioner pads
/// a size that does not divide); otherwise each factor must divide.
bool wholeFactor(ArrayRef<unsigned> factors, ArrayRef<int64_t> sizes, int64_t dimSize) {
  return factors.size() == 1 && sizes[factors[0]] == dimSize;
}

void projectDim(ArrayRef<Axis> axes, int64_t dimSize, ArrayRef<unsigned> factors,
                ArrayRef<int64_t> sizes, SmallVector<AxisList> &perFactor) {
  if (wholeFactor(factors, sizes, dimSize)) {
    perFactor[factors[0]].assign(axes.begin(), axes.end());
    return;
  }
  size_t next = 0;
  for (unsigned f : factors) {
    AxisList taken = dividingPrefix(axes.drop_front(next), sizes[f]);
    next += taken.size();
    bool full = product(taken) == sizes[f];
    perFactor[f] = std::move(taken);
    if (!full)
      return;
  }
}

/// Step 3's projection back: the axes of a dimension made of `factors`.
AxisList unprojectDim(int64_t dimSize, ArrayRef<unsigned> factors, ArrayRef<int64_t> sizes,
                      ArrayRef<AxisList> chosen) {
  if (wholeFactor(factors, sizes, dimSize))
    return chosen[factors[0]];
  AxisList out;
  for (unsigned f : factors) {
    AxisList part = dividingPrefix(chosen[f], sizes[f]);
    bool full = product(part) == sizes[f];
    out.append(part.begin(), part.end());
    if (!full)
      break;
  }
  return out;
}

struct Candidate {
  AxisList axes;
  bool explicitlyGiven;
  unsigned order;
};

bool ranksBefore(const Candidate &a, const Candidate &b) {
  if (a.explicitlyGiven != b.explicitlyGiven)
    return a.explicitlyGiven;
  int64_t pa = product(a.axes), pb = product(b.axes);
  if (pa != pb)
    return pa > pb;
  return a.order < b.order;
}

} // namespace

bool hlox::sdy_propagation::propagate(const Rule &rule, PropagationState &state) {
  unsigned numFactors = rule.factorSizes.size();
  if (numFactors == 0)
    return false;

  // 1. Projections, as candidates per factor.
  SmallVector<SmallVector<Candidate, 2>, 8> candidates(numFactors);
  for (auto [t, id] : llvm::enumerate(rule.tensors)) {
    const TensorState &tensor = state.tensor(id);
    SmallVector<AxisList> perFactor(numFactors);
    for (auto [d, factors] : llvm::enumerate(rule.dimFactors[t]))
      if (!factors.empty() && d < tensor.dims.size())
        projectDim(tensor.dims[d].axes, tensor.shape[d], factors, rule.factorSizes, perFactor);
    for (unsigned f = 0; f < numFactors; ++f)
      if (!perFactor[f].empty())
        candidates[f].push_back({perFactor[f], tensor.explicitlyGiven, unsigned(t)});
  }

  // 2. One axis list per factor.
  SmallVector<Candidate, 4> best(numFactors);
  SmallVector<unsigned> order;
  for (unsigned f = 0; f < numFactors; ++f) {
    auto &list = candidates[f];
    if (list.empty())
      continue;
    std::stable_sort(list.begin(), list.end(), ranksBefore);
    best[f] = list.front();
    for (const Candidate &c : llvm::drop_begin(list))
      if (isPrefix(best[f].axes, c.axes))
        best[f].axes = c.axes;
    order.push_back(f);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](unsigned a, unsigned b) { return ranksBefore(best[a], best[b]); });
  SmallVector<AxisList> chosen(numFactors);
  for (unsigned f : order)
    chosen[f] = best[f].axes;
  SmallVector<unsigned> served(numFactors, numFactors);
  for (auto [position, f] : llvm::enumerate(order))
    served[f] = position;

  // 3. Write back into open dimensions.
  bool changed = false;
  for (auto [t, id] : llvm::enumerate(rule.tensors)) {
    TensorState &tensor = state.tensor(id);
    // Dimensions in the order their factors are served, so that the winning
    // factor gets a contested axis in this tensor.
    SmallVector<unsigned> dimOrder;
    for (auto [d, factors] : llvm::enumerate(rule.dimFactors[t]))
      if (!factors.empty() && d < tensor.dims.size())
        dimOrder.push_back(d);
    auto firstServed = [&](unsigned d) {
      unsigned best = numFactors;
      for (unsigned f : rule.dimFactors[t][d])
        best = std::min(best, served[f]);
      return best;
    };
    std::stable_sort(dimOrder.begin(), dimOrder.end(),
                     [&](unsigned a, unsigned b) { return firstServed(a) < firstServed(b); });
    for (unsigned d : dimOrder) {
      ArrayRef<unsigned> factors = rule.dimFactors[t][d];
      if (tensor.dims[d].closed)
        continue;
      AxisList wanted = unprojectDim(tensor.shape[d], factors, rule.factorSizes, chosen);
      DimState &dim = tensor.dims[d];
      if (wanted.size() <= dim.axes.size() || !isPrefix(dim.axes, wanted))
        continue;
      AxisList grown = dim.axes;
      for (const Axis &a : ArrayRef<Axis>(wanted).drop_front(dim.axes.size())) {
        bool used = llvm::any_of(tensor.reserved, [&](const Axis &b) { return b.overlaps(a); });
        for (auto [e, other] : llvm::enumerate(tensor.dims))
          used |= llvm::any_of(e == d ? ArrayRef<Axis>(grown) : ArrayRef<Axis>(other.axes),
                               [&](const Axis &b) { return b.overlaps(a); });
        if (used)
          break;
        grown.push_back(a);
      }
      if (grown.size() > dim.axes.size()) {
        dim.axes = std::move(grown);
        changed = true;
      }
    }
  }
  return changed;
}
