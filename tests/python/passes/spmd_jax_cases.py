"""JAX programs on 8 forced host devices, lowered with their shardings.

Run as a script (in a subprocess, so that XLA_FLAGS applies before jax loads):
``python spmd_jax_cases.py OUT.pkl`` writes {name: (stablehlo text, global
arguments, JAX's global results)} for the SPMD partitioner's numerics tests.
"""

from __future__ import annotations

import pickle
import sys

import numpy as np


def build():
    import jax
    import jax.numpy as jnp
    from jax.sharding import AxisType, NamedSharding
    from jax.sharding import PartitionSpec as P

    rng = np.random.default_rng(0)
    cases = {}

    def r(*shape):
        return rng.standard_normal(shape).astype(np.float32)

    def make_mesh(shape, names):
        return jax.make_mesh(shape, names, axis_types=(AxisType.Auto,) * len(names))

    def add(name, f, args, mesh_shape, names, in_specs, out_specs):
        mesh = make_mesh(mesh_shape, names)
        S = lambda spec: NamedSharding(mesh, spec)  # noqa: E731
        jitted = jax.jit(f, in_shardings=tuple(S(s) for s in in_specs),
                         out_shardings=tuple(S(s) for s in out_specs))
        text = jitted.lower(*args).as_text()
        want = jax.jit(f)(*args)
        cases[name] = (text, list(args), [np.asarray(w) for w in want])

    def mlp(x, w1, w2):  # Megatron: column- then row-parallel
        h = jnp.tanh(x @ w1)
        return (h @ w2).sum(axis=0), jax.nn.softmax(h, axis=-1)

    for shape in [(1, 1), (1, 2), (2, 2), (2, 4)]:
        add(f"megatron_mlp_{shape[0]}x{shape[1]}", mlp, (r(8, 16), r(16, 32), r(32, 8)), shape,
            ("x", "y"), (P("x", None), P(None, "y"), P("y", None)), (P(), P("x", "y")))

    def loss_and_grad(w, x, y):
        def loss(w):
            return jnp.mean((jnp.tanh(x @ w) - y) ** 2)
        value, grad = jax.value_and_grad(loss)(w)
        return value, grad, w - 0.1 * grad

    for n in (2, 4, 8):  # data parallel, then FSDP (parameters split too)
        add(f"data_parallel_{n}", loss_and_grad, (r(8, 4), r(16, 8), r(16, 4)), (n,), ("d",),
            (P(), P("d"), P("d")), (P(), P(), P()))
        add(f"fsdp_{n}", loss_and_grad, (r(8, 4), r(16, 8), r(16, 4)), (n,), ("d",),
            (P("d"), P("d"), P("d")), (P(), P("d"), P("d")))

    def remat_step(w, x, y):  # jax.checkpoint: optimization_barrier in the backward pass
        @jax.checkpoint
        def layer(w, x):
            return jnp.tanh(x @ w)
        value, grad = jax.value_and_grad(lambda w: jnp.mean((layer(w, x) - y) ** 2))(w)
        return value, grad

    add("fsdp_remat_4", remat_step, (r(8, 4), r(16, 8), r(16, 4)), (4,), ("d",),
        (P("d"), P("d"), P("d")), (P(), P("d")))

    def attention(q, k, v, g):
        s = jnp.einsum("bhqd,bhkd->bhqk", q, k) / 2.0
        p = jax.nn.softmax(s, axis=-1)
        o = jnp.einsum("bhqk,bhkd->bhqd", p, v)
        mu = o.mean(-1, keepdims=True)
        ln = (o - mu) / jnp.sqrt(((o - mu) ** 2).mean(-1, keepdims=True) + 1e-5) * g
        return ln, p.max(axis=(1, 3))

    add("attention_heads_2x4", attention, (r(2, 4, 8, 8), r(2, 4, 8, 8), r(2, 4, 8, 8), r(8)),
        (2, 4), ("x", "y"), (P("x", "y"), P("x", "y"), P("x", "y"), P()), (P("x", "y"), P("x")))

    def constraints(a, b):
        t = jax.lax.with_sharding_constraint(a.T, NamedSharding(MESH, P("y", "x")))
        u = jax.lax.with_sharding_constraint(t.reshape(4, 32) * 2, NamedSharding(MESH, P(None, "y")))
        v = jax.lax.with_sharding_constraint(b[:, 1:7], NamedSharding(MESH, P(None, ("x", "y"))))
        w = jax.lax.with_sharding_constraint(u, NamedSharding(MESH, P("x", None))) + 1
        return u, v.sum(axis=1), jnp.exp(v).max(axis=1), w

    MESH = make_mesh((2, 4), ("x", "y"))
    add("constraints_2x4", constraints, (r(16, 8), r(8, 8)), (2, 4), ("x", "y"),
        (P("x", "y"), P("x")), (P(None, "y"), P("x"), P(), P("x")))

    def shard_map_collectives(a, b):
        mesh = make_mesh((2, 4), ("x", "y"))

        def body(a, b):
            s = jax.lax.psum(a, "y")
            g = jax.lax.all_gather(b, "y", tiled=True)
            perm = jax.lax.ppermute(a, "y", [(i, (i + 1) % 4) for i in range(4)])
            sc = jax.lax.psum_scatter(a, "y", scatter_dimension=1, tiled=True)
            t = jax.lax.all_to_all(a, "y", 1, 1, tiled=True)
            i = jax.lax.axis_index("x") * 4 + jax.lax.axis_index("y")
            return s, g, perm, sc, t, a * i.astype(jnp.float32), jax.lax.pmax(b, "x")

        f = jax.shard_map(body, mesh=mesh, check_vma=False, in_specs=(P("x", "y"), P("y")),
                          out_specs=(P("x"), P(), P("x", "y"), P("x", "y"), P("x", "y"),
                                     P("x", "y"), P("y")))
        return f(a, b)

    add("shard_map_2x4", shard_map_collectives, (r(4, 16), r(8)), (2, 4), ("x", "y"),
        (P("x", "y"), P("y")), (P("x"), P(), P("x", "y"), P("x", "y"), P("x", "y"), P("x", "y"),
                                 P("y")))

    def partial_shard_map(a, b):
        # Manual over "x" only; "y" stays automatic inside.
        mesh = make_mesh((2, 4), ("x", "y"))

        def body(a, b):
            return jax.lax.psum(a * b, "x"), jnp.tanh(a) @ b.T

        f = jax.shard_map(body, mesh=mesh, axis_names={"x"}, in_specs=(P("x"), P("x")),
                          out_specs=(P(), P("x")))
        return f(a, b)

    add("shard_map_partial_2x4", partial_shard_map, (r(8, 8), r(8, 8)), (2, 4), ("x", "y"),
        (P("x", "y"), P("x")), (P(), P("x", "y")))

    def scan_state(h, xs):
        def step(c, x):
            c = jnp.tanh(c * 0.5 + x)
            return c, c.sum()
        return jax.lax.scan(step, h, xs)

    add("scan_2", scan_state, (r(4, 8), r(5, 4, 8)), (2,), ("d",), (P("d"), P(None, "d")),
        (P("d"), P()))

    def conv(x, k):
        return (jax.lax.conv_general_dilated(x, k, (1, 1), "SAME",
                                             dimension_numbers=("NCHW", "OIHW", "NCHW")),)

    add("conv_2x2", conv, (r(4, 3, 6, 6), r(8, 3, 3, 3)), (2, 2), ("x", "y"),
        (P("x"), P("y")), (P("x", "y"),))

    def embed(table, ids):
        return (jnp.take(table, ids, axis=0) * 2.0,)

    def embed_grad(table, ids, w):  # the lookup's gradient: a scatter-add into the table
        return jax.value_and_grad(lambda t: (jnp.take(t, ids, axis=0) * w).sum())(table)

    add("embedding_grad_4", embed_grad,
        (r(16, 8), rng.integers(0, 16, (4, 6)).astype(np.int32), r(4, 6, 8)), (4,), ("d",),
        (P("d", None), P(), P()), (P(), P("d", None)))

    add("embedding_4", embed, (r(16, 8), rng.integers(0, 16, (4, 6)).astype(np.int32)), (4,),
        ("d",), (P("d", None), P()), (P(),))

    def uneven(x, y, ids):
        # Odd sizes (7, 10, 11, ...) inside: split over 2, 4 or 8 they pad.
        a = x[:, 1:8]
        b = jnp.concatenate([a, x[:, :3]], axis=1)
        c = jnp.pad(b, ((1, 2), (0, 1)), constant_values=0.5)
        d = jnp.sort(c, axis=0)
        e = jnp.cumsum(d, axis=1)
        f = e @ jnp.pad(y, ((0, 0), (0, 3)))[:11, :11]
        g = jnp.argmax(f, axis=1)
        h = jax.lax.dynamic_slice(f, (2, 3), (5, 7))
        i = jnp.arange(11.0)[None, :] * f
        n = (x > 0).astype(jnp.int32).sum(axis=0)
        r = x.reshape(4, 2, 12).transpose(1, 0, 2).reshape(2, 48)
        u = jax.lax.dynamic_update_slice(x, h[:3, :5] * 0.0, (1, 2))
        return (f, g, h.sum(), i.max(axis=0), jnp.take(x, ids, axis=1), jnp.flip(x, axis=1), n,
                r, u, jnp.min(e, axis=0), jnp.prod(c[:3, :4] * 0.5 + 1.0, axis=1))

    for shape in [(2, 1), (2, 2), (2, 4)]:
        add(f"uneven_{shape[0]}x{shape[1]}", uneven,
            (r(8, 12), r(12, 8), rng.integers(0, 12, (6,)).astype(np.int32)), shape, ("x", "y"),
            (P("x"), P(None, "y"), P()), (P(),) * 11)
    return cases


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as f:
        pickle.dump(build(), f)
