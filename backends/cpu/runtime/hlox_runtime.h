/* hlox's native runtime for generated CPU code: a plain C ABI (hlox_rt_*).
 *
 * Collectives of one SPMD program run as N participants (one per partition,
 * threads of one process), through a communicator that one launch creates:
 *
 *   launcher (Python, ctypes):  c = hlox_rt_comm_create(N, timeout)
 *                               on thread p: hlox_rt_run(c, p, entry, args)
 *                               hlox_rt_comm_error(c, buf, size); hlox_rt_comm_destroy(c)
 *   generated code:             hlox_rt_partition_id(), hlox_rt_all_reduce(...), ...
 *
 * Every participant calls the same collectives in the same order (an SPMD
 * program). Each collective is a meeting of all N: pointers are published,
 * everyone waits at a barrier, copies/reduces straight from the others'
 * buffers, and waits at a second barrier before its buffers may change.
 * Reductions fold left in the group's order, each step rounded to the element
 * type, so results are bit-identical run to run and equal to a sequential
 * reduction. A participant that fails (hlox_rt_abort), returns early while
 * others wait, reaches a different collective or outlasts the timeout breaks
 * the communicator: every participant's pending and later collectives return
 * at once, hlox_rt_run returns nonzero on every thread, and
 * hlox_rt_comm_error tells the first cause.
 *
 * Groups are tables of partition ids, `num_groups` rows of `group_size`
 * (int64, row-major), as the compiler computed them from the op's
 * replica_groups / channel_handle / use_global_device_ids.
 */
#ifndef HLOX_RUNTIME_H
#define HLOX_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#define HLOX_RT_EXPORT __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

/* Heap allocation of generated code (memory.cpp): memref.alloc calls
 * _mlir_memref_to_llvm_alloc; a failed allocation jumps back to the innermost
 * hlox_rt_call_guarded on its thread, which returns 1 and sets failed_bytes to
 * the size that failed (0 when entry(argument) returned normally). One pointer
 * argument: the per-call cost from Python (ctypes) stays one conversion. */
typedef struct hlox_rt_guarded_call {
  void (*entry)(void *);
  void *argument;
  int64_t failed_bytes;
} hlox_rt_guarded_call;
HLOX_RT_EXPORT int32_t hlox_rt_call_guarded(hlox_rt_guarded_call *call);
HLOX_RT_EXPORT void hlox_rt_allocation_failed(int64_t bytes);

/* Element types of reductions (the compiler passes these codes). */
enum hlox_rt_dtype {
  HLOX_RT_F32 = 0, HLOX_RT_F64 = 1, HLOX_RT_F16 = 2, HLOX_RT_BF16 = 3,
  HLOX_RT_I8 = 4, HLOX_RT_I16 = 5, HLOX_RT_I32 = 6, HLOX_RT_I64 = 7,
  HLOX_RT_U8 = 8, HLOX_RT_U16 = 9, HLOX_RT_U32 = 10, HLOX_RT_U64 = 11,
  HLOX_RT_BOOL = 12, /* one byte, 0 or 1 */
  HLOX_RT_C64 = 13, HLOX_RT_C128 = 14,
};

/* Reduction bodies the runtime computes itself (others: gather, then fold in
 * generated code). max/min are StableHLO's: NaN wins, max(-0, +0) = +0. */
enum hlox_rt_reduction {
  HLOX_RT_SUM = 0, HLOX_RT_PRODUCT = 1, HLOX_RT_MAX = 2, HLOX_RT_MIN = 3,
  HLOX_RT_AND = 4, HLOX_RT_OR = 5, HLOX_RT_XOR = 6,
};

typedef struct hlox_rt_comm hlox_rt_comm;

