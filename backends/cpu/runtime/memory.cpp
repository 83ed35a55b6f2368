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
//===----------------------------------------------------------------------===//
#include "hlox_runtime.h"

#include <csetjmp>
#include <cstdint>
#include <cstdlib>

namespace {
thread_local std::jmp_buf *guard = nullptr;
thread_local int64_t failedBytes = 0;
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
  void *pointer = std::malloc(size);
  if (!pointer && size)
    hlox_rt_allocation_failed(static_cast<int64_t>(size));
  return pointer;
}

HLOX_RT_EXPORT void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  // aligned_alloc wants a size that is a multiple of the alignment
  size_t rounded = (size + alignment - 1) / alignment * alignment;
  void *pointer = std::aligned_alloc(alignment, rounded ? rounded : alignment);
  if (!pointer)
    hlox_rt_allocation_failed(static_cast<int64_t>(size));
  return pointer;
}

HLOX_RT_EXPORT void _mlir_memref_to_llvm_free(void *pointer) { std::free(pointer); }
}
