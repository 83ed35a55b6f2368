//===- threads.cpp - the CPU backend's thread pool (hlox_rt_parallel_for) -===//
//
// Generated code runs a parallel loop nest by calling
//
//   hlox_rt_parallel_for(body, context, n, min_chunk)
//
// which runs body(context, begin, end) over [0, n) split into fixed chunks:
// chunk c of k covers [c*n/k, (c+1)*n/k), k = min(4 x threads,
// max(1, n/min_chunk)); each thread, the caller included, claims the next
// unclaimed chunk until none is left (on a busy machine a thread the OS does
// not run soon leaves its share to the others). The compiler hands only loops
// whose iterations write disjoint outputs here (no cross-chunk reduction), so
// results are identical run to run, for any thread count, and equal to the
// serial loop's.
//
// One pool per process, shared by every executable (and by SPMD device
// threads): HLOX_CPU_THREADS threads in all (default: the cores this process
// may run on), the calling thread being one of them. A call made while the
// pool is busy (another thread's kernel, or a kernel nested in a worker) runs
// serially on its caller instead of queueing or adding threads, so the
// process never runs more than the configured threads on kernels.
//
//===----------------------------------------------------------------------===//
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <sched.h>
#include <system_error>
#include <thread>
#include <vector>

#include <pthread.h>

#include "hlox_runtime.h"

namespace {

using Body = void (*)(void *context, int64_t begin, int64_t end);

/// body(context, begin, end) under an allocation guard (memory.cpp): the size
/// of an allocation that failed in it, or 0. No failure jumps past the pool's
/// locks: the launching thread raises it again once they are released.
int64_t runGuarded(Body body, void *context, int64_t begin, int64_t end) {
  struct Chunk {
    Body body;
    void *context;
    int64_t begin, end;
  } chunk{body, context, begin, end};
  hlox_rt_guarded_call call{[](void *p) {
                              auto *c = static_cast<Chunk *>(p);
                              c->body(c->context, c->begin, c->end);
                            },
                            &chunk, 0};
  hlox_rt_call_guarded(&call);
  return call.failed_bytes;
}

int configuredThreads() {
  if (const char *text = std::getenv("HLOX_CPU_THREADS")) {
    char *end = nullptr;
    long value = std::strtol(text, &end, 10);
    if (end != text && *end == '\0' && value >= 1 && value <= 1024)
      return static_cast<int>(value);
  }
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
  unsigned hardware = std::thread::hardware_concurrency();
  return hardware ? static_cast<int>(hardware) : 1;
}

thread_local bool insideKernel = false;

// Chunks per thread: more chunks than threads let a thread that finishes
// early (or one the OS runs sooner on a busy machine) take the next chunk.
constexpr int64_t kChunksPerThread = 4;

class Pool {
public:
  // Workers start once every member exists (they use the mutex at once).
  explicit Pool(int wanted) { threads = startWorkers(wanted) + 1; }

  /// Returns the size of an allocation that failed in a chunk, or 0.
  int64_t parallelFor(Body body, void *context, int64_t n, int64_t minChunk) {
    if (n <= 0)
      return 0;
    int64_t chunks = std::min<int64_t>(threads * kChunksPerThread,
                                       std::max<int64_t>(1, n / minChunk));
    std::unique_lock<std::mutex> busy(launch, std::try_to_lock);
    if (chunks <= 1 || threads <= 1 || insideKernel || !busy.owns_lock())
      return runGuarded(body, context, 0, n);
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mutex);
      generation = (ticket.load(std::memory_order_relaxed) >> 32) + 1;
      job = {body, context, n, chunks};
      finished.store(0, std::memory_order_relaxed);
      ticket.store(generation << 32, std::memory_order_release);
    }
    wake.notify_all();
    insideKernel = true;
    runChunks(job, generation);  // the caller works too
    insideKernel = false;
    // Wait for chunks other threads have claimed: spin briefly, then sleep.
    for (int spin = 0; finished.load(std::memory_order_acquire) != chunks; ++spin) {
      if (spin < 4096) {
        __builtin_ia32_pause();
        continue;
      }
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, [&] { return finished.load(std::memory_order_acquire) == chunks; });
    }
    return failed.exchange(0, std::memory_order_acq_rel);
  }

  int threads = 1;  // the workers started + the caller; set once, in the constructor

