"""This machine's FMA peak and streaming memory bandwidth, the ceilings of benchmarks/cpu.py.

    python benchmarks/peak.py [--threads N] [--seconds 1.0]

Compiles a small C program with the system's ``cc`` (``-O2 -march=native``,
pthreads) into a temporary folder and runs it:

- FMA peak: each thread runs independent chains of packed single-precision
  fused multiply-adds on 16 accumulators held in vector registers (enough to
  cover the FMA units' latency); GFLOP/s = 2 x lanes x FMAs / s, summed over
  threads.
- bandwidth: each thread sums (read) and writes (copy) its part of 256 MB
  arrays, far larger than the caches; GB/s = bytes moved / s, summed.
- last-level cache bandwidth: the same sum over arrays of half the last-level
  cache (read from /sys), read again and again: the ceiling of a kernel whose
  inputs and outputs fit in that cache (benchmarks/cpu.py picks the ceiling
  by each workload's bytes).

Prints both for 1 thread and for ``--threads`` (default: the cores this
process may run on), with the load average: on a busy machine the numbers are
low. benchmarks/cpu.py measures them itself (all cores) unless given
``--peak``/``--bandwidth``.
Not a test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile

SOURCE = r"""
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define SET1(x) _mm512_set1_ps(x)
#define ADD(a, b) _mm512_add_ps(a, b)
#define LOAD(p) _mm512_loadu_ps(p)
#define STORE(p, v) _mm512_storeu_ps(p, v)
#define HSUM(v) _mm512_reduce_add_ps(v)
#else
typedef __m256 vec;
#define LANES 8
#define FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define SET1(x) _mm256_set1_ps(x)
#define ADD(a, b) _mm256_add_ps(a, b)
#define LOAD(p) _mm256_loadu_ps(p)
#define STORE(p, v) _mm256_storeu_ps(p, v)
static float HSUM(vec v) { float t[8]; _mm256_storeu_ps(t, v); float s = 0;
  for (int i = 0; i < 8; ++i) s += t[i]; return s; }
#endif

static double now(void) {
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct { long iters; float *src, *dst; long n; int mode; double sink; } job;

static void *fma_loop(job *j) {
  vec acc[16], a = SET1(0.999f), b = SET1(1e-3f);
  for (int i = 0; i < 16; ++i) acc[i] = SET1((float)i);
  for (long it = 0; it < j->iters; ++it) {
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) acc[i] = FMA(acc[i], a, b);
  }
  vec s = acc[0];
  for (int i = 1; i < 16; ++i) s = ADD(s, acc[i]);
  j->sink = HSUM(s);
  return 0;
}

static void *memory_loop(job *j) {
  vec s0 = SET1(0), s1 = SET1(0), s2 = SET1(0), s3 = SET1(0);
  for (long it = 0; it < j->iters; ++it) {
    if (j->mode == 1) {
      for (long i = 0; i < j->n; i += 4 * LANES) {
        s0 = ADD(s0, LOAD(j->src + i)); s1 = ADD(s1, LOAD(j->src + i + LANES));
        s2 = ADD(s2, LOAD(j->src + i + 2 * LANES)); s3 = ADD(s3, LOAD(j->src + i + 3 * LANES));
      }
    } else {
      for (long i = 0; i < j->n; i += LANES) STORE(j->dst + i, LOAD(j->src + i));
    }
  }
  j->sink = HSUM(ADD(ADD(s0, s1), ADD(s2, s3)));
  return 0;
}

static double run(int threads, void *(*fn)(job *), job *jobs) {
  pthread_t t[256];
  double start = now();
  for (int i = 0; i < threads; ++i) pthread_create(&t[i], 0, (void *(*)(void *))fn, &jobs[i]);
  for (int i = 0; i < threads; ++i) pthread_join(t[i], 0);
  return now() - start;
}

