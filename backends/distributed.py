"""Several processes, one program: hlox's multi-process runtime over MPI.

``initialize()`` (``hlox.distributed.initialize()``, like
``jax.distributed.initialize()``), called in every process of an
``mpiexec -n P`` launch, joins MPI's world (mpi4py; ``pip install 'hlox[mpi]'``
brings the ``mpich`` wheel and ``mpi4py``). From then on the cpu backend's
devices are global: every process offers ``jax_num_cpu_devices`` devices (the
same number everywhere), device ``i`` of process ``r`` has id
``r * local_count + i`` and ``process_index = r``; ``hlox.devices()`` lists all
of them and ``hlox.local_devices()`` this process's. A per-device program of
``P * local_count`` partitions runs with each process executing its own
partitions (``executable.execute_sharded(local_buffers)``); collectives meet
first inside each process, then between processes through :func:`transport`
(an MPI allgather of every partition's operand, in partition order, so
reductions fold in the same order and give the same bits as on one process).

A process that dies or never reaches a collective makes the others fail with
an error after ``HLOX_COLLECTIVE_TIMEOUT`` seconds (default 300) instead of
waiting forever; such a process then exits without MPI's finalization (which
would wait for the dead one).
"""

from __future__ import annotations

import ctypes
import os
import sys
import time

_world = None  # the MPI communicator once initialized
_broken: list[str] = []


class DistributedError(RuntimeError):
    """MPI is missing, not launched under mpiexec as expected, or an exchange failed."""


def initialize(coordinator_address=None, num_processes=None, process_id=None,
               local_device_ids=None) -> None:
    """Joins the processes of an ``mpiexec`` launch (JAX's arguments are accepted;
    MPI already knows the processes, so given ones must agree with it)."""
    global _world
    if _world is not None:
        raise DistributedError("hlox.distributed.initialize() was already called")
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise DistributedError("hlox.distributed needs MPI: pip install 'hlox[mpi]' "
                               f"(the mpich and mpi4py packages), then run under mpiexec "
                               f"({error})") from None
    world = MPI.COMM_WORLD
    if num_processes is not None and num_processes != world.Get_size():
        raise DistributedError(f"num_processes={num_processes}, but mpiexec started "
                               f"{world.Get_size()} processes")
    if process_id is not None and process_id != world.Get_rank():
        raise DistributedError(f"process_id={process_id}, but MPI says this is process "
                               f"{world.Get_rank()}")
    from hlox.config import config

    if config._num_cpu_devices_used:
        raise DistributedError("hlox.distributed.initialize() must be called before any "
                               "device is used (the cpu backend has already made its devices)")
    counts = world.allgather(config.jax_num_cpu_devices)
    if len(set(counts)) != 1:
        raise DistributedError(f"every process must offer the same number of cpu devices "
                               f"(jax_num_cpu_devices), got {counts} by process")
    _world = world
    import atexit

    atexit.register(_exit_if_broken)


def is_initialized() -> bool:
    return _world is not None


def process_index() -> int:
    return _world.Get_rank() if _world is not None else 0


def process_count() -> int:
    return _world.Get_size() if _world is not None else 1


def _exit_if_broken() -> None:
    """After a failed exchange, MPI's finalization would wait for the dead peer."""
    if _broken:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)


TRANSPORT = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                             ctypes.c_void_p)


def make_transport(timeout_seconds: float):
    """The runtime's cross-process step (hlox_rt_transport): an MPI allgather of
    ``bytes`` from every process, given up after ``timeout_seconds`` (0: never)."""
    from mpi4py import MPI

    world = _world

    def gather(context, send, nbytes, recv):
        try:
            size = world.Get_size()
            sendbuf = (ctypes.c_char * nbytes).from_address(send)
            recvbuf = (ctypes.c_char * (nbytes * size)).from_address(recv)
            request = world.Iallgather([sendbuf, MPI.BYTE], [recvbuf, MPI.BYTE])
            deadline = time.monotonic() + timeout_seconds if timeout_seconds > 0 else None
            while not request.Test():
                if deadline is not None and time.monotonic() > deadline:
                    _broken.append(f"process {world.Get_rank()}: no answer from every process "
                                   f"within {timeout_seconds:g} s (HLOX_COLLECTIVE_TIMEOUT)")
                    return 1
                time.sleep(1e-4)
            return 0
        except BaseException as error:  # noqa: BLE001  (a C caller cannot take exceptions)
            _broken.append(f"process {world.Get_rank()}: {type(error).__name__}: {error}")
            return 1

    return TRANSPORT(gather)


def last_failure() -> str:
    return _broken[-1] if _broken else ""
