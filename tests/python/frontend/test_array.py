"""hlox.Array and devices, checked against jax.Array and jax's device API."""

import copy
import os
import pickle
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox.backends.cpu.backend import CpuBackend


def both(value):
    """The same data as an hlox Array and a jax Array (both via device_put)."""
    return hlox.device_put(value), jax.device_put(value)


# -- devices -------------------------------------------------------------------------------


def test_devices_default_one_cpu_device():
    devices = hlox.devices()
    assert len(devices) == hlox.device_count() == hlox.local_device_count() >= 1
    d = devices[0]
    assert (d.platform, d.id, d.process_index) == ("cpu", 0, 0)
    assert repr(d) == repr(jax.devices("cpu")[0])  # CpuDevice(id=0)
    assert d.device_kind and hash(d) == hash(hlox.devices()[0]) and d == hlox.devices()[0]
    assert hlox.local_devices() == devices
    assert hlox.process_index() == 0 and hlox.process_count() == 1


def test_num_cpu_devices_from_the_environment():
    code = "import hlox; print(hlox.devices(), hlox.device_count())"
    env = dict(os.environ, JAX_NUM_CPU_DEVICES="4")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == ("[CpuDevice(id=0), CpuDevice(id=1), CpuDevice(id=2), "
                           "CpuDevice(id=3)] 4")


def test_num_cpu_devices_from_config_then_frozen():
    backend = CpuBackend()
    config = hlox.config
    saved = (config._num_cpu_devices, config._num_cpu_devices_used)
    try:
        config._num_cpu_devices_used = False
        config.update("jax_num_cpu_devices", 3)
        assert len(backend.devices()) == 3
        config.update("jax_num_cpu_devices", 3)  # the same value: fine
        with pytest.raises(RuntimeError, match="before backends are initialized"):
            config.update("jax_num_cpu_devices", 2)
        with pytest.raises(ValueError, match="jax_num_cpu_devices"):
            hlox.config.jax_num_cpu_devices = 0
    finally:
        config._num_cpu_devices, config._num_cpu_devices_used = saved


def test_interpreter_has_devices():
    (d,) = hlox.devices("interpreter")
    assert d.id == 0 and d.backend == "interpreter" and d != hlox.devices()[0]


# -- the Array's members ---------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    np.array([1.0, 2.0], np.float32),
    np.arange(6, dtype=np.int32).reshape(2, 3),
    np.array(3.5, np.float32),
    np.zeros((0, 3), np.float32),
    np.array([True, False]),
    1.0, 2, True,
    np.linspace(0, 1, 40, dtype=np.float32).reshape(4, 10),
])
def test_repr_str_and_attributes_match_jax(value):
    h, j = both(value)
    assert repr(h) == repr(j)
    assert str(h) == str(j)
    for name in ("shape", "dtype", "ndim", "size", "itemsize", "nbytes", "weak_type",
                 "is_fully_replicated"):
        assert getattr(h, name) == getattr(j, name), name


def test_sharding_devices_and_shards():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    h = hlox.device_put(x)
    (device,) = h.devices()
    assert device == hlox.devices()[0] and h.device == device
    assert isinstance(h.sharding, hlox.SingleDeviceSharding)
    assert h.sharding.device_set == {device}
    (shard,) = h.addressable_shards
    (jshard,) = jax.device_put(x).addressable_shards
    assert shard.device == device and shard.index == jshard.index
    np.testing.assert_array_equal(shard.data, x)
    assert h.block_until_ready() is h


def test_not_an_ndarray_subclass_but_numpy_takes_it():
    h = hlox.jit(lambda a: a * 2)(np.arange(3, dtype=np.float32))
    assert isinstance(h, hlox.Array) and isinstance(h, hnp.ndarray)
    assert not isinstance(h, np.ndarray)
    np.testing.assert_allclose(h, [0, 2, 4])
    # np.sum calls the array's own sum, as for jax arrays (which give jax arrays)
    assert np.sum(h) == 6 and isinstance(np.sum(h), hlox.Array)
    assert type(np.add(h, 1)) is np.ndarray  # numpy functions give numpy, as for jax
    a = np.asarray(h)
    assert type(a) is np.ndarray and not a.flags.writeable  # read-only, as JAX's CPU view
    assert np.asarray(h, dtype=np.float64).dtype == np.float64
    assert np.array(h, copy=True).flags.writeable
    assert f"{h[1]:.2f}" == f"{jnp.float32(2):.2f}" and format(h) == format(jnp.asarray(h))


