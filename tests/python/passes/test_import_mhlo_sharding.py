"""hlox-import-mhlo-sharding: GSPMD ``mhlo.sharding`` strings -> Shardy (``sdy``).

A sharding's meaning is which device holds which tile. Each test reads the
imported ``sdy.mesh`` + ``#sdy.sharding`` back into "tile index per device"
and compares it with a reference that did not go through hlox: XLA's own
parser of the HloSharding string (``xla_client.HloSharding``), or the
sharding JAX itself writes when it lowers the same program with Shardy on.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from mlir import ir

import hlox.passes  # noqa: F401  (registers the pass)
from hlox.dialects import make_context
from hlox.dialects.mhlo_sharding import ShardingError, parse
from hlox.passes import pipeline
from hlox.passes.gspmd_mesh import IncompatibleSharding, deduce_mesh


# ---- reading Shardy text back (independent of the importer's code) ------------------

def _meshes(module: ir.Module) -> dict[str, tuple[list[tuple[str, int]], list[int] | None]]:
    meshes = {}
    for op in module.body.operations:
        if op.operation.name == "sdy.mesh":
            text = str(op.operation.attributes["mesh"])
            axes = [(n, int(k)) for n, k in re.findall(r'"([^"]*)"=(\d+)', text)]
            ids = re.search(r"device_ids=\[([\d,\s]*)\]", text)
            meshes[ir.StringAttr(op.operation.attributes["sym_name"]).value] = (
                axes, None if ids is None else [int(i) for i in ids.group(1).split(",")])
    return meshes


def tile_of_device(sharding: str, meshes) -> np.ndarray:
    """``#sdy.sharding<@m, [{"x"}, {"y":(2)2}]>`` -> array [device, dim] of tile indices."""
    m = re.fullmatch(r"(?:#sdy\.sharding)?<@(\w+), \[(.*)\](.*)>", sharding.strip(), re.S)
    assert m, sharding
    axes, ids = meshes[m.group(1)]
    sizes = [k for _, k in axes]
    n = math.prod(sizes)
    ids = list(range(n)) if ids is None else ids
    coords = dict(zip([a for a, _ in axes],
                      np.unravel_index(np.arange(n), sizes) if sizes else []))
    dims = re.findall(r"\{([^}]*)\}", m.group(2))
    out = np.zeros((max(n, len(ids)), len(dims)), dtype=np.int64)
    for d, body in enumerate(dims):
        tile = np.zeros(n, dtype=np.int64)
        for name, pre, size in re.findall(r'"(\w+)"(?::\((\d+)\)(\d+))?', body):
            full = dict(axes)[name]
            pre, size = (int(pre), int(size)) if pre else (1, full)
            tile = tile * size + (coords[name] // pre) % size
        out[np.array(ids[:n]), d] = tile
    return out


def _xla_tile_of_device(text: str, rank: int) -> np.ndarray:
    """The same from XLA's own HloSharding parser."""
    from jax._src.lib import xla_client

    hlo = xla_client.HloSharding.from_string(text)
    if hlo.is_replicated():
        return None
    dims = list(hlo.tile_assignment_dimensions())
    devices = np.array(hlo.tile_assignment_devices()).reshape(dims)
    out = np.zeros((devices.size, rank), dtype=np.int64)
    for index in np.ndindex(*dims):
        out[devices[index]] = index[:rank]
    return out


def _import(text: str) -> ir.Module:
    context = make_context()
    with context, ir.Location.unknown():
        module = ir.Module.parse(text)
        assert module.operation.verify()
        pipeline.build(["hlox-import-mhlo-sharding"], context).run(module.operation)
        assert module.operation.verify()
    return module


def _arg_shardings(module: ir.Module, fn: str = "main") -> list[str]:
    for op in module.body.operations:
        if op.operation.name == "func.func" and \
                ir.StringAttr(op.operation.attributes["sym_name"]).value == fn:
            return [str(ir.DictAttr(d)["sdy.sharding"]) for d in op.operation.attributes["arg_attrs"]]
    raise AssertionError(fn)


# ---- one string at a time, against XLA's parser -----------------------------------

CASES = [  # (sharding, tensor rank)
    ("{devices=[2,1]<=[2]}", 2),
    ("{devices=[2,2]<=[4]}", 2),
    ("{devices=[2,1,2]<=[4] last_tile_dim_replicate}", 2),
    ("{devices=[2,2]<=[2,2]T(1,0)}", 2),
    ("{devices=[2,2]0,1,2,3}", 2),
    ("{devices=[2,2]0,2,1,3}", 2),
    ("{devices=[2,2]3,1,0,2}", 2),
    ("{devices=[4,1,2]<=[2,4]T(1,0) last_tile_dim_replicate}", 2),
    ("{devices=[8,1]<=[8]}", 2),
    ("{devices=[1,2,4]<=[2,2,2]T(2,1,0) last_tile_dims={replicated}}", 2),
    ("{devices=[2,3]<=[3,2]T(1,0)}", 2),
    ("{devices=[2,2,2]<=[2,2,2]T(0,2,1)}", 3),
    ("{devices=[3,1,1]2,0,1}", 3),
    ("{devices=[4,2]<=[2,2,2]T(2,0,1)}", 2),
    ("{devices=[2,1,3]<=[6] last_tile_dim_replicate}", 2),
    ("{devices=[2,1,2,2]<=[8] last_tile_dims={replicated, replicated}}", 2),
    ('{devices=[2,1]<=[2] metadata={op_name="x"}}', 2),
]


def _module_with(text: str, rank: int, partitions: int) -> str:
    shape = "8x" * rank
    quoted = text.replace('"', '\\"')
    return (f"module attributes {{mhlo.num_partitions = {partitions} : i32}} {{\n"
            f'  func.func @main(%a: tensor<{shape}f32> {{mhlo.sharding = "{quoted}"}}) {{\n'
            "    return\n  }\n}\n")


@pytest.mark.parametrize("text,rank", CASES)
def test_each_string_means_what_xla_reads(text, rank):
    pytest.importorskip("jax")
    n = math.prod(int(d) for d in re.search(r"devices=\[([\d,]+)\]", text).group(1).split(","))
    module = _import(_module_with(text, rank, n))
    [sharding] = _arg_shardings(module)
    got = tile_of_device(sharding, _meshes(module))
    np.testing.assert_array_equal(got, _xla_tile_of_device(text, rank), err_msg=sharding)


def test_one_mesh_for_several_shardings():
    # What JAX writes (Shardy off) for P("x", "y"), P("y"), P(("x", "y")), P("x")
    # on a 2x4 mesh: one 2x4 mesh is found, no sub-axes, no device_ids.
    texts = ["{devices=[2,4]<=[8]}", "{devices=[4,1,2]<=[2,4]T(1,0) last_tile_dim_replicate}",
             "{devices=[8,1]<=[8]}", "{devices=[2,1,4]<=[8] last_tile_dim_replicate}"]
    mesh = deduce_mesh([parse(t) for t in texts], 8)
    assert mesh.sizes == [2, 4] and mesh.device_ids is None
    assert mesh.dims == [[[0], [1]], [[1], []], [[0, 1], []], [[0], []]]


def test_finer_mesh_when_the_axes_split_differently():
    mesh = deduce_mesh([parse("{devices=[4,2]<=[8]}"), parse("{devices=[2,4]<=[8]}")], 8)
    assert mesh.sizes == [2, 2, 2] and mesh.dims == [[[0, 1], [2]], [[0], [1, 2]]]


def test_device_order_that_is_not_row_major():
    mesh = deduce_mesh([parse("{devices=[3,1]2,0,1}")], 3)
    assert mesh.sizes == [3] and mesh.device_ids == [2, 0, 1]


def test_incompatible_shardings_name_the_one_that_breaks():
    texts = ["{devices=[2,1,2]0,1,2,3 last_tile_dim_replicate}",
             "{devices=[2,1,2]0,2,1,3 last_tile_dim_replicate}",
             "{devices=[2,1,2]0,3,1,2 last_tile_dim_replicate}"]
    with pytest.raises(IncompatibleSharding) as info:
        deduce_mesh([parse(t) for t in texts], 4)
    assert info.value.index == 2


@pytest.mark.parametrize("bad", ["replicated", "{devices=[2,2]<=[3]}", "{devices=[2]0,1,2}",
                                 "{devices=[2,2]<=[2,2]T(0,0)}", "{unknown}", "{devices=[2]0,0}",
                                 "{devices=[2,2]<=[4] last_tile_dims={manual}}",
                                 "{devices=[2,2]<=[4] last_tile_dims={unreduced}}"])
def test_unreadable_strings(bad):
    with pytest.raises(ShardingError):
        parse(bad)


# ---- JAX's own program, Shardy off vs Shardy on ------------------------------------

_JAX_SCRIPT = textwrap.dedent("""
    import sys
    import jax, jax.numpy as jnp
    from jax.sharding import AxisType, NamedSharding, PartitionSpec as P
    jax.config.update("jax_use_shardy_partitioner", sys.argv[1] == "on")
    if sys.argv[2] == "2x4":
        mesh = jax.make_mesh((2, 4), ("x", "y"), axis_types=(AxisType.Auto,) * 2)
        specs = [("x", "y"), (), (None, "x"), ("y", None), (None, ("y", "x")), (("x", "y"),), ("y",)]
    else:  # 2x2x2: axes used in other orders and groupings
        mesh = jax.make_mesh((2, 2, 2), ("x", "y", "z"), axis_types=(AxisType.Auto,) * 3)
        specs = [(("z", "x"), "y"), ("y",), (None, ("y", "z")), ("z", None), (None, ("x", "z")),
                 (("x", "y", "z"),), (("z", "y"),)]
    s = [NamedSharding(mesh, P(*spec)) for spec in specs]
    def f(a, b, c):
        d = jax.lax.with_sharding_constraint(a @ b, s[3])
        e = jax.lax.with_sharding_constraint(c * 2, s[4])
        return jnp.sin(d), e.sum(0)
    args = (jax.ShapeDtypeStruct((8, 16), jnp.float32), jax.ShapeDtypeStruct((16, 8), jnp.float32),
            jax.ShapeDtypeStruct((4, 8), jnp.float32))
    jitted = jax.jit(f, in_shardings=tuple(s[:3]), out_shardings=tuple(s[5:]))
    print(jitted.lower(*args).as_text())
""")


def _jax_text(shardy: str, mesh: str) -> str:
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "JAX_PLATFORMS": "cpu"}
    return subprocess.run([sys.executable, "-c", _JAX_SCRIPT, shardy, mesh], env=env,
                          capture_output=True, text=True, check=True).stdout


