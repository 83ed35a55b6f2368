"""``hlox.eval_shape``: a function's output shapes and dtypes, traced, never compiled."""

from __future__ import annotations

from hlox._pytree import tree_map
from hlox.frontend.core.shape_dtype_struct import ShapeDtypeStruct
from hlox.frontend.core.tracing import ShapedArray
from hlox.frontend.staging.jit import JitFunction

__all__ = ["eval_shape"]


def eval_shape(fun, *args, **kwargs):
    """The pytree of :class:`ShapeDtypeStruct` that ``fun(*args, **kwargs)`` would return
    (``jax.eval_shape``): arguments may be arrays or ``ShapeDtypeStruct``\\ s (ours or
    JAX's); nothing runs."""
    avals = JitFunction(fun).eval_shape(*args, **kwargs)
    return tree_map(lambda a: ShapeDtypeStruct(a.shape, a.dtype, weak_type=a.weak_type)
                    if isinstance(a, ShapedArray) else a, avals)
