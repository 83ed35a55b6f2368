"""bfloat16/float16 reductions accumulate in float32 and round once (issue 13).

On ``cpu``, stablehlo.reduce and reduce_window of bfloat16/float16 whose body
adds/multiplies sum in float32 (as the contractions do since they were fixed,
and as the interpreter and jax.numpy's sum compute them); hlox.numpy's sum,
prod, mean, var and lax.cumsum upcast as jax.numpy does. The reference is the
float32 computation of the same values, rounded once to the low-precision
type: results agree to one ulp of that type (rtol = its epsilon). Summing in
bfloat16 is ~16 ulps short on 1000 values near 1 (988 for 1004).
"""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax as hlax

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

LOW = [ml_dtypes.bfloat16, np.float16]
IDS = ["bfloat16", "float16"]


def near_one(shape, dtype, seed=0):
    return (1 + 0.01 * np.random.default_rng(seed).random(shape)).astype(dtype)


def assert_one_rounding(got, want_f32, dtype):
    """``got`` (low precision) within one ulp of the float32 result rounded once."""
    want = np.asarray(want_f32, np.float32).astype(dtype)
    assert got.dtype == np.dtype(dtype) and got.shape == want.shape
    np.testing.assert_allclose(got.astype(np.float32), want.astype(np.float32),
                               rtol=float(ml_dtypes.finfo(dtype).eps), atol=0)


# (jax function, float32 reference on float32 values, input shape)
MODULES = {
    "reduce_sum": (lambda x: lax.reduce(x, x.dtype.type(0), lax.add, (0,)),
                   lambda x: x.sum(0), (1000, 3)),
    "reduce_prod": (lambda x: lax.reduce(x, x.dtype.type(1), lax.mul, (1,)),
                    lambda x: x.prod(1), (3, 60)),
    "cumsum": (lambda x: lax.cumsum(x, axis=0), lambda x: np.cumsum(x, 0), (600,)),
    "window_sum": (lambda x: lax.reduce_window(x, x.dtype.type(0), lax.add, (500,), (100,),
                                               "VALID"),
                   lambda x: np.stack([x[i:i + 500].sum() for i in range(0, 501, 100)]),
                   (1000,)),
}


@pytest.mark.parametrize("backend", ["cpu", "interpreter"])
@pytest.mark.parametrize("dtype", LOW, ids=IDS)
@pytest.mark.parametrize("name", sorted(MODULES))
def test_jax_lowered_reductions_accumulate_in_float32(name, dtype, backend):
    fn, reference, shape = MODULES[name]
    x = near_one(shape, dtype)
    text = jax.jit(fn).lower(x).as_text()
    [got] = hlox.compile_stablehlo(text, backend=backend)(x)
    assert_one_rounding(np.asarray(got), reference(x.astype(np.float32)), dtype)


FRONTEND = {
    "sum": (hnp.sum, jnp.sum),
    "sum_axis": (lambda x: hnp.sum(x, axis=0), lambda x: jnp.sum(x, axis=0)),
    "mean": (hnp.mean, jnp.mean),
    "var": (hnp.var, jnp.var),
    "prod": (lambda x: hnp.prod(x[:50], axis=0), lambda x: jnp.prod(x[:50], axis=0)),
    "cumsum": (lambda x: hnp.cumsum(x, axis=0), lambda x: jnp.cumsum(x.astype(jnp.float32),
                                                                     axis=0).astype(x.dtype)),
    "lax_cumsum": (lambda x: hlax.cumsum(x, 0),
                   lambda x: lax.cumsum(x.astype(jnp.float32), 0).astype(x.dtype)),
}


@pytest.mark.parametrize("dtype", LOW, ids=IDS)
@pytest.mark.parametrize("name", sorted(FRONTEND))
def test_frontend_reductions_upcast_as_jax_numpy(name, dtype):
    """jax.numpy's sum/prod/mean/var compute float16/bfloat16 in float32 (cumsum: the
    float32 cumulative sum rounded once, as XLA CPU's window sum computes it)."""
    ours, theirs = FRONTEND[name]
    x = near_one((1000, 2), dtype)
    got = np.asarray(hlox.jit(ours)(x))
    want = np.asarray(jax.jit(theirs)(x))
    assert_one_rounding(got, want.astype(np.float32), dtype)


def test_frontend_sum_emits_a_float32_reduce():
    """As jax.numpy: convert to float32, reduce, convert back (so that every backend,
    XLA's too, sums in float32)."""
    text = hlox.jit(hnp.sum).lower(near_one((8,), ml_dtypes.bfloat16)).as_text()
    assert "tensor<8xbf16>) -> tensor<8xf32>" in text
    assert "applies stablehlo.add across dimensions = [0] : (tensor<8xf32>" in text
