//===- memref.h - memref arguments of the runtime library's functions -----===//
//
// The generated code passes each array as an unranked memref: its rank and a
// pointer to its ranked descriptor {allocated, aligned, offset, sizes[rank],
// strides[rank]}. Bufferization gives these calls identity layouts
// (contiguous, row-major); `contiguous` says whether that holds.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_CPU_RUNTIME_MEMREF_H
#define HLOX_CPU_RUNTIME_MEMREF_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hlox_rt {

template <typename E> struct Array {
  E *data;
  std::vector<int64_t> shape;
  bool contiguous;

  int64_t size() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  /// The product of dimensions [from, to).
  int64_t product(std::size_t from, std::size_t to) const {
    int64_t n = 1;
    for (std::size_t d = from; d < to && d < shape.size(); ++d)
      n *= shape[d];
    return n;
  }
  int64_t dim(int64_t fromEnd) const { return shape[shape.size() - fromEnd]; }
};

template <typename E> Array<E> readMemref(int64_t rank, void *descriptor) {
  struct Header {
    void *allocated;
    void *aligned;
    int64_t offset;
  };
  auto *header = static_cast<Header *>(descriptor);
  auto *sizes = reinterpret_cast<int64_t *>(header + 1);
  int64_t *strides = sizes + rank;
  Array<E> a{static_cast<E *>(header->aligned) + header->offset, {sizes, sizes + rank}, true};
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected)
      a.contiguous = false;
    expected *= sizes[d];
  }
  return a;
}

} // namespace hlox_rt

#endif // HLOX_CPU_RUNTIME_MEMREF_H
