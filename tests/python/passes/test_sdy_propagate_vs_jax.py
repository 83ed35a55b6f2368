"""hlox-sdy-propagate against JAX's own sharding propagation.

Each program is lowered by JAX on 8 forced host devices with some argument and
result shardings left unspecified; JAX (Shardy + XLA) decides them when it
compiles (``compiled.input_shardings`` / ``output_shardings``). Our pass runs on
JAX's StableHLO text and must decide the same: compared as the tile each mesh
position holds, and per dimension as lists of mesh axis names where JAX reports
a NamedSharding (around a shard_map it reports a GSPMDSharding). Where our conflict rule and XLA's heuristics could pick
different valid shardings, the program says so next to its entry (none of the
programs below needs that today).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from mlir import ir

import hlox.passes  # noqa: F401  (registers the Python passes)
from hlox.dialects import make_context
from hlox.passes import pipeline

# name -> (function, argument shapes/dtypes, in_shardings, out_shardings); a
# PartitionSpec tuple, or None (unspecified: propagation decides).
_JAX_SCRIPT = textwrap.dedent("""
    import json, sys
    import jax, jax.numpy as jnp
    from jax.sharding import AxisType, NamedSharding, PartitionSpec as P

    mesh = jax.make_mesh((4, 2), ("data", "model"), axis_types=(AxisType.Auto,) * 2)
    S = lambda *spec: NamedSharding(mesh, P(*spec))
    f32 = lambda *shape: jax.ShapeDtypeStruct(shape, jnp.float32)
    i32 = lambda *shape: jax.ShapeDtypeStruct(shape, jnp.int32)

    def mlp(x, w1, w2):
        return jnp.tanh(x @ w1) @ w2

    def layernorm(x, scale, bias):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) * jax.lax.rsqrt(var + 1e-5) * scale + bias

    def attention(q, k, v):
        s = jnp.einsum("bthd,bshd->bhts", q, k) / 4.0
        return jnp.einsum("bhts,bshd->bthd", jax.nn.softmax(s, axis=-1), v)

    def conv(x, w):
        return jax.lax.conv_general_dilated(x, w, (1, 1), "SAME",
                                            dimension_numbers=("NHWC", "HWIO", "NHWC"))

    def scan(h, xs):
        def step(h, x):
            h = jnp.tanh(h + x)
            return h, h.sum(-1)
        return jax.lax.scan(step, h, xs)

    def constrained(x, y):
        h = jax.lax.with_sharding_constraint(x * 2, S(None, "model"))
        return h + y, jnp.exp(x)

    def heads_reshape(x, w):
        return (x @ w).reshape(16, 2, 4).transpose(1, 0, 2)

    def shard_mapped(x, y):
        body = jax.shard_map(lambda a: jax.lax.psum(a, "model") * 2, mesh=mesh,
                             in_specs=P("data", "model"), out_specs=P("data", "model"))
        return body(jnp.exp(x)) + y

    MLP_ARGS = (f32(16, 8), f32(8, 32), f32(32, 8))
    PROGRAMS = {
        "mlp_data_parallel": (mlp, MLP_ARGS, (S("data", None), None, None), None),
        "mlp_megatron": (mlp, MLP_ARGS, (S("data", None), S(None, "model"), None), None),
        "mlp_megatron_result_given": (mlp, MLP_ARGS, (None, S(None, "model"), None),
                                      S("data", None)),
        "fsdp": (mlp, MLP_ARGS, (S("data", None),) * 3, None),
        "layernorm_rows": (layernorm, (f32(16, 8), f32(8), f32(8)), (S("data", None), None, None),
                           None),
        "softmax_rows": (lambda x: jax.nn.softmax(x, axis=-1), (f32(16, 8),), (S("data", None),),
                         None),
        "attention_heads": (attention, (f32(4, 8, 2, 4),) * 3,
                            (S("data", None, "model", None), None, None), None),
        "transpose": (lambda x, y: x.T + y, (f32(8, 16), f32(16, 8)), (S("data", "model"), None),
                      None),
        "reductions": (lambda x: (x.sum(1), x.max(0)), (f32(8, 16),), (S("data", "model"),), None),
        "embedding_gather": (lambda t, ids: t[ids], (f32(100, 16), i32(8, 4)),
                             (S(None, "model"), S("data", None)), None),
        "conv_batch": (conv, (f32(8, 6, 6, 3), f32(3, 3, 3, 4)), (S("data", None, None, None), None),
                       None),
        "scan": (scan, (f32(8, 16), f32(5, 8, 16)), (S("data", None), None), None),
        "constraint_reshard": (constrained, (f32(8, 16), f32(8, 16)), (S("data", None), None), None),
        "shard_map_boundary": (shard_mapped, (f32(16, 8), f32(16, 8)), (None, None), None),
        "heads_reshape": (heads_reshape, (f32(16, 8), f32(8, 8)), (S("data", None), S(None, "model")),
                          None),
    }

    # Per mesh position (row-major), each dimension's tile index; and the
    # per-dimension axis names when JAX gives a NamedSharding.
    def describe(sharding, shape):
        indices = sharding.devices_indices_map(shape)
        starts = [sorted({(idx[d].start or 0) for idx in indices.values()}) for d in range(len(shape))]
        tiles = [[starts[d].index(indices[device][d].start or 0) for d in range(len(shape))]
                 for device in mesh.devices.flat]
        names = None
        if isinstance(sharding, NamedSharding):
            spec = tuple(sharding.spec) + (None,) * (len(shape) - len(sharding.spec))
            names = [[] if e is None else [e] if isinstance(e, str) else list(e) for e in spec]
        return {"tiles": tiles, "names": names}

    out = {}
    for name, (f, args, ins, outs) in PROGRAMS.items():
        kwargs = {"in_shardings": ins} if outs is None else {"in_shardings": ins,
                                                              "out_shardings": outs}
        lowered = jax.jit(f, **kwargs).lower(*args)
        compiled = lowered.compile()
        results = jax.tree.leaves(jax.eval_shape(f, *args))
        out[name] = {
            "text": lowered.as_text(),
            "in": [describe(s, a.shape)
                   for s, a in zip(jax.tree.leaves(compiled.input_shardings[0]), args)],
            "out": [describe(s, a.shape)
                    for s, a in zip(jax.tree.leaves(compiled.output_shardings), results)],
        }
    json.dump(out, sys.stdout)
