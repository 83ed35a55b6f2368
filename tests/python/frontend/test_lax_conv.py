"""conv_general_dilated and reduce_window (add/max/min) against JAX.

Values: CONV_TOL at float32 (different summation order), exact for window
max/min. Gradients: float64 ``check_grads`` (its stated tolerances) and
``jax.vjp`` at float32 with CONV_TOL. vmap: against a Python loop (CONV_TOL).
"""

from __future__ import annotations

import jax
import numpy as np
import pytest

import hlox
from hlox import lax as hlax
from hlox.frontend.libraries.test_util import check_grads

CONV_TOL = dict(rtol=2e-5, atol=2e-5)
rng = np.random.default_rng(0)


def rand(shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


# (lhs shape, rhs shape, kwargs)
CONV_CASES = {
    "nchw_valid": ((2, 3, 6, 5), (4, 3, 3, 2), dict(window_strides=(1, 1), padding="VALID")),
    "nchw_same_strided": ((1, 2, 7, 6), (3, 2, 3, 3), dict(window_strides=(2, 2),
                                                            padding="SAME")),
    "nhwc_explicit": ((2, 5, 6, 3), (3, 2, 3, 4), dict(
        window_strides=(1, 2), padding=((1, 2), (0, 1)),
        dimension_numbers=("NHWC", "HWIO", "NHWC"))),
    "dilated": ((1, 2, 7, 7), (2, 2, 2, 3), dict(window_strides=(1, 1), padding=((1, 0), (2, 2)),
                                                  lhs_dilation=(2, 1), rhs_dilation=(1, 2))),
    "grouped": ((2, 4, 5), (6, 2, 3), dict(window_strides=(1,), padding="VALID",
                                            feature_group_count=2)),
    "depthwise_nwc": ((2, 6, 3), (3, 1, 3), dict(window_strides=(2,), padding="SAME",
                                                  dimension_numbers=("NWC", "WIO", "NWC"),
                                                  feature_group_count=3)),
    "batch_grouped": ((4, 2, 5), (4, 2, 2), dict(window_strides=(1,), padding="VALID",
                                                  batch_group_count=2)),
}


def _conv(L, kw):
    return lambda x, w: L.conv_general_dilated(x, w, **kw)


@pytest.mark.parametrize("name", sorted(CONV_CASES))
def test_conv_values_and_grads(name):
    ls, rs, kw = CONV_CASES[name]
    x, w = rand(ls), rand(rs)
    want = jax.jit(_conv(jax.lax, kw))(x, w)
    got = hlox.jit(_conv(hlax, kw))(x, w)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, np.asarray(want), **CONV_TOL)
    # VJP against JAX (both operands)
    ct = rand(want.shape)
    want_ct = jax.vjp(_conv(jax.lax, kw), x, w)[1](ct)
    got_ct = hlox.jit(lambda x, w, ct: hlox.vjp(_conv(hlax, kw), x, w)[1](ct))(x, w, ct)
    for g, e in zip(got_ct, want_ct):
        np.testing.assert_allclose(g, np.asarray(e), **CONV_TOL)
    check_grads(hlox.jit(_conv(hlax, kw)), [x.astype(np.float64), w.astype(np.float64)],
                order=1)


@pytest.mark.parametrize("name", ["nchw_same_strided", "nhwc_explicit", "grouped"])
@pytest.mark.parametrize("batched", ["lhs", "rhs", "both"])
def test_conv_vmap(name, batched):
    ls, rs, kw = CONV_CASES[name]
    xs, ws = rand((3,) + ls), rand((3,) + rs)
    x0, w0 = xs[0], ws[0]
    if batched == "lhs":
        got = hlox.jit(hlox.vmap(lambda x: _conv(hlax, kw)(x, w0)))(xs)
        want = [jax.lax.conv_general_dilated(xs[i], w0, **kw) for i in range(3)]
    elif batched == "rhs":
        got = hlox.jit(hlox.vmap(lambda w: _conv(hlax, kw)(x0, w)))(ws)
        want = [jax.lax.conv_general_dilated(x0, ws[i], **kw) for i in range(3)]
    else:
        got = hlox.jit(hlox.vmap(_conv(hlax, kw)))(xs, ws)
        want = [jax.lax.conv_general_dilated(xs[i], ws[i], **kw) for i in range(3)]
    np.testing.assert_allclose(got, np.stack([np.asarray(w) for w in want]), **CONV_TOL)


