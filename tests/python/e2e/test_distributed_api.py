"""The sharding API across two processes (``mpiexec -n 2``, 2 devices each; skipped
without the mpich and mpi4py packages: ``pip install 'hlox[mpi]'``): global Arrays from
process-local data, jit and shard_map with collectives between processes, gradients;
and examples/sharded_training.py on 2 processes x 2 devices."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAM = os.path.join(HERE, "distributed_api_program.py")
EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "examples",
                       "sharded_training.py")
MPIEXEC = shutil.which("mpiexec") or os.path.join(sys.prefix, "bin", "mpiexec")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mpi4py") is None or not os.path.exists(MPIEXEC),
    reason="needs the mpich and mpi4py packages (pip install 'hlox[mpi]')")


def launch(*command):
    env = dict(os.environ, JAX_NUM_CPU_DEVICES="2", HLOX_COLLECTIVE_TIMEOUT="60")
    env.pop("HLOX_NUM_CPU_DEVICES", None)
    return subprocess.run([MPIEXEC, "-n", "2", sys.executable, *command], env=env,
                          capture_output=True,
                          # mpiexec forwards its stdin to rank 0: under pytest-xdist
                          # that is the worker's channel to pytest, which it would drain
                          stdin=subprocess.DEVNULL, text=True, timeout=300)


def test_api_across_two_processes():
    done = launch(PROGRAM)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    for rank in (0, 1):
        assert f"process {rank}: API ok on 4 devices" in out, out


def test_sharded_training_on_two_processes():
    done = launch(EXAMPLE, "--distributed", "--steps", "3")
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert out.count("the sharded loop gives the one-device numbers") == 2, out
