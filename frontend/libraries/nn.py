"""``jax.nn``'s activations and helpers (relu, gelu, softmax, one_hot, ...) on hlox arrays."""

from __future__ import annotations

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.lax.base import zeros_like
from hlox.frontend import numpy as hnp
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.transforms.custom_derivatives import custom_jvp
from hlox.frontend.numpy.base import _check_arraylike, _elementwise, _promote
from hlox.frontend.libraries.scipy_special import logsumexp

__all__ = ["relu", "relu6", "sigmoid", "log_sigmoid", "softplus", "silu", "swish", "gelu",
           "elu", "leaky_relu", "selu", "celu", "glu", "mish", "softmax", "log_softmax", "logsumexp", "one_hot", "standardize"]


@custom_jvp
def relu(x):
    """max(x, 0); its derivative at 0 is 0 (as jax.nn.relu), not max's tie value 1/2."""
    return hnp.maximum(x, 0)


@relu.defjvp
def _relu_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return relu(x), hnp.where(hnp.greater(x, 0), t, zeros_like(t))


@custom_jvp
def relu6(x):
    """min(max(x, 0), 6); its derivative is 0 at both kinks (as jax.nn.relu6), not the
    tie value 1/2 that minimum would give at 6."""
    return hnp.minimum(hnp.maximum(x, 0), 6.0)


@relu6.defjvp
def _relu6_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    inside = hnp.logical_and(hnp.greater(x, 0), hnp.less(x, 6))
    return relu6(x), hnp.where(inside, t, zeros_like(t))


def sigmoid(x):
    return _elementwise("sigmoid", lax.logistic, x, inexact=True)


def softplus(x):
    """log(1 + exp(x)) as ``logaddexp(x, 0)`` (JAX's definition): no overflow, and its
    derivative is sigmoid(x) everywhere, 1/2 at 0 included (max(x, 0) + log1p(exp(-|x|))
    would give 0 there: the max and the abs each take one side)."""
    return hnp.logaddexp(x, 0.0)


def log_sigmoid(x):
    return hnp.negative(softplus(hnp.negative(x)))


def silu(x):
    """x * sigmoid(x)."""
    return hnp.multiply(x, sigmoid(x))


swish = silu


def gelu(x, approximate: bool = True):
    """Gaussian error linear unit: the tanh approximation or the exact erf form."""
    (x,) = _promote("gelu", x, inexact=True)
    if approximate:
        inner = hnp.multiply(float(np.sqrt(2 / np.pi)),
                             hnp.add(x, hnp.multiply(0.044715, x ** 3)))
        return hnp.multiply(hnp.multiply(0.5, x), hnp.add(1.0, hnp.tanh(inner)))
    erf = _elementwise("gelu", lax.erf, hnp.multiply(x, float(1 / np.sqrt(2))))
    return hnp.multiply(hnp.multiply(x, 0.5), hnp.add(erf, 1.0))


def elu(x, alpha=1.0):
    (x,) = _promote("elu", x, inexact=True)
    safe = hnp.where(hnp.greater(x, 0), 0.0, x)  # expm1 of positives may overflow
    return hnp.where(hnp.greater(x, 0), x, hnp.multiply(alpha, hnp.expm1(safe)))


def selu(x):
    """Scaled ELU with the self-normalizing constants (``jax.nn.selu``)."""
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return hnp.multiply(scale, elu(x, alpha))


def celu(x, alpha=1.0):
    """``max(x, 0) + alpha * expm1(min(x, 0) / alpha)`` (``jax.nn.celu``'s form, so the
    derivative at 0 is JAX's)."""
    (x,) = _promote("celu", x, inexact=True)
    return hnp.add(hnp.maximum(x, 0.0),
                   hnp.multiply(alpha, hnp.expm1(hnp.divide(hnp.minimum(x, 0.0), alpha))))


def glu(x, axis=-1):
    """Gated linear unit: the first half of ``axis`` times the sigmoid of the second."""
    x = hnp.asarray(x)
    size = x.shape[axis]
    if size % 2:
        raise ValueError(f"hlox.nn.glu: axis {axis} has odd size {size}; it must split in "
                         f"two halves")
    first, second = hnp.split(x, 2, axis=axis)
    return hnp.multiply(first, sigmoid(second))


def mish(x):
    """``x * tanh(softplus(x))`` (``jax.nn.mish``)."""
    return hnp.multiply(x, hnp.tanh(softplus(x)))


def leaky_relu(x, negative_slope=1e-2):
    return hnp.where(hnp.greater_equal(x, 0), x, hnp.multiply(negative_slope, x))


def _shifted(name, x, axis, where):
    """``x`` minus its (constant) max along ``axis`` over the elements ``where`` selects."""
    (x,) = _promote(name, x, inexact=True)
    initial = None if where is None else -np.inf
    top = hnp.max(x, axis=axis, keepdims=True, where=where, initial=initial)
    return hnp.subtract(x, lax.stop_gradient(top))


def softmax(x, axis=-1, where=None):
    """exp(x) / sum(exp(x)) along ``axis``, shifted by the (constant) max; elements outside
    ``where`` are left out of the sum and give 0."""
    unnormalized = hnp.exp(_shifted("softmax", x, axis, where))
    out = hnp.divide(unnormalized, hnp.sum(unnormalized, axis=axis, keepdims=True, where=where))
    return out if where is None else hnp.where(where, out, 0.0)


def log_softmax(x, axis=-1, where=None):
    shifted = _shifted("log_softmax", x, axis, where)
    total = hnp.sum(hnp.exp(shifted), axis=axis, keepdims=True, where=where)
    out = hnp.subtract(shifted, hnp.log(total))
    return out if where is None else hnp.where(where, out, -np.inf)


def one_hot(x, num_classes: int, *, dtype=None, axis=-1):
    """``x[..., None] == arange(num_classes)`` as ``dtype``, the class axis at ``axis``."""
    _check_arraylike("one_hot", x)
    (x,) = _promote("one_hot", x)
    aval = get_aval(x)
    out_ndim = aval.ndim + 1
    if not -out_ndim <= axis < out_ndim:
        raise ValueError(f"hlox.nn.one_hot: axis {axis} out of range for a rank-{aval.ndim} "
                         f"input")
    axis %= out_ndim
    shape = aval.shape[:axis] + (int(num_classes),) + aval.shape[axis:]
    classes = np.arange(num_classes).astype(aval.dtype)
    x_b = lax.broadcast_in_dim(x, shape, tuple(d for d in range(out_ndim) if d != axis))
    c_b = lax.broadcast_in_dim(classes, shape, (axis,))
    dtype = dtypes.default_float() if dtype is None else dtypes.user_dtype(dtype, "one_hot")
    return lax.convert_element_type(lax.eq(x_b, c_b), dtype)


def standardize(x, axis=-1, mean=None, variance=None, epsilon=1e-5):
    """``(x - mean) / sqrt(variance + epsilon)`` over ``axis`` (jax.nn.standardize; the
    variance, when not given, is ``E[x^2] - E[x]^2`` as there)."""
    x = hnp.asarray(x)
    if mean is None:
        mean = hnp.mean(x, axis=axis, keepdims=True)
    if variance is None:
        variance = hnp.mean(hnp.square(x), axis=axis, keepdims=True) - hnp.square(mean)
    return hnp.subtract(x, mean) * lax.rsqrt(hnp.add(variance, epsilon))
