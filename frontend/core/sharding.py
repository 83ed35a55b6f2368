"""Where an :class:`hlox.Array`'s data lives: shardings (``jax.sharding``).

A sharding maps an array of some global shape onto devices: which devices
hold a piece (``_device_assignment``, in the order an Array keeps its
buffers: for a mesh, row-major over its axes, which is also the partition id
the SPMD program runs as), which piece each holds (``devices_indices_map``)
and the shape of a piece (``shard_shape``).

- :class:`SingleDeviceSharding`: the whole array on one device;
- :class:`NamedSharding` (a :class:`Mesh` of devices with named axes and a
  :class:`PartitionSpec` naming, per array dimension, the mesh axes it is split
  over): each dimension split evenly over its axes (major first), replicated over
  the axes no dimension names. In StableHLO it is Shardy's ``#sdy.sharding``
  (:meth:`NamedSharding.sdy_text`).
"""

from __future__ import annotations

import collections
import enum
import math

import numpy as np

__all__ = ["Sharding", "SingleDeviceSharding", "NamedSharding", "PartitionSpec", "P", "Mesh",
           "AxisType", "make_mesh", "DuplicateSpecError", "IndivisibleError"]


def current_process() -> int:
    """This process's index (0 unless ``hlox.distributed.initialize()`` joined several)."""
    from hlox.backends import distributed  # (a lower layer)

    return distributed.process_index()


class DuplicateSpecError(ValueError):
    """A PartitionSpec names a mesh axis twice (JAX's error of that name)."""


class IndivisibleError(ValueError):
    """A sharded dimension does not divide evenly by its axes' total size."""


class Sharding:
    """What every sharding offers (JAX's ``jax.sharding.Sharding``)."""

    __slots__ = ()

    @property
    def _device_assignment(self) -> tuple:
        """The devices holding a piece, in the order an Array keeps its buffers."""
        raise NotImplementedError

    @property
    def _addressable_assignment(self) -> tuple:
        """The devices of this process (under ``hlox.distributed``, each process drives
        its own), in ``_device_assignment``'s order: an Array holds one buffer for each."""
        here = current_process()
        return tuple(d for d in self._device_assignment if d.process_index == here)

    @property
    def device_set(self) -> set:
        return set(self._device_assignment)

    @property
    def addressable_devices(self) -> set:
        return set(self._addressable_assignment)

    @property
    def num_devices(self) -> int:
        return len(self._device_assignment)

    @property
    def is_fully_addressable(self) -> bool:
        return len(self._addressable_assignment) == self.num_devices

    @property
    def is_fully_replicated(self) -> bool:
        raise NotImplementedError

    @property
    def memory_kind(self) -> str:
        return "device"

    def devices_indices_map(self, global_shape: tuple) -> dict:
        """``{device: index}``: the piece of an array of ``global_shape`` each device
        holds, as a tuple of slices."""
        raise NotImplementedError

    def shard_shape(self, global_shape: tuple) -> tuple:
        raise NotImplementedError

    def replica_ids(self, global_shape: tuple) -> list[int]:
        """Per device (in ``_device_assignment`` order): which copy of its piece it holds."""
        return [0] * self.num_devices


class SingleDeviceSharding(Sharding):
    """The whole array on one device."""

    __slots__ = ("_device",)

    def __init__(self, device, *, memory_kind: str | None = None):
        self._device = device

    @property
    def _device_assignment(self) -> tuple:
        return (self._device,)

    @property
    def is_fully_replicated(self) -> bool:
        return True

    def devices_indices_map(self, global_shape: tuple) -> dict:
        return {self._device: (slice(None),) * len(global_shape)}

    def shard_shape(self, global_shape: tuple) -> tuple:
        return tuple(global_shape)

    def __eq__(self, other):
        return isinstance(other, SingleDeviceSharding) and other._device == self._device

    def __hash__(self):
        return hash(("SingleDeviceSharding", self._device))

    def __reduce__(self):
        return (SingleDeviceSharding, (self._device,))

    def __repr__(self) -> str:
        return f"SingleDeviceSharding(device={self._device!r}, memory_kind={self.memory_kind})"


# ---------------------------------------------------------------------------
# Mesh
# ---------------------------------------------------------------------------


class AxisType(enum.Enum):
    """How a mesh axis is sharded (JAX's ``jax.sharding.AxisType``). hlox propagates
    every axis's shardings in the compiler, as JAX does for ``Auto``; ``Explicit`` and
    ``Manual`` are accepted and recorded."""

    Auto = enum.auto()
    Explicit = enum.auto()
    Manual = enum.auto()

    def __repr__(self) -> str:
        return self.name


