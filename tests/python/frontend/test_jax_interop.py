"""hlox with JAX's objects: ``jax.Array`` arguments (typed keys included) and
``ShapeDtypeStruct``s (JAX's and hlox's) for ``jit``/``lower``/``eval_shape``;
``compile_stablehlo`` of a JAX ``Lowered`` taking and returning the function's pytrees;
``debug.print`` and ``block_until_ready``. (A Flax NNX + Optax state:
tests/python/e2e/test_flax_optax.py and examples/flax_on_hlox.py.)"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
import hlox.random as hr

from test_numpy_api_extras import compare


def test_jit_takes_jax_arrays():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    f = hlox.jit(lambda d, y: {"s": d["a"] * 2 + y, "t": d["b"].sum()})
    out = f({"a": jnp.asarray(x), "b": jnp.arange(3)}, jnp.ones(3))
    compare(out, {"s": x * 2 + 1, "t": np.int32(3)})
    assert isinstance(out["s"], hlox.Array)
    out = f({"a": jnp.asarray(x), "b": jnp.arange(3)}, jnp.ones(3))  # the cached trace
    assert f.trace_count == 1
    compare(hlox.jit(lambda v: v + 1).lower(jnp.ones(2)).compile()(jnp.ones(2)), np.full(2, 2.0,
                                                                                     np.float32))


def test_jit_takes_jax_typed_keys():
    k = jax.random.key(3)
    compare(hlox.jit(lambda k: hr.normal(k, (4,)))(k), jax.random.normal(k, (4,)))
    split = hlox.jit(lambda k: hr.split(k))(k)
    assert split.shape == (2,)
    compare(hr.key_data(split), jax.random.key_data(jax.random.split(k)))


def test_lower_takes_shape_dtype_structs():
    f = hlox.jit(lambda a, b: (a @ b, a.sum(0)))
    for sds in (jax.ShapeDtypeStruct, hlox.ShapeDtypeStruct):
        lowered = f.lower(sds((3, 4), jnp.float32), sds((4, 2), jnp.float32))
        assert "tensor<3x4xf32>" in lowered.as_text()
        a, b = np.ones((3, 4), np.float32), np.ones((4, 2), np.float32)
        compare(lowered.compile()(a, b), (a @ b, a.sum(0)))
    key_lowered = hlox.jit(lambda k: hr.uniform(k, (2,))).lower(
        jax.ShapeDtypeStruct((), jax.random.key(0).dtype))
    compare(key_lowered.compile()(hr.key(1)), jax.random.uniform(jax.random.key(1), (2,)))
    with pytest.raises(TypeError, match="no data"):
        hlox.jit(lambda a: a)(hlox.ShapeDtypeStruct((2,), np.float32))


def test_eval_shape_is_jax():
    def f(x, y):
        return {"mm": x @ y, "sum": (x.sum(), 2 * x[0]), "w": x[0, 0] + 1.0}
    args = (jax.ShapeDtypeStruct((3, 4), jnp.float32), np.ones((4, 5), np.int32))
    ours, theirs = hlox.eval_shape(f, *args), jax.eval_shape(f, *args)
    assert jax.tree_util.tree_structure(ours) == jax.tree_util.tree_structure(theirs)
    for a, b in zip(jax.tree_util.tree_leaves(ours), jax.tree_util.tree_leaves(theirs)):
        assert isinstance(a, hlox.ShapeDtypeStruct)
        assert (a.shape, a.dtype, a.weak_type) == (b.shape, b.dtype, b.weak_type)
    s = hlox.ShapeDtypeStruct((2, 3), np.float32)
    assert (s.ndim, s.size, len(s)) == (2, 6, 2)
    assert repr(s) == "ShapeDtypeStruct(shape=(2, 3), dtype=float32)"
    assert s == hlox.ShapeDtypeStruct([2, 3], "float32") and hash(s) == hash(
        hlox.ShapeDtypeStruct((2, 3), np.float32))


def test_debug_print_and_block_until_ready(capsys):
    hlox.debug.print("x={x} y={}", hnp.arange(3), x=1.5)
    jax.debug.print("x={x} y={}", jnp.arange(3), x=1.5)
    ours, theirs = capsys.readouterr().out.splitlines()
    assert ours == theirs
    with pytest.raises(NotImplementedError, match="host callbacks"):
        hlox.jit(lambda v: hlox.debug.print("{}", v))(np.ones(2))
    tree = {"a": hnp.ones(2), "b": [np.zeros(1), 3]}
    assert hlox.block_until_ready(tree) is tree


def _step(state, batch, unused):
    new = {"w": state["w"] - 0.1 * batch.mean(0), "k": jax.random.split(state["k"])[0],
           "n": state["n"] + 1}
    return new, jnp.sum(jax.random.normal(state["k"], (3,)) * state["w"])


def test_compile_stablehlo_of_a_jax_lowered_keeps_pytrees():
    state = {"w": jnp.ones(3), "k": jax.random.key(0), "n": jnp.int32(0)}
    batch, unused = jnp.arange(6.0).reshape(2, 3), jnp.zeros(2)
    lowered = jax.jit(_step).lower(state, batch, unused)  # (JAX drops `unused` from @main)
    step = hlox.compile_stablehlo(lowered)
    ours, theirs = state, state
    for _ in range(3):
        ours, loss = step(ours, batch, unused)
        theirs, ref = jax.jit(_step)(theirs, batch, unused)
        assert jax.tree_util.tree_structure(ours) == jax.tree_util.tree_structure(theirs)
        assert jax.dtypes.issubdtype(ours["k"].dtype, jax.dtypes.prng_key)
        compare({**ours, "k": jax.random.key_data(ours["k"])},
                {**theirs, "k": jax.random.key_data(theirs["k"])})
        compare(loss, ref, tol={np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5)})
    # hlox's own typed keys and numpy arrays are accepted for JAX's leaves too
    hstate = {"w": np.ones(3, np.float32), "k": hr.key(0), "n": np.int32(0)}
    compare(step(hstate, np.asarray(batch), np.zeros(2, np.float32))[1],
            jax.jit(_step)(state, batch, unused)[1], tol={np.dtype(np.float32): dict(
                rtol=1e-5, atol=1e-5)})
    assert "stablehlo" in step.stages()
    with pytest.raises(TypeError, match="structure"):
        step(state, batch)