/* The launcher's side. */
HLOX_RT_EXPORT hlox_rt_comm *hlox_rt_comm_create(int32_t size, double timeout_seconds);
HLOX_RT_EXPORT void hlox_rt_comm_destroy(hlox_rt_comm *comm);
/* Across processes: this process runs partitions first..first+local_size-1
 * of global_size; `transport(context, send, bytes, recv)` gathers `bytes`
 * from every process into recv in process order (an MPI allgather; 0 = ok). */
typedef int32_t (*hlox_rt_transport)(void *context, const void *send, int64_t bytes, void *recv);
HLOX_RT_EXPORT hlox_rt_comm *hlox_rt_comm_create_world(int32_t local_size, int32_t global_size,
                                                       int32_t first_partition,
                                                       hlox_rt_transport transport, void *context,
                                                       double timeout_seconds);
/* Runs entry(args) on this thread as (global) `partition` of `comm`; 0 on success,
 * nonzero when the communicator broke (the entry stopped at a collective).
 * Marks the participant finished (or failed) when it returns. */
HLOX_RT_EXPORT int32_t hlox_rt_run(hlox_rt_comm *comm, int32_t partition, void (*entry)(void *),
                    void *args);
/* This thread is (global) `partition` of `comm` (NULL: none), for direct calls (tests). */
HLOX_RT_EXPORT void hlox_rt_bind(hlox_rt_comm *comm, int32_t partition);
HLOX_RT_EXPORT void hlox_rt_finish(hlox_rt_comm *comm, int32_t partition);
HLOX_RT_EXPORT void hlox_rt_abort(hlox_rt_comm *comm, int32_t partition, const char *why);
/* The first failure's message (copied into buf, truncated); its length, 0 if none. */
HLOX_RT_EXPORT size_t hlox_rt_comm_error(hlox_rt_comm *comm, char *buf, size_t size);

/* Generated code's side. Outside any communicator a thread is partition 0
 * of 1. Each returns 0, or nonzero (outside hlox_rt_run) when it failed. */
HLOX_RT_EXPORT int32_t hlox_rt_partition_id(void);
HLOX_RT_EXPORT int32_t hlox_rt_all_reduce(int64_t op_id, int32_t dtype, int32_t reduction, const void *send,
                           void *recv, int64_t count, const int64_t *groups, int64_t num_groups,
                           int64_t group_size);
/* recv[o, j, :] = send_of_member_j[o, :] for o < outer, chunk_bytes per piece. */
HLOX_RT_EXPORT int32_t hlox_rt_all_gather(int64_t op_id, const void *send, void *recv, int64_t outer,
                           int64_t chunk_bytes, const int64_t *groups, int64_t num_groups,
                           int64_t group_size);
/* send is [outer, group_size, inner] elements; member i gets the reduction of
 * every member's [outer, i, inner] part, as [outer, inner]. */
HLOX_RT_EXPORT int32_t hlox_rt_reduce_scatter(int64_t op_id, int32_t dtype, int32_t reduction,
                               const void *send, void *recv, int64_t outer, int64_t inner,
                               const int64_t *groups, int64_t num_groups, int64_t group_size);
/* send has `shape` (rank dims, row-major, elem_bytes each); its split_dim is
 * cut in group_size parts, member i receives part i of every member j and
 * places it j-th along concat_dim of recv (the result's shape). */
HLOX_RT_EXPORT int32_t hlox_rt_all_to_all(int64_t op_id, const void *send, void *recv, int64_t rank,
                           const int64_t *shape, int64_t split_dim, int64_t concat_dim,
                           int64_t elem_bytes, const int64_t *groups, int64_t num_groups,
                           int64_t group_size);
/* pairs: num_pairs rows (source, target); a target gets its source's bytes,
 * a partition that is no target gets zeros. */
HLOX_RT_EXPORT int32_t hlox_rt_collective_permute(int64_t op_id, const void *send, void *recv, int64_t bytes,
                                   const int64_t *pairs, int64_t num_pairs);

#ifdef __cplusplus
}
#endif

#endif /* HLOX_RUNTIME_H */