class Mesh:
    """Devices in an n-d array with a name per axis (JAX's ``jax.sharding.Mesh``).

    Usable as a context manager (``with mesh:``), as JAX's, for ``shard_map`` and
    ``with_sharding_constraint`` given bare PartitionSpecs.
    """

    def __init__(self, devices, axis_names, axis_types=None):
        devices = np.array(devices, dtype=object)
        if isinstance(axis_names, str):
            axis_names = (axis_names,)
        axis_names = tuple(axis_names)
        for name in axis_names:
            if not isinstance(name, str):
                raise TypeError(f"Mesh: axis names must be strings, got {name!r} in "
                                f"{axis_names}")
        if devices.ndim != len(axis_names):
            raise ValueError(
                "Mesh requires the ndim of its first argument (`devices`) to equal the length "
                "of its second argument (`axis_names`), but got "
                f"devices.ndim == {devices.ndim} and len(axis_names) == {len(axis_names)}.")
        repeated = sorted({n for n in axis_names if axis_names.count(n) > 1})
        if repeated:
            raise ValueError(f"Mesh: axis names must be unique, got {axis_names} "
                             f"(repeated: {', '.join(repeated)})")
        flat = list(devices.flat)
        if len(set(flat)) != len(flat):
            raise ValueError(f"Mesh: a device appears more than once in {flat}")
        if axis_types is None:
            axis_types = (AxisType.Auto,) * len(axis_names)
        elif isinstance(axis_types, AxisType):
            axis_types = (axis_types,) * len(axis_names)
        axis_types = tuple(axis_types)
        if len(axis_types) != len(axis_names):
            raise ValueError(f"Mesh: {len(axis_types)} axis_types for {len(axis_names)} axes")
        devices.flags.writeable = False
        self.devices = devices
        self.axis_names = axis_names
        self.axis_types = axis_types
        self._key = (tuple(flat), devices.shape, axis_names, axis_types)

    @property
    def shape(self) -> collections.OrderedDict:
        return collections.OrderedDict(zip(self.axis_names, self.devices.shape))

    @property
    def axis_sizes(self) -> tuple:
        return tuple(self.devices.shape)

    @property
    def shape_tuple(self) -> tuple:
        return tuple(zip(self.axis_names, self.devices.shape))

    @property
    def size(self) -> int:
        return int(self.devices.size)

    @property
    def empty(self) -> bool:
        return self.devices.size == 0

    @property
    def device_ids(self) -> np.ndarray:
        return np.vectorize(lambda d: d.id, otypes=[int])(self.devices)

    @property
    def local_devices(self) -> list:
        return list(self.devices.flat)

    @property
    def _flat_devices(self) -> tuple:
        return self._key[0]

    def axis_size(self, name: str) -> int:
        return self.shape[name]

    def __eq__(self, other):
        return isinstance(other, Mesh) and other._key == self._key

    def __hash__(self):
        return hash(self._key)

    def __reduce__(self):
        return (Mesh, (np.array(self.devices), self.axis_names, self.axis_types))

    def __str__(self) -> str:
        axes = ", ".join(f"{n!r}: {s}" for n, s in self.shape.items())
        return f"Mesh({axes}, axis_types={_types_text(self.axis_types)})"

    def __repr__(self) -> str:
        return (f"Mesh(axis_sizes={self.axis_sizes}, axis_names={self.axis_names}, "
                f"axis_types={_types_text(self.axis_types)})")

    # ``with mesh:`` makes it the mesh bare PartitionSpecs refer to.
    def __enter__(self) -> "Mesh":
        _mesh_stack.append(self)
        return self

    def __exit__(self, *exc):
        _mesh_stack.pop()

    def sdy_text(self) -> str:
        """The mesh as Shardy's ``#sdy.mesh`` body: ``<["x"=4, "y"=2]>`` (with
        ``device_ids`` when the devices are not in id order)."""
        axes = ", ".join(f'"{n}"={s}' for n, s in self.shape.items())
        ids = [d.id for d in self._flat_devices]
        if ids != list(range(len(ids))):
            return f"<[{axes}], device_ids=[{', '.join(map(str, ids))}]>"
        return f"<[{axes}]>"


def _types_text(types) -> str:
    return "(" + ", ".join(t.name for t in types) + ("," if len(types) == 1 else "") + ")"


_mesh_stack: list[Mesh] = []


def current_mesh() -> Mesh | None:
    """The mesh of the innermost ``with mesh:``, if any."""
    return _mesh_stack[-1] if _mesh_stack else None


