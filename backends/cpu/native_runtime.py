"""The collectives of ``libhlox_cpu_runtime.so`` (:mod:`.runtime_library` finds and
loads it) from Python: their C ABI through ctypes, and :func:`run_partitions`, which
runs one compiled entry point per partition on its own thread, all in one communicator.

The library's C ABI is ``backends/cpu/runtime/hlox_runtime.h``; the codes below
(:data:`DTYPES`, :data:`REDUCTIONS`) are its enums. ctypes releases the GIL
for each call, so the partitions run in parallel.
"""

from __future__ import annotations

import ctypes
import functools
import os
import threading

import ml_dtypes
import numpy as np

from hlox.backends.cpu import runtime_library

# numpy dtype -> hlox_rt_dtype
DTYPES = {
    np.dtype(np.float32): 0, np.dtype(np.float64): 1, np.dtype(np.float16): 2,
    np.dtype(ml_dtypes.bfloat16): 3, np.dtype(np.int8): 4, np.dtype(np.int16): 5,
    np.dtype(np.int32): 6, np.dtype(np.int64): 7, np.dtype(np.uint8): 8,
    np.dtype(np.uint16): 9, np.dtype(np.uint32): 10, np.dtype(np.uint64): 11,
    np.dtype(np.bool_): 12, np.dtype(np.complex64): 13, np.dtype(np.complex128): 14,
}
# reduction body -> hlox_rt_reduction
REDUCTIONS = {"add": 0, "multiply": 1, "maximum": 2, "minimum": 3, "and": 4, "or": 5,
              "xor": 6}

# How long a partition waits at a collective for the others before the launch
# fails (seconds; HLOX_COLLECTIVE_TIMEOUT, 0 = forever). In one process a
# partition that stops early is noticed at once; this bounds what is not.
DEFAULT_TIMEOUT = 300.0


class CollectiveError(RuntimeError):
    """A sharded run failed in its collectives (the message names the partition,
    the op and the cause)."""


@functools.lru_cache(maxsize=None)
def library() -> ctypes.CDLL:
    """The runtime, loaded once (the ExecutionEngine's copy is the same one:
    the dynamic loader opens a path once)."""
    lib = runtime_library.load()
    i32, i64, ptr, dbl = ctypes.c_int32, ctypes.c_int64, ctypes.c_void_p, ctypes.c_double
    signatures = {
        "hlox_rt_comm_create": (ptr, [i32, dbl]),
        "hlox_rt_comm_create_world": (ptr, [i32, i32, i32, ptr, ptr, dbl]),
        "hlox_rt_comm_destroy": (None, [ptr]),
        "hlox_rt_run": (i32, [ptr, i32, ptr, ptr]),
        "hlox_rt_bind": (None, [ptr, i32]),
        "hlox_rt_finish": (None, [ptr, i32]),
        "hlox_rt_abort": (None, [ptr, i32, ctypes.c_char_p]),
        "hlox_rt_comm_error": (ctypes.c_size_t, [ptr, ctypes.c_char_p, ctypes.c_size_t]),
        "hlox_rt_partition_id": (i32, []),
        "hlox_rt_all_reduce": (i32, [i64, i32, i32, ptr, ptr, i64, ptr, i64, i64]),
        "hlox_rt_all_gather": (i32, [i64, ptr, ptr, i64, i64, ptr, i64, i64]),
        "hlox_rt_reduce_scatter": (i32, [i64, i32, i32, ptr, ptr, i64, i64, ptr, i64, i64]),
        "hlox_rt_all_to_all": (i32, [i64, ptr, ptr, i64, ptr, i64, i64, i64, ptr, i64, i64]),
        "hlox_rt_collective_permute": (i32, [i64, ptr, ptr, i64, ptr, i64]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes
    return lib


def timeout() -> float:
    value = os.environ.get("HLOX_COLLECTIVE_TIMEOUT")
    if not value:
        return DEFAULT_TIMEOUT
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"HLOX_COLLECTIVE_TIMEOUT={value!r} is not a number of seconds") \
            from None


class Communicator:
    """One launch's communicator (``with Communicator(n) as comm:``): ``size``
    partitions in this process; with ``world=(global_size, first, transport)``
    they are ``first..first+size-1`` of ``global_size`` in several processes."""

    def __init__(self, size: int, timeout_seconds: float | None = None, world=None):
        self.size = size
        self.first = 0
        self._lib = library()
        seconds = timeout() if timeout_seconds is None else timeout_seconds
        if world is None:
            self.handle = self._lib.hlox_rt_comm_create(size, seconds)
        else:
            global_size, self.first, self._transport = world
            self.handle = self._lib.hlox_rt_comm_create_world(
                size, global_size, self.first, ctypes.cast(self._transport, ctypes.c_void_p),
                None, seconds)
        if not self.handle:
            raise ValueError(f"cannot make a communicator of {size} partition(s) "
                             f"(world: {world!r})")

    def error(self) -> str:
        buffer = ctypes.create_string_buffer(4096)
        self._lib.hlox_rt_comm_error(self.handle, buffer, len(buffer))
        return buffer.value.decode(errors="replace")

    def abort(self, partition: int, why: str) -> None:
        self._lib.hlox_rt_abort(self.handle, partition, why.encode(errors="replace"))

    def close(self) -> None:
        if self.handle:
            self._lib.hlox_rt_comm_destroy(self.handle)
            self.handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def run_partitions(calls, world=None) -> None:
    """Runs ``calls[p]`` on its own thread as partition p of one communicator
    (with ``world=(global_size, first, transport)``: as partition first + p).

    ``calls[p]`` is ``(entry, argument)``: the address of a ``void entry(void *)``
    (a packed MLIR entry point) and its argument's address; or a Python callable
    ``call(comm, p)`` that runs partition p itself (it must bind its thread). A
    partition whose Python side raises aborts the others; the first failure is
    raised here as :class:`CollectiveError` (or that exception), never a hang.
    """
    calls = list(calls)
    lib = library()
    errors: list = [None] * len(calls)
    with Communicator(len(calls), world=world) as comm:
        def run(p):
            partition = comm.first + p
            try:
                call = calls[p]
                if callable(call):
                    call(comm, partition)
                else:
                    entry, argument = call
                    if lib.hlox_rt_run(comm.handle, partition, entry, argument) != 0:
                        errors[p] = CollectiveError(comm.error())
            except BaseException as error:  # noqa: BLE001  (re-raised by the caller)
                errors[p] = error
                comm.abort(partition, f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=run, args=(p,), name=f"hlox-partition-{p}")
                   for p in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first = comm.error()
    failed = [e for e in errors if e is not None]
    if not failed:
        return
    own = [e for e in failed if not isinstance(e, CollectiveError)]
    if own:
        raise own[0]
    raise CollectiveError(first or str(failed[0]))
