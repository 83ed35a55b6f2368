"""mhlo.sharding strings <-> #hlox.sharding (dialects/sharding.py).

Each XLA HloSharding string is imported and exported again; when jaxlib is
installed, XLA's own parser checks that the exported string means the same
tile assignment (devices, tile shape, replication) as the original. The
attribute text must also be what the C++ dialect prints.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from mlir import ir

from hlox.dialects import make_context
from hlox.dialects.sharding import Sharding, ShardingError, tuple_to_hlo

CASES = [
    "{replicated}",
    "{maximal device=0}",
    "{maximal device=5}",
    "{manual}",
    "{devices=[2,1]<=[2]}",
    "{devices=[2,2]<=[4]}",
    "{devices=[2,1,2]<=[4] last_tile_dim_replicate}",
    "{devices=[2,2]<=[2,2]T(1,0)}",
    "{devices=[2,2]0,1,2,3}",
    "{devices=[2,2]0,2,1,3}",
    "{devices=[4,1,2]<=[2,4]T(1,0) last_tile_dim_replicate}",
    "{devices=[8,1]<=[8]}",
    "{devices=[1,2,4]<=[2,2,2]T(2,1,0) last_tile_dims={replicated}}",
    "{devices=[1,1,4]<=[4] last_tile_dim_replicate}",
    "{devices=[2,3]<=[3,2]T(1,0)}",
    "{devices=[2,2,2]<=[2,2,2]T(0,2,1)}",
    "{devices=[3,1,1]2,0,1}",
]


@pytest.mark.parametrize("text", CASES)
def test_import_export_attr(text):
    sharding = Sharding.from_hlo(text)
    attr = sharding.to_attr()
    assert Sharding.from_attr(attr) == sharding
    with make_context():
        printed = str(ir.Attribute.parse(attr))
    assert printed == attr, "Python and C++ print #hlox.sharding differently"
    assert Sharding.from_hlo(sharding.to_hlo()) == sharding


def _xla_key(hlo):
    if hlo.is_replicated():
        return ("replicated",)
    if hlo.is_maximal():
        return ("maximal", list(hlo.tile_assignment_devices()))
    if hlo.is_manual():
        return ("manual",)
    return (list(hlo.tile_assignment_dimensions()), list(hlo.tile_assignment_devices()),
            hlo.replicate_on_last_tile_dim())


@pytest.mark.parametrize("text", CASES)
def test_same_meaning_for_xla(text):
    pytest.importorskip("jax")
    from jax._src.lib import xla_client

    exported = Sharding.from_hlo(text).to_hlo()
    original = xla_client.HloSharding.from_string(text)
    again = xla_client.HloSharding.from_string(exported)
    assert _xla_key(again) == _xla_key(original), (text, exported)


def test_tuple():
    text = "{{replicated}, {devices=[2]<=[2]}, {maximal device=1}}"
    parts = Sharding.from_hlo(text)
    assert [p.kind for p in parts] == ["replicated", "mesh", "maximal"]
    assert tuple_to_hlo(parts) == text


def test_metadata_is_ignored():
    s = Sharding.from_hlo('{devices=[2,1]<=[2] metadata={op_name="x"}}')
    assert s == Sharding.from_hlo("{devices=[2,1]<=[2]}")


def test_export_of_a_designed_mesh():
    s = Sharding.mesh([("x", 2), ("y", 4)], [["y"], [], ["x"]])
    assert s.to_hlo() == "{devices=[4,1,2]<=[2,4]T(1,0)}"
    s = Sharding.mesh([("x", 2), ("y", 4)], [["x"], []])
    assert s.to_hlo() == "{devices=[2,1,4]<=[8] last_tile_dim_replicate}"
    s = Sharding.mesh([("x", 2), ("y", 2)], [["y", "x"]], device_ids=[3, 2, 1, 0])
    assert s.to_hlo() == "{devices=[4]3,1,2,0}"


@pytest.mark.parametrize("bad", ["replicated", "{devices=[2,2]<=[3]}", "{devices=[2]0,1,2}",
                                 "{devices=[2,2]<=[2,2]T(0,0)}", "{unknown}",
                                 "{devices=[2,2]<=[4] last_tile_dims={manual}}"])
def test_errors(bad):
    with pytest.raises(ShardingError):
        Sharding.from_hlo(bad)


def test_rank_is_checked():
    with pytest.raises(ShardingError, match="tensor 1"):
        Sharding.from_hlo("{devices=[2,2]<=[4]}", rank=1)


def test_verifier_rules():
    with pytest.raises(ShardingError):
        Sharding.mesh([("x", 2)], [["x"], ["x"]])
    with pytest.raises(ShardingError):
        Sharding.mesh([("x", 2)], [["z"]])
    with pytest.raises(ShardingError):
        Sharding.mesh([("x", 2)], [["x"]], device_ids=[0, 0])


def test_jax_sharded_program_imports_and_exports():
    """A program JAX lowers with shardings (Shardy off) round-trips through
    hlox-import-sharding / hlox-export-sharding, meaning preserved."""
    pytest.importorskip("jax")
    script = textwrap.dedent("""
        import jax, jax.numpy as jnp
        from jax.sharding import NamedSharding, PartitionSpec as P, AxisType
        jax.config.update("jax_use_shardy_partitioner", False)
        mesh = jax.make_mesh((2, 4), ("x", "y"), axis_types=(AxisType.Auto, AxisType.Auto))
        def f(a, b):
            c = jax.lax.with_sharding_constraint(a @ b, NamedSharding(mesh, P("y", None)))
            return jnp.sin(c)
        a = jax.ShapeDtypeStruct((8, 16), jnp.float32, sharding=NamedSharding(mesh, P("x", "y")))
        b = jax.ShapeDtypeStruct((16, 4), jnp.float32, sharding=NamedSharding(mesh, P()))
        out = NamedSharding(mesh, P(("x", "y"),))
        print(jax.jit(f, out_shardings=out).lower(a, b).as_text())
    """)
    env = {"XLA_FLAGS": "--xla_force_host_platform_device_count=8", "JAX_PLATFORMS": "cpu"}
    import os
    text = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, **env}, check=True).stdout
    assert "mhlo.sharding" in text
    from jax._src.lib import xla_client
    from hlox.passes import pipeline
    import hlox.passes  # noqa: F401
    import re

    context = make_context()
    with context, ir.Location.unknown():
        module = ir.Module.parse(text)
        pipeline.build(["hlox-import-sharding"], context).run(module.operation)
        imported = str(module)
        assert "mhlo.sharding" not in imported and "#hlox.sharding<" in imported
        pipeline.build(["hlox-export-sharding"], context).run(module.operation)
        exported = str(module)
    before = re.findall(r'mhlo.sharding = "([^"]*)"', text)
    after = re.findall(r'mhlo.sharding = "([^"]*)"', exported)
    assert len(before) == len(after) == 4
    for x, y in zip(before, after):
        assert _xla_key(xla_client.HloSharding.from_string(x)) == \
            _xla_key(xla_client.HloSharding.from_string(y)), (x, y)
