"""hlox.distributed under ``mpiexec -n 2`` (skipped without the mpich and mpi4py
packages: ``pip install 'hlox[mpi]'``): devices are global, each process runs its
partitions of the per-device programs of spmd_programs.py, collectives between
processes give the NumPy references' bytes; a process that dies makes the other
fail with an error within HLOX_COLLECTIVE_TIMEOUT, not hang."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

PROGRAM = os.path.join(os.path.dirname(__file__), "distributed_program.py")
MPIEXEC = shutil.which("mpiexec") or os.path.join(sys.prefix, "bin", "mpiexec")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None or not os.path.exists(MPIEXEC),
    reason="needs the mpich and mpi4py packages (pip install 'hlox[mpi]')")


def launch(local_devices: int, *args, mpiexec_flags=(), timeout_seconds="60"):
    env = dict(os.environ, JAX_NUM_CPU_DEVICES=str(local_devices),
               HLOX_COLLECTIVE_TIMEOUT=timeout_seconds)
    env.pop("HLOX_NUM_CPU_DEVICES", None)
    return subprocess.run([MPIEXEC, *mpiexec_flags, "-n", "2", sys.executable, PROGRAM, *args],
                          env=env, capture_output=True,
                          # mpiexec forwards its stdin to rank 0: under pytest-xdist
                          # that is the worker's channel to pytest, which it would drain
                          stdin=subprocess.DEVNULL, text=True, timeout=240)


@pytest.mark.parametrize("local_devices", [1, 2])
def test_programs_across_two_processes(local_devices):
    done = launch(local_devices)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    for rank in (0, 1):
        assert f"process {rank}: 9 programs ok on {2 * local_devices} devices" in out, out


def test_a_dead_process_is_an_error_not_a_hang():
    # (Without -disable-auto-cleanup MPICH's mpiexec kills the whole job itself.)
    done = launch(2, "die", mpiexec_flags=("-disable-auto-cleanup",), timeout_seconds="3")
    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "process 0: CollectiveError" in out and "no answer from every process within 3 s" \
        in out, out
