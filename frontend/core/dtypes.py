"""Dtypes and type promotion, as JAX does it (jax.numpy's promotion lattice).

A value's dtype comes with a *weak* flag: Python scalars (``2.0``, ``3``) are
weakly typed, so they take the dtype of the array they meet instead of
widening it: ``float32_array * 2.0`` stays float32, where NumPy's value-based
rules of old (and ``np.float64``) would not. Promotion is the least upper
bound in JAX's lattice; e.g. int8 + uint8 -> int16, int32 + float16 -> float16,
float16 + bfloat16 -> float32, float32 + complex64 -> complex64, float64 + complex64 ->
complex128.

JAX's 64-bit mode (``hlox.config.jax_enable_x64``, off by default) decides which
dtypes exist. Off, every value and dtype entering hlox is canonicalized to 32 bits
(float64 -> float32, int64 -> int32, uint64 -> uint32): NumPy arrays and scalars given
to jit/grad/vmap or closed over, ``dtype=`` arguments (with a warning naming the
function), and the defaults of Python scalars and creation functions (int32, float32).
On, all dtypes are kept and the defaults are int64 and float64. :func:`canonicalize`
is that rule; the boundaries (:func:`scalar_type`, :func:`user_dtype`) call it.
"""

from __future__ import annotations

import sys
import warnings

import ml_dtypes
import numpy as np

from hlox.config import config
from hlox.frontend.core.source_info import is_hlox_file

bool_ = np.dtype(np.bool_)
int8, int16, int32, int64 = (np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64))
uint8, uint16, uint32, uint64 = (np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64))
float16, float32, float64 = (np.dtype(t) for t in (np.float16, np.float32, np.float64))
bfloat16 = np.dtype(ml_dtypes.bfloat16)
complex64, complex128 = np.dtype(np.complex64), np.dtype(np.complex128)

SUPPORTED = (bool_, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
             bfloat16, float16, float32, float64, complex64, complex128)

# What 64-bit dtypes become with x64 off.
_TO_32BIT = {int64: int32, uint64: uint32, float64: float32, complex128: complex64}


def x64_enabled() -> bool:
    return config.jax_enable_x64


def default_int() -> np.dtype:
    """The dtype of Python ints and integer defaults (``jnp.arange(3)``)."""
    return int64 if config.jax_enable_x64 else int32


def default_uint() -> np.dtype:
    return uint64 if config.jax_enable_x64 else uint32


def default_float() -> np.dtype:
    """The dtype of Python floats and float defaults (``jnp.zeros(3)``)."""
    return float64 if config.jax_enable_x64 else float32


def default_complex() -> np.dtype:
    """The dtype of Python complex numbers."""
    return complex128 if config.jax_enable_x64 else complex64

# Lattice nodes: numpy dtypes, plus the weak Python kinds "i*", "f*" and "c*".
_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX = "i*", "f*", "c*"
_LATTICE = {
    bool_: [_WEAK_INT],
    _WEAK_INT: [uint8, int8],
    uint8: [int16, uint16], uint16: [int32, uint32], uint32: [int64, uint64],
    uint64: [_WEAK_FLOAT],
    int8: [int16], int16: [int32], int32: [int64], int64: [_WEAK_FLOAT],
    _WEAK_FLOAT: [bfloat16, float16, _WEAK_COMPLEX],
    bfloat16: [float32], float16: [float32], float32: [float64, complex64],
    float64: [complex128], _WEAK_COMPLEX: [complex64], complex64: [complex128], complex128: [],
}
# With x64 off no 64-bit type is formed from narrower ones: uint32 with int32 is int32.
_LATTICE_X32 = {**_LATTICE, uint32: [int32, uint64]}


def _upper_bounds(lattice: dict) -> dict:
    closure = {}

    def visit(node):
        if node not in closure:
            found = {node}
            for parent in lattice[node]:
                found |= visit(parent)
            closure[node] = frozenset(found)
        return closure[node]

    for node in lattice:
        visit(node)
    return closure


_UPPER = {True: _upper_bounds(_LATTICE), False: _upper_bounds(_LATTICE_X32)}  # by x64


def canonicalize(dtype) -> np.dtype:
    """``dtype`` as a supported numpy dtype in the current mode (64-bit ones to 32 bits
    with x64 off: JAX's ``canonicalize_dtype``), or a TypeError."""
    dt = supported(dtype)
    return dt if config.jax_enable_x64 else _TO_32BIT.get(dt, dt)