private:
  /// Starts up to wanted - 1 workers; returns how many started (a process out
  /// of threads runs its kernels on fewer, or on the caller alone).
  int startWorkers(int wanted) {
    int started = 0;
    for (; started + 1 < wanted; ++started) {
      try {
        std::thread([this] { work(); }).detach();
      } catch (const std::system_error &) {
        break;
      }
    }
    return started;
  }

  struct Job {
    Body body;
    void *context;
    int64_t n, chunks;
  };

  /// Claims and runs chunks of job `generation` until none is left. A claim is
  /// a compare-exchange on (generation << 32 | next chunk), so a thread that
  /// slept through a whole job cannot claim a chunk of the next one.
  void runChunks(const Job &current, uint64_t generation) {
    for (;;) {
      uint64_t seen = ticket.load(std::memory_order_acquire);
      int64_t chunk = static_cast<int64_t>(seen & 0xffffffffu);
      if ((seen >> 32) != generation || chunk >= current.chunks)
        return;
      if (!ticket.compare_exchange_weak(seen, seen + 1, std::memory_order_acq_rel))
        continue;
      int64_t begin = current.n * chunk / current.chunks;
      int64_t end = current.n * (chunk + 1) / current.chunks;
      if (int64_t bytes = runGuarded(current.body, current.context, begin, end))
        failed.store(bytes, std::memory_order_release);
      if (finished.fetch_add(1, std::memory_order_acq_rel) + 1 == current.chunks) {
        std::lock_guard<std::mutex> lock(mutex);
        done.notify_one();
      }
    }
  }

  void work() {
    insideKernel = true;  // a kernel calling the pool from here runs serially
    uint64_t seen = 0;
    for (;;) {
      Job current;
      uint64_t generation;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return (ticket.load(std::memory_order_acquire) >> 32) != seen; });
        generation = seen = ticket.load(std::memory_order_acquire) >> 32;
        current = job;
      }
      runChunks(current, generation);
    }
  }

  std::mutex launch;  // one parallel loop at a time
  std::mutex mutex;   // guards job and the condition variables
  std::condition_variable wake, done;
  Job job{};
  std::atomic<uint64_t> ticket{0};    // generation << 32 | next unclaimed chunk
  std::atomic<int64_t> finished{0};   // chunks of the current job done
  std::atomic<int64_t> failed{0};     // size of an allocation a chunk could not make
};

// Made on first use and never destroyed (workers may still be parked at
// exit); a forked child, which has none of the parent's threads, makes its own.
std::atomic<Pool *> pool{nullptr};
std::once_flag atforkRegistered;

Pool &thePool() {
  Pool *current = pool.load(std::memory_order_acquire);
  if (current)
    return *current;
  static std::mutex creating;
  std::lock_guard<std::mutex> lock(creating);
  current = pool.load(std::memory_order_acquire);
  if (!current) {
    std::call_once(atforkRegistered, [] {
      pthread_atfork(nullptr, nullptr, [] { pool.store(nullptr, std::memory_order_release); });
    });
    current = new Pool(configuredThreads());
    pool.store(current, std::memory_order_release);
  }
  return *current;
}

} // namespace

extern "C" {

/// Runs body(context, begin, end) over [0, n) in chunks of at least
/// `min_chunk` iterations (fixed boundaries; see the file comment).
__attribute__((visibility("default"))) void
hlox_rt_parallel_for(Body body, void *context, int64_t n, int64_t min_chunk) {
  // (no object with a destructor lives in this frame: the jump may pass it)
  if (int64_t bytes = thePool().parallelFor(body, context, n, min_chunk < 1 ? 1 : min_chunk))
    hlox_rt_allocation_failed(bytes);
}

/// The pool's thread count (HLOX_CPU_THREADS, default the usable cores).
__attribute__((visibility("default"))) int64_t hlox_rt_num_threads(void) {
  return thePool().threads;
}
}