def _all_shardings(module: ir.Module) -> list[str]:
    """Arguments, results, then constraints, in program order."""
    found = []
    for op in module.body.operations:
        op = op.operation
        if op.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == "main":
            for key in ("arg_attrs", "res_attrs"):
                found += [str(ir.DictAttr(d)["sdy.sharding"]) for d in op.attributes[key]]
            for inner in op.regions[0].blocks[0].operations:
                if inner.operation.name == "sdy.sharding_constraint":
                    found.append(str(inner.operation.attributes["sharding"]))
    return found


@pytest.mark.parametrize("mesh,sizes", [("2x4", [2, 4]), ("2x2x2", [2, 2, 2])])
def test_jax_gspmd_text_imports_as_jax_shardy_text(mesh, sizes):
    pytest.importorskip("jax")
    gspmd, shardy = _jax_text("off", mesh), _jax_text("on", mesh)
    assert "mhlo.sharding" in gspmd and "sdy.mesh" not in gspmd
    imported = _import(gspmd)
    assert "mhlo.sharding" not in str(imported) and "custom_call @Sharding" not in str(imported)
    assert "mhlo.num_partitions = 8" in str(imported)
    context = make_context()
    with context:
        reference = ir.Module.parse(shardy)
    got, want = _all_shardings(imported), _all_shardings(reference)
    assert len(got) == len(want) == 7  # 3 arguments, 2 results, 2 constraints
    for g, w in zip(got, want):
        np.testing.assert_array_equal(tile_of_device(g, _meshes(imported)),
                                      tile_of_device(w, _meshes(reference)), err_msg=f"{g} vs {w}")
    [(axes, _)] = [m for m in _meshes(imported).values()]
    assert [k for _, k in axes] == sizes  # the mesh JAX had


