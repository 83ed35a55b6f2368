"""Typed PRNG keys (``jax.random.key``): the key dtype and the key array.

JAX represents a typed key array as an array of an *extended dtype*
(``key<fry>``) whose element is a whole key: shape ``()`` for one key,
``(n,)`` for ``split(key, n)``; under the hood it overlays a ``uint32``
array with a trailing ``(2,)`` axis (the threefry key words). To users it
is one pytree leaf.

hlox keeps its tracer, abstract values and primitives to plain arrays, so a
:class:`PRNGKeyArray` here is a thin wrapper around that ``uint32[..., 2]``
base array (concrete, or a tracer inside transformations) rather than a new
kind of abstract value. Two design points make it behave like JAX's:

- Transformations see through it. It is registered as a pytree node of
  :mod:`hlox._pytree`, whose functions ``jit``, ``vmap``,
  ``scan``, ``cond``... use to flatten their arguments and results, so a key
  array crosses them as its base array and is rebuilt around the traced (or
  computed) base on the other side. Its batch axes are the base's leading
  axes, so ``vmap``/``scan`` over axis 0 (or any non-negative axis) of a
  key array map over keys, never over the key words.
- Users see a leaf. The public ``hlox.tree_util`` and ``hlox.tree`` treat a
  key array as a leaf (:func:`keys_as_leaves`), as ``jax.tree_util`` does.

The random functions unwrap a key array to its base (the raw-key path, so
the bits are JAX's bit for bit) and wrap the keys they return.
"""

from __future__ import annotations

import functools
import inspect
from typing import Callable

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.dtypes import KeyDType, key_dtype
from hlox._pytree import register_pytree_node
from hlox.frontend.numpy.base import reshape
from hlox.frontend.staging import jax_interop

__all__ = ["PRNGKeyArray", "keys_as_leaves"]


class PRNGKeyArray:
    """An array of typed PRNG keys over a ``uint32[*shape, 2]`` base array."""

    __slots__ = ("_base",)

    def __init__(self, base):
        self._base = base

    dtype = key_dtype
    shape = property(lambda self: tuple(self._base.shape[:-1]))
    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(np.prod(self.shape, dtype=np.int64)))
    itemsize = KeyDType.itemsize

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a single key (a key array of shape ())")
        return self.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, index) -> "PRNGKeyArray":
        """Indexes the key axes; the key words always stay whole."""
        index = index if isinstance(index, tuple) else (index,)
        if any(i is Ellipsis for i in index):  # the ellipsis must not reach the words
            index = index + (slice(None),)
        return PRNGKeyArray(self._base[index])

    def reshape(self, *shape) -> "PRNGKeyArray":
        shape = tuple(shape[0]) if len(shape) == 1 and not isinstance(shape[0], int) else shape
        return PRNGKeyArray(reshape(self._base, tuple(shape) + KeyDType.key_shape))

    def __repr__(self) -> str:
        return (f"PRNGKeyArray({self.shape}, dtype={self.dtype}) overlaying:\n"
                f"{self._base!r}")


register_pytree_node(PRNGKeyArray, lambda keys: ((keys._base,), None),
                     lambda _, children: PRNGKeyArray(children[0]))


def _key_or(is_leaf: Callable | None) -> Callable:
    if is_leaf is None:
        return lambda x: isinstance(x, PRNGKeyArray)
    return lambda x: isinstance(x, PRNGKeyArray) or is_leaf(x)


def keys_as_leaves(function: Callable) -> Callable:
    """A public pytree function (with an ``is_leaf`` parameter) that sees key arrays as
    leaves, as JAX's do; hlox's transformations keep using the unwrapped one."""
    signature = inspect.signature(function)

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.arguments["is_leaf"] = _key_or(bound.arguments.get("is_leaf"))
        return function(*bound.args, **bound.kwargs)

    return wrapped


def check_key_data(name: str, data) -> None:
    """Raises unless ``data`` can be the base of a key array (``uint32[..., 2]``)."""
    shape, dtype = tuple(data.shape), np.dtype(data.dtype)
    if dtype != dtypes.uint32 or shape[-1:] != KeyDType.key_shape:
        raise TypeError(f"hlox.random.{name}: invalid PRNG key data: expected uint32 key "
                        f"data whose shape ends with (2,) (threefry2x32), got "
                        f"{dtype}{list(shape)}")


# jit turns JAX's typed keys into these (the staging layer cannot name this class)
jax_interop.wrap_key_data = PRNGKeyArray
