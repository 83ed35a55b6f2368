"""JAX programs with shardings (Shardy's #sdy in their StableHLO) on hlox's CPU backend.

With a Mesh — even of one CPU device — JAX prints ``sdy.mesh``,
``sdy.sharding`` argument/result attributes and ``sdy.sharding_constraint``.
compile_stablehlo must take that text as JAX prints it, and its results must
match JAX's (float32: rtol 2e-5, atol 2e-6 per unit of the result's scale).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P  # noqa: E402

import hlox  # noqa: E402
from hlox.dialects import make_context  # noqa: E402
from hlox.passes import pipeline  # noqa: E402
from mlir import ir  # noqa: E402


@pytest.fixture(scope="module")
def mesh():
    return Mesh(np.array(jax.devices()[:1]), ("x",))


def _check(jitted, *args):
    text = jitted.lower(*args).as_text()
    assert "sdy." in text  # the program really carries Shardy annotations
    got = hlox.compile_stablehlo(text, backend="cpu")(*[np.asarray(a) for a in args])
    want = jax.tree_util.tree_leaves(jitted(*args))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert g.shape == w.shape and g.dtype == w.dtype
        np.testing.assert_allclose(g, w, rtol=2e-5, atol=2e-6 * max(1.0, np.abs(w).max()))
    return text


def test_in_out_shardings_and_constraint(mesh):
    def f(x, w):
        y = jnp.tanh(x @ w)
        y = jax.lax.with_sharding_constraint(y, NamedSharding(mesh, P(None, "x")))
        return y.sum(axis=0), y * 2

    jitted = jax.jit(f, in_shardings=(NamedSharding(mesh, P("x", None)), NamedSharding(mesh, P())),
                     out_shardings=(NamedSharding(mesh, P()), NamedSharding(mesh, P("x"))))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 5), dtype=np.float32)
    w = rng.standard_normal((5, 3), dtype=np.float32)
    text = _check(jitted, x, w)
    assert "sdy.sharding_constraint" in text and "sdy.mesh" in text


def test_arrays_placed_on_a_mesh(mesh):
    # Shardings that come from the arguments (device_put), not from jit's options.
    x = jax.device_put(jnp.arange(12.0, dtype=jnp.float32).reshape(4, 3),
                       NamedSharding(mesh, P("x")))
    _check(jax.jit(lambda x: jnp.cumsum(jnp.sin(x), axis=0)), x)


def test_shard_map_over_one_device(mesh):
    f = jax.shard_map(lambda x: x * 3 + 1, mesh=mesh, in_specs=P("x"), out_specs=P("x"))
    _check(jax.jit(f, in_shardings=NamedSharding(mesh, P("x"))), np.ones((4, 2), np.float32))


@pytest.mark.parametrize("name", ["cholesky", "triangular_solve"])
def test_lapack_rules_parse_and_round_trip(name):
    # JAX attaches #sdy.op_sharding_rule to its LAPACK custom calls: hlox prints
    # them back exactly as JAX did.
    a = np.array([[4.0, 1.0], [1.0, 3.0]], np.float32)
    fn = {"cholesky": jnp.linalg.cholesky,
          "triangular_solve": lambda a: jax.scipy.linalg.solve_triangular(a, a, lower=True)}[name]
    text = jax.jit(fn).lower(a).as_text()
    rule = re.search(r"#sdy\.op_sharding_rule<.*?, custom>", text).group(0)
    with make_context():
        module = ir.Module.parse(text)
        assert module.operation.verify()
        assert rule in str(module)
        pipeline.build(["hlox-drop-sdy"], module.context).run(module.operation)
        assert "sdy" not in str(module)