def test_python_protocols_match_jax():
    h, j = both(np.array([3.0, 4.0], np.float32))
    assert len(h) == len(j) and h.tolist() == j.tolist()
    assert [repr(r) for r in h] == [repr(r) for r in j]
    s, js = both(np.array(7, np.int32))
    assert (int(s), float(s), bool(s), s.item(), [1, 2, 3, 4, 5, 6, 7, 8][s]) == \
        (int(js), float(js), bool(js), js.item(), [1, 2, 3, 4, 5, 6, 7, 8][js])
    with pytest.raises(TypeError):
        hash(h)
    with pytest.raises(TypeError):
        hash(j)
    with pytest.raises(TypeError):
        len(s)
    with pytest.raises(TypeError):
        iter(s)
    with pytest.raises(ValueError):
        bool(h)
    with pytest.raises(ValueError):
        bool(j)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "truediv", "floordiv", "pow", "lt",
                                "eq", "and"])
@pytest.mark.parametrize("a, b", [
    (np.array([1, 2, 3], np.int32), 2),
    (np.array([1, 2, 3], np.int32), 2.5),
    (np.array([1.5, 2.0], np.float32), np.array([2, 3], np.int32)),
    (np.array([1, 2], np.int8), np.array([3, 4], np.uint8)),
    (np.array([True, True]), 1),
])
def test_operators_promote_as_jax(op, a, b):
    import operator
    fn = getattr(operator, op + ("_" if op == "and" else ""))
    if op == "and" and (np.asarray(a).dtype.kind == "f" or isinstance(b, float)):
        pytest.skip("bitwise and of floats")
    ha, ja = both(a)
    hb, jb = (hlox.device_put(b), jax.device_put(b)) if isinstance(b, np.ndarray) else (b, b)
    for h, j in ((fn(ha, hb), fn(ja, jb)), (fn(hb, ha), fn(jb, ja))):
        assert isinstance(h, hlox.Array)
        assert (h.dtype, h.weak_type, h.shape) == (j.dtype, j.weak_type, j.shape)
        np.testing.assert_allclose(np.asarray(h, np.float64), np.asarray(j, np.float64),
                                   rtol=1e-6)


def test_numpy_array_on_the_left_defers_to_array():
    h = hlox.device_put(np.ones(3, np.float32))
    out = np.ones(3, np.int32) + h
    assert isinstance(out, hlox.Array) and out.dtype == np.float32


@pytest.mark.parametrize("method, args", [
    ("sum", ()), ("sum", (0,)), ("mean", ()), ("max", (1,)), ("min", ()), ("argmax", ()),
    ("argmin", (0,)), ("any", ()), ("all", ()), ("cumsum", (1,)), ("std", ()), ("var", (0,)),
    ("prod", ()), ("reshape", ((3, 2),)), ("transpose", ()), ("flatten", ()), ("ravel", ()),
    ("squeeze", ()), ("round", ()), ("clip", (1, 4)), ("astype", (np.float32,)),
    ("copy", ()), ("conj", ()), ("swapaxes", (0, 1)),
])
def test_methods_match_jax(method, args):
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    h, j = both(x)
    out_h, out_j = getattr(h, method)(*args), getattr(j, method)(*args)
    assert isinstance(out_h, hlox.Array)
    assert (out_h.dtype, out_h.shape) == (out_j.dtype, out_j.shape)
    np.testing.assert_allclose(out_h, out_j, rtol=1e-6)


