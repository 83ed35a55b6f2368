"""``hlox.Array``: the eager array type (a zero-copy ``numpy.ndarray`` subclass).

Results of ``hlox.jit`` functions, of eager primitives and of ``hlox.numpy``
are NumPy arrays viewed as :class:`Array`: every NumPy function accepts them
unchanged (no copy, ``isinstance(x, np.ndarray)`` holds), and they add what
JAX arrays have and NumPy's lack: ``x.at[idx].set(v)`` (functional updates,
JAX's out-of-bounds rules) and ``block_until_ready()``. Indexing an Array
keeps NumPy's own (eager, exact) semantics.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Array", "wrap"]


class Array(np.ndarray):
    """A concrete hlox array: a NumPy array with JAX's ``.at`` and friends."""

    @property
    def at(self):
        from hlox.frontend.indexing import AtIndexer
        return AtIndexer(self)

    def __getitem__(self, index):
        # A traced index (inside jit/grad/vmap) indexes through hlox, as a JAX array would;
        # concrete indices keep NumPy's exact eager semantics.
        from hlox.frontend.core import Tracer
        items = index if isinstance(index, tuple) else (index,)
        if any(isinstance(i, Tracer) for i in items):
            from hlox.frontend.indexing import getitem
            return getitem(np.asarray(self), index)
        return np.ndarray.__getitem__(self, index)

    def block_until_ready(self) -> "Array":
        return self  # computation is synchronous on the CPU backend

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        # NumPy reductions to 0-d give scalars, as for plain ndarrays.
        if obj.shape == () and return_scalar:
            return obj[()]
        return np.ndarray.__array_wrap__(self, obj, context, return_scalar)


def wrap(value: Any) -> Any:
    """``value`` as an :class:`Array` if it is a concrete NumPy array (a view, no copy)."""
    if isinstance(value, np.ndarray) and not isinstance(value, Array):
        return value.view(Array)
    if isinstance(value, np.generic):
        return np.asarray(value).view(Array)
    return value
