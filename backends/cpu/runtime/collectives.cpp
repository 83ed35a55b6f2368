//===- collectives.cpp - all_reduce, all_gather, reduce_scatter, ... ------===//
//
// The collectives generated code calls (C ABI in hlox_runtime.h). Each one is
// a meeting of every participant (communicator.h): after meet() every
// participant reads the others' send buffers directly (shared memory) and
// writes only what the op defines; leave() keeps the buffers alive until all
// are done. Work is split so that nothing is computed twice: in all_reduce
// member i of a group folds elements [i*n/k, (i+1)*n/k) and writes them into
// every member's result. Each element is folded left in the group's order,
// rounded to its type at every step (f16/bf16 in float, as one operation
// then a rounding): the result of a sequential reduction, whatever the split.
//
//===----------------------------------------------------------------------===//
#include "communicator.h"

#include "hlox_runtime.h"

#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>

using namespace hlox_rt;

namespace {

// ---- element types --------------------------------------------------------

struct BF16 {
  uint16_t bits;
};
struct C64 {
  float re, im;
};
struct C128 {
  double re, im;
};

float toFloat(BF16 x) {
  uint32_t bits = uint32_t(x.bits) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
BF16 toBF16(float f) {  // round to nearest even; NaN stays a (quiet) NaN
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return BF16{uint16_t((bits >> 16) | 0x40)};
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return BF16{uint16_t(bits >> 16)};
}

template <typename F> F maxOf(F a, F b) {  // StableHLO maximum: NaN wins, +0 > -0
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
template <typename F> F minOf(F a, F b) {
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

// One step of a reduction, in T's arithmetic (computed wide where T is narrow).
template <typename T> struct Step;

template <typename F> struct FloatStep {
  static bool apply(int reduction, F &acc, F x) {
    switch (reduction) {
    case HLOX_RT_SUM: acc = acc + x; return true;
    case HLOX_RT_PRODUCT: acc = acc * x; return true;
    case HLOX_RT_MAX: acc = maxOf(acc, x); return true;
    case HLOX_RT_MIN: acc = minOf(acc, x); return true;
    default: return false;
    }
  }
};
template <> struct Step<float> : FloatStep<float> {};
template <> struct Step<double> : FloatStep<double> {};
template <> struct Step<_Float16> {
  static bool apply(int reduction, _Float16 &acc, _Float16 x) {
    float a = float(acc);
    bool ok = FloatStep<float>::apply(reduction, a, float(x));
    acc = _Float16(a);
    return ok;
  }
};
template <> struct Step<BF16> {
  static bool apply(int reduction, BF16 &acc, BF16 x) {
    float a = toFloat(acc);
    bool ok = FloatStep<float>::apply(reduction, a, toFloat(x));
    acc = toBF16(a);
    return ok;
  }
};

template <typename I> struct IntStep {  // wrapping arithmetic, as StableHLO's
  static bool apply(int reduction, I &acc, I x) {
    using U = std::make_unsigned_t<I>;
    switch (reduction) {
    case HLOX_RT_SUM: acc = I(U(acc) + U(x)); return true;
    case HLOX_RT_PRODUCT: acc = I(U(acc) * U(x)); return true;
    case HLOX_RT_MAX: acc = acc > x ? acc : x; return true;
    case HLOX_RT_MIN: acc = acc < x ? acc : x; return true;
    case HLOX_RT_AND: acc = acc & x; return true;
    case HLOX_RT_OR: acc = acc | x; return true;
    case HLOX_RT_XOR: acc = acc ^ x; return true;
    default: return false;
    }
  }
};
template <> struct Step<int8_t> : IntStep<int8_t> {};
template <> struct Step<int16_t> : IntStep<int16_t> {};
template <> struct Step<int32_t> : IntStep<int32_t> {};
template <> struct Step<int64_t> : IntStep<int64_t> {};
template <> struct Step<uint8_t> : IntStep<uint8_t> {};
template <> struct Step<uint16_t> : IntStep<uint16_t> {};
template <> struct Step<uint32_t> : IntStep<uint32_t> {};
template <> struct Step<uint64_t> : IntStep<uint64_t> {};

struct Bool {
  uint8_t v;
};
template <> struct Step<Bool> {  // add = or, multiply = and (StableHLO on i1)
  static bool apply(int reduction, Bool &acc, Bool x) {
    switch (reduction) {
    case HLOX_RT_SUM: case HLOX_RT_MAX: case HLOX_RT_OR: acc.v = acc.v | x.v; return true;
    case HLOX_RT_PRODUCT: case HLOX_RT_MIN: case HLOX_RT_AND: acc.v = acc.v & x.v; return true;
    case HLOX_RT_XOR: acc.v = acc.v ^ x.v; return true;
    default: return false;
    }
  }
};

template <typename C> struct ComplexStep {  // the schoolbook product (no fma)
  static bool apply(int reduction, C &acc, C x) {
    switch (reduction) {
    case HLOX_RT_SUM: acc = C{acc.re + x.re, acc.im + x.im}; return true;
    case HLOX_RT_PRODUCT:
      acc = C{acc.re * x.re - acc.im * x.im, acc.re * x.im + acc.im * x.re};
      return true;
    default: return false;
    }
  }
};
template <> struct Step<C64> : ComplexStep<C64> {};
template <> struct Step<C128> : ComplexStep<C128> {};

// acc[i] = acc[i] (op) x[i] for i < n; false if T has no such reduction.
template <typename T>
bool foldInto(int reduction, void *accBytes, const void *xBytes, int64_t n) {
  T probe{};
  if (!Step<T>::apply(reduction, probe, T{}))
    return false;
  T *acc = static_cast<T *>(accBytes);
  const T *x = static_cast<const T *>(xBytes);
  for (int64_t i = 0; i < n; ++i)
    Step<T>::apply(reduction, acc[i], x[i]);
  return true;
}

int64_t elementBytes(int32_t dtype) {
  switch (dtype) {
  case HLOX_RT_F32: case HLOX_RT_I32: case HLOX_RT_U32: return 4;
  case HLOX_RT_F64: case HLOX_RT_I64: case HLOX_RT_U64: case HLOX_RT_C64: return 8;
  case HLOX_RT_F16: case HLOX_RT_BF16: case HLOX_RT_I16: case HLOX_RT_U16: return 2;
  case HLOX_RT_I8: case HLOX_RT_U8: case HLOX_RT_BOOL: return 1;
  case HLOX_RT_C128: return 16;
  default: return 0;
  }
}

bool fold(int32_t dtype, int32_t reduction, void *acc, const void *x, int64_t n) {
  switch (dtype) {
  case HLOX_RT_F32: return foldInto<float>(reduction, acc, x, n);
  case HLOX_RT_F64: return foldInto<double>(reduction, acc, x, n);
  case HLOX_RT_F16: return foldInto<_Float16>(reduction, acc, x, n);
  case HLOX_RT_BF16: return foldInto<BF16>(reduction, acc, x, n);
  case HLOX_RT_I8: return foldInto<int8_t>(reduction, acc, x, n);
  case HLOX_RT_I16: return foldInto<int16_t>(reduction, acc, x, n);
  case HLOX_RT_I32: return foldInto<int32_t>(reduction, acc, x, n);
  case HLOX_RT_I64: return foldInto<int64_t>(reduction, acc, x, n);
  case HLOX_RT_U8: return foldInto<uint8_t>(reduction, acc, x, n);
  case HLOX_RT_U16: return foldInto<uint16_t>(reduction, acc, x, n);
  case HLOX_RT_U32: return foldInto<uint32_t>(reduction, acc, x, n);
  case HLOX_RT_U64: return foldInto<uint64_t>(reduction, acc, x, n);
  case HLOX_RT_BOOL: return foldInto<Bool>(reduction, acc, x, n);
  case HLOX_RT_C64: return foldInto<C64>(reduction, acc, x, n);
  case HLOX_RT_C128: return foldInto<C128>(reduction, acc, x, n);
  default: return false;
  }
}

// ---- meetings ---------------------------------------------------------------

// One collective on this thread: its communicator (or none: partition 0 of 1).
// Partition ids are global; in world mode every send buffer is read from the
// gathered copy (worldSend), and only this partition's result is written.
class Meeting {
public:
  Meeting(int64_t opId, const char *what, const void *send, void *recv)
      : comm_(binding().comm), me_(comm_ ? binding().partition : 0) {
    mine_.opId = opId;
    mine_.what = what;
    mine_.send = send;
    mine_.recv = recv;
  }
  int me() const { return me_; }
  int size() const { return comm_ ? comm_->globalSize() : 1; }
  bool world() const { return comm_ && comm_->world(); }
  // Meets the others; `bytes`: the size of every partition's send buffer.
  bool begin(int64_t bytes) {
    if (!comm_)
      return true;
    if (!comm_->meet(local(), mine_))
      return false;
    return !comm_->world() || comm_->gatherWorld(local(), bytes);
  }
  bool end() { return comm_ ? comm_->leave(local()) : true; }
  const void *send(int p) const {
    if (!comm_)
      return mine_.send;
    return comm_->world() ? comm_->worldSend(p) : comm_->slot(p - comm_->first()).send;
  }
  void *recv(int p) const {  // (in one process only)
    return comm_ ? comm_->slot(p - comm_->first()).recv : mine_.recv;
  }
  // Breaks the communicator with a message naming this op; returns false.
  bool fail(const std::string &why) {
    if (comm_)
      comm_->abort(local(), std::string(mine_.what) + " #" + std::to_string(mine_.opId) + ": " +
                                why);
    return false;
  }
  // This partition's group (a row of `groups`) and its place in it.
  bool findGroup(const int64_t *groups, int64_t numGroups, int64_t groupSize,
                 const int64_t *&row, int64_t &index) {
    for (int64_t g = 0; g < numGroups * groupSize; ++g)
      if (groups[g] < 0 || groups[g] >= size())
        return fail("its groups name partition " + std::to_string(groups[g]) +
                    ", but the program runs on " + std::to_string(size()));
    for (int64_t g = 0; g < numGroups; ++g)
      for (int64_t i = 0; i < groupSize; ++i)
        if (groups[g * groupSize + i] == me_) {
          row = groups + g * groupSize;
          index = i;
          return true;
        }
    return fail("partition " + std::to_string(me_) + " is in none of its groups");
  }

private:
  int local() const { return me_ - comm_->first(); }

  Communicator *comm_;
  int me_;
  Slot mine_;
};

// The runtime reduces this element type with this body (else: an error).
bool reducible(Meeting &m, int32_t dtype, int32_t reduction, void *recv, const void *send) {
  if (elementBytes(dtype) && fold(dtype, reduction, recv, send, 0))
    return true;
  return m.fail("unsupported element type " + std::to_string(dtype) + " / reduction " +
                std::to_string(reduction));
}

// acc[0..n) = the left fold, in group order, of every member's n elements at
// byte `offset` of its send buffer.
void foldGroup(const Meeting &m, const int64_t *group, int64_t groupSize, int32_t dtype,
               int32_t reduction, char *acc, int64_t offset, int64_t n) {
  std::memcpy(acc, static_cast<const char *>(m.send(group[0])) + offset, n * elementBytes(dtype));
  for (int64_t j = 1; j < groupSize; ++j)
    fold(dtype, reduction, acc, static_cast<const char *>(m.send(group[j])) + offset, n);
}

bool allReduce(int64_t opId, int32_t dtype, int32_t reduction, const void *send, void *recv,
               int64_t count, const int64_t *groups, int64_t numGroups, int64_t groupSize) {
  Meeting m(opId, "all_reduce", send, recv);
  const int64_t *group;
  int64_t index;
  int64_t bytes = elementBytes(dtype);
  if (!m.findGroup(groups, numGroups, groupSize, group, index) ||
      !reducible(m, dtype, reduction, recv, send) || !m.begin(count * bytes))
    return false;
  // One process: member i folds slice i for the whole group. Across
  // processes: each partition folds its whole result (same order, same bits).
  bool shared = !m.world();
  int64_t lo = shared ? count * index / groupSize : 0;
  int64_t hi = shared ? count * (index + 1) / groupSize : count;
  char *acc = static_cast<char *>(recv) + lo * bytes;
  foldGroup(m, group, groupSize, dtype, reduction, acc, lo * bytes, hi - lo);
  for (int64_t j = 0; shared && j < groupSize; ++j)
    if (group[j] != m.me())
      std::memcpy(static_cast<char *>(m.recv(group[j])) + lo * bytes, acc, (hi - lo) * bytes);
  return m.end();
}

bool allGather(int64_t opId, const void *send, void *recv, int64_t outer, int64_t chunk,
               const int64_t *groups, int64_t numGroups, int64_t groupSize) {
  Meeting m(opId, "all_gather", send, recv);
  const int64_t *group;
  int64_t index;
  if (!m.findGroup(groups, numGroups, groupSize, group, index) || !m.begin(outer * chunk))
    return false;
  char *out = static_cast<char *>(recv);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < groupSize; ++j)
      std::memcpy(out + (o * groupSize + j) * chunk,
                  static_cast<const char *>(m.send(group[j])) + o * chunk, chunk);
  return m.end();
}

bool reduceScatter(int64_t opId, int32_t dtype, int32_t reduction, const void *send, void *recv,
                   int64_t outer, int64_t inner, const int64_t *groups, int64_t numGroups,
                   int64_t groupSize) {
  Meeting m(opId, "reduce_scatter", send, recv);
  const int64_t *group;
  int64_t index;
  int64_t bytes = elementBytes(dtype);
  if (!m.findGroup(groups, numGroups, groupSize, group, index) ||
      !reducible(m, dtype, reduction, recv, send) ||
      !m.begin(outer * groupSize * inner * bytes))
    return false;
  int64_t part = inner * bytes;
  for (int64_t o = 0; o < outer; ++o)
    foldGroup(m, group, groupSize, dtype, reduction, static_cast<char *>(recv) + o * part,
              (o * groupSize + index) * part, inner);
  return m.end();
}

// Copies a block of `shape` (bytes in the last dimension) between two arrays
// of the given byte strides.
void copyBlock(int64_t rank, const int64_t *shape, const char *src, const int64_t *srcStrides,
               char *dst, const int64_t *dstStrides) {
  if (rank == 1) {
    std::memcpy(dst, src, shape[0]);
    return;
  }
  for (int64_t i = 0; i < shape[0]; ++i)
    copyBlock(rank - 1, shape + 1, src + i * srcStrides[0], srcStrides + 1,
              dst + i * dstStrides[0], dstStrides + 1);
}

bool allToAll(int64_t opId, const void *send, void *recv, int64_t rank, const int64_t *shape,
              int64_t split, int64_t concat, int64_t elemBytes, const int64_t *groups,
              int64_t numGroups, int64_t groupSize) {
  Meeting m(opId, "all_to_all", send, recv);
  const int64_t *group;
  int64_t index;
  if (!m.findGroup(groups, numGroups, groupSize, group, index))
    return false;
  if (rank < 0 || rank > 16 || split < 0 || split >= rank || concat < 0 || concat >= rank ||
      shape[split] % groupSize != 0)
    return m.fail("bad shape or dimensions");
  int64_t total = elemBytes;
  for (int64_t d = 0; d < rank; ++d)
    total *= shape[d];
  if (!m.begin(total))
    return false;
  // Everything in bytes, with one extra innermost dimension of elemBytes.
  int64_t block[17], src[17], dst[17], out[17];
  for (int64_t d = 0; d < rank; ++d)
    block[d] = out[d] = shape[d];
  block[split] /= groupSize;
  out[split] /= groupSize;
  out[concat] *= groupSize;
  block[rank] = elemBytes;
  src[rank] = dst[rank] = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    src[d] = src[d + 1] * (d + 1 == rank ? elemBytes : shape[d + 1]);
    dst[d] = dst[d + 1] * (d + 1 == rank ? elemBytes : out[d + 1]);
  }
  for (int64_t j = 0; j < groupSize; ++j) {
    const char *from = static_cast<const char *>(m.send(group[j])) + index * block[split] * src[split];
    char *to = static_cast<char *>(recv) + j * block[concat] * dst[concat];
    copyBlock(rank + 1, block, from, src, to, dst);
  }
  return m.end();
}

bool collectivePermute(int64_t opId, const void *send, void *recv, int64_t bytes,
                       const int64_t *pairs, int64_t numPairs) {
  Meeting m(opId, "collective_permute", send, recv);
  int64_t source = -1;
  for (int64_t i = 0; i < numPairs; ++i) {
    for (int64_t k = 0; k < 2; ++k)
      if (pairs[2 * i + k] < 0 || pairs[2 * i + k] >= m.size())
        return m.fail("its source_target_pairs name partition " +
                      std::to_string(pairs[2 * i + k]) + ", but the program runs on " +
                      std::to_string(m.size()));
    if (pairs[2 * i + 1] == m.me())
      source = pairs[2 * i];
  }
  if (!m.begin(bytes))
    return false;
  if (source >= 0)
    std::memcpy(recv, m.send(int(source)), bytes);
  else
    std::memset(recv, 0, bytes);
  return m.end();
}

} // namespace

// The C ABI: each returns 0, or leaves through failed() (no C++ object is
// alive in these frames when it does).
extern "C" {

int32_t hlox_rt_all_reduce(int64_t op_id, int32_t dtype, int32_t reduction, const void *send,
                           void *recv, int64_t count, const int64_t *groups, int64_t num_groups,
                           int64_t group_size) {
  if (!allReduce(op_id, dtype, reduction, send, recv, count, groups, num_groups, group_size))
    return failed();
  return 0;
}

int32_t hlox_rt_all_gather(int64_t op_id, const void *send, void *recv, int64_t outer,
                           int64_t chunk_bytes, const int64_t *groups, int64_t num_groups,
                           int64_t group_size) {
  if (!allGather(op_id, send, recv, outer, chunk_bytes, groups, num_groups, group_size))
    return failed();
  return 0;
}

int32_t hlox_rt_reduce_scatter(int64_t op_id, int32_t dtype, int32_t reduction,
                               const void *send, void *recv, int64_t outer, int64_t inner,
                               const int64_t *groups, int64_t num_groups, int64_t group_size) {
  if (!reduceScatter(op_id, dtype, reduction, send, recv, outer, inner, groups, num_groups,
                     group_size))
    return failed();
  return 0;
}

int32_t hlox_rt_all_to_all(int64_t op_id, const void *send, void *recv, int64_t rank,
                           const int64_t *shape, int64_t split_dim, int64_t concat_dim,
                           int64_t elem_bytes, const int64_t *groups, int64_t num_groups,
                           int64_t group_size) {
  if (!allToAll(op_id, send, recv, rank, shape, split_dim, concat_dim, elem_bytes, groups,
                num_groups, group_size))
    return failed();
  return 0;
}

int32_t hlox_rt_collective_permute(int64_t op_id, const void *send, void *recv, int64_t bytes,
                                   const int64_t *pairs, int64_t num_pairs) {
  if (!collectivePermute(op_id, send, recv, bytes, pairs, num_pairs))
    return failed();
  return 0;
}

} // extern "C"
