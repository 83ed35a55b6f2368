//===- memory.cpp - heap allocation for generated code, failures reported -===//
//
// The cpu pipeline lowers memref.alloc/dealloc to the generic allocation
// functions (finalize-memref-to-llvm{use-generic-functions}), defined here. A
// failed allocation must not hand generated code a null pointer (it would
// write through it): it jumps back to the innermost hlox_rt_call_guarded on
// this thread, which returns the size that failed; the caller raises
// MemoryError. A chunk of a parallel loop runs guarded on its own thread and
// its failure is raised again on the thread that launched the loop
// (threads.cpp). What was allocated before the failure is not freed.
//
// Generated code has no destructors or locks of its own to skip, so a jump
// out of it is safe; the runtime's own functions release their locks before
// a jump can pass through them.
//
// Blocks of at least kPooledBytes (a function's arena of temporaries,
// hlox-cpu-pack-allocations) are recycled from one call to the next: glibc
// mmaps a fresh one past its mmap threshold (32 MiB at most), and every first
// write to its pages faults and zeroes them (the convnet training step's 43
// MiB arena: ~23 ms of a 94 ms step, where XLA keeps its buffers). A freed
// block waits in the pool for the next request it can hold (the smallest such,
// at most twice the request);
// at most kMaxFreeBytes wait, the oldest are freed first (as result_pool.py
// does for results).
//
//===----------------------------------------------------------------------===//
#include "hlox_runtime.h"

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {
thread_local std::jmp_buf *guard = nullptr;
thread_local int64_t failedBytes = 0;

constexpr size_t kPooledBytes = size_t(1) << 20;
constexpr size_t kMaxFreeBytes = size_t(256) << 20;
constexpr size_t kPoolAlignment = 64; // every pooled block: any alignment up to this

struct Block {
  void *pointer;
  size_t bytes;
};
std::mutex poolLock;
std::unordered_map<void *, size_t> handedOut; // pooled blocks in use -> bytes
std::vector<Block> freeBlocks;                // oldest first
size_t freeBytes = 0;
} // namespace

namespace {
void *pooledAllocate(size_t alignment, size_t size) {
  if (alignment <= kPoolAlignment) {
    std::lock_guard<std::mutex> hold(poolLock);
    size_t best = freeBlocks.size();
    for (size_t i = 0; i < freeBlocks.size(); ++i)
      // At most twice the request: a small request does not take a large
      // block that a later large request would then have to map afresh.
      if (freeBlocks[i].bytes >= size && freeBlocks[i].bytes / 2 <= size &&
          (best == freeBlocks.size() || freeBlocks[i].bytes < freeBlocks[best].bytes))
        best = i;
    if (best != freeBlocks.size()) {
      Block block = freeBlocks[best];
      freeBlocks.erase(freeBlocks.begin() + static_cast<std::ptrdiff_t>(best));
      freeBytes -= block.bytes;
      handedOut.emplace(block.pointer, block.bytes);
      return block.pointer;
    }
  }
  size_t align = alignment > kPoolAlignment ? alignment : kPoolAlignment;
  size_t rounded = (size + align - 1) / align * align;
  void *pointer = std::aligned_alloc(align, rounded);
  if (!pointer)
    hlox_rt_allocation_failed(static_cast<int64_t>(size));
  if (alignment <= kPoolAlignment) {
    std::lock_guard<std::mutex> hold(poolLock);
    handedOut.emplace(pointer, rounded);
  }
  return pointer;
}

void pooledFree(void *pointer) {
  if (!pointer)
    return;
  std::vector<void *> release;
  {
    std::lock_guard<std::mutex> hold(poolLock);
    auto found = handedOut.find(pointer);
    if (found == handedOut.end()) {
      release.push_back(pointer); // not a pooled block
    } else {
      freeBlocks.push_back({pointer, found->second});
      freeBytes += found->second;
      handedOut.erase(found);
      size_t oldest = 0;
      while (freeBytes > kMaxFreeBytes) {
        release.push_back(freeBlocks[oldest].pointer);
        freeBytes -= freeBlocks[oldest].bytes;
        ++oldest;
      }
      freeBlocks.erase(freeBlocks.begin(),
                       freeBlocks.begin() + static_cast<std::ptrdiff_t>(oldest));
    }
  }
  for (void *block : release)
    std::free(block);
}
} // namespace

extern "C" {

HLOX_RT_EXPORT void hlox_rt_allocation_failed(int64_t bytes) {
  failedBytes = bytes;
  if (guard)
    std::longjmp(*guard, 1);
  // Unguarded (a caller that did not go through hlox_rt_call_guarded): the
  // process cannot continue with a null buffer.
  std::abort();
}

HLOX_RT_EXPORT int32_t hlox_rt_call_guarded(hlox_rt_guarded_call *call) {
  std::jmp_buf here;
  std::jmp_buf *outer = guard;
  guard = &here;
  if (setjmp(here)) {
    guard = outer;
    call->failed_bytes = failedBytes;
    return 1;
  }
  call->entry(call->argument);
  guard = outer;
  call->failed_bytes = 0;
  return 0;
}

HLOX_RT_EXPORT void *_mlir_memref_to_llvm_alloc(size_t size) {
  if (size >= kPooledBytes)
    return pooledAllocate(alignof(std::max_align_t), size);
  void *pointer = std::malloc(size);
  if (!pointer && size)
    hlox_rt_allocation_failed(static_cast<int64_t>(size));
  return pointer;
}

HLOX_RT_EXPORT void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  if (size >= kPooledBytes)
    return pooledAllocate(alignment, size);
  // aligned_alloc wants a size that is a multiple of the alignment
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  void *pointer = std::aligned_alloc(alignment, rounded ? rounded : alignment);
  if (!pointer)
    hlox_rt_allocation_failed(static_cast<int64_t>(size));
  return pointer;
}

HLOX_RT_EXPORT void _mlir_memref_to_llvm_free(void *pointer) {
#if defined(__GLIBC__)
  // Small blocks skip the pool's lock (a pooled block is at least that large).
  if (!pointer || malloc_usable_size(pointer) < kPooledBytes)
    return std::free(pointer);
#endif
  pooledFree(pointer);
}
}