def make_mesh(axis_shapes, axis_names, axis_types=None, *, devices=None) -> Mesh:
    """A mesh of the first ``prod(axis_shapes)`` devices (``devices``, default
    ``hlox.devices()``), row-major (JAX's ``jax.make_mesh``; on CPU devices JAX's
    order is the same)."""
    from hlox import backends  # (the registry: a lower layer)

    axis_shapes = tuple(int(s) for s in axis_shapes)
    names = (axis_names,) if isinstance(axis_names, str) else tuple(axis_names)
    if len(axis_shapes) != len(names):
        raise ValueError(
            "Mesh requires the ndim of its first argument (`devices`) to equal the length "
            "of its second argument (`axis_names`), but got "
            f"devices.ndim == {len(axis_shapes)} and len(axis_names) == {len(names)}.")
    devices = list(backends.devices() if devices is None else devices)
    needed = math.prod(axis_shapes)
    if len(devices) < needed:
        hint = (" (the cpu backend offers more with hlox.config.update('jax_num_cpu_devices',"
                " N) before first use, or JAX_NUM_CPU_DEVICES=N)"
                if all(d.platform == "cpu" for d in devices) else "")
        raise ValueError(f"Number of devices {len(devices)} must be >= the product of "
                         f"mesh_shape {axis_shapes}{hint}")
    grid = np.empty(needed, dtype=object)
    grid[:] = devices[:needed]
    return Mesh(grid.reshape(axis_shapes), names, axis_types)


# ---------------------------------------------------------------------------
# PartitionSpec
# ---------------------------------------------------------------------------


