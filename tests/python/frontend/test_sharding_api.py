"""hlox.sharding (Mesh, NamedSharding, P), sharded Arrays, visualize_array_sharding,
and the errors, against JAX's on 8 CPU devices (hlox's and JAX's)."""

from __future__ import annotations

import spmd_devices

if not spmd_devices.INNER:
    test_on_8_devices = spmd_devices.outer_test(__file__)
else:
    import contextlib
    import io

    import jax
    import numpy as np
    import pytest

    import hlox
    from hlox.sharding import Mesh, NamedSharding, PartitionSpec as P

    JP = jax.sharding.PartitionSpec
    SPECS = [P(), P("data"), P("data", None), P(None, "model"), P("model", "data"),
             P(("data", "model")), P(("model", "data")), P(None, ("data", "model"))]

    def meshes(sizes, names):
        n = int(np.prod(sizes))
        ours = hlox.make_mesh(sizes, names)
        theirs = jax.sharding.Mesh(np.array(jax.devices()[:n]).reshape(sizes), names)
        return ours, theirs

    def jspec(spec):
        return JP(*spec)

    def test_mesh_as_jax():
        ours, theirs = meshes((4, 2), ("data", "model"))
        assert str(ours) == str(theirs)
        assert repr(ours) == repr(theirs)
        assert ours.shape == theirs.shape and ours.axis_names == theirs.axis_names
        assert ours.size == theirs.size and ours.axis_sizes == theirs.axis_sizes
        assert ours.shape_tuple == theirs.shape_tuple
        np.testing.assert_array_equal(ours.device_ids, theirs.device_ids)
        assert [d.id for d in ours.devices.flat] == [d.id for d in theirs.devices.flat]
        assert ours == hlox.make_mesh((4, 2), ("data", "model"))
        assert hash(ours) == hash(hlox.make_mesh((4, 2), ("data", "model")))

    def test_partition_spec_as_jax():
        for spec in [P(), P(None), P("a", None), P("a", ("b", "c")), P(("a",)), P("a")]:
            theirs = jspec(spec)
            assert repr(spec) == repr(theirs)
            assert len(spec) == len(theirs) and tuple(spec) == tuple(theirs)
        assert P("a", ("b",)) == P("a", "b")
        assert P("a") != P("b") and hash(P("a")) == hash(P("a"))
        assert hlox.P is P

    @pytest.mark.parametrize("spec", SPECS, ids=repr)
    def test_named_sharding_layout_as_jax(spec):
        ours_mesh, their_mesh = meshes((4, 2), ("data", "model"))
        ours, theirs = NamedSharding(ours_mesh, spec), \
            jax.sharding.NamedSharding(their_mesh, jspec(spec))
        assert repr(ours) == repr(theirs)
        shape = (16,) if len(spec) == 1 else (8, 8)
        assert ours.shard_shape(shape) == theirs.shard_shape(shape)
        assert ours.is_fully_replicated == theirs.is_fully_replicated
        ours_map = {d.id: i for d, i in ours.devices_indices_map(shape).items()}
        theirs_map = {d.id: i for d, i in theirs.devices_indices_map(shape).items()}
        assert ours_map == theirs_map
        value = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
        x = hlox.device_put(value, ours)
        y = jax.device_put(value, theirs)
        assert x.sharding == ours and x.committed
        assert x.is_fully_replicated == y.is_fully_replicated
        mine = [(s.device.id, s.index, s.replica_id, s.data.shape) for s in x.addressable_shards]
        jaxs = [(s.device.id, s.index, s.replica_id, s.data.shape) for s in y.addressable_shards]
        assert mine == jaxs
        for s, t in zip(x.addressable_shards, y.addressable_shards):
            np.testing.assert_array_equal(np.asarray(s.data), np.asarray(t.data))
        np.testing.assert_array_equal(np.asarray(x), value)
        assert repr(x) == repr(y)

    def test_device_put_pytree_and_resharding():
        mesh, _ = meshes((4, 2), ("data", "model"))
        a, b = NamedSharding(mesh, P("data")), NamedSharding(mesh, P(None, "model"))
        value = np.arange(32, dtype=np.float32).reshape(8, 4)
        tree = hlox.device_put({"x": value, "y": value}, {"x": a, "y": b})
        assert tree["x"].sharding == a and tree["y"].sharding == b
        moved = hlox.device_put(tree["x"], b)
        assert moved.sharding == b
        np.testing.assert_array_equal(np.asarray(moved), value)
        assert hlox.device_put(tree["x"], a) is tree["x"]
        single = hlox.device_put(tree["x"], hlox.devices()[3])
        assert single.sharding.device_set == {hlox.devices()[3]}
        np.testing.assert_array_equal(np.asarray(single), value)

    def test_make_array_from_callback_and_process_local_data():
        ours_mesh, their_mesh = meshes((4, 2), ("data", "model"))
        value = np.arange(32, dtype=np.float32).reshape(8, 4)
        ours = hlox.make_array_from_callback((8, 4), NamedSharding(ours_mesh, P("data", "model")),
                                             lambda index: value[index])
        theirs = jax.make_array_from_callback(
            (8, 4), jax.sharding.NamedSharding(their_mesh, JP("data", "model")),
            lambda index: value[index])
        for s, t in zip(ours.addressable_shards, theirs.addressable_shards):
            assert s.index == t.index
            np.testing.assert_array_equal(np.asarray(s.data), np.asarray(t.data))
        local = hlox.make_array_from_process_local_data(NamedSharding(ours_mesh, P("data")), value)
        np.testing.assert_array_equal(np.asarray(local), value)
        assert local.sharding.spec == P("data")

    def _printed(fun, *args):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            fun(*args)
        return out.getvalue()

    @pytest.mark.parametrize("shape,spec", [((8, 4), P("data", None)), ((8, 4), P("model", "data")),
                                            ((16,), P(("data", "model"))), ((8, 4), P()),
                                            ((8, 8), P("data", "model")), ((16,), P("model"))],
                             ids=str)
    def test_visualize_array_sharding_as_jax(shape, spec):
        pytest.importorskip("rich")
        ours_mesh, their_mesh = meshes((4, 2), ("data", "model"))
        value = np.zeros(shape, np.float32)
        x = hlox.device_put(value, NamedSharding(ours_mesh, spec))
        y = jax.device_put(value, jax.sharding.NamedSharding(their_mesh, jspec(spec)))
        ours = _printed(hlox.debug.visualize_array_sharding, x)
        theirs = _printed(jax.debug.visualize_array_sharding, y)
        assert ours == theirs, "\n" + ours + "\n" + theirs

    # -- errors ---------------------------------------------------------------------------

    def _jax_error(fun):
        with pytest.raises(Exception) as info:
            fun()
        return info

    def test_errors_as_jax():
        ours_mesh, their_mesh = meshes((4, 2), ("data", "model"))
        theirs = _jax_error(lambda: jax.sharding.NamedSharding(their_mesh, JP("x")))
        with pytest.raises(ValueError) as ours:
            NamedSharding(ours_mesh, P("x"))
        assert str(ours.value) == str(theirs.value)
        theirs = _jax_error(lambda: jax.sharding.NamedSharding(their_mesh, JP("data", "data")))
        with pytest.raises(ValueError) as ours:
            NamedSharding(ours_mesh, P("data", "data"))
        assert str(ours.value) == str(theirs.value)
        theirs = _jax_error(lambda: jax.device_put(
            np.ones((6, 4)), jax.sharding.NamedSharding(their_mesh, JP("data"))))
        with pytest.raises(ValueError) as ours:
            hlox.device_put(np.ones((6, 4), np.float32), NamedSharding(ours_mesh, P("data")))
        assert str(ours.value) == str(theirs.value)
        theirs = _jax_error(lambda: jax.device_put(
            np.ones(6), jax.sharding.NamedSharding(their_mesh, JP("data", None))))
        with pytest.raises(ValueError) as ours:
            hlox.device_put(np.ones(6, np.float32), NamedSharding(ours_mesh, P("data", None)))
        assert str(ours.value) == str(theirs.value)
        theirs = _jax_error(lambda: jax.make_mesh((4, 4), ("a", "b")))
        with pytest.raises(ValueError, match="Number of devices 8 must be >= the product of "
                                             r"mesh_shape \(4, 4\)"):
            hlox.make_mesh((4, 4), ("a", "b"))
        assert "Number of devices 8 must be >= the product" in str(theirs.value)
        theirs = _jax_error(lambda: jax.sharding.Mesh(np.array(jax.devices()).reshape(4, 2),
                                                      ("data",)))
        with pytest.raises(ValueError) as ours:
            Mesh(np.array(hlox.devices(), dtype=object).reshape(4, 2), ("data",))
        assert str(ours.value) == str(theirs.value)

    def test_eager_operations_on_sharded_arrays():
        mesh, _ = meshes((4, 2), ("data", "model"))
        sharding = NamedSharding(mesh, P("data", "model"))
        value = np.arange(64, dtype=np.float32).reshape(8, 8)
        x = hlox.device_put(value, sharding)
        y = x * 2 + 1  # same shape: laid out like its operand
        assert y.sharding == sharding and y.committed
        np.testing.assert_array_equal(np.asarray(y), value * 2 + 1)
        total = x.sum(0)  # another shape: on the mesh's first device, committed
        assert total.sharding.device_set == {mesh.devices.flat[0]} and total.committed
        np.testing.assert_array_equal(np.asarray(total), value.sum(0))
        other = hlox.device_put(value, NamedSharding(mesh, P("model")))
        assert (x + other).sharding == sharding  # same devices: the first operand's layout
        elsewhere = hlox.device_put(value, hlox.devices()[0])
        with pytest.raises(ValueError, match="committed to different devices"):
            x + elsewhere