def supported(dtype) -> np.dtype:
    """``dtype`` as a supported numpy dtype (any mode), or a TypeError."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"hlox: {dtype!r} is not a dtype") from None
    if dt not in SUPPORTED:
        raise TypeError(f"hlox: dtype {dt} is not supported (supported: "
                        f"{', '.join(str(d) for d in SUPPORTED)})")
    return dt


# Python types given as ``dtype=``: the mode's defaults, without a warning.
_PYTHON_TYPES = {bool: lambda: bool_, int: default_int, float: default_float}


def user_dtype(dtype, fun_name: str) -> np.dtype:
    """A ``dtype=`` argument of ``fun_name`` as the dtype hlox uses: Python types give the
    mode's defaults; a 64-bit dtype with x64 off is truncated with JAX's UserWarning."""
    if isinstance(dtype, type) and dtype in _PYTHON_TYPES:
        return _PYTHON_TYPES[dtype]()
    dt = canonicalize(dtype)
    if dt != np.dtype(dtype):
        warnings.warn(f"Explicitly requested dtype {np.dtype(dtype)} requested in {fun_name} "
                      f"is not available, and will be truncated to dtype {dt}. To enable "
                      f"more dtypes, set the jax_enable_x64 configuration option "
                      f"(hlox.config.update('jax_enable_x64', True)) or the JAX_ENABLE_X64 "
                      f"shell environment variable.", UserWarning, stacklevel=_user_stacklevel())
    return dt


def _user_stacklevel() -> int:
    """The ``stacklevel`` of the innermost frame outside hlox (warnings name the user's line)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and is_hlox_file(frame.f_code.co_filename):
        frame, level = frame.f_back, level + 1
    return level


def to_inexact(dtype) -> np.dtype:
    """The float dtype an int/bool operand of a float-valued op takes (JAX's rule: 64-bit
    ints to float64, narrower ones to float32; then the mode's canonical form)."""
    dt = np.dtype(dtype)
    if is_inexact(dt):
        return dt
    return canonicalize(float64 if dt.itemsize == 8 else float32)


def to_complex(dtype) -> np.dtype:
    """The complex dtype holding ``dtype``'s values (float64 -> complex128, others ->
    complex64; then the mode's canonical form), as JAX's ``to_complex_dtype``."""
    dt = to_inexact(dtype)
    if is_complex(dt):
        return dt
    return canonicalize(complex128 if dt == float64 else complex64)


def real_dtype(dtype) -> np.dtype:
    """The dtype of a complex dtype's parts (complex64 -> float32); others unchanged."""
    dt = np.dtype(dtype)
    return {complex64: float32, complex128: float64}.get(dt, dt)


def is_float(dtype) -> bool:
    return np.dtype(dtype) in (bfloat16, float16, float32, float64)


def is_complex(dtype) -> bool:
    return np.dtype(dtype) in (complex64, complex128)


def is_inexact(dtype) -> bool:
    """Floating point or complex: the dtypes that have derivatives."""
    return is_float(dtype) or is_complex(dtype)


def is_int(dtype) -> bool:
    return np.dtype(dtype).kind in "iu"


def is_int_or_bool(dtype) -> bool:
    return is_int(dtype) or np.dtype(dtype) == bool_


def _node(dtype: np.dtype, weak: bool):
    if weak and is_complex(dtype):
        return _WEAK_COMPLEX
    if weak and is_float(dtype):
        return _WEAK_FLOAT
    if weak and is_int(dtype):
        return _WEAK_INT
    return dtype


def _join(nodes):
    """The least upper bound of lattice nodes (in the current mode's lattice)."""
    upper = _UPPER[config.jax_enable_x64]
    common = frozenset.intersection(*(upper[n] for n in nodes))
    lub = [n for n in common if upper[n] == common]
    if not lub:  # unreachable with this lattice (complex128 bounds all)
        raise TypeError(f"no common dtype for {nodes}")
    return lub[0]


def promote_types(a, b) -> np.dtype:
    """The lattice's join of two (strong) dtypes, not canonicalized (``jnp.promote_types``:
    float32 with float64 gives float64 even with x64 off)."""
    return _join({supported(a), supported(b)})


def result_type(*typed: tuple[np.dtype, bool]) -> tuple[np.dtype, bool]:
    """The promoted ``(dtype, weak)`` of ``(dtype, weak)`` pairs (JAX's rule), in the
    current mode. The result is weak exactly when the lattice's answer is a Python kind.
    """
    if not typed:
        raise ValueError("result_type needs at least one input")
    node = _join({_node(np.dtype(dt), weak) for dt, weak in typed})
    # As in JAX: the result is weak exactly when it is a Python kind
    # (e.g. int32 array + 1.0 -> weak float32; float32 array + 1.0 -> float32).
    if node == _WEAK_COMPLEX:
        return default_complex(), True
    if node == _WEAK_FLOAT:
        return default_float(), True
    if node == _WEAK_INT:
        return default_int(), True
    return canonicalize(node), False


def scalar_type(value) -> tuple[np.dtype, bool]:
    """The ``(dtype, weak)`` hlox gives a Python or NumPy scalar/array value (NumPy's
    64-bit dtypes canonicalized to the mode, Python scalars weak defaults)."""
    if isinstance(value, (bool, np.bool_)):
        return bool_, False
    if isinstance(value, (np.ndarray, np.generic)):
        return canonicalize(value.dtype), False
    if isinstance(value, int):
        return default_int(), True
    if isinstance(value, float):
        return default_float(), True
    if isinstance(value, complex):
        return default_complex(), True
    raise TypeError(f"hlox: {type(value).__name__} is not an array or a Python scalar")


# ---------------------------------------------------------------------------
# Extended dtypes: typed PRNG keys (their arrays: hlox.frontend.libraries.key_array)
# ---------------------------------------------------------------------------


class extended(np.generic):  # noqa: N801  (jax.dtypes.extended)
    """The scalar type of extended dtypes (``jnp.issubdtype(dt, hlox.dtypes.extended)``)."""


class prng_key(extended):  # noqa: N801  (jax.dtypes.prng_key)
    """The scalar type of PRNG key dtypes (``jnp.issubdtype(k.dtype, hlox.dtypes.prng_key)``)."""


class KeyDType:
    """``key<fry>``: the dtype of threefry2x32 key arrays, one key per element."""

    type = prng_key
    name = "key<fry>"
    impl = "threefry2x32"
    key_shape = (2,)
    itemsize = 8  # two uint32 words

    def __repr__(self) -> str:
        return self.name

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, KeyDType)

    def __hash__(self) -> int:
        return hash(KeyDType)


key_dtype = KeyDType()