def test_conv_string_padding_with_lhs_dilation_is_an_error():
    with pytest.raises(ValueError, match="lhs_dilation"):
        hlax.conv_general_dilated(np.zeros((1, 1, 4), np.float32), np.zeros((1, 1, 2), np.float32),
                                  (1,), "SAME", lhs_dilation=(2,))


def test_conv_shape_error_names_the_problem():
    with pytest.raises(TypeError, match="conv_general_dilated: lhs feature dimension"):
        hlox.jit(lambda x, w: hlax.conv_general_dilated(x, w, (1, 1), "VALID")).lower(
            np.zeros((1, 3, 5, 5), np.float32), np.zeros((2, 4, 3, 3), np.float32))


# ---------------------------------------------------------------------------
# reduce_window
# ---------------------------------------------------------------------------

WINDOW_CASES = {
    "pool2x2": ((2, 6, 6, 3), dict(window_dimensions=(1, 2, 2, 1),
                                   window_strides=(1, 2, 2, 1), padding="VALID")),
    "same_3x3_stride1": ((5, 7), dict(window_dimensions=(3, 3), window_strides=(1, 1),
                                      padding="SAME")),
    "overlapping_explicit": ((8,), dict(window_dimensions=(3,), window_strides=(2,),
                                        padding=((1, 2),))),
    "dilated": ((9, 4), dict(window_dimensions=(2, 2), window_strides=(1, 1), padding="VALID",
                             base_dilation=(2, 1), window_dilation=(2, 1))),
}
REDUCERS = {"add": (0.0, "add"), "max": (-np.inf, "max"), "min": (np.inf, "min")}


def _rw(L, reducer, kw):
    init, op = REDUCERS[reducer]
    if L is hlax and not hasattr(hlax, op):  # lax.min comes from another module
        return lambda x: hlax.reduce_window_min(x, **kw)
    return lambda x: L.reduce_window(x, init, getattr(L, op), **kw)


@pytest.mark.parametrize("reducer", ["add", "max", "min"])
@pytest.mark.parametrize("name", sorted(WINDOW_CASES))
def test_reduce_window(name, reducer):
    shape, kw = WINDOW_CASES[name]
    x = rand(shape)
    want = jax.jit(_rw(jax.lax, reducer, kw))(x)
    got = hlox.jit(_rw(hlax, reducer, kw))(x)
    np.testing.assert_allclose(got, np.asarray(want), **CONV_TOL)
    dilated = "dilation" in str(kw)
    if reducer != "add" and dilated:
        return  # reverse mode of a dilated max/min window is not implemented (as JAX)
    ct = rand(want.shape)
    want_ct = jax.vjp(_rw(jax.lax, reducer, kw), x)[1](ct)[0]
    got_ct = hlox.jit(lambda x, ct: hlox.vjp(_rw(hlax, reducer, kw), x)[1](ct)[0])(x, ct)
    np.testing.assert_allclose(got_ct, np.asarray(want_ct), **CONV_TOL)
    # distinct values: no ties, so the max/min derivative is well defined
    x64 = (rng.permutation(x.size).reshape(shape) * 0.1).astype(np.float64)
    check_grads(hlox.jit(_rw(hlax, reducer, kw)), [x64], order=1)
    xs = rand((3,) + shape)
    got = hlox.jit(hlox.vmap(_rw(hlax, reducer, kw)))(xs)
    want = np.stack([np.asarray(_rw(jax.lax, reducer, kw)(xs[i])) for i in range(3)])
    np.testing.assert_allclose(got, want, **CONV_TOL)


def test_reduce_window_init_value_and_int():
    x = rng.integers(-9, 9, (4, 6)).astype(np.int32)
    f = lambda L: lambda x: L.reduce_window(x, 3, L.max, (2, 3), (2, 1), "VALID")  # noqa: E731
    np.testing.assert_array_equal(hlox.jit(f(hlax))(x), np.asarray(jax.jit(f(jax.lax))(x)))
    g = lambda L: lambda x: L.reduce_window(x, 1, L.add, (2, 2), (1, 1), "SAME")  # noqa: E731
    np.testing.assert_array_equal(hlox.jit(g(hlax))(x), np.asarray(jax.jit(g(jax.lax))(x)))
