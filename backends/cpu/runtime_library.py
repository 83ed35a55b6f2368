"""``libhlox_cpu_runtime.so``, the C library the cpu backend's generated code calls
(``hlox_rt_*``: FFT, LAPACK; built from ``backends/cpu/runtime/``, installed beside
``hlox._native``), and the LAPACK routines it is handed.

The LAPACK/BLAS routines are scipy's, found as jaxlib finds them: the capsules of
``scipy.linalg.cython_lapack`` / ``cython_blas`` hold their C addresses, which
:func:`register_lapack` passes to ``hlox_rt_lapack_register`` once per process.
"""

from __future__ import annotations

import ctypes
import functools
import os


class RuntimeLibraryError(RuntimeError):
    """The runtime library or the LAPACK it needs is missing."""


def path() -> str:
    from hlox import _native

    found = os.path.join(os.path.dirname(_native.__file__), "libhlox_cpu_runtime.so")
    if not os.path.exists(found):
        raise RuntimeLibraryError(f"{found} not found (rebuild hlox: pip install -e .)")
    return found


@functools.lru_cache(maxsize=None)
def load() -> ctypes.CDLL:
    """The library, loaded global (the ExecutionEngine and ORC resolve against it)."""
    return ctypes.CDLL(path(), mode=ctypes.RTLD_GLOBAL)


def _capsule_address(capsule) -> int:
    api = ctypes.pythonapi
    api.PyCapsule_GetName.restype = ctypes.c_char_p
    api.PyCapsule_GetName.argtypes = [ctypes.py_object]
    api.PyCapsule_GetPointer.restype = ctypes.c_void_p
    api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    return api.PyCapsule_GetPointer(capsule, api.PyCapsule_GetName(capsule))


@functools.lru_cache(maxsize=None)
def register_lapack() -> None:
    """Hands scipy's LAPACK/BLAS routines to the runtime library (once), or raises
    RuntimeLibraryError naming what is missing."""
    try:
        from scipy.linalg import cython_blas, cython_lapack
    except ImportError as error:
        raise RuntimeLibraryError(
            f"hlox cpu backend: JAX's LAPACK custom calls run scipy's LAPACK, and scipy "
            f"cannot be imported ({error}); pip install scipy") from None
    library = load()
    library.hlox_rt_lapack_routine.restype = ctypes.c_char_p
    library.hlox_rt_lapack_routine.argtypes = [ctypes.c_int]
    library.hlox_rt_lapack_register.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    index = 0
    while (name := library.hlox_rt_lapack_routine(index)) is not None:
        routine = name.decode()
        table = cython_blas.__pyx_capi__ if routine.endswith("trsm") else cython_lapack.__pyx_capi__
        if routine not in table:
            raise RuntimeLibraryError(f"hlox cpu backend: scipy's LAPACK has no {routine}")
        library.hlox_rt_lapack_register(name, _capsule_address(table[routine]))
        index += 1
