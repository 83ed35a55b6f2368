"""``hlox.nn.initializers``: JAX's weight initializers (``jax.nn.initializers``), each a
function ``init(key, shape, dtype)`` drawing from ``hlox.random`` exactly as JAX draws
from ``jax.random``, so a key gives JAX's weights."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import numpy as hnp
from hlox.frontend.libraries import random

__all__ = ["zeros", "ones", "constant", "uniform", "normal", "truncated_normal",
           "variance_scaling", "glorot_uniform", "glorot_normal", "xavier_uniform",
           "xavier_normal", "lecun_uniform", "lecun_normal", "he_uniform", "he_normal",
           "kaiming_uniform", "kaiming_normal", "orthogonal", "delta_orthogonal"]


def _dtype(dtype):
    return dtypes.default_float() if dtype is None else dtypes.user_dtype(dtype, "initializers")


def zeros(key, shape, dtype=None):
    return hnp.zeros(shape, _dtype(dtype))


def ones(key, shape, dtype=None):
    return hnp.ones(shape, _dtype(dtype))


def constant(value, dtype=None):
    def init(key, shape, dtype=dtype):
        return hnp.full(shape, value, _dtype(dtype))
    return init


def uniform(scale=1e-2, dtype=None):
    """Uniform in ``[0, scale)``."""
    def init(key, shape, dtype=dtype):
        dtype = _dtype(dtype)
        return random.uniform(key, shape, dtype) * hnp.asarray(scale, dtype)
    return init


def normal(stddev=1e-2, dtype=None):
    def init(key, shape, dtype=dtype):
        dtype = _dtype(dtype)
        return random.normal(key, shape, dtype) * hnp.asarray(stddev, dtype)
    return init


def truncated_normal(stddev=1e-2, dtype=None, lower=-2.0, upper=2.0):
    def init(key, shape, dtype=dtype):
        dtype = _dtype(dtype)
        return random.truncated_normal(key, lower, upper, shape, dtype) * \
            hnp.asarray(stddev, dtype)
    return init


def _axes(axis, ndim) -> tuple[int, ...]:
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(a % ndim for a in axis)


def _compute_fans(shape: Sequence[int], in_axis=-2, out_axis=-1, batch_axis=()):
    """Input and output sizes of a dense or convolution kernel: the axes not named are the
    receptive field, which multiplies both."""
    shape = tuple(shape)
    if isinstance(in_axis, int) and in_axis == -2 and len(shape) <= 1:
        raise ValueError(f"hlox.nn.initializers: can't compute input and output sizes of a "
                         f"{len(shape)}-dimensional weights tensor with the default in_axis; "
                         f"it must be at least 2-D, or name in_axis")
    ins, outs, batch = (_axes(a, len(shape)) for a in (in_axis, out_axis, batch_axis))
    in_size = math.prod(shape[a] for a in ins)
    out_size = math.prod(shape[a] for a in outs)
    field = math.prod(s for i, s in enumerate(shape) if i not in ins + outs + batch)
    return in_size * field, out_size * field


def variance_scaling(scale, mode: str, distribution: str, in_axis=-2, out_axis=-1,
                     batch_axis=(), dtype=None):
    """Samples of variance ``scale / n``, ``n`` the fan named by ``mode`` (``fan_in``,
    ``fan_out``, ``fan_avg``, ``fan_geo_avg``), from a (truncated) normal or a uniform."""
    if mode not in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg"):
        raise ValueError(f"hlox.nn.initializers.variance_scaling: invalid mode {mode!r}")
    if distribution not in ("truncated_normal", "normal", "uniform"):
        raise ValueError(f"hlox.nn.initializers.variance_scaling: invalid distribution "
                         f"{distribution!r}")

    def init(key, shape, dtype=dtype):
        dtype = _dtype(dtype)
        fan_in, fan_out = _compute_fans(shape, in_axis, out_axis, batch_axis)
        denominator = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2,
                       "fan_geo_avg": (fan_in * fan_out) ** 0.5}[mode]
        variance = hnp.asarray(scale / denominator, dtype)
        if distribution == "truncated_normal":
            # the standard deviation of a unit normal truncated to (-2, 2)
            stddev = hnp.sqrt(variance) / hnp.asarray(.87962566103423978, dtype)
            return random.truncated_normal(key, -2, 2, shape, dtype) * stddev
        if distribution == "normal":
            return random.normal(key, shape, dtype) * hnp.sqrt(variance)
        return random.uniform(key, shape, dtype, -1) * hnp.sqrt(3 * variance)
    return init


def _preset(scale, mode, distribution):
    def make(in_axis=-2, out_axis=-1, batch_axis=(), dtype=None):
        return variance_scaling(scale, mode, distribution, in_axis, out_axis, batch_axis, dtype)
    return make


glorot_uniform = xavier_uniform = _preset(1.0, "fan_avg", "uniform")
glorot_normal = xavier_normal = _preset(1.0, "fan_avg", "truncated_normal")
lecun_uniform = _preset(1.0, "fan_in", "uniform")
lecun_normal = _preset(1.0, "fan_in", "truncated_normal")
he_uniform = kaiming_uniform = _preset(2.0, "fan_in", "uniform")
he_normal = kaiming_normal = _preset(2.0, "fan_in", "truncated_normal")


def orthogonal(scale=1.0, column_axis: int = -1, dtype=None):
    """Matrices with orthonormal rows or columns (whichever side is smaller), reshaped to
    ``shape`` with ``column_axis`` the columns (``hlox.random.orthogonal`` underneath)."""
    def init(key, shape, dtype=dtype):
        from hlox.frontend.libraries.random_distributions import orthogonal as draw
        dtype = _dtype(dtype)
        shape = tuple(shape)
        if len(shape) < 2:
            raise ValueError("hlox.nn.initializers.orthogonal: needs a shape of rank >= 2")
        if 0 in shape:
            return hnp.zeros(shape, dtype)
        n_rows, n_cols = math.prod(shape) // shape[column_axis], shape[column_axis]
        q = draw(key, n_rows, (), dtype, n_cols)
        q = hnp.moveaxis(hnp.reshape(q, tuple(np.delete(shape, column_axis)) + (n_cols,)),
                         -1, column_axis)
        return hnp.asarray(scale, dtype) * q
    return init


def delta_orthogonal(scale=1.0, column_axis: int = -1, dtype=None):
    """Orthogonal at the centre of a 3-, 4- or 5-D convolution kernel, zero elsewhere."""
    def init(key, shape, dtype=dtype):
        dtype = _dtype(dtype)
        shape = tuple(shape)
        if len(shape) not in (3, 4, 5):
            raise ValueError("hlox.nn.initializers.delta_orthogonal: only 3-D, 4-D and 5-D "
                             "kernels are supported")
        if shape[-2] > shape[-1]:
            raise ValueError("hlox.nn.initializers.delta_orthogonal: fan_in must be less "
                             "or equal than fan_out")
        ortho = orthogonal(scale=scale, column_axis=column_axis, dtype=dtype)(
            key, shape[-2:], dtype)
        centre = tuple((k - 1) // 2 for k in shape[:-2])
        return hnp.zeros(shape, dtype).at[centre].set(ortho)
    return init
