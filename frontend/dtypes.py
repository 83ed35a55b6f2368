"""Dtypes and type promotion, as JAX does it (jax.numpy's promotion lattice).

A value's dtype comes with a *weak* flag: Python scalars (``2.0``, ``3``) are
weakly typed, so they take the dtype of the array they meet instead of
widening it: ``float32_array * 2.0`` stays float32, where NumPy's value-based
rules of old (and ``np.float64``) would not. Promotion is the least upper
bound in JAX's lattice; e.g. int8 + uint8 -> int16, int32 + float16 -> float16,
float16 + bfloat16 -> float32.

hlox keeps the dtype of NumPy arrays as given (float64 stays float64); only
Python scalars get defaults: bool -> bool, int -> int32, float -> float32.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

bool_ = np.dtype(np.bool_)
int8, int16, int32, int64 = (np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64))
uint8, uint16, uint32, uint64 = (np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
float16, float32, float64 = (np.dtype(t) for t in (np.float16, np.float32, np.float64))
bfloat16 = np.dtype(ml_dtypes.bfloat16)

SUPPORTED = (bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
             bfloat16, float16, float32, float64)

# Defaults for Python scalars (JAX with x64 disabled).
DEFAULT_INT = int32
DEFAULT_FLOAT = float32

# Lattice nodes: numpy dtypes, plus the weak Python kinds "i*" and "f*".
_WEAK_INT, _WEAK_FLOAT = "i*", "f*"
_LATTICE = {
    bool_: [_WEAK_INT],
    _WEAK_INT: [uint8, int8],
    uint8: [int16, uint16], uint16: [int32, uint32], uint32: [int64, uint64],
    uint64: [_WEAK_FLOAT],
    int8: [int16], int16: [int32], int32: [int64], int64: [_WEAK_FLOAT],
    _WEAK_FLOAT: [bfloat16, float16],
    bfloat16: [float32], float16: [float32], float32: [float64], float64: [],
}


def _upper_bounds() -> dict:
    closure = {}

    def visit(node):
        if node not in closure:
            found = {node}
            for parent in _LATTICE[node]:
                found |= visit(parent)
            closure[node] = frozenset(found)
        return closure[node]

    for node in _LATTICE:
        visit(node)
    return closure


_UPPER = _upper_bounds()


def canonicalize(dtype) -> np.dtype:
    """``dtype`` as a supported numpy dtype, or a TypeError."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"hlox: {dtype!r} is not a dtype") from None
    if dt not in SUPPORTED:
        raise TypeError(f"hlox: dtype {dt} is not supported (supported: "
                        f"{', '.join(str(d) for d in SUPPORTED)})")
    return dt


def is_float(dtype) -> bool:
    return np.dtype(dtype) in (bfloat16, float16, float32, float64)


def is_int(dtype) -> bool:
    return np.dtype(dtype).kind in "iu"


def is_int_or_bool(dtype) -> bool:
    return is_int(dtype) or np.dtype(dtype) == bool_


def _node(dtype: np.dtype, weak: bool):
    if weak and is_float(dtype):
        return _WEAK_FLOAT
    if weak and is_int(dtype):
        return _WEAK_INT
    return dtype


def result_type(*typed: tuple[np.dtype, bool]) -> tuple[np.dtype, bool]:
    """The promoted ``(dtype, weak)`` of ``(dtype, weak)`` pairs (JAX's rule).

    The result is weak exactly when the lattice's answer is a Python kind.
    """
    if not typed:
        raise ValueError("result_type needs at least one input")
    nodes = {_node(np.dtype(dt), weak) for dt, weak in typed}
    common = frozenset.intersection(*(_UPPER[n] for n in nodes))
    lub = [n for n in common if _UPPER[n] == common]
    if not lub:  # unreachable with this lattice (float64 bounds all)
        raise TypeError(f"no common dtype for {typed}")
    node = lub[0]
    # As in JAX: the result is weak exactly when it is a Python kind
    # (e.g. int32 array + 1.0 -> weak float32; float32 array + 1.0 -> float32).
    if node == _WEAK_FLOAT:
        return DEFAULT_FLOAT, True
    if node == _WEAK_INT:
        return DEFAULT_INT, True
    return node, False


def scalar_type(value) -> tuple[np.dtype, bool]:
    """The ``(dtype, weak)`` hlox gives a Python or NumPy scalar/array value."""
    if isinstance(value, (bool, np.bool_)):
        return bool_, False
    if isinstance(value, (np.ndarray, np.generic)):
        return canonicalize(value.dtype), False
    if isinstance(value, int):
        return DEFAULT_INT, True
    if isinstance(value, float):
        return DEFAULT_FLOAT, True
    if isinstance(value, complex):
        raise TypeError("hlox: complex numbers are not supported yet")
    raise TypeError(f"hlox: {type(value).__name__} is not an array or a Python scalar")