def test_properties_match_jax():
    h, j = both(np.arange(6, dtype=np.float32).reshape(2, 3))
    for name in ("T", "mT", "real", "imag"):
        np.testing.assert_array_equal(getattr(h, name), getattr(j, name))
    np.testing.assert_array_equal(h.dot(h.T), j.dot(j.T))


def test_indexing_and_at_match_jax():
    h, j = both(np.arange(12, dtype=np.float32).reshape(3, 4))
    for index in (1, (1, 2), slice(1, None), (Ellipsis, 0), np.array([0, 2]),
                  (slice(None), None, 1)):
        np.testing.assert_array_equal(h[index], j[index])
        assert isinstance(h[index], hlox.Array)
    np.testing.assert_array_equal(h.at[0, 1].set(-1.0), j.at[0, 1].set(-1.0))
    np.testing.assert_array_equal(h.at[:, 1].add(2.0), j.at[:, 1].add(2.0))


def test_numpy_based_tools_take_it():
    import io

    h, j = both(np.arange(6, dtype=np.float32).reshape(2, 3))
    buffer = io.BytesIO()
    np.save(buffer, h)
    buffer.seek(0)
    np.testing.assert_array_equal(np.load(buffer), j)
    assert np.array_equal(np.stack([h, h]), np.stack([j, j]))
    assert repr(round(both(2.6)[0])) == repr(round(both(2.6)[1]))


def test_pickle_and_copy():
    h = hlox.device_put(np.arange(3, dtype=np.int32))
    for out in (pickle.loads(pickle.dumps(h)), copy.copy(h), copy.deepcopy(h), h.copy()):
        assert isinstance(out, hlox.Array) and out.dtype == h.dtype
        np.testing.assert_array_equal(out, h)
    weak = pickle.loads(pickle.dumps(hlox.device_put(1.0)))
    assert weak.weak_type and weak.dtype == jax.device_put(1.0).dtype


# -- device_put / device_get --------------------------------------------------------------


def test_device_put_and_get_pytrees():
    tree = {"a": np.ones(2, np.float32), "b": (3, 2.0)}
    put = hlox.device_put(tree)
    jput = jax.device_put(tree)
    for h, j in zip(hlox.tree_util.tree_leaves(put), jax.tree_util.tree_leaves(jput)):
        assert isinstance(h, hlox.Array)
        assert (h.dtype, h.weak_type) == (j.dtype, j.weak_type)
    got = hlox.device_get(put)
    assert all(type(v) is np.ndarray for v in hlox.tree_util.tree_leaves(got))
    x = np.ones(3, np.float32)
    h = hlox.device_put(x)
    x[0] = 5  # a copy: the Array does not change
    assert np.asarray(h)[0] == 1
    assert hlox.device_put(h) is h


def test_device_put_to_a_device_commits_and_jit_runs_there():
    device = hlox.devices()[-1]
    x = hlox.device_put(np.arange(3, dtype=np.float32), device)
    assert x.devices() == {device} and x.committed
    y = hlox.jit(lambda a: a + 1)(x)
    assert y.devices() == {device} and y.committed
    z = hlox.jit(lambda a: a + 1)(np.arange(3, dtype=np.float32))
    assert z.devices() == {hlox.devices()[0]} and not z.committed


def test_device_put_to_another_backend_moves_through_the_host():
    (interp,) = hlox.devices("interpreter")
    x = hlox.device_put(np.arange(3, dtype=np.float32))
    y = hlox.device_put(x, interp)
    assert y.devices() == {interp}
    out = hlox.jit(lambda a: a * 2)(y)
    assert out.devices() == {interp}
    np.testing.assert_array_equal(out, [0, 2, 4])


def test_device_put_bad_devices():
    x = np.ones(2, np.float32)
    with pytest.raises(TypeError, match="expected a device.*int 7"):
        hlox.device_put(x, 7)
    missing = hlox.Device("cpu", 7, "cpu")
    with pytest.raises(ValueError, match=r"backend 'cpu' has no CpuDevice\(id=7\)"):
        hlox.device_put(x, missing)
    unknown = hlox.Device("tpu", 0, "no-such-backend")
    with pytest.raises(ValueError, match="no-such-backend"):
        hlox.device_put(x, unknown)


