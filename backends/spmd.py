"""SPMD programs in the compile driver: a module whose mesh spans N > 1 devices.

Such a module (``mhlo.num_partitions = N``, or an ``sdy.mesh`` of N devices: JAX's
Shardy form, or GSPMD's ``mhlo.sharding`` strings) takes :data:`SPMD_PIPELINE`
instead of dropping its shardings: GSPMD strings as Shardy, propagation, then
partitioning into the one per-device program every partition runs. The partitioned
``@main`` keeps its arguments'/results' ``sdy.sharding`` (how each GLOBAL value is
split) and the ``sdy.mesh``; :func:`read_signature` turns them, with the global
signature read before partitioning, into a :class:`SpmdSignature` for the frontend,
which slices global values into per-device buffers and assembles the results; then
:data:`SPMD_AFTER_LAYOUT` leaves the backend a plain per-device StableHLO program.

Partition ``p`` is the row-major position ``p`` in the mesh and runs on
``options.devices[p]``; the backend's executable has
``execute_sharded(per_device) -> per_device`` (per partition, its local buffers).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from mlir import ir

from hlox.backends.base import BackendError, TensorSpec

# The shared StableHLO stage of an SPMD program (in place of hlox-drop-sdy) ...
SPMD_PIPELINE: list[str] = [
    "hlox-import-mhlo-sharding",   # GSPMD strings (Shardy off in JAX) -> sdy
    "hlox-sdy-propagate",          # every value gets a sharding
    "hlox-spmd-partition",         # the per-device program, with collectives
]
# ... and once the driver has read the layout from the partitioned program, what the
# backend gets: no sdy left (the mesh and the boundary shardings), CHLO as StableHLO,
# fusion regions, as compiler.SHARED_PIPELINE.
SPMD_AFTER_LAYOUT: list[str] = ["hlox-drop-sdy", "hlox-chlo-legalize-to-stablehlo", "hlox-fuse"]


@dataclass(frozen=True)
class SpmdSignature:
    """How an SPMD program's global values map onto its partitions.

    ``axes``: the mesh's ``(name, size)`` pairs, major first (partition ids are
    row-major positions); ``device_ids``: the ``sdy.mesh``'s device order, if given;
    ``global_in``/``global_out``: ``@main``'s types before partitioning;
    ``in_dims``/``out_dims``: per argument/result, per dimension, the mesh axes it is
    split over (major first; ``()``: not split; a value without a sharding is
    replicated: all ``()``)."""

    axes: tuple
    device_ids: tuple | None
    global_in: tuple
    global_out: tuple
    in_dims: tuple
    out_dims: tuple

    @property
    def num_partitions(self) -> int:
        return math.prod(size for _, size in self.axes)


def num_partitions(module: ir.Module) -> int:
    """How many devices ``module``'s program runs on: ``mhlo.num_partitions``, else the
    size of its ``sdy.mesh`` (1 without either)."""
    attrs = module.operation.attributes
    if "mhlo.num_partitions" in attrs:
        return ir.IntegerAttr(attrs["mhlo.num_partitions"]).value
    sizes = [math.prod(s for _, s in _mesh_axes(str(op.attributes["mesh"]))[0])
             for op in module.body.operations if op.operation.name == "sdy.mesh"]
    return max(sizes, default=1)


_AXIS = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=\s*(\d+)')


def _mesh_axes(text: str) -> tuple[tuple, tuple | None]:
    """``(("x", 4), ...)`` and the device ids of a printed ``#sdy.mesh<...>``."""
    axes = tuple((name, int(size)) for name, size in _AXIS.findall(text))
    ids = re.search(r"device_ids\s*=\s*\[([^\]]*)\]", text)
    device_ids = tuple(int(i) for i in ids.group(1).split(",") if i.strip()) if ids else None
    return axes, device_ids


def _module_meshes(module: ir.Module) -> dict:
    return {ir.StringAttr(op.attributes["sym_name"]).value: _mesh_axes(str(op.attributes["mesh"]))
            for op in module.body.operations if op.operation.name == "sdy.mesh"}


