"""``hlox.debug.print`` and ``hlox.block_until_ready``.

``debug.print`` formats and prints concrete values at once. Inside ``jit``/``vmap``/
``grad`` the values exist only when the compiled program runs, and hlox's backends
have no host callbacks yet: there it raises, naming the call, instead of printing
tracers or nothing.
"""

from __future__ import annotations

import builtins

import numpy as np

from hlox._pytree import tree_leaves, tree_map
from hlox.frontend.core.tracing import Tracer
from hlox.frontend.core.array import Array

__all__ = ["print", "block_until_ready"]


def print(fmt: str, *args, ordered: bool = False, **kwargs) -> None:  # noqa: A001
    """``print(fmt.format(*args, **kwargs))`` with arrays as NumPy arrays
    (``jax.debug.print``), for concrete (not traced) values."""
    if any(isinstance(x, Tracer) for x in tree_leaves((args, kwargs))):
        raise NotImplementedError(
            "hlox.debug.print inside jit/vmap/grad: hlox's backends have no host callbacks "
            "yet, so traced values cannot be printed when the program runs; return the "
            "value and print it outside the traced function")
    as_host = lambda x: np.asarray(x) if isinstance(x, Array) else x  # noqa: E731
    args, kwargs = tree_map(as_host, (args, kwargs))
    builtins.print(fmt.format(*args, **kwargs))


def block_until_ready(x):
    """Waits for every array in the pytree ``x`` to be computed; returns ``x``
    (``jax.block_until_ready``)."""
    for leaf in tree_leaves(x):
        ready = getattr(leaf, "block_until_ready", None)
        if ready is not None:
            ready()
    return x
