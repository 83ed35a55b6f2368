"""``hlox.Array``: an array that lives on devices (JAX's ``jax.Array``).

An Array is its :class:`ArraySpec` (abstract value, sharding, committed) and
one buffer per device of its sharding (a backend's ``to_device`` made them;
on the cpu backend a buffer is a read-only C-contiguous numpy array). jit
results are Arrays on the executable's device; passed back to a jitted
function their buffers go to the executable as they are, never through the
host. ``np.asarray(x)`` (``__array__``) copies the data to the host (on the
cpu backend a zero-copy read-only view, as JAX's).

This module holds what an Array is; its operators and NumPy-style methods
(``x + y``, ``x.sum()``, ``x[i]``, ``x.at[i].set(v)``) are attached by the numpy
layer (:mod:`hlox.frontend.numpy.array_methods`), as JAX's ``array_methods`` does.

``committed``: an Array put on a device explicitly (``device_put(x, device)``)
is committed to it, and jit runs where its committed inputs live (they must
agree); an uncommitted one (``device_put(x)``, results computed from
uncommitted inputs) goes wherever the computation runs.
"""

from __future__ import annotations

import numpy as np

from hlox._pytree import broadcast_prefix, tree_flatten, tree_map, tree_unflatten
from hlox.frontend.core import dtypes, tracing
from hlox.frontend.core.sharding import SingleDeviceSharding
from hlox.frontend.core.tracing import ShapedArray, Tracer

__all__ = ["Array", "ArraySpec", "Shard", "device_put", "device_get", "wrap", "spec_for",
           "make_array_from_callback", "make_array_from_process_local_data", "from_shards",
           "default_device", "first_local_device"]


class ArraySpec:
    """What an Array is apart from its data: abstract value, sharding, committed.

    Interned (:func:`spec_for`): jit's call cache keys on an argument's spec,
    hashed by identity, and a jit result's spec is made once per executable.
    """

    __slots__ = ("aval", "sharding", "committed", "device", "__weakref__")

    def __init__(self, aval: ShapedArray, sharding, committed: bool):
        self.aval = aval
        self.sharding = sharding
        self.committed = committed
        assignment = sharding._device_assignment
        self.device = assignment[0] if len(assignment) == 1 else None  # single-device fast

    def __repr__(self) -> str:
        return (f"ArraySpec({self.aval.str_short()}, {self.sharding!r}, "
                f"committed={self.committed})")


_specs: dict = {}


def spec_for(aval: ShapedArray, device_or_sharding, committed: bool) -> ArraySpec:
    """The interned :class:`ArraySpec` (a device means a :class:`SingleDeviceSharding`)."""
    key = (aval, device_or_sharding, committed)
    spec = _specs.get(key)
    if spec is None:
        sharding = device_or_sharding
        if not hasattr(sharding, "_device_assignment"):
            sharding = SingleDeviceSharding(device_or_sharding)
        spec = _specs[key] = ArraySpec(aval, sharding, committed)
    return spec


def backend_of(device):
    """The backend object that owns ``device``."""
    from hlox import backends  # (the registry; a lower layer)

    return backends.get(device.backend)


def default_device():
    """Where uncommitted values go: the first device of ``hlox.config.backend`` (of
    this process)."""
    from hlox import backends
    from hlox.config import config

    return first_local_device(backends.get(config.backend))


def first_local_device(backend):
    """``backend``'s first device of this process (JAX's default device); None when it
    has none (the cuda backend compiles on a machine without a GPU)."""
    from hlox.frontend.core.sharding import current_process

    here = current_process()
    devices = backend.devices()
    return next((d for d in devices if d.process_index == here), devices[0] if devices else None)


class Shard:
    """One device's piece of an Array (``jax.Shard``): ``device``, ``index`` (the
    slices of the global array it holds), ``data`` (an Array of the piece)."""

    __slots__ = ("device", "index", "data", "replica_id")

    def __init__(self, device, index, data, replica_id: int = 0):
        self.device = device
        self.index = index
        self.data = data
        self.replica_id = replica_id

    def __repr__(self) -> str:
        return (f"Shard(device={self.device!r}, index={self.index}, "
                f"replica_id={self.replica_id}, data={self.data})")


