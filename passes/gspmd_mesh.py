"""One Shardy mesh for a module's GSPMD tiled shardings.

A GSPMD sharding says which devices hold which tile; Shardy says the same
with a mesh of axes (one per module) and, per tensor dimension, the axes
that split it (major first). This module finds a mesh on which every tiled
sharding of a module is exact, or says which sharding needs another mesh.

The model: a mesh axis of size ``k`` is a function device -> 0..k-1 (its
coordinate), and the axes' coordinates together number the devices
bijectively. A tensor dimension split over axes ``a, b`` holds tile
``coord_a(d) * size_b + coord_b(d)`` on device ``d``. So:

1. each tile dimension's coordinate (tile index per device) is split into
   prime "digits" (a dimension of 4 tiles -> two digits of size 2, major
   first); every distinct digit is an axis;
2. the axes must number the devices evenly: each combination of their
   coordinates is held by the same number ``M`` of devices; ``M > 1`` adds
   one axis (which device of its group a device is) that no dimension uses;
3. two axes that every sharding uses together, adjacent in that order, or
   not at all, merge into one (so a mesh of 2x4 stays 2x4, not 2x2x2);
4. the axes are ordered so that the device ids are row-major over the mesh
   (iota) when any order gives that; otherwise they are ordered as first
   used and the mesh lists device_ids.

A dimension's digits are taken in one order (smaller primes major), so a
device count with distinct prime factors (6 = 2 x 3) split once as 2 x 3 and
once as 3 x 2 is refused although a mesh exists. Step 2 fails when two shardings number the devices in ways no single mesh
reconciles (e.g. one tiles devices 0,1 | 2,3 and another 0,2 | 1,3 along a
dimension of the same size: both are fine alone, and on one 2x2 mesh; but
tiles 0,3 | 1,2 next to 0,1 | 2,3 and 0,2 | 1,3 need three axes of 2 over 4
devices). This mirrors what JAX's own GSPMD->Shardy import does (axes from
factoring the device counts, one mesh per module); the construction is ours.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from hlox.dialects.mhlo_sharding import HloSharding, ShardingError


@dataclasses.dataclass
class Mesh:
    sizes: list[int]  # per axis, major first
    device_ids: list[int] | None  # device at each mesh position; None: iota
    # Per sharding given, per tensor dimension: the mesh axes splitting it, major first.
    dims: list[list[list[int]]]

    @property
    def num_devices(self) -> int:
        return math.prod(self.sizes)


class IncompatibleSharding(ShardingError):
    """``index``: the sharding (in the order given) that no mesh of the ones
    before it can express."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def _primes(n: int) -> list[int]:
    out, p = [], 2
    while p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out + ([n] if n > 1 else [])


def _tile_coords(sharding: HloSharding) -> list[np.ndarray]:
    """Per tile dimension: the tile index that each device (by id) holds."""
    devices = sharding.devices
    index = np.indices(devices.shape).reshape(devices.ndim, -1)
    coords = np.empty_like(index)
    coords[:, devices.reshape(-1)] = index
    return list(coords[:-1])