""")

PROGRAMS = ["mlp_data_parallel", "mlp_megatron", "mlp_megatron_result_given", "fsdp",
            "layernorm_rows", "softmax_rows", "attention_heads", "transpose", "reductions",
            "embedding_gather", "conv_batch", "scan", "constraint_reshard", "heads_reshape",
            "shard_map_boundary"]


@pytest.fixture(scope="module")
def jax_programs() -> dict:
    pytest.importorskip("jax")
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "JAX_PLATFORMS": "cpu"}
    done = subprocess.run([sys.executable, "-c", _JAX_SCRIPT], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    programs = json.loads(done.stdout)
    assert sorted(programs) == sorted(PROGRAMS)
    return programs


def _axes_per_dim(sharding: ir.Attribute) -> list[list[str]]:
    """``#sdy.sharding<@mesh, [{"a", "b"}, {}]>`` -> ``[["a", "b"], []]``."""
    m = re.fullmatch(r'#sdy\.sharding<@\w+, \[(.*)\]>', str(sharding))
    assert m, str(sharding)
    return [re.findall(r'"(\w+)"', d) for d in re.findall(r"\{([^}]*)\}", m.group(1))]


def _propagate(text: str) -> ir.Module:
    context = make_context()
    with context:
        module = ir.Module.parse(text)
        pipeline.build(["hlox-sdy-propagate"], context).run(module.operation)
    return module


def _main(module: ir.Module) -> ir.Operation:
    for op in module.body.operations:
        op = op.operation
        if op.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == "main":
            return op
    raise AssertionError("no @main")


def _ops_outside_scalar_bodies(op: ir.Operation):
    """The ops of @main and of while/case/if bodies (where carried values live)."""
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                inner = inner.operation
                yield inner
                if inner.name in ("stablehlo.while", "stablehlo.case", "stablehlo.if"):
                    yield from _ops_outside_scalar_bodies(inner)


MESH = {"data": 4, "model": 2}  # the script's mesh, row-major


def _tiles(axes_per_dim: list[list[str]]) -> list[list[int]]:
    """Per mesh position (row-major), each dimension's tile index."""
    names, sizes = list(MESH), list(MESH.values())
    tiles = []
    for position in range(4 * 2):
        coords = dict(zip(names, np.unravel_index(position, sizes)))
        tiles.append([int(np.ravel_multi_index([coords[a] for a in axes], [MESH[a] for a in axes]))
                      if axes else 0 for axes in axes_per_dim])
    return tiles


def _assert_same(ours: list[list[str]], theirs: dict, what: str):
    assert _tiles(ours) == theirs["tiles"], f"{what}: ours {ours}, JAX's tiles {theirs['tiles']}"
    if theirs["names"] is not None:  # a NamedSharding: the axis lists too
        assert ours == theirs["names"], f"{what}: ours {ours}, JAX {theirs['names']}"


@pytest.mark.parametrize("name", PROGRAMS)
def test_main_shardings_match_jax(jax_programs, name):
    program = jax_programs[name]
    main = _main(_propagate(program["text"]))
    args = [_axes_per_dim(ir.DictAttr(d)["sdy.sharding"]) for d in main.attributes["arg_attrs"]]
    results = [_axes_per_dim(ir.DictAttr(d)["sdy.sharding"]) for d in main.attributes["res_attrs"]]
    assert len(args) == len(program["in"]) and len(results) == len(program["out"])
    for i, (ours, theirs) in enumerate(zip(args, program["in"])):
        _assert_same(ours, theirs, f"argument {i}")
    for i, (ours, theirs) in enumerate(zip(results, program["out"])):
        _assert_same(ours, theirs, f"result {i}")


@pytest.mark.parametrize("name", PROGRAMS)
def test_every_value_is_annotated(jax_programs, name):
    """Contract 1: every op result of @main (while/case bodies included) has a
    sharding per result, and calls were inlined into @main."""
    module = _propagate(jax_programs[name]["text"])
    main = _main(module)
    for op in _ops_outside_scalar_bodies(main):
        assert op.name != "func.call", "calls are inlined"
        if len(op.results) and op.name != "sdy.manual_computation":
            assert "sdy.sharding" in op.attributes, f"{op.name} has no sharding"
            per_value = str(op.attributes["sdy.sharding"])
            assert per_value.startswith("#sdy.sharding_per_value<")
            assert per_value.count("<@mesh") == len(op.results), per_value


def test_unknown_axis_is_an_error_not_an_abort():
    text = """
    sdy.mesh @mesh = <["x"=2]>
    func.func @main(%a: tensor<8xf32> {sdy.sharding = #sdy.sharding<@mesh, [{"nope"}]>}) -> tensor<8xf32> {
      return %a : tensor<8xf32>
    }"""
    with pytest.raises(ir.MLIRError, match='axis "nope" is not in mesh @mesh'):
        _propagate(text)
