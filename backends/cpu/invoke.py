"""Calling a compiled ``@main`` with little per-call work (the CPU backend's hot path).

``ExecutionEngine.invoke`` looks the function up, builds a ctypes descriptor
per memref and a packed argument array on every call; for small arrays that
costs far more than the computation. :class:`Invoker` builds all of it once
per executable: one int64 buffer holding every memref descriptor (shape and
strides already filled in, as the signature fixes them), the array of
pointers to those descriptors, and the packed argument array pointing at
those. A call then only writes each array's data pointer into its descriptor
and calls the packed entry point (``_mlir__mlir_ciface_main``) once.

The caller's arrays are only read (the pipeline never writes arguments, see
``hlox-readonly-arguments``); results are new NumPy arrays the caller owns.
"""

from __future__ import annotations

import ctypes
import threading

import numpy as np

from hlox.backends.cpu import result_pool

_INT64 = ctypes.sizeof(ctypes.c_int64)
_PACKED = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


def _data_pointer_from_header():
    """A fast ``array -> data pointer`` if this NumPy's object layout allows it.

    ``array.ctypes.data`` builds a helper object (~1 us). The data pointer is
    the first field after the object header in NumPy's ``PyArrayObject``
    (the field ``PyArray_DATA`` reads, part of NumPy's C ABI); reading it
    there costs ~0.2 us. The offset is checked on real arrays (including an
    offset view) and the slow way is used if it does not match.
    """
    read = ctypes.c_void_p.from_address
    offset = object.__basicsize__  # ob_refcnt + ob_type: 16 on 64-bit CPython

    def fast(array: np.ndarray) -> int:
        if not isinstance(array, np.ndarray):  # e.g. a NumPy scalar: another layout
            raise TypeError(f"expected a NumPy array, got {type(array).__name__}")
        return read(id(array) + offset).value or 0

    base = np.arange(12, dtype=np.float32).reshape(3, 4)
    probes = [base, base[1:], np.empty(0, np.int8), np.zeros((), np.float64), base.T]
    if all(fast(a) == a.ctypes.data for a in probes):
        return fast
    return lambda array: array.ctypes.data


data_pointer = _data_pointer_from_header()


class _Buffers:
    """Descriptors + pointer arrays for one call in flight."""

    __slots__ = ("descriptors", "pointers", "packed", "packed_address", "data_slots",
                 "call", "call_address")

    def __init__(self, shapes: list[tuple[int, ...]], entry: int = 0):
        words = sum(3 + 2 * len(shape) for shape in shapes)
        self.descriptors = (ctypes.c_int64 * max(words, 1))()
        self.pointers = (ctypes.c_void_p * max(len(shapes), 1))()
        self.packed = (ctypes.c_void_p * max(len(shapes), 1))()
        base = ctypes.addressof(self.descriptors)
        self.data_slots = []  # index in `descriptors` of each memref's `allocated` field
        word = 0
        for i, shape in enumerate(shapes):
            # {allocated, aligned, offset, shape[rank], strides[rank]} (offset stays 0)
            self.data_slots.append(word)
            strides = [1] * len(shape)
            for d in range(len(shape) - 2, -1, -1):
                strides[d] = strides[d + 1] * shape[d + 1]
            for d, (size, stride) in enumerate(zip(shape, strides)):
                self.descriptors[word + 3 + d] = size
                self.descriptors[word + 3 + len(shape) + d] = stride
            self.pointers[i] = base + word * _INT64
            self.packed[i] = ctypes.addressof(self.pointers) + i * ctypes.sizeof(ctypes.c_void_p)
            word += 3 + 2 * len(shape)
        self.packed_address = ctypes.addressof(self.packed)
        # hlox_rt_call_guarded's one argument: entry(packed), and the size of an
        # allocation the compiled code could not make
        self.call = _GuardedCall(entry, self.packed_address, 0)
        self.call_address = ctypes.addressof(self.call)


class _GuardedCall(ctypes.Structure):
    """``hlox_rt_guarded_call`` (hlox_runtime.h)."""

    _fields_ = [("entry", ctypes.c_void_p), ("argument", ctypes.c_void_p),
                ("failed_bytes", ctypes.c_int64)]