class _Unconstrained:
    """``P.UNCONSTRAINED``: the compiler may shard this dimension as it likes."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNCONSTRAINED"

    def __reduce__(self):
        return (_Unconstrained, ())


UNCONSTRAINED = _Unconstrained()


class PartitionSpec:
    """Per array dimension, the mesh axes it is split over (JAX's ``P``): ``None``
    (not split), an axis name, or a tuple of names (split over all, the first
    major). Dimensions past the spec's length are not split."""

    UNCONSTRAINED = UNCONSTRAINED
    __slots__ = ("_partitions", "_normalized")

    def __init__(self, *partitions):
        for p in partitions:
            ok = p is None or p is UNCONSTRAINED or isinstance(p, str) or (
                isinstance(p, tuple) and all(isinstance(n, str) for n in p))
            if not ok:
                raise TypeError(f"PartitionSpec entries must be None, an axis name or a tuple "
                                f"of axis names, got {p!r}")
        # ('x',) is 'x' (as JAX's); () and None mean the same.
        self._partitions = tuple(p[0] if isinstance(p, tuple) and len(p) == 1 else p
                                 for p in partitions)
        self._normalized = tuple(
            p if p is UNCONSTRAINED else (() if p is None else (p,) if isinstance(p, str) else p)
            for p in partitions)

    def __iter__(self):
        return iter(self._partitions)

    def __len__(self) -> int:
        return len(self._partitions)

    def __getitem__(self, i):
        return self._partitions[i]

    def __eq__(self, other):
        if isinstance(other, PartitionSpec):
            return self._normalized == other._normalized
        return False

    def __hash__(self):
        return hash(("PartitionSpec", self._normalized))

    def __reduce__(self):
        return (PartitionSpec, self._partitions)

    def __repr__(self) -> str:
        def entry(p):
            if isinstance(p, tuple) and len(p) == 1:
                return repr(p[0])
            return repr(p)
        return "P(" + ", ".join(entry(p) for p in self._partitions) + \
            ("," if len(self._partitions) == 1 else "") + ")"

    def axes(self, ndim: int | None = None) -> tuple:
        """Per dimension, the tuple of axis names (``UNCONSTRAINED`` kept), padded with
        ``()`` to ``ndim``."""
        dims = self._normalized
        if ndim is not None and ndim > len(dims):
            dims = dims + ((),) * (ndim - len(dims))
        return dims


P = PartitionSpec


# ---------------------------------------------------------------------------
# NamedSharding
# ---------------------------------------------------------------------------


class NamedSharding(Sharding):
    """An array split over a :class:`Mesh` as a :class:`PartitionSpec` says (JAX's
    ``jax.sharding.NamedSharding``)."""

    __slots__ = ("mesh", "spec", "_memory_kind", "_hash")

    def __init__(self, mesh: Mesh, spec: PartitionSpec = PartitionSpec(), *,
                 memory_kind: str | None = None):
        if not isinstance(mesh, Mesh):
            raise TypeError(f"NamedSharding: mesh must be a hlox.sharding.Mesh, got "
                            f"{type(mesh).__name__} {mesh!r}")
        if spec is None:
            spec = PartitionSpec()
        elif isinstance(spec, (tuple, list)):
            spec = PartitionSpec(*spec)
        if not isinstance(spec, PartitionSpec):
            raise TypeError(f"NamedSharding: spec must be a PartitionSpec, got "
                            f"{type(spec).__name__} {spec!r}")
        check_spec(mesh, spec)
        self.mesh = mesh
        self.spec = spec
        self._memory_kind = memory_kind or "device"
        self._hash = hash(("NamedSharding", mesh, spec))

    @property
    def memory_kind(self) -> str:
        return self._memory_kind

    @property
    def _device_assignment(self) -> tuple:
        return self.mesh._flat_devices

    @property
    def is_fully_replicated(self) -> bool:
        return all(self.mesh.shape[a] == 1 for dim in self.spec.axes() if dim is not UNCONSTRAINED
                   for a in dim)

    def _dims(self, global_shape: tuple) -> tuple:
        """Per dimension of ``global_shape``, its axes; checks rank and divisibility."""
        shape = tuple(global_shape)
        if len(self.spec) > len(shape):
            raise ValueError(f"Sharding {self!r} is only valid for values of rank at least "
                             f"{len(self.spec)}, but was applied to a value of rank "
                             f"{len(shape)}.")
        dims = tuple(() if d is UNCONSTRAINED else d for d in self.spec.axes(len(shape)))
        factors = [math.prod(self.mesh.shape[a] for a in d) for d in dims]
        for i, (size, k) in enumerate(zip(shape, factors)):
            if size % k:
                raise IndivisibleError(
                    f"Sharding {self!r} implies that array axis {i} is partitioned {k} times, "
                    f"but the dimension size is {size} (full shape: {shape}, per-dimension "
                    f"tiling factors: {factors} should evenly divide the shape)")
        return dims

    def shard_shape(self, global_shape: tuple) -> tuple:
        dims = self._dims(global_shape)
        return tuple(size // math.prod(self.mesh.shape[a] for a in d)
                     for size, d in zip(global_shape, dims))

    def devices_indices_map(self, global_shape: tuple) -> dict:
        dims = self._dims(global_shape)
        local = self.shard_shape(global_shape)
        sizes = self.mesh.shape
        out = {}
        for position, device in zip(np.ndindex(self.mesh.devices.shape), self._device_assignment):
            coord = dict(zip(self.mesh.axis_names, position))
            index = []
            for d, axes in enumerate(dims):
                if not axes:
                    index.append(slice(None))
                    continue
                block = 0
                for a in axes:  # row-major over the dimension's axes, the first major
                    block = block * sizes[a] + coord[a]
                index.append(slice(block * local[d], (block + 1) * local[d]))
            out[device] = tuple(index)
        return out

    def replica_ids(self, global_shape: tuple) -> list[int]:
        used = {a for d in self._dims(global_shape) for a in d}
        free = [a for a in self.mesh.axis_names if a not in used]
        sizes = self.mesh.shape
        ids = []
        for position in np.ndindex(self.mesh.devices.shape):
            coord = dict(zip(self.mesh.axis_names, position))
            rid = 0
            for a in free:
                rid = rid * sizes[a] + coord[a]
            ids.append(rid)
        return ids

    def sdy_text(self, ndim: int, mesh_name: str = "mesh") -> str:
        """Shardy's ``#sdy.sharding<@mesh, [{"x"}, {}]>`` for a value of rank ``ndim``
        (``{?}``: an unconstrained dimension)."""
        if len(self.spec) > ndim:
            raise ValueError(f"Sharding {self!r} is only valid for values of rank at least "
                             f"{len(self.spec)}, but was applied to a value of rank {ndim}.")
        dims = []
        for d in self.spec.axes(ndim):
            if d is UNCONSTRAINED:
                dims.append("{?}")
            else:
                dims.append("{" + ", ".join(f'"{a}"' for a in d) + "}")
        return f"#sdy.sharding<@{mesh_name}, [{', '.join(dims)}]>"

    def __eq__(self, other):
        return isinstance(other, NamedSharding) and other.mesh == self.mesh and \
            other.spec == self.spec

    def __hash__(self):
        return self._hash

    def __reduce__(self):
        return (NamedSharding, (self.mesh, self.spec))

    def __repr__(self) -> str:
        return (f"NamedSharding(mesh={self.mesh}, spec={self.spec!r}, "
                f"memory_kind={self.memory_kind})")


def check_spec(mesh: Mesh, spec: PartitionSpec) -> None:
    """JAX's errors for a spec naming an axis the mesh lacks, or one axis twice."""
    seen = set()
    for dim in spec.axes():
        if dim is UNCONSTRAINED:
            continue
        for a in dim:
            if a not in mesh.shape:
                raise ValueError(f"Resource axis: {a} of {spec!r} is not found in mesh: "
                                 f"{mesh.axis_names}.")
            if a in seen:
                raise DuplicateSpecError(
                    f"A single NamedSharding spec specification can map every mesh axis to at "
                    f"most one positional dimension, but {spec!r} has duplicate entries for "
                    f"`{a}`")
            seen.add(a)
