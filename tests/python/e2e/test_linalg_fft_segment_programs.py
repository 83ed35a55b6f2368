"""Issue 14's four programs, as JAX users write them, through both of hlox's routes:

- hlox's own frontend (the same source over ``hlox.numpy``/``hlox.scipy``/``hlox.ops``),
- JAX's StableHLO (``hlox.compile_stablehlo`` of ``jax.jit(f).lower(...)``, JAX's
  pytrees in and out),

each against JAX itself: a Gaussian process's negative log marginal likelihood and its
gradient (Cholesky, ``cho_solve``), a Newton solver for logistic regression with a
least-squares start (``solve``, ``lstsq``, ``slogdet``), an FFT convolution and its
gradient (``rfft``/``irfft``), and a graph network step with segment sums.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsla
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
import hlox.scipy.linalg as hsla

JAX = SimpleNamespace(np=jnp, sla=jsla, segment_sum=jax.ops.segment_sum)
HLOX = SimpleNamespace(np=hnp, sla=hsla, segment_sum=hlox.ops.segment_sum)


def gp_nll(m, params, x, y):
    """Negative log marginal likelihood of a GP with an RBF kernel."""
    lengthscale, noise = m.np.exp(params["log_ls"]), m.np.exp(params["log_noise"])
    d2 = m.np.sum((x[:, None, :] - x[None, :, :]) ** 2, axis=-1)
    n = x.shape[0]
    k = m.np.exp(-0.5 * d2 / lengthscale ** 2) + (noise + 1e-3) * m.np.eye(n, dtype=x.dtype)
    chol = m.np.linalg.cholesky(k)
    alpha = m.sla.cho_solve((chol, True), y)
    return (0.5 * y @ alpha + m.np.sum(m.np.log(m.np.diagonal(chol)))
            + 0.5 * n * math.log(2 * math.pi))


def newton_logistic(m, x, y):
    """Least-squares start, then Newton steps on the logistic loss; the weights, the
    loss and the Hessian's log-determinant."""
    w = m.np.linalg.lstsq(x, 2.0 * y - 1.0, rcond=None)[0] * 0.1

    def loss(w):
        z = x @ w
        return m.np.mean(m.np.logaddexp(0.0, z) - y * z)

    for _ in range(4):
        p = 1.0 / (1.0 + m.np.exp(-(x @ w)))
        grad = x.T @ (p - y) / x.shape[0]
        hess = (x.T * (p * (1 - p))) @ x / x.shape[0] + 1e-3 * m.np.eye(x.shape[1],
                                                                           dtype=x.dtype)
        w = w - m.np.linalg.solve(hess, grad)
    sign, logdet = m.np.linalg.slogdet(hess)
    return w, loss(w), sign * logdet


def fft_convolution_loss(m, signal, kernel, target):
    """A linear convolution as a product of spectra, fitted to a target."""
    n = signal.shape[-1] + kernel.shape[-1] - 1
    spectrum = m.np.fft.rfft(signal, n) * m.np.fft.rfft(kernel, n)
    out = m.np.fft.irfft(spectrum, n)
    return m.np.mean((out - target) ** 2)


def graph_network_loss(m, params, nodes, senders, receivers, target):
    """One message-passing layer: messages on edges, summed at their receivers."""
    messages = m.np.tanh(nodes[senders] @ params["w_msg"] + params["b_msg"])
    incoming = m.segment_sum(messages, receivers, num_segments=nodes.shape[0])
    updated = m.np.tanh(m.np.concatenate([nodes, incoming], axis=-1) @ params["w_upd"])
    return m.np.mean((updated - target) ** 2)


def _rng(seed=0):
    return np.random.default_rng(seed)


def gp_case():
    rng = _rng(1)
    x = rng.standard_normal((24, 2)).astype(np.float32)
    y = (np.sin(2 * x[:, 0]) + 0.1 * rng.standard_normal(24)).astype(np.float32)
    params = {"log_ls": np.float32(-0.2), "log_noise": np.float32(-2.0)}
    return "value_and_grad", gp_nll, (params, x, y)


def newton_case():
    rng = _rng(2)
    x = rng.standard_normal((64, 5)).astype(np.float32)
    w_true = rng.standard_normal(5).astype(np.float32)
    y = (x @ w_true + 0.3 * rng.standard_normal(64) > 0).astype(np.float32)
    return "value", newton_logistic, (x, y)


def fft_case():
    rng = _rng(3)
    signal = rng.standard_normal((3, 50)).astype(np.float32)
    kernel = rng.standard_normal((3, 13)).astype(np.float32)
    target = rng.standard_normal((3, 62)).astype(np.float32)
    return "value_and_grad", fft_convolution_loss, (signal, kernel, target)


def graph_case():
    rng = _rng(4)
    nodes = rng.standard_normal((10, 4)).astype(np.float32)
    senders = rng.integers(0, 10, 30).astype(np.int32)
    receivers = rng.integers(0, 10, 30).astype(np.int32)
    params = {"w_msg": (0.5 * rng.standard_normal((4, 6))).astype(np.float32),
              "b_msg": np.zeros(6, np.float32),
              "w_upd": (0.5 * rng.standard_normal((10, 4))).astype(np.float32)}
    target = rng.standard_normal((10, 4)).astype(np.float32)
    return "value_and_grad", graph_network_loss, (params, nodes, senders, receivers, target)


CASES = {"gaussian_process": gp_case, "newton_least_squares": newton_case,
         "fft_convolution": fft_case, "graph_network_segment_sum": graph_case}
# float32 through Cholesky/solve/FFT in another order than XLA's: a few hundred ulps.
TOL = dict(rtol=2e-4, atol=2e-5)


def _transform(kind, jax_or_hlox, fn):
    if kind == "value":
        return fn
    return jax_or_hlox.value_and_grad(fn)


def _assert_trees_close(actual, expected):
    a_leaves, a_tree = jax.tree_util.tree_flatten(actual)
    e_leaves, e_tree = jax.tree_util.tree_flatten(expected)
    assert a_tree == e_tree
    for a, e in zip(a_leaves, e_leaves):
        a, e = np.asarray(a), np.asarray(e)
        assert a.dtype == e.dtype and a.shape == e.shape
        np.testing.assert_allclose(a, e, **TOL)


def _reference(kind, program, args):
    return jax.jit(_transform(kind, jax, lambda *a: program(JAX, *a)))(*args)


@pytest.mark.parametrize("name", list(CASES))
def test_through_hlox_frontend(name):
    kind, program, args = CASES[name]()
    ours = hlox.jit(_transform(kind, hlox, lambda *a: program(HLOX, *a)))(*args)
    _assert_trees_close(ours, _reference(kind, program, args))


@pytest.mark.parametrize("name", list(CASES))
def test_through_jax_stablehlo(name):
    kind, program, args = CASES[name]()
    lowered = jax.jit(_transform(kind, jax, lambda *a: program(JAX, *a))).lower(*args)
    ours = hlox.compile_stablehlo(lowered)(*args)
    _assert_trees_close(ours, _reference(kind, program, args))
