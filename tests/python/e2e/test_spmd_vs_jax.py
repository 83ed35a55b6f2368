"""Sharded programs on 1, 2, 4 and 8 devices against JAX on 8 forced host devices.

Each program runs through hlox's API (``jit`` with shardings, sharded Arrays,
``with_sharding_constraint``, ``shard_map`` with each collective, ``grad`` through
``psum``) and, for some, through ``compile_stablehlo`` on JAX's own sharded text
(Shardy and GSPMD forms): the global values equal JAX's (float32 tolerance), every
input's per-device shard has JAX's shape, and so does every output's where the
program fixes its sharding.
"""

from __future__ import annotations

import spmd_devices  # (tests/python is on sys.path under pytest)

if not spmd_devices.INNER:
    test_on_8_devices = spmd_devices.outer_test(__file__)
else:
    import functools

    import jax
    import jax.numpy as jnp
    import numpy as np
    import pytest

    import hlox
    import hlox.numpy as hnp
    from hlox.sharding import NamedSharding, PartitionSpec as P

    JP = jax.sharding.PartitionSpec
    TOL = dict(rtol=2e-5, atol=2e-5)
    BACKENDS = ["interpreter", "cpu"]
    # Mesh shapes (data, model) per device count.
    MESHES = {1: (1, 1), 2: (2, 1), 4: (2, 2), 8: (4, 2)}

    def rand(shape, seed=0):
        return np.random.default_rng(seed).uniform(-1, 1, shape).astype(np.float32)

    def meshes(n, backend, names=("data", "model")):
        shape = MESHES[n]
        ours = hlox.make_mesh(shape, names, devices=hlox.devices(backend))
        theirs = jax.sharding.Mesh(np.array(jax.devices()[:n]).reshape(shape), names)
        return ours, theirs

    def ns(mesh, *spec):
        return NamedSharding(mesh, P(*spec))

    def jns(mesh, *spec):
        return jax.sharding.NamedSharding(mesh, JP(*spec))

    def assert_like_jax(ours, theirs, check_shards=True):
        ours_leaves = jax.tree_util.tree_leaves(ours)
        theirs_leaves = jax.tree_util.tree_leaves(theirs)
        assert len(ours_leaves) == len(theirs_leaves)
        for o, t in zip(ours_leaves, theirs_leaves):
            np.testing.assert_allclose(np.asarray(o), np.asarray(t), **TOL)
            if check_shards:
                assert [s.data.shape for s in o.addressable_shards] == \
                    [s.data.shape for s in t.addressable_shards]

    def put_both(value, mesh, jmesh, *spec):
        x = hlox.device_put(value, ns(mesh, *spec))
        y = jax.device_put(value, jns(jmesh, *spec))
        assert [s.data.shape for s in x.addressable_shards] == \
            [s.data.shape for s in y.addressable_shards]
        return x, y

    # -- programs ---------------------------------------------------------------------------

    def mlp(np_, x, w1, w2):
        return np_.tanh(x @ w1) @ w2

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [1, 2, 4, 8])
    def test_data_parallel_mlp(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((16, 8)), mesh, jmesh, ("data", "model"))
        w1, w2 = rand((8, 16), 1), rand((16, 4), 2)
        ours = hlox.jit(functools.partial(mlp, hnp), out_shardings=ns(mesh, ("data", "model")))
        theirs = jax.jit(functools.partial(mlp, jnp), out_shardings=jns(jmesh, ("data", "model")))
        assert_like_jax(ours(x, w1, w2), theirs(jx, w1, w2))

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_megatron_mlp(n, backend):
        # w1 split by columns, w2 by rows over "model": one all-reduce at the end.
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 8)), mesh, jmesh, "data", None)
        w1, jw1 = put_both(rand((8, 16), 1), mesh, jmesh, None, "model")
        w2, jw2 = put_both(rand((16, 8), 2), mesh, jmesh, "model", None)
        ours = hlox.jit(functools.partial(mlp, hnp), out_shardings=ns(mesh, "data", None))
        theirs = jax.jit(functools.partial(mlp, jnp), out_shardings=jns(jmesh, "data", None))
        assert_like_jax(ours(x, w1, w2), theirs(jx, jw1, jw2))

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [1, 2, 4, 8])
    def test_reductions_over_sharded_axes(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 12)), mesh, jmesh, "data", "model")

        def f(np_, a):
            return a.sum(0), a.max(1), np_.mean(a), (a * a).sum()
        out = hlox.jit(functools.partial(f, hnp), out_shardings=ns(mesh))(x)
        ref = jax.jit(functools.partial(f, jnp), out_shardings=jns(jmesh))(jx)
        assert_like_jax(out, ref)

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_constraints_and_reshards(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 8)), mesh, jmesh, "data", "model")

        def f(lax, s1, s2, a):
            b = lax.with_sharding_constraint(a.T * 2, s1)
            return lax.with_sharding_constraint(b + 1, s2)
        ours = hlox.jit(functools.partial(f, hlox.lax, ns(mesh, "model", "data"),
                                          ns(mesh, None, ("data", "model"))))
        theirs = jax.jit(functools.partial(f, jax.lax, jns(jmesh, "model", "data"),
                                           jns(jmesh, None, ("data", "model"))))
        assert_like_jax(ours(x), theirs(jx), check_shards=False)
        moved = hlox.device_put(x, ns(mesh, None, "data"))
        assert_like_jax(moved, jax.device_put(jx, jns(jmesh, None, "data")))

    SHARD_MAP_CASES = {
        "psum": (lambda lax, a: lax.psum(a, "data"), ("data", "model"), ("data", "model")),
        "pmean": (lambda lax, a: lax.pmean(a, ("data", "model")), ("data", "model"),
                  ("data", "model")),
        "pmax": (lambda lax, a: lax.pmax(a, "model"), ("data", "model"), ("data", "model")),
        "pmin": (lambda lax, a: lax.pmin(a, "data"), ("data", "model"), ("data", "model")),
        "all_gather": (lambda lax, a: lax.all_gather(a, "data", tiled=True), ("data", "model"),
                       (None, "model")),
        "all_gather_axis": (lambda lax, a: lax.all_gather(a, "model", axis=1),
                            ("data", "model"), ("data",)),
        "psum_scatter": (lambda lax, a: lax.psum_scatter(a, "model", scatter_dimension=1,
                                                         tiled=True),
                         ("data", None), ("data", "model")),
        "ppermute": (lambda lax, a: lax.ppermute(
            a, "data", perm=[(i, (i + 1) % lax.axis_size("data"))
                             for i in range(lax.axis_size("data"))]),
            ("data", "model"), ("data", "model")),
        "all_to_all": (lambda lax, a: lax.all_to_all(a, "model", 0, 1, tiled=True),
                       ("data", "model"), ("data", "model")),
        "axis_index": (lambda lax, a: a + lax.axis_index("data").astype(a.dtype) * 10 +
                       lax.axis_index("model").astype(a.dtype), ("data", "model"),
                       ("data", "model")),
    }

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [1, 2, 4, 8])
    @pytest.mark.parametrize("case", sorted(SHARD_MAP_CASES))
    def test_shard_map_collectives(case, n, backend):
        body, in_spec, out_spec = SHARD_MAP_CASES[case]
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 8)), mesh, jmesh, *in_spec)
        ours = hlox.jit(hlox.shard_map(functools.partial(body, hlox.lax), mesh=mesh,
                                       in_specs=P(*in_spec), out_specs=P(*out_spec),
                                       check_vma=False))
        theirs = jax.jit(jax.shard_map(functools.partial(body, jax.lax), mesh=jmesh,
                                       in_specs=JP(*in_spec), out_specs=JP(*out_spec),
                                       check_vma=False))
        assert_like_jax(ours(x), theirs(jx))

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [1, 2, 4, 8])
    def test_grad_through_psum(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 4)), mesh, jmesh, "data")
        w = rand((4, 4), 3)

        def loss(lax, sm, m, Spec, np_, w, a):
            def body(w, a):
                return lax.psum(np_.tanh(a @ w).sum(0), "data")
            return (sm(body, mesh=m, in_specs=(Spec(), Spec("data")), out_specs=Spec(),
                       check_vma=False)(w, a) ** 2).sum()
        ours = hlox.jit(hlox.grad(functools.partial(loss, hlox.lax, hlox.shard_map, mesh, P,
                                                    hnp), (0, 1)))(w, x)
        theirs = jax.jit(jax.grad(functools.partial(loss, jax.lax, jax.shard_map, jmesh, JP,
                                                    jnp), (0, 1)))(w, jx)
        assert_like_jax(ours, theirs, check_shards=False)

    # -- JAX's sharded text through compile_stablehlo ------------------------------------------

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("shardy", [True, False], ids=["shardy", "gspmd"])
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_compile_stablehlo_on_jax_sharded_text(n, shardy, backend):
        _, jmesh = meshes(n, backend)
        x, w1, w2 = rand((8, 8)), rand((8, 16), 1), rand((16, 8), 2)
        jitted = jax.jit(functools.partial(mlp, jnp),
                         in_shardings=(jns(jmesh, "data", None), jns(jmesh, None, "model"),
                                       jns(jmesh, "model", None)),
                         out_shardings=jns(jmesh, "data", None))
        previous = jax.config.jax_use_shardy_partitioner
        jax.config.update("jax_use_shardy_partitioner", shardy)
        try:
            text = jitted.lower(x, w1, w2).as_text()
        finally:
            jax.config.update("jax_use_shardy_partitioner", previous)
        compiled = hlox.compile_stablehlo(text, backend=backend)
        (out,) = compiled(x, w1, w2)
        np.testing.assert_allclose(np.asarray(out), np.asarray(jitted(x, w1, w2)), **TOL)
        assert [s.data.shape for s in out.addressable_shards] == \
            [s.data.shape for s in jitted(x, w1, w2).addressable_shards]
        assert len(out.sharding.device_set) == n