def _dims(text: str, ndim: int, what: str) -> tuple:
    """Per dimension, the axes of a printed ``#sdy.sharding<@mesh, [{"x"}, {}]>``."""
    start = text.find("[")
    depth, end = 0, -1
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                end = i
                break
    groups = re.findall(r"\{([^}]*)\}", text[start:end + 1])
    if len(groups) != ndim:
        raise BackendError(f"{what}: sharding {text} has {len(groups)} dimensions for a value "
                           f"of rank {ndim}")
    dims = []
    for group in groups:
        if re.search(r'"\s*:\s*\(', group):
            raise BackendError(f"{what}: sharding {text} splits a mesh axis into sub-axes, "
                               f"which hlox's runtime does not lay out")
        dims.append(tuple(re.findall(r'"((?:[^"\\]|\\.)*)"', group)))
    return tuple(dims)


def read_signature(module: ir.Module, global_signature) -> SpmdSignature:
    """The :class:`SpmdSignature` of a partitioned ``module`` (after the shared stage),
    whose global ``(in_specs, out_specs)`` were read before partitioning."""
    meshes = _module_meshes(module)
    main = None
    for op in module.body.operations:
        if op.operation.name == "func.func" and \
                ir.StringAttr(op.attributes["sym_name"]).value == "main":
            main = op
    if main is None:
        raise BackendError("the partitioned module has no func.func @main")
    global_in, global_out = global_signature

    def shardings(attr_name: str, specs, what: str):
        out = []
        entries = list(ir.ArrayAttr(main.attributes[attr_name])) \
            if attr_name in main.attributes else [None] * len(specs)
        for i, (entry, spec) in enumerate(zip(entries, specs)):
            attrs = {na.name: na.attr for na in ir.DictAttr(entry)} if entry is not None else {}
            sharding = attrs.get("sdy.sharding")
            out.append(((),) * len(spec.shape) if sharding is None else
                       _dims(str(sharding), len(spec.shape), f"{what} {i}"))
        return tuple(out)

    if len(meshes) > 1:
        raise BackendError(f"the program uses {len(meshes)} meshes ({', '.join(meshes)}); "
                           f"hlox runs programs over one mesh")
    axes, device_ids = next(iter(meshes.values())) if meshes else ((), None)
    signature = SpmdSignature(axes, device_ids, tuple(global_in), tuple(global_out),
                              shardings("arg_attrs", global_in, "argument"),
                              shardings("res_attrs", global_out, "result"))
    sizes = dict(axes)
    for what, specs, dims in (("argument", global_in, signature.in_dims),
                              ("result", global_out, signature.out_dims)):
        for i, (spec, per_dim) in enumerate(zip(specs, dims)):
            for d, (size, names) in enumerate(zip(spec.shape, per_dim)):
                unknown = [n for n in names if n not in sizes]
                if unknown:
                    raise BackendError(f"{what} {i}: its sharding names mesh axis "
                                       f"{unknown[0]!r}, which the mesh {axes} lacks")
                k = math.prod(sizes[n] for n in names)
                if size % k:
                    raise BackendError(f"{what} {i} ({TensorSpec(spec.shape, spec.dtype).str_short()}): "
                                       f"dimension {d} of size {size} does not divide evenly "
                                       f"over axes {names} of total size {k}")
    return signature


class SpmdExecutable:
    """A backend's executable of an SPMD program, with its :class:`SpmdSignature`
    (``signature``) and its devices (``devices``, partition order).
    ``execute_sharded(per_device)``: the backend's."""

    def __init__(self, executable, signature: SpmdSignature, devices: tuple):
        self.inner = executable
        self.signature = signature
        self.devices = tuple(devices)
        self.in_specs = list(signature.global_in)
        self.out_specs = list(signature.global_out)
        self.local_in_specs = list(getattr(executable, "in_specs", ()))
        self.local_out_specs = list(getattr(executable, "out_specs", ()))
        self.stages = getattr(executable, "stages", None)

    def execute_sharded(self, per_device: list) -> list:
        return self.inner.execute_sharded(per_device)

    def execute(self, buffers: list) -> list:
        raise BackendError(f"an SPMD program over {len(self.devices)} devices runs with "
                           f"execute_sharded(per-device buffers), not execute")