_SHARD_MAP_SCRIPT = textwrap.dedent("""
    import sys
    import jax, jax.numpy as jnp
    from jax.sharding import AxisType, PartitionSpec as P
    jax.config.update("jax_use_shardy_partitioner", sys.argv[1] == "on")
    mesh = jax.make_mesh((2, 4), ("x", "y"), axis_types=(AxisType.Auto,) * 2)
    def body(a, b):
        return jax.lax.psum(a, "y") * 2, b + 1
    f = jax.shard_map(body, mesh=mesh, in_specs=(P("x", "y"), P()), out_specs=(P("x"), P()))
    args = (jax.ShapeDtypeStruct((8, 16), jnp.float32), jax.ShapeDtypeStruct((4,), jnp.float32))
    print(jax.jit(f).lower(*args).as_text())
""")


def _manual_computations(module: ir.Module) -> list[ir.Operation]:
    found = []

    def visit(op):
        if op.name == "sdy.manual_computation":
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.operation.walk(visit)
    return found


def test_jax_gspmd_shard_map_imports_as_jax_manual_computation():
    pytest.importorskip("jax")
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "JAX_PLATFORMS": "cpu"}
    gspmd, shardy = (subprocess.run([sys.executable, "-c", _SHARD_MAP_SCRIPT, mode], env=env,
                                    capture_output=True, text=True, check=True).stdout
                     for mode in ("off", "on"))
    assert "SPMDFullToShardShape" in gspmd
    imported = _import(gspmd)
    assert "custom_call" not in str(imported)
    with make_context():
        reference = ir.Module.parse(shardy)
    [got], [want] = _manual_computations(imported), _manual_computations(reference)
    local = lambda op: [str(a.type) for a in op.regions[0].blocks[0].arguments]  # noqa: E731
    assert local(got) == local(want) == ["tensor<4x4xf32>", "tensor<4xf32>"]  # the shards' shapes
    for key in ("in_shardings", "out_shardings"):
        g = re.findall(r"<@\w+, \[[^\]]*\][^>]*>", str(got.attributes[key]))
        w = re.findall(r"<@\w+, \[[^\]]*\][^>]*>", str(want.attributes[key]))
        assert len(g) == len(w) == 2
        for a, b in zip(g, w):
            np.testing.assert_array_equal(tile_of_device(a, _meshes(imported)),
                                          tile_of_device(b, _meshes(reference)), err_msg=key)
    # Manual over every axis of the mesh, as JAX's shard_map without axis_names.
    manual = lambda op: sorted(re.findall(r'"(\w+)"', str(op.attributes["manual_axes"])))  # noqa: E731
    assert manual(got) == sorted(a for a, _ in _meshes(imported)["mesh"][0])
    assert manual(want) == sorted(a for a, _ in _meshes(reference)["mesh"][0])