def _digits(coord: np.ndarray, size: int) -> list[np.ndarray]:
    primes = _primes(size)
    out, stride = [], size
    for p in primes:
        stride //= p
        out.append((coord // stride) % p)
    return out


def deduce_mesh(shardings: list[HloSharding], num_devices: int) -> Mesh:
    """A mesh of ``num_devices`` devices expressing every tiled sharding given."""
    if not shardings:
        return Mesh([num_devices] if num_devices > 1 else [], None, [])
    for i, s in enumerate(shardings):
        if s.num_devices != num_devices:
            raise IncompatibleSharding(i, f"{s.text!r} spans {s.num_devices} devices, the "
                                          f"module {num_devices}")
    axes: list[np.ndarray] = []  # coordinate of each device along each axis
    sizes: list[int] = []
    keys: dict[bytes, int] = {}
    uses: list[list[list[int]]] = []
    for i, s in enumerate(shardings):
        before = len(axes)
        dims = []
        for coord, size in zip(_tile_coords(s), s.tiles):
            dim = []
            for digit, p in zip(_digits(coord, size), _primes(size)):
                key = digit.astype(np.int64).tobytes()
                if key not in keys:
                    keys[key] = len(axes)
                    axes.append(digit)
                    sizes.append(p)
                dim.append(keys[key])
            dims.append(dim)
        if len(axes) > before and not _even(axes, sizes):
            raise IncompatibleSharding(
                i, f"{s.text!r} and the module's other shardings need different device "
                   "meshes: no one mesh makes every one of them a split over whole axes")
        uses.append(dims)
    group = _group_index(axes, sizes)
    if group is not None:
        axes.append(group)
        sizes.append(num_devices // math.prod(sizes))
    axes, sizes, uses = _merge(axes, sizes, uses)
    order = _order(axes)
    ids = _device_ids(order, axes, sizes)
    if not np.array_equal(ids, np.arange(num_devices)):
        # No order makes the devices row-major: list the axes as first used,
        # so that device_ids reads like the first sharding's device list.
        first_use = [a for dims in uses for dim in dims for a in dim]
        order = sorted(range(len(axes)), key=lambda a: first_use.index(a)
                       if a in first_use else len(first_use))
        ids = _device_ids(order, axes, sizes)
    rank = {a: r for r, a in enumerate(order)}
    return Mesh([sizes[a] for a in order],
                None if np.array_equal(ids, np.arange(num_devices)) else ids.tolist(),
                [[[rank[a] for a in dim] for dim in dims] for dims in uses])


def _device_ids(order: list[int], axes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """The device at each position of the mesh whose axes are ``order``."""
    position = np.zeros(len(axes[0]), dtype=np.int64)
    for a in order:
        position = position * sizes[a] + axes[a]
    ids = np.empty(len(axes[0]), dtype=np.int64)
    ids[position] = np.arange(len(axes[0]))
    return ids


def _even(axes: list[np.ndarray], sizes: list[int]) -> bool:
    """Whether every combination of the axes' coordinates is held by equally many devices."""
    cells = math.prod(sizes)
    if len(axes[0]) % cells:
        return False
    flat = np.zeros(len(axes[0]), dtype=np.int64)
    for coord, size in zip(axes, sizes):
        flat = flat * size + coord
    counts = np.bincount(flat, minlength=cells)
    return bool(np.all(counts == counts[0]))


def _group_index(axes: list[np.ndarray], sizes: list[int]) -> np.ndarray | None:
    """Each device's index among the devices with its coordinates (None if
    the axes alone number the devices)."""
    n = len(axes[0])
    if math.prod(sizes) == n:
        return None
    flat = np.zeros(n, dtype=np.int64)
    for coord, size in zip(axes, sizes):
        flat = flat * size + coord
    index = np.zeros(n, dtype=np.int64)
    seen: dict[int, int] = {}
    for device, cell in enumerate(flat.tolist()):
        index[device] = seen.get(cell, 0)
        seen[cell] = index[device] + 1
    return index


def _merge(axes, sizes, uses):
    """Merges axis pairs (a, b) that every sharding uses as a then b in one
    dimension, or uses neither of."""
    while True:
        pair = next(((a, b) for a in range(len(axes)) for b in range(len(axes))
                     if a != b and _mergeable(a, b, uses)), None)
        if pair is None:
            return axes, sizes, uses
        a, b = pair
        axes[a] = axes[a] * sizes[b] + axes[b]
        sizes[a] *= sizes[b]
        del axes[b], sizes[b]
        renumber = lambda x: x - (x > b)  # noqa: E731
        uses = [[[renumber(x) for x in dim if x != b] for dim in dims] for dims in uses]


def _mergeable(a: int, b: int, uses) -> bool:
    for dims in uses:
        used = [x for dim in dims for x in dim]
        if a not in used and b not in used:
            continue
        if not any(a in dim and dim.index(a) + 1 < len(dim) and dim[dim.index(a) + 1] == b
                   for dim in dims):
            return False
    return True


def _order(axes: list[np.ndarray]) -> list[int]:
    """Axes by decreasing device-id stride (the row-major order if any is)."""
    def stride(a: int) -> int:
        # The device one step along axis a from the device at the origin.
        others = np.all([axes[o] == 0 for o in range(len(axes)) if o != a], axis=0) \
            if len(axes) > 1 else np.ones(len(axes[a]), dtype=bool)
        at = np.nonzero(others & (axes[a] == 1))[0]
        origin = np.nonzero(others & (axes[a] == 0))[0]
        return int(at[0]) - int(origin[0])
    return sorted(range(len(axes)), key=lambda a: -stride(a))