def _guarded_call():
    """``hlox_rt_call_guarded(&call) -> int`` of the runtime library: nonzero when an
    allocation in ``call.entry(call.argument)`` failed (its size in ``call.failed_bytes``)."""
    from hlox.backends.cpu import runtime_library

    function = runtime_library.load().hlox_rt_call_guarded
    function.argtypes = [ctypes.c_void_p]
    function.restype = ctypes.c_int32
    return function


def packed_entry_point(engine, function: str = "main") -> int:
    """The address of ``@function``'s packed C-interface wrapper in an ExecutionEngine
    (``raw_lookup`` adds the ``_mlir_`` prefix of packed wrappers)."""
    address = engine.raw_lookup("_mlir_ciface_" + function)
    if not address:
        raise RuntimeError(f"hlox cpu backend: no entry point for @{function} "
                           f"(was it compiled with llvm.emit_c_interface?)")
    return address


class Invoker:
    """``invoker(arrays) -> list of new arrays`` for one compiled ``@main``.

    ``address``: with ``packed`` (an ExecutionEngine), the packed wrapper
    ``void (void **args)`` of the C-interface function (see
    :func:`packed_entry_point`); without (object code linked from an artifact,
    which has no packed wrapper), ``_mlir_ciface_main`` itself, which takes one
    descriptor pointer per memref. ``owner`` (the ExecutionEngine or loaded
    library the code lives in) is kept alive with the invoker. ``out_specs``:
    ``(shape, dtype)`` per result. ``arrays`` must already be C-contiguous with
    the signature's dtypes and shapes (the callers check and convert; this is
    the unchecked hot path).
    """

    def __init__(self, address: int, owner, in_shapes, out_specs, packed: bool = True):
        self._owner = owner
        self._n_in = len(in_shapes)
        self._out = [(tuple(shape), np.dtype(dtype)) for shape, dtype in out_specs]
        self._shapes = [tuple(s) for s in in_shapes] + [s for s, _ in self._out]
        self._packed = packed
        self._address = address
        # The packed entry runs under the runtime's allocation guard: a failed
        # malloc in the compiled code comes back as MemoryError, not a crash.
        self._function = (_guarded_call() if packed else
                          ctypes.CFUNCTYPE(None, *[ctypes.c_void_p] * len(self._shapes))(address))
        self._buffers = _Buffers(self._shapes, address)
        # A second thread calling the same executable gets its own buffers.
        self._lock = threading.Lock()

    def __call__(self, arrays) -> list[np.ndarray]:
        outs = [result_pool.empty(shape, dtype) for shape, dtype in self._out]
        if self._lock.acquire(False):
            try:
                self._run(self._buffers, arrays, outs)
            finally:
                self._lock.release()
        else:
            self._run(_Buffers(self._shapes, self._address), arrays, outs)
        return outs

    def prepared(self, arrays):
        """One call to be made elsewhere (a partition's thread, through
        ``hlox_rt_run``): ``(entry, argument, results, buffers)`` where
        ``entry(argument)`` computes ``results``; keep ``buffers`` alive until then."""
        if not self._packed:
            raise TypeError("only an ExecutionEngine's packed entry point runs partitions")
        buffers = _Buffers(self._shapes)
        outs = [result_pool.empty(shape, dtype) for shape, dtype in self._out]
        self._fill(buffers, arrays, outs)
        return self._address, buffers.packed_address, outs, buffers

    def _fill(self, buffers: _Buffers, arrays, outs) -> None:
        descriptors, slots = buffers.descriptors, buffers.data_slots
        i = 0
        for array in arrays:
            descriptors[slots[i]] = descriptors[slots[i] + 1] = data_pointer(array)
            i += 1
        if i != self._n_in:
            raise TypeError(f"@main takes {self._n_in} arguments, got {i}")
        for array in outs:
            descriptors[slots[i]] = descriptors[slots[i] + 1] = data_pointer(array)
            i += 1

    def _run(self, buffers: _Buffers, arrays, outs) -> None:
        self._fill(buffers, arrays, outs)
        # The arrays stay referenced by the caller's frame for the call's duration.
        if self._packed:
            if self._function(buffers.call_address):
                raise MemoryError(f"the compiled program could not allocate "
                                  f"{buffers.call.failed_bytes} bytes")
        else:
            self._function(*buffers.pointers[:len(self._shapes)])
