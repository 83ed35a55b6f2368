"""``hlox.ShapeDtypeStruct``: a shape and a dtype standing in for an array (as
``jax.ShapeDtypeStruct``), for ``jit(f).lower(...)`` and ``eval_shape`` without data."""

from __future__ import annotations

import numpy as np

from hlox.frontend.core import tracing
from hlox.frontend.core.tracing import ShapedArray

__all__ = ["ShapeDtypeStruct"]


class ShapeDtypeStruct:
    """An array's type without its data: ``shape``, ``dtype``, ``weak_type`` (and a
    ``sharding``, kept for JAX's signature)."""

    __slots__ = ("shape", "dtype", "sharding", "weak_type")

    def __init__(self, shape, dtype, *, sharding=None, weak_type: bool = False):
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.sharding = sharding
        self.weak_type = bool(weak_type)

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: int(np.prod(self.shape, dtype=np.int64)))

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __repr__(self) -> str:
        weak = ", weak_type=True" if self.weak_type else ""
        return f"ShapeDtypeStruct(shape={self.shape}, dtype={self.dtype.name}{weak})"

    def __eq__(self, other) -> bool:
        return (isinstance(other, ShapeDtypeStruct) and self.shape == other.shape
                and self.dtype == other.dtype and self.weak_type == other.weak_type)

    def __hash__(self) -> int:
        return hash((self.shape, self.dtype, self.weak_type))


def _aval_of(value: ShapeDtypeStruct) -> ShapedArray:
    return ShapedArray(value.shape, value.dtype, value.weak_type)


tracing.concrete_avals[ShapeDtypeStruct] = _aval_of
