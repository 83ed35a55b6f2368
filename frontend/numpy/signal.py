"""hlox.numpy's 1-D ``convolve`` and ``correlate``, as one ``conv_general_dilated``."""

from __future__ import annotations

import functools

from hlox.frontend import lax
from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import shape_ops as so
from hlox.frontend.numpy.base import _check_arraylike, _promote, reshape
from hlox.frontend.staging.jit import jit

__all__ = ["convolve", "correlate"]


@functools.partial(jit, static_argnames=("mode", "op", "preferred_element_type"))
def _conv(x, y, mode, op, preferred_element_type):
    # (as NumPy) integers convolve as floats unless a result type is asked for
    x, y = _promote(op, x, y, inexact=preferred_element_type is None)
    reverse = False
    if get_aval(x).shape[0] < get_aval(y).shape[0]:
        x, y = y, x
        reverse = op == "correlate"  # correlate(a, v) is correlate(v, a) reversed
    if op == "convolve":
        y = so.flip(y)
    m = get_aval(y).shape[0]
    padding = {"valid": [(0, 0)], "same": [(m // 2, m - m // 2 - 1)],
               "full": [(m - 1, m - 1)]}[mode]
    out = lax.conv_general_dilated(reshape(x, (1, 1, -1)), reshape(y, (1, 1, -1)), (1,),
                                   padding, preferred_element_type=preferred_element_type)
    out = reshape(out, (-1,))
    return so.flip(out) if reverse else out


def _check(op, a, v, mode, preferred_element_type):
    for x in (a, v):
        _check_arraylike(op, x)
    if len(so.shape(a)) != 1 or len(so.shape(v)) != 1:
        raise ValueError(f"hlox.numpy.{op}: only 1-D inputs are supported, got shapes "
                         f"{so.shape(a)} and {so.shape(v)}")
    if so.shape(a)[0] == 0 or so.shape(v)[0] == 0:
        raise ValueError(f"hlox.numpy.{op}: inputs cannot be empty, got shapes {so.shape(a)} "
                         f"and {so.shape(v)}")
    if mode not in ("full", "same", "valid"):
        raise ValueError(f"hlox.numpy.{op}: mode must be one of 'full', 'same', 'valid', "
                         f"got {mode!r}")
    if preferred_element_type is not None:
        preferred_element_type = dtypes.user_dtype(preferred_element_type, op)
    return _conv(a, v, mode=mode, op=op, preferred_element_type=preferred_element_type)


def convolve(a, v, mode: str = "full", *, precision=None, preferred_element_type=None):
    """The discrete linear convolution of two 1-D arrays (``jax.numpy.convolve``)."""
    del precision
    return _check("convolve", a, v, mode, preferred_element_type)


def correlate(a, v, mode: str = "valid", *, precision=None, preferred_element_type=None):
    """The cross-correlation of two real 1-D arrays (``jax.numpy.correlate``)."""
    del precision
    return _check("correlate", a, v, mode, preferred_element_type)
