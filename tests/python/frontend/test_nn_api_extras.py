"""Issue 14's jax.nn names against jax.nn: selu/celu/glu/mish (values and gradients over
dtypes), dot_product_attention (masks, bias, grouped heads, sequence lengths, windows;
gradients) and the initializers (JAX's weights, bit for bit, from the same key)."""

import jax
import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.nn as hnn
import hlox.random as hr

from test_numpy_api_extras import TOL, compare, rand

pytestmark = pytest.mark.usefixtures("x64")


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16],
                         ids=lambda d: np.dtype(d).name)
def test_activations(dtype):
    x = rand((4, 6), dtype)
    x[0, :3] = 0  # the kinks
    acts = lambda nn, x: {"selu": nn.selu(x), "celu": nn.celu(x), "celu2": nn.celu(x, 2.0),  # noqa: E731
                          "mish": nn.mish(x), "glu": nn.glu(x), "glu0": nn.glu(x, axis=0)}
    compare(hlox.jit(lambda x: acts(hnn, x))(x), jax.jit(lambda x: acts(jax.nn, x))(x))
    if dtype != np.float16:
        grads = lambda nn, grad, jit: jit(grad(  # noqa: E731
            lambda x: sum(v.sum() for v in acts(nn, x).values())))(x)
        compare(grads(hnn, hlox.grad, hlox.jit), grads(jax.nn, jax.grad, jax.jit))


def test_glu_odd_axis():
    with pytest.raises(ValueError, match="odd size"):
        hnn.glu(np.ones((2, 3)))


B, T, S, N, K, H = 2, 5, 7, 4, 2, 8


def _qkv(dtype):
    return rand((B, T, N, H), dtype), rand((B, S, K, H), dtype, 1), rand((B, S, K, H), dtype, 2)


ATTENTION_CASES = {
    "plain": {}, "bias": dict(bias=rand((B, 1, T, S), np.float32, 3)),
    "bias_heads": dict(bias=rand((1, N, T, S), np.float32, 4)),
    "mask": dict(mask=rand((B, N, T, S), np.float32, 5, 0, 1) > 0.3),
    "causal": dict(is_causal=True), "window": dict(local_window_size=(2, 1)),
    "window_int": dict(local_window_size=1),
    "lengths": dict(query_seq_lengths=np.array([3, 5], np.int32),
                    key_value_seq_lengths=np.array([7, 4], np.int32)),
    "everything": dict(scale=0.3, bias=rand((B, 1, T, S), np.float32, 3), is_causal=True,
                       mask=rand((B, 1, T, S), np.float32, 6, 0, 1) > 0.2),
}


# (JAX refuses float16 attention on the CPU: F16_F16_F32 dots)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, ml_dtypes.bfloat16],
                         ids=lambda d: np.dtype(d).name)
def test_dot_product_attention(dtype):
    q, k, v = _qkv(dtype)
    run = lambda nn, q, k, v: {name: nn.dot_product_attention(q, k, v, **kw)  # noqa: E731
                               for name, kw in ATTENTION_CASES.items()} | {
        "unbatched": nn.dot_product_attention(q[0], k[0], v[0], is_causal=True)}
    # the softmax is float32 for every dtype (as JAX): float64 results have float32's error
    tol = {**TOL, np.dtype(np.float64): TOL[np.dtype(np.float32)]}
    compare(hlox.jit(lambda *a: run(hnn, *a))(q, k, v),
            jax.jit(lambda *a: run(jax.nn, *a))(q, k, v), tol=tol)


def test_dot_product_attention_gradients():
    q, k, v = _qkv(np.float32)
    bias = ATTENTION_CASES["bias"]["bias"]
    loss = lambda nn: lambda q, k, v, b: (nn.dot_product_attention(  # noqa: E731
        q, k, v, b, is_causal=True) ** 2).sum()
    # Both differ from a float64 computation by up to ~1e-5 (float32 softmax
    # gradients summed over keys and heads), so they may differ by twice that.
    tol = {np.dtype(np.float32): dict(rtol=1e-4, atol=3e-5)}
    compare(hlox.jit(hlox.grad(loss(hnn), argnums=(0, 1, 2, 3)))(q, k, v, bias),
            jax.grad(loss(jax.nn), argnums=(0, 1, 2, 3))(q, k, v, bias), tol=tol)


@pytest.mark.parametrize("call,match", [
    (lambda q, k, v: hnn.dot_product_attention(q[:, :, :3], k, v), "multiple"),
    (lambda q, k, v: hnn.dot_product_attention(q, k, v[:, :3]), "value shape"),
    (lambda q, k, v: hnn.dot_product_attention(q, k, v, mask=np.ones((B, N, T, S))), "mask dtype"),
    (lambda q, k, v: hnn.dot_product_attention(q, k, v, implementation="cudnn"), "cudnn"),
])
def test_dot_product_attention_errors(call, match):
    with pytest.raises((ValueError, NotImplementedError), match=match):
        call(*_qkv(np.float32))


INITIALIZERS = {
    "glorot_uniform": (), "glorot_normal": (), "xavier_uniform": (), "xavier_normal": (),
    "lecun_uniform": (), "lecun_normal": (), "he_uniform": (), "he_normal": (),
    "kaiming_uniform": (), "kaiming_normal": (), "uniform": (0.5,), "normal": (0.5,),
    "truncated_normal": (0.5,), "constant": (1.5,),
}


@pytest.mark.parametrize("shape,dtype", [((3, 4, 5), np.float32), ((3, 4), np.float64),
                                         ((4, 3), np.float16)], ids=str)
def test_initializers_are_jax_weights(shape, dtype):
    for name, args in INITIALIZERS.items():
        ours = getattr(hnn.initializers, name)(*args)(hr.PRNGKey(7), shape, dtype)
        theirs = getattr(jax.nn.initializers, name)(*args)(jax.random.PRNGKey(7), shape, dtype)
        compare(ours, theirs, name)
    for name in ("zeros", "ones"):
        compare(getattr(hnn.initializers, name)(hr.key(0), shape, dtype),
                getattr(jax.nn.initializers, name)(jax.random.key(0), shape, dtype), name)
    for mode in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"):
        for dist in ("normal", "uniform", "truncated_normal"):
            kw = dict(in_axis=0, out_axis=(1, -1)) if len(shape) == 3 else {}
            compare(hnn.initializers.variance_scaling(0.7, mode, dist, **kw)(
                        hr.key(3), shape, dtype),
                    jax.nn.initializers.variance_scaling(0.7, mode, dist, **kw)(
                        jax.random.key(3), shape, dtype), f"{mode} {dist}")


def test_initializer_errors():
    with pytest.raises(ValueError, match="at least 2-D"):
        hnn.initializers.glorot_uniform()(hr.key(0), (3,))
    with pytest.raises(ValueError, match="mode"):
        hnn.initializers.variance_scaling(1.0, "fan", "normal")
