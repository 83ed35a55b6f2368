"""The StableHLO hlox emits for sharded programs has JAX's structure (8 CPU devices):
``sdy.mesh``, ``sdy.sharding`` on ``@main``, ``sdy.sharding_constraint``,
``sdy.manual_computation`` with the collectives JAX emits for each ``hlox.lax``
collective; their derivatives and batching; the errors that name the argument."""

from __future__ import annotations

import spmd_devices

if not spmd_devices.INNER:
    test_on_8_devices = spmd_devices.outer_test(__file__)
else:
    import collections
    import functools

    import jax
    import jax.numpy as jnp
    import numpy as np
    import pytest
    from mlir import ir

    import hlox
    import hlox.numpy as hnp
    from hlox.backends.base import parse_module
    from hlox.sharding import NamedSharding, PartitionSpec as P

    JP = jax.sharding.PartitionSpec
    COLLECTIVES = ("stablehlo.all_reduce", "stablehlo.all_gather", "stablehlo.reduce_scatter",
                   "stablehlo.all_to_all", "stablehlo.collective_permute",
                   "stablehlo.partition_id", "sdy.sharding_constraint",
                   "sdy.manual_computation")

    def meshes(sizes=(4, 2), names=("data", "model")):
        n = int(np.prod(sizes))
        return hlox.make_mesh(sizes, names), \
            jax.sharding.Mesh(np.array(jax.devices()[:n]).reshape(sizes), names)

    def structure(text: str) -> dict:
        """What must agree: module attributes, the mesh, @main's shardings, and every
        collective/sdy op with its attributes and types, in program order."""
        module = parse_module(text)
        attrs = {a: str(module.operation.attributes[a])
                 for a in ("mhlo.num_partitions", "mhlo.num_replicas")
                 if a in module.operation.attributes}
        meshes_, main, ops = [], {}, []
        for op in module.body.operations:
            op = op.operation
            if op.name == "sdy.mesh":
                meshes_.append(str(op.attributes["mesh"]))
            if op.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == "main":
                ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
                for key, count in (("arg_attrs", len(ftype.inputs)),
                                   ("res_attrs", len(ftype.results))):
                    dicts = list(op.attributes[key]) if key in op.attributes else [None] * count
                    main[key] = [str(ir.DictAttr(d)["sdy.sharding"])
                                 if d is not None and "sdy.sharding" in ir.DictAttr(d) else None
                                 for d in dicts]

        def visit(op):
            if op.name in COLLECTIVES:
                described = sorted((name, str(op.attributes[name])) for name in op.attributes)
                ops.append((op.name, described, [str(v.type) for v in op.operands],
                            [str(r.type) for r in op.results]))
            return ir.WalkResult.ADVANCE

        module.operation.walk(visit)
        return {"attrs": attrs, "meshes": meshes_, "main": main, "ops": ops}

    def assert_same_structure(ours: str, theirs: str):
        a, b = structure(ours), structure(theirs)
        for key in a:
            assert a[key] == b[key], f"{key} differs:\nours:\n{ours}\nJAX's:\n{theirs}"

    X = np.arange(32, dtype=np.float32).reshape(8, 4)

    def test_jit_shardings_as_jax():
        mesh, jmesh = meshes()
        s_in = (NamedSharding(mesh, P("data", None)), NamedSharding(mesh, P(None, "model")))
        s_out = NamedSharding(mesh, P("data", "model"))
        j_in = tuple(jax.sharding.NamedSharding(jmesh, JP(*s.spec)) for s in s_in)
        j_out = jax.sharding.NamedSharding(jmesh, JP("data", "model"))
        ours = hlox.jit(lambda a, b: hnp.tanh(a) @ b.T, in_shardings=s_in, out_shardings=s_out)
        theirs = jax.jit(lambda a, b: jnp.tanh(a) @ b.T, in_shardings=j_in, out_shardings=j_out)
        assert_same_structure(ours.lower(X, X).as_text(), theirs.lower(X, X).as_text())

    def test_array_shardings_flow_into_jit_as_jax():
        mesh, jmesh = meshes()
        x = hlox.device_put(X, NamedSharding(mesh, P("model", "data")))
        y = jax.device_put(X, jax.sharding.NamedSharding(jmesh, JP("model", "data")))
        ours = hlox.jit(lambda a: a * 2).lower(x).as_text()
        theirs = jax.jit(lambda a: a * 2).lower(y).as_text()
        assert_same_structure(ours, theirs)

    def test_sharding_constraint_as_jax():
        mesh, jmesh = meshes()
        x = hlox.device_put(X, NamedSharding(mesh, P("data", None)))
        y = jax.device_put(X, jax.sharding.NamedSharding(jmesh, JP("data", None)))
        ours = hlox.jit(lambda a: hlox.lax.with_sharding_constraint(
            a * 2, NamedSharding(mesh, P(None, "model"))).sum(0)).lower(x).as_text()
        theirs = jax.jit(lambda a: jax.lax.with_sharding_constraint(
            a * 2, jax.sharding.NamedSharding(jmesh, JP(None, "model"))).sum(0)).lower(y).as_text()
        assert_same_structure(ours, theirs)
        with mesh:  # a bare PartitionSpec inside `with mesh:`
            bare = hlox.jit(lambda a: hlox.lax.with_sharding_constraint(
                a * 2, P(None, "model")).sum(0)).lower(x).as_text()
        assert_same_structure(bare, theirs)

    def _body(lax, np_):
        def body(a, b):
            s = lax.psum(a, "data")
            m = lax.pmean(a, ("data", "model"))
            mx = lax.pmax(a, "model")
            mn = lax.pmin(a, "data")
            g = lax.all_gather(b, "data", tiled=True)
            g2 = lax.all_gather(b, "data", axis=1)
            rs = lax.psum_scatter(a, "model", scatter_dimension=1, tiled=True)
            rs2 = lax.psum_scatter(b, "model", scatter_dimension=0)
            pp = lax.ppermute(a, "data", perm=[(0, 1), (1, 2), (2, 3), (3, 0)])
            i = lax.axis_index("data")
            at = lax.all_to_all(b, "model", 0, 1, tiled=True)
            at2 = lax.all_to_all(b, "model", 0, 1)
            return s + m + mx + mn + pp + i, g, g2, rs, rs2, at, at2
        return body

    OUT_SPECS = ("data", "model"), (None, "model"), (None, None, "model"), ("data", "model"), \
        ("data",), ("data", "model"), ("data", "model")

    def test_shard_map_collectives_as_jax():
        mesh, jmesh = meshes()
        ours = hlox.jit(hlox.shard_map(
            _body(hlox.lax, hnp), mesh=mesh, in_specs=(P("data", "model"), P("data", "model")),
            out_specs=tuple(P(*s) for s in OUT_SPECS), check_vma=False))
        theirs = jax.jit(jax.shard_map(
            _body(jax.lax, jnp), mesh=jmesh, in_specs=(JP("data", "model"), JP("data", "model")),
            out_specs=tuple(JP(*s) for s in OUT_SPECS), check_vma=False))
        assert_same_structure(ours.lower(X, X).as_text(), theirs.lower(X, X).as_text())
        ours_shapes = [o.shape for o in hlox.jit(ours).eval_shape(X, X)]
        theirs_shapes = [o.shape for o in jax.eval_shape(theirs, X, X)]
        assert ours_shapes == theirs_shapes

    def _grad_program(lax, sm, mesh, Spec):
        def f(a, b):
            def body(a, b):
                y = lax.psum(a * b, "data")
                z = lax.all_gather(jnp.sin(a) if lax is jax.lax else hnp.sin(a), "model",
                                   tiled=True, axis=1)
                w = lax.ppermute(b, "data", perm=[(0, 1), (1, 2), (2, 3), (3, 0)])
                v = lax.psum_scatter(a * w, "model", scatter_dimension=1, tiled=True)
                return y, z, v
            y, z, v = sm(body, mesh=mesh, in_specs=(Spec("data", "model"), Spec("data")),
                         out_specs=(Spec(None, "model"), Spec("data"), Spec("data", "model")),
                         check_vma=False)(a, b)
            return (y ** 2).sum() + (z * 3).sum() + (v * v).sum()
        return f

    def test_grad_through_collectives_as_jax():
        mesh, jmesh = meshes()
        ours = hlox.jit(hlox.grad(_grad_program(hlox.lax, hlox.shard_map, mesh, P), (0, 1)))
        theirs = jax.jit(jax.grad(_grad_program(jax.lax, jax.shard_map, jmesh, JP), (0, 1)))
        b = X[:, :2] + 1
        a_ours, a_theirs = structure(ours.lower(X, b).as_text()), \
            structure(theirs.lower(X, b).as_text())
        # Every collective of JAX's gradient program (the transposes: reduce_scatter <->
        # all_gather, the inverse permutation, psum, the psum over the axis the replicated
        # input is not split on) is in ours, in kind, groups and shapes. (Ours may hold
        # more: hlox recomputes forward values in the backward shard_map where JAX
        # saves them as residuals.)
        def kinds(s):
            return collections.Counter(
                (name, tuple(v for k, v in attrs if k in ("replica_groups",
                                                          "source_target_pairs")),
                 tuple(ins), tuple(outs)) for name, attrs, ins, outs in s["ops"]
                if name.startswith("stablehlo."))
        missing = kinds(a_theirs) - kinds(a_ours)
        assert not missing, missing

    @pytest.mark.parametrize("lax_name", ["psum", "all_gather", "psum_scatter", "ppermute",
                                          "all_to_all", "pmean"])
    def test_collective_gradients_on_one_device_as_jax(lax_name):
        # A 1-device mesh runs today's single-device path: the values of the derivative
        # rules (JVP, transpose) against JAX's.
        mesh = hlox.make_mesh((1, 1), ("i", "j"))
        jmesh = jax.sharding.Mesh(np.array(jax.devices()[:1]).reshape(1, 1), ("i", "j"))
        calls = {"psum": lambda lax, x: lax.psum(x * x, "i"),
                 "pmean": lambda lax, x: lax.pmean(x * x, ("i", "j")),
                 "all_gather": lambda lax, x: lax.all_gather(x * x, "j", axis=1),
                 "psum_scatter": lambda lax, x: lax.psum_scatter(x * x, "i", tiled=True),
                 "ppermute": lambda lax, x: lax.ppermute(x * x, "i", perm=[(0, 0)]),
                 "all_to_all": lambda lax, x: lax.all_to_all(x * x, "j", 0, 1, tiled=True)}
        call = calls[lax_name]

        def f(lax, sm, m, Spec):
            return lambda x: (sm(functools.partial(call, lax), mesh=m, in_specs=Spec("i"),
                                 out_specs=Spec("i"), check_vma=False)(x) ** 3).sum()
        ours = hlox.grad(f(hlox.lax, hlox.shard_map, mesh, P))(X / 10)
        theirs = jax.grad(f(jax.lax, jax.shard_map, jmesh, JP))(X / 10)
        np.testing.assert_allclose(np.asarray(ours), np.asarray(theirs), rtol=2e-6, atol=1e-6)
        batched = hlox.vmap(lambda x: hlox.shard_map(
            functools.partial(call, hlox.lax), mesh=mesh, in_specs=P("i"), out_specs=P("i"),
            check_vma=False)(x))(np.stack([X, X + 1]))
        reference = jax.vmap(lambda x: jax.shard_map(
            functools.partial(call, jax.lax), mesh=jmesh, in_specs=JP("i"), out_specs=JP("i"),
            check_vma=False)(x))(np.stack([X, X + 1]))
        np.testing.assert_allclose(np.asarray(batched), np.asarray(reference), rtol=2e-6)

    # -- errors ---------------------------------------------------------------------------

    def test_shard_map_spec_errors_as_jax():
        mesh, jmesh = meshes()
        with pytest.raises(ValueError) as theirs:
            jax.shard_map(lambda a: a, mesh=jmesh, in_specs=JP("data", None, None),
                          out_specs=JP("data"))(X)
        with pytest.raises(ValueError) as ours:
            hlox.shard_map(lambda a: a, mesh=mesh, in_specs=P("data", None, None),
                           out_specs=P("data"))(X)
        assert str(ours.value).split("\n\n")[:2] == str(theirs.value).split("\n\n")[:2]
        with pytest.raises(ValueError, match="in_specs refers to 'x'"):
            hlox.shard_map(lambda a: a, mesh=mesh, in_specs=P("x"), out_specs=P("data"))(X)
        with pytest.raises(ValueError, match="out_specs entry which is too long"):
            hlox.jit(hlox.shard_map(lambda a: a.sum(), mesh=mesh, in_specs=P("data"),
                                    out_specs=P("data")))(X)
        with pytest.raises(ValueError, match="not evenly divisible"):
            hlox.shard_map(lambda a: a, mesh=mesh, in_specs=P("model", "data"),
                           out_specs=P("data"))(np.ones((2, 2), np.float32))

    def test_collective_axis_errors():
        mesh, _ = meshes()
        with pytest.raises(NameError, match="unbound axis name 'foo'.*'data', 'model'"):
            hlox.jit(hlox.shard_map(lambda a: hlox.lax.psum(a, "foo"), mesh=mesh,
                                    in_specs=P("data"), out_specs=P("data")))(X)
        with pytest.raises(NameError, match="unbound axis name 'data'"):
            hlox.jit(lambda a: hlox.lax.psum(a, "data"))(X)

    def test_jit_sharding_errors():
        mesh, _ = meshes()
        other = hlox.make_mesh((2, 4), ("data", "model"))
        x = hlox.device_put(X, NamedSharding(other, P("data")))
        f = hlox.jit(lambda a: a + 1, in_shardings=NamedSharding(mesh, P("data")))
        with pytest.raises(ValueError, match="argument 'a'.*does not match"):
            f(x)
        with pytest.raises(ValueError, match="divisible|partitioned 4 times"):
            hlox.jit(lambda a: a, in_shardings=NamedSharding(mesh, P("data")))(
                np.ones((6,), np.float32))
        with pytest.raises(ValueError, match="rank at least 3"):
            hlox.jit(lambda a: a, in_shardings=NamedSharding(mesh, P("data", None, None)))(X)

    def test_compile_stablehlo_needs_enough_devices():
        text = jax.jit(lambda a: a * 2, in_shardings=jax.sharding.NamedSharding(
            meshes()[1], JP("data"))).lower(X).as_text()
        sixteen = text.replace("num_partitions = 8", "num_partitions = 16").replace(
            '"model"=2', '"model"=4')
        with pytest.raises(hlox.backends.BackendError, match="16 devices.*has 8"):
            hlox.compile_stablehlo(sixteen)

    def test_shard_map_replication_check_as_jax():
        mesh, jmesh = meshes()

        def make(lax):
            def body(a, b):
                return lax.psum(a, "data"), lax.all_gather(b, "data", tiled=True), a * 2, \
                    lax.psum(lax.psum(a, "model"), "data")
            return body
        specs = [("data", "model"), (None, "model"), (None, "model"), ()]
        with pytest.raises(ValueError) as theirs:
            jax.jit(jax.shard_map(make(jax.lax), mesh=jmesh, in_specs=JP("data", "model"),
                                  out_specs=tuple(JP(*s) for s in specs))).lower(X, X)
        with pytest.raises(ValueError) as ours:
            hlox.jit(hlox.shard_map(make(hlox.lax), mesh=mesh, in_specs=P("data", "model"),
                                    out_specs=tuple(P(*s) for s in specs))).lower(X, X)
        assert str(ours.value).replace("hlox.shard_map", "jax.shard_map") == str(theirs.value)
        # Outputs shown replicated pass the check.
        fine = [("data", "model"), ("data", "model"), ("data", "model"), ()]
        hlox.jit(hlox.shard_map(make(hlox.lax), mesh=mesh, in_specs=P("data", "model"),
                                out_specs=tuple(P(*s) for s in fine))).lower(X, X)