class Array:
    """A concrete hlox array on one or more devices (``jax.Array``)."""

    __slots__ = ("_spec", "_buffers", "__weakref__")
    # Higher than NumPy's: ``ndarray + Array`` defers to Array's reflected operators.
    __array_priority__ = 100
    __hash__ = None  # as jax.Array: unhashable (== is elementwise)

    def __init__(self, spec: ArraySpec, buffers: list):
        self._spec = spec
        self._buffers = buffers

    # -- what it is -----------------------------------------------------------------------
    aval = property(lambda self: self._spec.aval)
    shape = property(lambda self: self._spec.aval.shape)
    dtype = property(lambda self: self._spec.aval.dtype)
    ndim = property(lambda self: len(self._spec.aval.shape))
    size = property(lambda self: self._spec.aval.size)
    weak_type = property(lambda self: self._spec.aval.weak_type)
    sharding = property(lambda self: self._spec.sharding)
    committed = property(lambda self: self._spec.committed)
    is_fully_replicated = property(lambda self: self._spec.sharding.is_fully_replicated)
    is_fully_addressable = property(lambda self: self._spec.sharding.is_fully_addressable)

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.size * self.dtype.itemsize

    @property
    def device(self):
        """The device (single-device Arrays), else the sharding, as ``jax.Array.device``."""
        return self._spec.device or self._spec.sharding

    def devices(self) -> set:
        return self._spec.sharding.device_set

    @property
    def addressable_shards(self) -> list[Shard]:
        sharding = self._spec.sharding
        indices = sharding.devices_indices_map(self.shape)
        replicas = dict(zip(sharding._device_assignment, sharding.replica_ids(self.shape)))
        shard_aval = self.aval.update(shape=sharding.shard_shape(self.shape))
        return [Shard(d, indices[d], Array(spec_for(shard_aval, d, True), [buffer]), replicas[d])
                for d, buffer in zip(sharding._addressable_assignment, self._buffers)]

    @property
    def global_shards(self) -> list[Shard]:
        if not self.is_fully_addressable:
            raise RuntimeError("global_shards of an Array that spans other processes' devices: "
                               "their data is not here; use addressable_shards")
        return self.addressable_shards

    def block_until_ready(self) -> "Array":
        for buffer in self._buffers:  # (cpu buffers are ready when execute returns)
            ready = getattr(buffer, "block_until_ready", None)
            if ready is not None:
                ready()
        return self

    def copy_to_host_async(self) -> None:
        pass  # __array__ copies when asked

    def on_device_size_in_bytes(self) -> int:
        return sum(np.asarray(self._host_buffer(i)).nbytes for i in range(len(self._buffers)))

    def is_deleted(self) -> bool:
        return self._buffers is None

    def delete(self) -> None:
        self._buffers = None

    def unsafe_buffer_pointer(self) -> int:
        buffer = self._buffers[0]
        if isinstance(buffer, np.ndarray):
            return buffer.ctypes.data
        return buffer.unsafe_buffer_pointer()

    # -- to the host ------------------------------------------------------------------------
    def _host_buffer(self, i: int) -> np.ndarray:
        if self._buffers is None:
            raise RuntimeError("Array has been deleted")
        spec = self._spec
        device = spec.device if spec.device is not None else \
            spec.sharding._addressable_assignment[i]
        return backend_of(device).from_device(self._buffers[i])

    @property
    def _value(self) -> np.ndarray:
        """The whole array on the host (read-only; zero-copy on host-memory backends)."""
        if self._spec.device is not None:
            return self._host_buffer(0)
        sharding = self._spec.sharding
        if not sharding.is_fully_addressable and sharding.is_fully_replicated:
            return self._host_buffer(0)  # every process holds the whole value
        if not sharding.is_fully_addressable:
            raise RuntimeError(
                "Fetching value for `hlox.Array` that spans non-addressable (non process "
                "local) devices is not possible: each process holds only its own devices' "
                "shards. Use `.addressable_shards` to read this process's pieces.")
        out = np.empty(self.shape, self.dtype)
        indices = sharding.devices_indices_map(self.shape)
        for i, d in enumerate(sharding._addressable_assignment):
            out[indices[d]] = self._host_buffer(i)
        out.flags.writeable = False
        return out

    def __array__(self, dtype=None, copy=None):
        value = self._value
        if dtype is not None and np.dtype(dtype) != value.dtype:
            if copy is False:
                raise ValueError(f"converting an hlox Array of {value.dtype} to {dtype} "
                                 f"needs a copy, but copy=False")
            return value.astype(dtype)
        return value.copy() if copy else value

    def item(self, *args):
        return self._value.item(*args)

    def tolist(self):
        return self._value.tolist()

    def __dlpack__(self, **kwargs):
        # A copy: the buffer itself is read-only, which DLPack cannot signal.
        return np.array(self._value).__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return (1, 0)  # kDLCPU: the host copy's

    # -- Python protocols -------------------------------------------------------------------
    def __setitem__(self, index, value):
        raise TypeError(f"hlox.Array does not support item assignment: hlox arrays are "
                        f"immutable, as JAX's. Instead of x[idx] = y, use "
                        f"x = x.at[idx].set(y)")

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        value, spec = self._value, self._spec
        row_aval = spec.aval.update(shape=spec.aval.shape[1:])
        row_spec = spec_for(row_aval, spec.device or default_device(), spec.committed)
        to_device = backend_of(row_spec.device).to_device
        return (Array(row_spec, [to_device(row, row_spec.device)]) for row in value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __int__(self) -> int:
        return int(self._value)

    def __float__(self) -> float:
        return float(self._value)

    def __complex__(self) -> complex:
        return complex(self._value)

    def __index__(self) -> int:
        return self._value.__index__()

    def __repr__(self) -> str:  # as jax.Array's, character for character
        prefix = "Array("
        extra = f"dtype={self.dtype.name}" + (", weak_type=True" if self.weak_type else "")
        width = np.get_printoptions()["linewidth"]
        if self.size == 0:
            body = f"[], shape={self.shape}"
        else:
            body = np.array2string(self._value, prefix=prefix, suffix=",", separator=", ",
                                   max_line_width=width)
        last_line = len(body) - body.rfind("\n") + 1
        sep = " " * len(prefix) if last_line + len(extra) + 2 > width else " "
        return f"{prefix}{body},{sep}{extra})"

    def __str__(self) -> str:
        return str(self._value)

    def __format__(self, spec: str) -> str:
        value = self._value
        return format(value[()] if value.ndim == 0 else value, spec)

    def __reduce__(self):
        # As host data + dtype + weak type: it unpickles onto the default device.
        return (_unpickle, (np.array(self._value), self.weak_type))

    def copy(self) -> "Array":
        spec = self._spec
        return Array(spec, [backend_of(d).to_device(self._host_buffer(i), d)
                            for i, d in enumerate(spec.sharding._addressable_assignment)])

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


def _unpickle(value: np.ndarray, weak_type: bool) -> Array:
    return from_host(value, default_device(), committed=False, weak_type=weak_type)


def _aval_of(array: Array) -> ShapedArray:
    aval = array._spec.aval
    if aval.dtype.itemsize == 8 and not dtypes.x64_enabled():
        return aval.update()  # a 64-bit Array made with x64 on: canonical in this mode
    return aval


tracing.concrete_avals[Array] = _aval_of


def from_host(value, device, committed: bool, weak_type: bool = False) -> Array:
    """``value`` (a numpy array of its hlox dtype) as an Array on ``device`` (a device
    or a sharding: each device gets its piece; a copy)."""
    aval = ShapedArray(np.shape(value), value.dtype, weak_type)
    spec = spec_for(aval, device, committed)
    if spec.device is not None:
        return Array(spec, [backend_of(spec.device).to_device(value, spec.device)])
    sharding = spec.sharding
    indices = sharding.devices_indices_map(aval.shape)
    return Array(spec, [backend_of(d).to_device(np.ascontiguousarray(value[indices[d]]), d)
                        for d in sharding._addressable_assignment])


def from_shards(aval: ShapedArray, sharding, pieces, committed: bool = True) -> Array:
    """An Array of ``aval`` whose ``i``-th device of this process (of ``sharding``, in
    its order) holds ``pieces[i]`` (host arrays of the shard shape; copied there)."""
    spec = spec_for(aval, sharding, committed)
    devices = sharding._addressable_assignment
    expected = sharding.shard_shape(aval.shape)
    buffers = []
    for d, piece in zip(devices, pieces):
        piece = np.asarray(piece, dtype=aval.dtype)
        if piece.shape != tuple(expected):
            raise ValueError(f"the piece for {d!r} has shape {piece.shape}, but {sharding!r} "
                             f"gives the shards of a {aval.shape} array the shape "
                             f"{tuple(expected)}")
        buffers.append(backend_of(d).to_device(piece, d))
    return Array(spec, buffers)


def wrap(value, like: Array | None = None):
    """A concrete numpy result as an Array (other values unchanged): on ``like``'s device
    (committed as it is; a sharded ``like``'s sharding if the shape is the same), else
    uncommitted on the default device."""
    if isinstance(value, (np.ndarray, np.generic)):
        value = np.asarray(value, dtype=dtypes.canonicalize(value.dtype))
        if like is not None and like._spec.device is not None:
            return from_host(value, like._spec.device, like._spec.committed)
        if like is not None and value.shape == like.shape:  # sharded: laid out alike
            return from_host(value, like._spec.sharding, like._spec.committed)
        return from_host(value, default_device(), committed=False)
    return value


# ---------------------------------------------------------------------------
# device_put / device_get
# ---------------------------------------------------------------------------


def _check_device(device, what: str = "hlox.device_put"):
    """``device`` (a Device of a registered backend, or a sharding) or a clear error."""
    from hlox.backends import UnknownBackendError
    from hlox.backends.base import Device

    if hasattr(device, "_device_assignment"):
        assignment = device._device_assignment
        for d in assignment:
            _check_device(d, what)
        if len({d.backend for d in assignment}) > 1:
            raise ValueError(f"{what}: {device!r} spans devices of several backends")
        return assignment[0] if len(assignment) == 1 else device
    if not isinstance(device, Device):
        raise TypeError(f"{what}: expected a device (from hlox.devices()) or a sharding, "
                        f"got {type(device).__name__} {device!r}")
    try:
        backend = backend_of(device)
    except UnknownBackendError as error:
        raise ValueError(f"{what}: {device!r} belongs to backend {device.backend!r}, which "
                         f"is not available ({error})") from None
    known = backend.devices()
    if device not in known:
        raise ValueError(f"{what}: backend {device.backend!r} has no {device!r}; its devices "
                         f"are {list(known)}")
    return device


def device_put(x, device=None, *, may_alias=None, donate=None):
    """``x`` (a pytree of arrays and scalars) as Arrays on ``device`` (a Device, a
    sharding, or a pytree of them matching ``x``; default: uncommitted on the default
    device). An Array already there is returned as it is; one on another device or
    sharding moves through the host. With a :class:`NamedSharding` each device gets its
    piece (sharded dimensions must divide evenly, as in JAX)."""
    if isinstance(device, (list, tuple, dict)):
        leaves, tree = tree_flatten(x)
        try:
            targets = broadcast_prefix(device, x, is_leaf=_is_place)
        except ValueError as error:
            raise ValueError(f"hlox.device_put: the devices/shardings do not match the "
                             f"arrays' structure: {error}") from None
        return tree_unflatten(tree, [device_put(a, t) for a, t in zip(leaves, targets)])
    target = None if device is None else _check_device(device)

    def put(leaf):
        if isinstance(leaf, Tracer):
            if target is not None and getattr(target, "mesh", None) is not None and \
                    traced_put is not None:
                return traced_put(leaf, target)  # as JAX: a sharding constraint
            return leaf  # under a trace the value stays where the computation is
        if isinstance(leaf, Array):
            spec = leaf._spec
            if target is None or (spec.committed and _same_place(spec, target)):
                return leaf
            if _same_place(spec, target):  # committing an uncommitted Array: same buffers
                return Array(spec_for(spec.aval, target, True), leaf._buffers)
            return _put_value(leaf._value, target, leaf.weak_type)
        try:
            aval = tracing.get_aval(leaf)
        except TypeError:
            raise TypeError(f"hlox.device_put: {type(leaf).__name__} {leaf!r} is not an "
                            f"array or a scalar") from None
        value = np.asarray(leaf, dtype=aval.dtype)
        if target is None:
            return from_host(value, default_device(), False, aval.weak_type)
        return _put_value(value, target, aval.weak_type)

    return tree_map(put, x)


# Installed by hlox.frontend.lax.sharding_constraint (a layer above): device_put of a
# traced value onto a NamedSharding constrains its sharding, as in JAX.
traced_put = None


def _is_place(x) -> bool:
    """A leaf of a tree of devices/shardings."""
    return x is None or hasattr(x, "platform") or hasattr(x, "_device_assignment")


def _same_place(spec: ArraySpec, target) -> bool:
    if spec.device is not None:
        return spec.device == target or spec.sharding == target
    return spec.sharding == target


def _put_value(value: np.ndarray, target, weak_type: bool) -> Array:
    if hasattr(target, "_device_assignment") and len(target.spec) > np.ndim(value):
        raise ValueError(f"One of device_put args is incompatible with its sharding annotation "
                         f"{target!r}: Sharding {target!r} is only valid for values of rank at "
                         f"least {len(target.spec)}, but was applied to a value of rank "
                         f"{np.ndim(value)}.")
    return from_host(value, target, True, weak_type)


def device_get(x):
    """``x`` with every Array as a numpy array on the host (other leaves unchanged)."""
    def get(leaf):
        if isinstance(leaf, Array):
            return leaf._value
        if isinstance(leaf, Tracer):
            return np.asarray(leaf)  # raises: a traced value has no data
        return leaf

    return tree_map(get, x)


def make_array_from_callback(shape, sharding, data_callback, dtype=None) -> Array:
    """An Array of global ``shape`` over ``sharding`` whose device pieces come from
    ``data_callback(index)`` (``index``: the tuple of slices of the global array the
    device holds), as JAX's ``jax.make_array_from_callback``."""
    shape = tuple(int(s) for s in shape)
    device_or_sharding = _check_device(sharding, "hlox.make_array_from_callback")
    if not hasattr(device_or_sharding, "_device_assignment"):
        device_or_sharding = SingleDeviceSharding(device_or_sharding)
    indices = device_or_sharding.devices_indices_map(shape)
    pieces = [data_callback(indices[d]) for d in device_or_sharding._addressable_assignment]
    first = pieces[0] if pieces else np.zeros((), np.float32)
    if dtype is None:
        dtype = first.dtype if hasattr(first, "dtype") else tracing.get_aval(first).dtype
    aval = ShapedArray(shape, dtypes.canonicalize(np.dtype(dtype)))
    return from_shards(aval, device_or_sharding, [np.asarray(p) for p in pieces])


def make_array_from_process_local_data(sharding, local_data, global_shape=None) -> Array:
    """An Array over ``sharding`` from this process's data (JAX's
    ``jax.make_array_from_process_local_data``): ``local_data`` is the block of the
    global array that this process's devices hold (all of it in one process), and
    ``global_shape`` the whole array's shape (default: the local shape scaled by how
    many such blocks each dimension has)."""
    value = np.asarray(local_data)
    value = value.astype(dtypes.canonicalize(value.dtype), copy=False)
    sharding = _check_device(sharding, "hlox.make_array_from_process_local_data")
    if not hasattr(sharding, "_device_assignment"):
        sharding = SingleDeviceSharding(sharding)
    if sharding.is_fully_addressable:
        if global_shape is not None and tuple(global_shape) != value.shape:
            raise ValueError(f"hlox.make_array_from_process_local_data: global_shape "
                             f"{tuple(global_shape)} differs from the data's shape {value.shape}, "
                             f"but this process holds every device of {sharding!r}")
        return device_put(value, sharding)
    if global_shape is None:
        global_shape = _global_shape(sharding, value.shape)
    global_shape = tuple(int(s) for s in global_shape)
    indices = sharding.devices_indices_map(global_shape)
    local = [indices[d] for d in sharding._addressable_assignment]
    # The block this process holds starts where its devices' pieces start.
    start = [min(index[k].start or 0 for index in local) for k in range(len(global_shape))]

    def piece(index):
        return value[tuple(slice((s.start or 0) - o, (size if s.stop is None else s.stop) - o)
                           for s, o, size in zip(index, start, global_shape))]

    aval = ShapedArray(global_shape, value.dtype)
    return from_shards(aval, sharding, [piece(index) for index in local])


def _global_shape(sharding, local_shape) -> tuple:
    """The global shape whose process-local block has ``local_shape``: along each
    dimension, the local size times the number of distinct blocks of this process's
    devices over the number of the whole sharding's."""
    probe = tuple(max(s, 1) * sharding.num_devices for s in local_shape)
    indices = sharding.devices_indices_map(probe)
    shape = []
    for k, size in enumerate(local_shape):
        every = {(i[k].start, i[k].stop) for i in indices.values()}
        mine = {(indices[d][k].start, indices[d][k].stop) for d in sharding._addressable_assignment}
        shape.append(size * len(every) // len(mine))
    return tuple(shape)
