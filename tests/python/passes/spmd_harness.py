"""Runs partitioned (per-device) programs on the interpreter's N devices.

``partition(text)`` runs hlox-spmd-partition; ``run_global(text, args)``
partitions a global program, splits each global argument into per-device
shards by @main's ``sdy.sharding``, runs every partition on its own thread
(``execute_sharded``) and assembles the global results, checking that the
partitions holding the same tile agree bit for bit. ``annotate(text, seed)``
writes a random (valid, possibly uneven) sharding on every op result of
@main, the fully-annotated form the partitioner must get right whatever the
choice.
"""

from __future__ import annotations

import re

import numpy as np
from mlir import ir
from mlir.passmanager import PassManager

import hlox.passes  # noqa: F401  (registers the passes)
from hlox.backends import interpreter
from hlox.dialects import make_context

_MESH = re.compile(r'sdy\.mesh @(\w+) = <\[([^\]]*)\]')
_AXIS = re.compile(r'"(\w+)"=(\d+)')
_PART = re.compile(r'"(\w+)"(?::\((\d+)\)(\d+))?')


def partition(text: str, pipeline: str = "hlox-spmd-partition") -> str:
    with make_context():
        module = ir.Module.parse(text)
        assert module.operation.verify()
        PassManager.parse(f"builtin.module({pipeline})").run(module.operation)
        assert module.operation.verify()
        return str(module)


def mesh_of(text: str) -> list[tuple[str, int]]:
    """The axes of the module's mesh with the most devices."""
    meshes = [[(a, int(k)) for a, k in _AXIS.findall(body)] for _, body in _MESH.findall(text)]
    return max(meshes, key=lambda axes: int(np.prod([k for _, k in axes] or [1])), default=[])


def dim_axes(sharding: str | None, rank: int) -> list[list[tuple[str, int, int]]]:
    """Per dimension: (axis, pre-size, size) parts; sizes filled in by the mesh."""
    if sharding is None:
        return [[] for _ in range(rank)]
    body = sharding[sharding.index("[") + 1: sharding.rindex("]")]
    dims = re.findall(r"\{([^}]*)\}", body)
    assert len(dims) in (0, rank), (sharding, rank)
    out = []
    for d in dims or [""] * rank:
        out.append([(n, int(pre) if pre else 0, int(size) if size else 0)
                    for n, pre, size in _PART.findall(d)])
    return out


def _coordinate(p: int, mesh, part) -> int:
    name, pre, size = part
    sizes = [k for _, k in mesh]
    i = [a for a, _ in mesh].index(name)
    c = (p // int(np.prod(sizes[i + 1:] or [1]))) % sizes[i]
    return (c // pre) % size if pre else c


def _part_size(mesh, part) -> int:
    name, pre, size = part
    return size if pre else dict(mesh)[name]


def tile_slices(shape, axes, mesh, p: int):
    """Index of partition p's shard of a value of global ``shape``."""
    index = []
    for dim, parts in zip(shape, axes):
        k = int(np.prod([_part_size(mesh, a) for a in parts] or [1]))
        assert dim % k == 0, (shape, axes)
        i = 0
        for a in parts:
            i = i * _part_size(mesh, a) + _coordinate(p, mesh, a)
        index.append(slice(i * (dim // k), (i + 1) * (dim // k)))
    return tuple(index)


def _main_shardings(text: str):
    with make_context():
        module = ir.Module.parse(text)
        for op in module.body.operations:
            op = op.operation
            if op.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == "main":
                def read(key):
                    if key not in op.attributes:
                        return None
                    return [str(ir.DictAttr(d)["sdy.sharding"]) if "sdy.sharding" in ir.DictAttr(d)
                            else None for d in op.attributes[key]]
                return read("arg_attrs"), read("res_attrs")
    raise AssertionError("no @main")


def run_global(text: str, args, result_shapes):
    """Partitions ``text``, runs it on every partition, returns the global results."""
    partitioned = partition(text)
    # Contract: only the meshes and @main's argument/result shardings stay.
    for line in partitioned.splitlines():
        assert "sdy." not in line or line.lstrip().startswith(("sdy.mesh", "func.func public @main")), line
    mesh = mesh_of(partitioned)
    n = int(np.prod([k for _, k in mesh] or [1]))
    arg_sh, res_sh = _main_shardings(partitioned)
    arg_sh = arg_sh or [None] * len(args)
    per_device = []
    for p in range(n):
        per_device.append([np.array(a[tile_slices(a.shape, dim_axes(s, a.ndim), mesh, p)])
                           for a, s in zip(args, arg_sh)])
    outs = interpreter.compile(partitioned).execute_sharded(per_device)
    res_sh = res_sh or [None] * len(result_shapes)
    results = []
    for i, (shape, s) in enumerate(zip(result_shapes, res_sh)):
        axes = dim_axes(s, len(shape))
        global_value = None
        for p in range(n):
            local = np.asarray(outs[p][i])
            if global_value is None:
                global_value = np.zeros(shape, local.dtype)
                seen = {}
            index = tile_slices(shape, axes, mesh, p)
            key = tuple((sl.start, sl.stop) for sl in index)
            if key in seen:  # replicas of one tile agree bit for bit
                np.testing.assert_array_equal(local, seen[key], err_msg=f"result {i}, partition {p}")
            seen[key] = local
            global_value[index] = local
        results.append(global_value)
    return results, partitioned


def annotate(text: str, seed: int, follow: float = 0.0) -> str:
    """Writes a random sharding on every op result of @main's body (top level).

    With probability ``follow`` a result takes its first operand's sharding
    when their ranks match (as propagation would), so that reductions and
    contractions meet operands split along the dimensions they reduce.
    """
    rng = np.random.default_rng(seed)
    chosen: dict = {}
    mesh = mesh_of(text)
    names = [a for a, k in mesh if k > 1]
    with make_context():
        module = ir.Module.parse(text)
        mesh_name = _MESH.findall(text)[0][0]
        for op in module.body.operations:
            op = op.operation
            if op.name != "func.func" or ir.StringAttr(op.attributes["sym_name"]).value != "main":
                continue
            for inner in op.regions[0].blocks[0].operations:
                inner = inner.operation
                if inner.name.startswith("sdy.") or inner.name == "func.return" or not inner.results:
                    continue
                per_value = []
                for r in inner.results:
                    rank = r.type.rank if isinstance(r.type, ir.RankedTensorType) else 0
                    dims = [[] for _ in range(rank)]
                    source = chosen.get(inner.operands[0]) if len(inner.operands) else None
                    if rank and source is not None and len(source) == rank and rng.random() < follow:
                        dims = source
                    elif rank:
                        for axis in names:
                            choice = rng.integers(-1, rank)
                            if choice >= 0:
                                dims[choice].append(axis)
                    body = ", ".join("{" + ", ".join(f'"{a}"' for a in d) + "}" for d in dims)
                    per_value.append(f"<@{mesh_name}, [{body}]>")
                    chosen[r] = dims
                inner.attributes["sdy.sharding"] = ir.Attribute.parse(
                    f"#sdy.sharding_per_value<[{', '.join(per_value)}]>")
        return str(module)