int main(int argc, char **argv) {
  int threads = atoi(argv[1]);
  double seconds = atof(argv[2]);
  long cache_bytes = atol(argv[3]);
  job jobs[256];
  /* FMA: calibrate the iteration count to about `seconds`. */
  long iters = 1 << 20;
  for (;;) {
    for (int i = 0; i < threads; ++i) jobs[i].iters = iters;
    double t = run(threads, fma_loop, jobs);
    if (t > seconds / 4) {
      iters = (long)(iters * seconds / t);
      for (int i = 0; i < threads; ++i) jobs[i].iters = iters;
      t = run(threads, fma_loop, jobs);
      printf("fma %.1f\n", 2.0 * LANES * 16 * iters * threads / t / 1e9);
      break;
    }
    iters *= 4;
  }
  long total = 64L << 20; /* floats: 256 MB */
  float *src = aligned_alloc(64, total * 4), *dst = aligned_alloc(64, total * 4);
  memset(src, 0, total * 4); memset(dst, 0, total * 4);
  long part = total / threads / (4 * LANES) * (4 * LANES);
  for (int mode = 1; mode <= 2; ++mode) {
    for (int i = 0; i < threads; ++i) {
      jobs[i].src = src + i * part; jobs[i].dst = dst + i * part; jobs[i].n = part;
      jobs[i].mode = mode; jobs[i].iters = 1;
    }
    run(threads, memory_loop, jobs); /* warm */
    double t = run(threads, memory_loop, jobs);
    long reps = (long)(seconds / t) + 1;
    for (int i = 0; i < threads; ++i) jobs[i].iters = reps;
    t = run(threads, memory_loop, jobs);
    double bytes = (double)part * 4 * threads * reps * mode;
    printf("%s %.1f\n", mode == 1 ? "read" : "copy", bytes / t / 1e9);
  }
  if (cache_bytes > 0) {
    /* Half the last-level cache in all, read over and over (warm first). */
    long cached = cache_bytes / 2 / 4 / threads / (4 * LANES) * (4 * LANES);
    for (int i = 0; i < threads; ++i) {
      jobs[i].src = src + i * cached; jobs[i].n = cached; jobs[i].mode = 1; jobs[i].iters = 4;
    }
    run(threads, memory_loop, jobs);
    double t = run(threads, memory_loop, jobs);
    long reps = (long)(4 * seconds / t) + 1;
    for (int i = 0; i < threads; ++i) jobs[i].iters = reps;
    t = run(threads, memory_loop, jobs);
    printf("cache_read %.1f\n", (double)cached * 4 * threads * reps / t / 1e9);
  }
  return 0;
}
"""


def last_level_cache_bytes() -> int:
    """Size of the largest cache the kernel reports for CPU 0 (0 if unknown)."""
    sizes = []
    root = "/sys/devices/system/cpu/cpu0/cache"
    for index in os.listdir(root) if os.path.isdir(root) else []:
        try:
            with open(os.path.join(root, index, "size")) as f:
                text = f.read().strip()
        except OSError:
            continue
        scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
        sizes.append(int(text.rstrip("KMG")) * scale)
    return max(sizes, default=0)


def measure(threads: int, seconds: float = 1.0) -> dict:
    """``{"fma": GFLOP/s, "read": GB/s, "copy": GB/s, "cache_read": GB/s,
    "cache_bytes": bytes}`` on ``threads`` threads (no cache entries when the
    last-level cache's size is unknown)."""
    cache_bytes = last_level_cache_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        source, binary = os.path.join(tmp, "peak.c"), os.path.join(tmp, "peak")
        with open(source, "w") as f:
            f.write(SOURCE)
        subprocess.check_call(["cc", "-O2", "-march=native", "-pthread", source, "-o", binary])
        out = subprocess.check_output([binary, str(threads), str(seconds), str(cache_bytes)],
                                      text=True)
    result = {name: float(value) for name, value in (line.split() for line in out.splitlines())}
    if cache_bytes:
        result["cache_bytes"] = cache_bytes
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--seconds", type=float, default=1.0, help="per measurement")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for threads in sorted({1, args.threads}):
        r = measure(threads, args.seconds)
        print(f"{threads} thread(s): FMA peak {r['fma']:.1f} GFLOP/s, read bandwidth "
              f"{r['read']:.1f} GB/s, copy bandwidth {r['copy']:.1f} GB/s, "
              f"{r.get('cache_bytes', 0) >> 20} MiB last-level cache read "
              f"{r.get('cache_read', float('nan')):.1f} GB/s "
              f"(load average {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
