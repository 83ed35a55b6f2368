"""The first path, end to end: exp, @, *, +, a Python scalar; values vs NumPy."""

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

from conftest import assert_close, rand


def seed(x, w):
    return hnp.exp(x @ w) * 2.0 + x


@pytest.mark.parametrize("n,k", [(1, 1), (3, 3), (4, 4), (16, 16), (2, 2)])
def test_seed_function(n, k):
    x, w = rand((n, k), seed=1, low=-1, high=1), rand((k, k), seed=2, low=-1, high=1)
    expected = np.exp(x @ w) * np.float32(2.0) + x
    out = hlox.jit(seed)(x, w)
    assert out.dtype == np.float32
    # exp of a matmul: the matmul's rounding difference is amplified by exp.
    assert_close(out, expected, {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5)})


def test_seed_non_square_and_tree():
    def f(params, x):
        return {"y": hnp.exp(x @ params["w"]) * 2.0 + params["b"], "x": x}

    x = rand((5, 3), seed=1, low=-1, high=1)
    params = {"w": rand((3, 7), seed=2, low=-1, high=1), "b": rand((7,), seed=3)}
    out = hlox.jit(f)(params, x)
    assert set(out) == {"x", "y"}
    assert_close(out["x"], x)
    assert_close(out["y"], np.exp(x @ params["w"]) * np.float32(2) + params["b"],
                 {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5)})


def test_seed_float64(x64):
    x, w = rand((3, 4), np.float64, seed=1), rand((4, 4), np.float64, seed=2)
    assert_close(hlox.jit(seed)(x, w), np.exp(x @ w) * 2.0 + x,
                 {np.dtype(np.float64): dict(rtol=1e-12, atol=1e-12)})
