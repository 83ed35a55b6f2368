"""Sharded programs on 1, 2, 4 and 8 devices against JAX on 8 forced host devices.

Each program runs through hlox's API (``jit`` with shardings, sharded Arrays,
``with_sharding_constraint``, ``shard_map`` with each collective, ``grad`` through
``psum``; data and tensor (Megatron) parallel MLPs, FSDP-style parameters, layernorm
and softmax, attention split by heads, a sharded embedding table, a batch-split
convolution, ``scan`` over sharded state) and, for some, through ``compile_stablehlo``
on JAX's own sharded text (Shardy and GSPMD forms), on the interpreter and the cpu
backend: the global values equal JAX's (float32 tolerance), every
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

    # -- the model pieces issue 11 lists ------------------------------------------------------

    def _layernorm_softmax(np_, x):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        y = (x - mean) / np_.sqrt(var + 1e-5)
        e = np_.exp(y - y.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)

    def _attention(np_, q, k, v):
        scores = np_.einsum("bhqd,bhkd->bhqk", q, k) / 2.0
        weights = np_.exp(scores - scores.max(-1, keepdims=True))
        weights = weights / weights.sum(-1, keepdims=True)
        return np_.einsum("bhqk,bhkd->bhqd", weights, v)

    def _fsdp_step(np_, params, x):
        h = np_.tanh(x @ params["w1"])
        return ((h @ params["w2"]) ** 2).mean()

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_layernorm_softmax_rows_sharded(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 16)), mesh, jmesh, "data", "model")
        out = hlox.jit(functools.partial(_layernorm_softmax, hnp),
                       out_shardings=ns(mesh, "data", None))(x)
        ref = jax.jit(functools.partial(_layernorm_softmax, jnp),
                      out_shardings=jns(jmesh, "data", None))(jx)
        assert_like_jax(out, ref)

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_attention_heads_sharded(n, backend):
        mesh, jmesh = meshes(n, backend)
        qkv = [put_both(rand((4, 4, 8, 4), s), mesh, jmesh, "data", "model") for s in range(3)]
        out = hlox.jit(functools.partial(_attention, hnp),
                       out_shardings=ns(mesh, "data", "model"))(*[a for a, _ in qkv])
        ref = jax.jit(functools.partial(_attention, jnp),
                      out_shardings=jns(jmesh, "data", "model"))(*[b for _, b in qkv])
        assert_like_jax(out, ref)

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_fsdp_sharded_parameters_grad(n, backend):
        mesh, jmesh = meshes(n, backend)
        w1, jw1 = put_both(rand((16, 32), 1), mesh, jmesh, ("data", "model"), None)
        w2, jw2 = put_both(rand((32, 8), 2), mesh, jmesh, ("data", "model"), None)
        x, jx = put_both(rand((8, 16)), mesh, jmesh, "data", None)
        ours = hlox.jit(hlox.value_and_grad(functools.partial(_fsdp_step, hnp)))(
            {"w1": w1, "w2": w2}, x)
        theirs = jax.jit(jax.value_and_grad(functools.partial(_fsdp_step, jnp)))(
            {"w1": jw1, "w2": jw2}, jx)
        assert_like_jax(ours, theirs, check_shards=False)

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_embedding_lookup_sharded_table(n, backend):
        mesh, jmesh = meshes(n, backend)
        table, jtable = put_both(rand((16, 8)), mesh, jmesh, None, "model")
        ids = np.array([[0, 3, 15, 7], [1, 1, 9, 2]], np.int32)
        out = hlox.jit(lambda t, i: t[i].sum(1))(table, ids)
        ref = jax.jit(lambda t, i: t[i].sum(1))(jtable, ids)
        assert_like_jax(out, ref, check_shards=False)

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_conv_batch_sharded(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 3, 8, 8)), mesh, jmesh, "data")
        w = rand((4, 3, 3, 3), 1)

        def conv(lax, a, k):
            return lax.conv_general_dilated(a, k, (1, 1), "SAME")
        out = hlox.jit(functools.partial(conv, hlox.lax))(x, w)
        ref = jax.jit(functools.partial(conv, jax.lax))(jx, w)
        assert_like_jax(out, ref, check_shards=False)

    JAX_TEXT_PROGRAMS = {
        "layernorm_softmax": (functools.partial(_layernorm_softmax, jnp),
                              [((8, 16), ("data", "model"))], ("data", None)),
        "attention": (functools.partial(_attention, jnp),
                      [((4, 4, 8, 4), ("data", "model"))] * 3, ("data", "model")),
        "fsdp_grad": (jax.grad(lambda w1, w2, x: _fsdp_step(jnp, {"w1": w1, "w2": w2}, x),
                               (0, 1)),
                      [((16, 32), (("data", "model"), None)), ((32, 8), (("data", "model"),)),
                       ((8, 16), ("data",))], None),
    }

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("shardy", [True, False], ids=["shardy", "gspmd"])
    @pytest.mark.parametrize("program", sorted(JAX_TEXT_PROGRAMS))
    def test_compile_stablehlo_programs(program, shardy, backend):
        _, jmesh = meshes(8, backend)
        fun, args, out_spec = JAX_TEXT_PROGRAMS[program]
        values = [rand(shape, i) for i, (shape, _) in enumerate(args)]
        jitted = jax.jit(fun, in_shardings=tuple(jns(jmesh, *spec) for _, spec in args),
                         out_shardings=None if out_spec is None else jns(jmesh, *out_spec))
        previous = jax.config.jax_use_shardy_partitioner
        jax.config.update("jax_use_shardy_partitioner", shardy)
        try:
            text = jitted.lower(*values).as_text()
        finally:
            jax.config.update("jax_use_shardy_partitioner", previous)
        outs = hlox.compile_stablehlo(text, backend=backend)(*values)
        assert_like_jax(list(outs), jax.tree_util.tree_leaves(jitted(*values)),
                        check_shards=out_spec is not None)

    @pytest.mark.parametrize("backend", BACKENDS)
    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_scan_over_sharded_state(n, backend):
        mesh, jmesh = meshes(n, backend)
        x, jx = put_both(rand((8, 4)), mesh, jmesh, "data")
        w = rand((4, 4), 1) / 2

        def run(lax, np_, s, w):
            def step(c, _):
                c = np_.tanh(c @ w)
                return c, c.sum()
            return lax.scan(step, s, None, length=3)
        out = hlox.jit(functools.partial(run, hlox.lax, hnp))(x, w)
        ref = jax.jit(functools.partial(run, jax.lax, jnp))(jx, w)
        assert_like_jax(out, ref, check_shards=False)

    @pytest.mark.parametrize("n", [2, 4, 8])
    def test_cost_analysis_counts_the_gradient_all_reduce(n):
        # Data parallel: each device all-reduces the whole gradient (and the loss), which a
        # ring moves as 2 (n-1)/n of their bytes per device.
        mesh = hlox.make_mesh((n,), ("data",))
        x = hlox.device_put(rand((16, 32)), NamedSharding(mesh, P("data")))
        w = rand((32, 8), 1)
        step = hlox.jit(hlox.value_and_grad(lambda w, x: hnp.tanh(x @ w).sum()))
        cost = step.lower(w, x).compile().cost_analysis()
        loss_bytes = 4
        assert cost["collective bytes all_reduce"] == 2 * (n - 1) / n * (w.nbytes + loss_bytes)
        assert cost["collectives"] == 2