def test_array_of_another_backend_given_to_an_executable():
    x = hlox.device_put(np.ones(2, np.float32), hlox.devices()[0])
    f = hlox.jit(lambda a: a + 1, backend="interpreter")
    with pytest.raises(ValueError, match=r"CpuDevice\(id=0\) of backend 'cpu'.*'interpreter'"):
        f(x)
    compiled = hlox.jit(lambda a: a + 1).lower(x).compile("interpreter")
    with pytest.raises(ValueError, match=r"CpuDevice\(id=0\) of backend 'cpu'.*"
                                         r"InterpreterDevice\(id=0\)"):
        compiled(x)
    # Uncommitted Arrays go where the computation runs, as in JAX.
    np.testing.assert_array_equal(f(hlox.device_put(np.ones(2, np.float32))), [2, 2])


# -- jit and eager results -----------------------------------------------------------------


def test_eager_results_are_arrays():
    x = np.arange(4, dtype=np.float32)
    for out in (hnp.sin(x), hnp.zeros(3), hnp.asarray(x), hnp.astype(x, np.int32),
                hlox.lax.add(x, x), hnp.reshape(x, (4,))):
        assert isinstance(out, hlox.Array), type(out)


def test_jit_results_fed_back_never_touch_the_host(monkeypatch):
    f = hlox.jit(lambda a, b: (a * b, a + b))
    x = np.arange(4, dtype=np.float32)
    a, b = f(x, x)
    a, b = f(a, b)  # compile for Array arguments
    calls = []
    for name in ("from_device", "to_device"):
        original = getattr(CpuBackend, name)
        monkeypatch.setattr(CpuBackend, name,
                            lambda self, *args, _o=original, _n=name: (calls.append(_n),
                                                                       _o(self, *args))[1])
    original_array = hlox.Array.__array__
    monkeypatch.setattr(hlox.Array, "__array__",
                        lambda self, *a, **k: (calls.append("__array__"),
                                               original_array(self, *a, **k))[1])
    for _ in range(3):
        a, b = f(a, b)
    assert calls == []
    monkeypatch.undo()
    ref_a, ref_b = x * x, x + x
    for _ in range(4):
        ref_a, ref_b = ref_a * ref_b, ref_a + ref_b
    np.testing.assert_allclose(a, ref_a, rtol=1e-6)
    np.testing.assert_allclose(b, ref_b, rtol=1e-6)


def test_jit_keeps_weak_types_of_array_arguments():
    f = hlox.jit(lambda a: a * 2)
    jf = jax.jit(lambda a: a * 2)
    h, j = f(hlox.device_put(1.0)), jf(jax.device_put(1.0))
    assert (h.dtype, h.weak_type) == (j.dtype, j.weak_type)
    assert f.trace_count == 1 and f(1.0).weak_type == jf(1.0).weak_type


def test_pjrt_devices_are_the_xla_clients_and_arrays_stay_there(monkeypatch):
    from hlox.backends import pjrt

    devices = hlox.devices("pjrt")
    assert [d.id for d in devices] == [d.id for d in jax.devices("cpu")]
    assert all(d.backend == "pjrt" and d.platform == "cpu" for d in devices)
    f = hlox.jit(lambda a: a * 2 + 1, backend="pjrt")
    x = f(np.arange(3, dtype=np.float32))
    assert x.devices() == {devices[0]}
    f(x)  # compiled for Array arguments
    calls = []
    for name in ("from_device", "to_device"):
        original = getattr(pjrt.PjrtBackend, name)
        monkeypatch.setattr(pjrt.PjrtBackend, name,
                            lambda self, *a, _o=original, _n=name: (calls.append(_n),
                                                                    _o(self, *a))[1])
    y = f(f(x))
    assert calls == []
    monkeypatch.undo()
    np.testing.assert_array_equal(y, ((np.arange(3) * 2 + 1) * 2 + 1) * 2 + 1)
