"""Random programs (hypothesis): traced, compiled and run, against NumPy.

Each example builds a small random expression over broadcastable inputs,
Python scalars, transposes, reshapes and matmuls, and returns a random
selection of intermediate values (possibly repeated, possibly inputs), so
that emission, the linalg lowering, fusion, bufferization and the calling
convention all see unusual combinations. HLOX_RANDOM_EXAMPLES=600 runs more
(the default, 40, keeps `pytest` quick).
"""

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hlox
import hlox.numpy as hnp

from conftest import assert_close

OPS = ["add", "sub", "mul", "max", "neg", "exp", "scalar", "transpose", "reshape", "matmul"]


@st.composite
def programs(draw):
    rows = draw(st.integers(1, 4))
    cols = draw(st.integers(1, 4))
    shapes = draw(st.lists(st.sampled_from([(rows, cols), (cols,), (1, cols), (rows, 1), ()]),
                           min_size=1, max_size=3))
    steps = draw(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 100),
                                    st.integers(0, 100), st.floats(-2, 2, width=32)),
                          min_size=1, max_size=6))
    outputs = draw(st.lists(st.integers(0, 100), min_size=1, max_size=3))
    return shapes, steps, outputs


def run_program(np_mod, values, steps, outputs):
    """Interprets the program with ``np_mod`` (numpy or hlox.numpy)."""
    values = list(values)
    for op, i, j, c in steps:
        x, y = values[i % len(values)], values[j % len(values)]
        if op == "add":
            values.append(np_mod.add(x, y) if _broadcastable(x, y) else x)
        elif op == "sub":
            values.append(np_mod.subtract(x, y) if _broadcastable(x, y) else x)
        elif op == "mul":
            values.append(np_mod.multiply(x, y) if _broadcastable(x, y) else x)
        elif op == "max":
            values.append(np_mod.maximum(x, y) if _broadcastable(x, y) else x)
        elif op == "neg":
            values.append(-x)
        elif op == "exp":
            values.append(np_mod.exp(x * np.float32(0.25)) if np_mod is np else
                          np_mod.exp(x * 0.25))
        elif op == "scalar":
            values.append(x * (np.float32(c) if np_mod is np else float(np.float32(c))) + 1)
        elif op == "transpose":
            values.append(x.T if np.ndim(x) >= 2 else x)
        elif op == "reshape":
            values.append(x.reshape(-1))
        elif op == "matmul":
            ok = np.ndim(x) >= 1 and np.ndim(y) >= 1 and \
                np.shape(x)[-1] == np.shape(y)[0 if np.ndim(y) == 1 else -2]
            values.append(x @ y if ok else x)
    return tuple(values[k % len(values)] for k in outputs)


def _broadcastable(x, y):
    try:
        np.broadcast_shapes(np.shape(x), np.shape(y))
        return True
    except ValueError:
        return False


@settings(max_examples=int(os.environ.get("HLOX_RANDOM_EXAMPLES", 40)), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.integers(0, 2**31 - 1))
def test_random_program(program, seed):
    shapes, steps, outputs = program
    rng = np.random.default_rng(seed)
    args = [rng.uniform(-1, 1, size=s).astype(np.float32) for s in shapes]
    expected = run_program(np, [np.asarray(a) for a in args], steps, outputs)
    actual = hlox.jit(lambda *xs: run_program(hnp, xs, steps, outputs))(*args)
    for a, e in zip(actual, expected):
        assert_close(a, np.asarray(e, dtype=np.float32),
                     {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5)})
