"""hlox.nn and hlox.scipy.special against jax.nn / jax.scipy.special: values, gradients, vmap."""

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import ml_dtypes
import numpy as np
import pytest

import hlox
import hlox.nn
import hlox.numpy as hnp
import hlox.scipy.special as hsp
from hlox.frontend.libraries.test_util import check_grads

from test_lax_math import compare, inputs

pytestmark = pytest.mark.usefixtures("x64")  # float64 cases, in hlox and JAX

ACTIVATIONS = ["relu", "relu6", "sigmoid", "log_sigmoid", "softplus", "silu", "swish", "elu",
               "leaky_relu"]


def _nn(ns_nn, ns_sp, a, with_ndtr=True):
    return {**({"ndtr": ns_sp.ndtr(a)} if with_ndtr else {}),**{n: getattr(ns_nn, n)(a) for n in ACTIVATIONS},
            "gelu_tanh": ns_nn.gelu(a), "gelu_erf": ns_nn.gelu(a, approximate=False),
            "softmax": ns_nn.softmax(a), "softmax0": ns_nn.softmax(a, axis=0),
            "log_softmax": ns_nn.log_softmax(a, axis=-1),
            "logsumexp": ns_nn.logsumexp(a, axis=1), "logsumexp_all": ns_sp.logsumexp(a),
            "logsumexp_keep": ns_sp.logsumexp(a, axis=0, keepdims=True),
            "logsumexp_b": ns_sp.logsumexp(a, axis=1, b=np.asarray([1.0, 0.0, 2.0, 0.5],
                                                                   a.dtype)),
            "erf": ns_sp.erf(a), "erfc": ns_sp.erfc(a), "gammaln": ns_sp.gammaln(a + 3.0),
            "digamma": ns_sp.digamma(a + 3.0), "expit": ns_sp.expit(a),
            "logit": ns_sp.logit(ns_sp.expit(a))}


# a few ulps of float32 (erf/lgamma approximations differ between libraries)
NN_TOL = {np.dtype(np.float32): dict(rtol=2e-5, atol=2e-6),
          np.dtype(np.float64): dict(rtol=1e-9, atol=1e-10),
          np.dtype(np.float16): dict(rtol=5e-3, atol=5e-3),
          np.dtype(ml_dtypes.bfloat16): dict(rtol=4e-2, atol=4e-2)}


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16, ml_dtypes.bfloat16],
                         ids=lambda d: np.dtype(d).name)
def test_values_match_jax(dtype):
    x = inputs(dtype, -3, 3, shapes=[(3, 4)])[0]
    x[0, 0] = 0  # relu & co at their kink
    out = hlox.jit(lambda a: _nn(hlox.nn, hsp, a))(x)
    # jax.scipy.special.ndtr refuses 16-bit floats (hlox computes it): not compared there
    with_ndtr = np.dtype(dtype).itemsize > 2
    ref = jax.jit(lambda a: _nn(jax.nn, jsp, a, with_ndtr))(x)
    for key in ref:
        try:
            compare(out[key], ref[key], NN_TOL)
        except AssertionError as error:
            raise AssertionError(f"{key} on {np.dtype(dtype).name}: {error}") from None


def test_logsumexp_extremes_and_sign():
    x = np.array([[1000.0, 1000.0, -np.inf], [-np.inf, -np.inf, -np.inf], [0.0, 1.0, 2.0]],
                 np.float32)
    b = np.array([1.0, -3.0, 0.5], np.float32)
    f = lambda sp, a: [sp.logsumexp(a, axis=1),  # noqa: E731
                       *sp.logsumexp(a, axis=1, b=b, return_sign=True)]
    compare(hlox.jit(lambda a: f(hsp, a))(x), jax.jit(lambda a: f(jsp, a))(x))


@pytest.mark.parametrize("axis", [-1, 0])
def test_one_hot(axis):
    labels = np.array([[0, 2, 5], [1, 4, 3]], np.int32)  # 5 is out of range: all zeros
    out = hlox.jit(lambda l: hlox.nn.one_hot(l, 5, axis=axis))(labels)
    assert out.dtype == np.float64  # the default float (float64: this module runs with x64)
    compare(out, jax.nn.one_hot(labels, 5, axis=axis))
    compare(hlox.jit(lambda l: hlox.nn.one_hot(l, 3, dtype=np.int32))(labels[0]),
            jax.nn.one_hot(labels[0], 3, dtype=jnp.int32))


def test_gradients():
    x = inputs(np.float64, -2, 2, shapes=[(3, 4)])[0]
    smooth = ("gelu_erf", "softmax0", "logsumexp_b", "logit")
    check_grads(hlox.jit(lambda a: {k: v for k, v in _nn(hlox.nn, hsp, a).items()
                                    if k in smooth}), (x,), order=1)
    # against jax.grad, including relu's derivative 0 at 0 and a cross-entropy loss
    x[0, 0] = 0.0
    labels = np.array([1, 0, 3])

    def loss(nn, np_, a):
        logp = nn.log_softmax(a)
        return (-np_.sum(logp * nn.one_hot(labels, 4, dtype=a.dtype)) + np_.sum(nn.relu(a))
                + np_.sum(nn.gelu(a) * nn.softmax(a, axis=0)) + np_.sum(nn.elu(a))
                + np_.sum(nn.leaky_relu(a)))
    compare(hlox.jit(hlox.grad(lambda a: loss(hlox.nn, hnp, a)))(x),
            jax.grad(lambda a: loss(jax.nn, jnp, a))(x))


def test_vmap_matches_loop():
    x = inputs(np.float32, -3, 3, shapes=[(3, 4, 5)])[0]
    f = lambda a: [hlox.nn.softmax(a), hsp.logsumexp(a, axis=0), hlox.nn.gelu(a)]  # noqa: E731
    out = hlox.jit(hlox.vmap(f))(x)
    loop = [np.stack(col) for col in zip(*[hlox.jit(f)(a) for a in x])]
    compare(out, loop)