_ONE_DEVICE_SCRIPT = textwrap.dedent("""
    import jax, jax.numpy as jnp
    from jax.sharding import AxisType, NamedSharding, PartitionSpec as P
    jax.config.update("jax_use_shardy_partitioner", False)
    mesh = jax.make_mesh((1,), ("x",), axis_types=(AxisType.Auto,), devices=jax.devices()[:1])
    body = jax.shard_map(lambda a: jnp.sin(a) * 3, mesh=mesh, in_specs=P("x"), out_specs=P("x"))
    def f(a):
        return body(jax.lax.with_sharding_constraint(a + 1, NamedSharding(mesh, P(None, "x"))))
    jitted = jax.jit(f, in_shardings=NamedSharding(mesh, P("x")))
    print(jitted.lower(jax.ShapeDtypeStruct((4, 2), jnp.float32)).as_text())
""")


def test_one_device_gspmd_program_runs_after_import_and_drop():
    # A one-device program JAX lowered with Shardy off (shardings, a constraint):
    # imported, then its annotations dropped, it computes what JAX computes.
    jax = pytest.importorskip("jax")
    import jax.numpy as jnp

    import hlox

    env = {**os.environ, "JAX_PLATFORMS": "cpu"}
    text = subprocess.run([sys.executable, "-c", _ONE_DEVICE_SCRIPT], env=env,
                          capture_output=True, text=True, check=True).stdout
    # (On one device JAX leaves out shard_map's SPMDFullToShardShape/ShardToFullShape.)
    assert "custom_call @Sharding" in text and "mhlo.sharding" in text
    context = make_context()
    with context, ir.Location.unknown():
        module = ir.Module.parse(text)
        pipeline.build(["hlox-import-mhlo-sharding", "hlox-drop-sdy"], context).run(module.operation)
        lowered = str(module)
    assert "sdy" not in lowered and "mhlo.sharding" not in lowered and "custom_call" not in lowered
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    [got] = hlox.compile_stablehlo(lowered, backend="cpu")(x)
    want = jax.jit(lambda a: jnp.sin(a + 1) * 3)(x)
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)
