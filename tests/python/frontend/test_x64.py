"""JAX's 64-bit mode: hlox against JAX in the same mode, x64 off (the default) and on.

With x64 off every 64-bit value or dtype entering hlox becomes 32-bit (float64 -> float32,
int64 -> int32, uint64 -> uint32), and Python scalars and creation functions default to
int32/float32; with x64 on they stay 64-bit and the defaults are int64/float64. Each case
runs the same code under ``jax`` and ``hlox`` in the same mode and compares dtypes and values.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

from conftest import assert_close as same  # same dtype and shape, values within the dtype's tol

jax = pytest.importorskip("jax")
jnp = jax.numpy

MODES = pytest.mark.parametrize("x64", [False, True], ids=["x32", "x64"])
# Every dtype that the mode changes, and float32 (which it leaves alone).
DTYPES = [np.float64, np.int64, np.uint64, np.float32]


class mode:
    """``with mode(x64):`` sets the 64-bit mode in hlox and jax alike."""

    def __init__(self, x64: bool):
        self.contexts = [hlox.enable_x64(x64), jax.enable_x64(x64)]

    def __enter__(self):
        for c in self.contexts:
            c.__enter__()

    def __exit__(self, *exc):
        for c in reversed(self.contexts):
            c.__exit__(*exc)


def value(dtype, shape=(3,)):
    rng = np.random.default_rng(0)
    if np.dtype(dtype).kind == "f":
        return rng.uniform(0.5, 2.0, shape).astype(dtype)
    return rng.integers(0, 100, shape).astype(dtype)


def both(fn):
    """``fn`` under hlox and under jax (``fn(lib, np_module)``) in the current mode."""
    return fn(hlox, hnp), fn(jax, jnp)


# ---------------------------------------------------------------------------------------------
# Where values enter
# ---------------------------------------------------------------------------------------------

ENTRY_POINTS = {
    "asarray": lambda lib, lnp, x: lnp.asarray(x),
    "array": lambda lib, lnp, x: lnp.array(x),
    "jit_arg": lambda lib, lnp, x: lib.jit(lambda a: a * 3)(x),
    "jit_numpy_scalar": lambda lib, lnp, x: lib.jit(lambda a: a * 3)(x[0]),
    "vmap_arg": lambda lib, lnp, x: lib.vmap(lambda a: a + 1)(x),
    "closure_constant": lambda lib, lnp, x: lib.jit(lambda a: a + x)(lnp.ones(3, lnp.int32)),
    "eager_op": lambda lib, lnp, x: lnp.add(x, x),
    "python_int": lambda lib, lnp, x: lib.jit(lambda a: a + 1)(x),
    "python_float": lambda lib, lnp, x: lib.jit(lambda a: a * 0.5)(x),
}


@MODES
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_values_entering_hlox(entry, dtype, x64):
    x = value(dtype)
    with mode(x64):
        got, expected = both(lambda lib, lnp: ENTRY_POINTS[entry](lib, lnp, x))
    same(got, expected)


@MODES
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
def test_grad_argument(dtype, x64):
    x = value(dtype)
    with mode(x64):
        got, expected = both(lambda lib, lnp: lib.jit(lib.grad(lambda a: (a * a).sum()))(x))
        got_s, expected_s = both(lambda lib, lnp: lib.grad(lambda a: a * 3.0)(x[0]))
    same(got, expected)
    same(got_s, expected_s)


@MODES
def test_python_scalars_are_weak_in_both_modes(x64):
    f32 = value(np.float32)
    with mode(x64):
        same(hlox.jit(lambda a: a * 2.0 + 1)(f32), jax.jit(lambda a: a * 2.0 + 1)(f32))
        for s in (2.0, 3):  # alone: the mode's default width, weak
            same(hlox.jit(lambda a: a * 2)(s), jax.jit(lambda a: a * 2)(s))
            assert hnp.asarray(s).dtype == jnp.asarray(s).dtype


# ---------------------------------------------------------------------------------------------
# dtype= arguments and default dtypes
# ---------------------------------------------------------------------------------------------

DTYPE_ARGS = {
    "zeros": lambda lnp, dt: lnp.zeros(3, dtype=dt),
    "ones": lambda lnp, dt: lnp.ones((2, 2), dt),
    "full": lambda lnp, dt: lnp.full(3, 7, dtype=dt),
    "arange": lambda lnp, dt: lnp.arange(5, dtype=dt),
    "linspace": lambda lnp, dt: lnp.linspace(0, 10, 4, dtype=dt),
    "eye": lambda lnp, dt: lnp.eye(3, dtype=dt),
    "asarray": lambda lnp, dt: lnp.asarray([1, 2, 3], dtype=dt),
    "zeros_like": lambda lnp, dt: lnp.zeros_like(lnp.ones(2, lnp.float32), dtype=dt),
    "astype": lambda lnp, dt: lnp.arange(4).astype(dt),
    "astype_traced": lambda lnp, dt: (hlox if lnp is hnp else jax).jit(
        lambda a: a.astype(dt) * 2)(np.arange(4, dtype=np.int32)),
}


@MODES
@pytest.mark.parametrize("dtype", DTYPES + [float, int], ids=lambda d: np.dtype(d).name
                         if d not in (float, int) else d.__name__)
@pytest.mark.parametrize("fn", DTYPE_ARGS)
def test_dtype_arguments(fn, dtype, x64):
    if fn == "linspace" and np.dtype(dtype).kind == "u":
        pytest.skip("linspace from 0 to 10 in unsigned steps: not a dtype question")
    with mode(x64), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the truncation warning: tested below
        got, expected = both(lambda lib, lnp: DTYPE_ARGS[fn](lnp, dtype))
    same(got, expected)


DEFAULTS = {
    "arange_int": lambda lnp: lnp.arange(4),
    "arange_float": lambda lnp: lnp.arange(0.0, 2.0, 0.5),
    "linspace": lambda lnp: lnp.linspace(0, 1, 5),
    "eye": lambda lnp: lnp.eye(2),
    "zeros": lambda lnp: lnp.zeros(2),
    "full_float": lambda lnp: lnp.full(2, 1.5),
    "full_int": lambda lnp: lnp.full(2, 1),
    "array_list_float": lambda lnp: lnp.array([1.0, 2.5]),
    "array_list_int": lambda lnp: lnp.array([1, 2]),
    "sum_int8": lambda lnp: lnp.ones(3, lnp.int8).sum(),
    "sum_uint8": lambda lnp: lnp.ones(3, lnp.uint8).sum(),
    "sum_int32": lambda lnp: lnp.sum(lnp.arange(4, dtype=lnp.int32)),
    "mean_int32": lambda lnp: lnp.mean(lnp.arange(4, dtype=lnp.int32)),
    "mean_int": lambda lnp: lnp.arange(4).mean(),
    "divide_int": lambda lnp: lnp.arange(4) / 2,
    "int_plus_float": lambda lnp: lnp.arange(4, dtype=lnp.int32) + 1.5,
    "argmax": lambda lnp: lnp.argmax(lnp.ones(3)),
    "argsort": lambda lnp: lnp.argsort(lnp.arange(3.0)),
    "one_hot": lambda lnp: (hlox if lnp is hnp else jax).nn.one_hot(lnp.arange(3), 3),
}


@MODES
@pytest.mark.parametrize("fn", DEFAULTS)
def test_default_dtypes(fn, x64):
    with mode(x64):
        got, expected = both(lambda lib, lnp: DEFAULTS[fn](lnp))
    same(got, expected)


@MODES
def test_dtype_helpers(x64):
    with mode(x64), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for args in [(np.float64,), (float,), (int,), (np.int64, np.int8), (np.uint64,),
                     (np.float32, 1.0), (np.int32, 1.0), ("float64",), (np.ones(2),)]:
            assert hnp.result_type(*args) == jnp.result_type(*args), args
        for a, b in [(np.float32, np.float64), (np.int32, np.uint32), (np.int64, np.float16)]:
            assert hnp.promote_types(a, b) == jnp.promote_types(a, b), (a, b)
        assert hnp.dtype("float64") == jnp.dtype("float64")
        assert hnp.zeros(1, hnp.float_).dtype == jnp.zeros(1, jnp.float_).dtype
        assert hnp.zeros(1, hnp.int_).dtype == jnp.zeros(1, jnp.int_).dtype


KEY = np.array([0, 42], np.uint32)
RANDOM = {  # (draw, exact): JAX's numbers bit for bit where no transcendental is involved
    "uniform": (lambda r: r.uniform(KEY, (5,)), True),
    "uniform_f64": (lambda r: r.uniform(KEY, (5,), dtype=np.float64), True),
    "normal": (lambda r: r.normal(KEY, (5,)), False),
    "randint": (lambda r: r.randint(KEY, (6,), -100, 1000), True),
    "randint_i64": (lambda r: r.randint(KEY, (6,), -100, 2**40 if hlox.config.jax_enable_x64
                                        else 10**6, dtype=np.int64), True),
    "bits_u64": (lambda r: r.bits(KEY, (4,), dtype=np.uint64), True),
    "bits": (lambda r: r.bits(KEY, (4,)), True),
    "permutation": (lambda r: r.permutation(KEY, 5), True),
    "categorical": (lambda r: r.categorical(KEY, np.zeros(4)), True),
    "choice_weighted": (lambda r: r.choice(KEY, 5, (3,), replace=False, p=np.ones(5) / 5), True),
}


@MODES
@pytest.mark.parametrize("draw", RANDOM)
def test_random_dtypes_and_values(draw, x64):
    fn, exact = RANDOM[draw]
    with mode(x64), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        got, expected = both(lambda lib, lnp: fn(lib.random))
    if exact:
        assert np.asarray(got).dtype == np.asarray(expected).dtype
        np.testing.assert_array_equal(got, expected)
    else:  # erf_inv: a few ulps
        same(got, expected)


# ---------------------------------------------------------------------------------------------
# The truncation warning
# ---------------------------------------------------------------------------------------------


def test_truncation_warns_like_jax():
    with pytest.warns(UserWarning, match="Explicitly requested dtype float64 requested in zeros "
                      "is not available, and will be truncated to dtype float32") as record:
        assert hnp.zeros(3, dtype=hnp.float64).dtype == np.float32
    assert record[0].filename == __file__  # the user's line, not hlox's
    with pytest.warns(UserWarning, match="dtype int64 requested in astype .* dtype int32"):
        hnp.arange(3).astype(np.int64)
    with pytest.warns(UserWarning, match="dtype uint64 requested in asarray .* dtype uint32"):
        hnp.asarray([1, 2], dtype="uint64")


def test_no_warning_when_nothing_is_truncated():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hnp.zeros(3, dtype=float)  # Python types mean "the default": no warning (as JAX)
        hnp.zeros(3, dtype=np.float32)
        with hlox.enable_x64():
            assert hnp.zeros(3, dtype=np.float64).dtype == np.float64


# ---------------------------------------------------------------------------------------------
# Turning the mode on and off
# ---------------------------------------------------------------------------------------------


def test_jit_retraces_when_the_mode_changes():
    f = hlox.jit(lambda a: a + hnp.arange(3))
    x = np.arange(3, dtype=np.int32)
    assert f(x).dtype == np.int32
    with hlox.enable_x64():
        assert f(x).dtype == np.int64  # arange's default is int64 now: a new trace
        assert f(x).dtype == np.int64
    assert f(x).dtype == np.int32  # the first trace again, from the cache
    assert f.trace_count == 2
    # A float64 argument maps to a float32 trace with x64 off, a float64 one with it on.
    g = hlox.jit(lambda a: a * 2)
    assert g(np.ones(2)).dtype == np.float32
    with hlox.enable_x64():
        assert g(np.ones(2)).dtype == np.float64
    assert g(np.ones(2)).dtype == np.float32 and g.trace_count == 2


def test_enable_x64_restores_the_mode_even_on_exceptions():
    assert hlox.config.jax_enable_x64 is False
    with pytest.raises(ZeroDivisionError):
        with hlox.enable_x64():
            assert hlox.config.jax_enable_x64 is True
            with hlox.enable_x64(False):  # nested: off inside on
                assert hnp.arange(2).dtype == np.int32
            assert hnp.arange(2).dtype == np.int64
            1 / 0
    assert hlox.config.jax_enable_x64 is False
    assert hnp.arange(2).dtype == np.int32


def test_enable_x64_is_per_thread():
    seen = []
    with hlox.enable_x64():
        worker = threading.Thread(target=lambda: seen.append(hnp.arange(2).dtype))
        worker.start()
        worker.join()
        assert hnp.arange(2).dtype == np.int64
    assert seen == [np.int32]  # the other thread kept the global (default) mode


def test_config_update_and_environment(monkeypatch):
    try:
        hlox.config.update("jax_enable_x64", True)
        assert hlox.config.jax_enable_x64 is True and hnp.zeros(1).dtype == np.float64
        hlox.config.update("hlox_enable_x64", False)
        assert hnp.zeros(1).dtype == np.float32
        with pytest.raises(TypeError, match="jax_enable_x64 must be True or False, got 'no'"):
            hlox.config.update("jax_enable_x64", "no")
        for env, value, expected in [("JAX_ENABLE_X64", "1", True), ("JAX_ENABLE_X64", "false",
                                     False), ("HLOX_ENABLE_X64", "true", True)]:
            monkeypatch.delenv("JAX_ENABLE_X64", raising=False)
            monkeypatch.delenv("HLOX_ENABLE_X64", raising=False)
            monkeypatch.setenv(env, value)
            hlox.config.reset()  # the environment is read again
            assert hlox.config.jax_enable_x64 is expected, (env, value)
        monkeypatch.setenv("HLOX_ENABLE_X64", "maybe")
        hlox.config.reset()
        with pytest.raises(ValueError, match="HLOX_ENABLE_X64='maybe' is not a boolean"):
            hlox.config.jax_enable_x64
    finally:
        monkeypatch.undo()
        hlox.config.reset()
    assert hlox.config.jax_enable_x64 is False


def test_compile_stablehlo_keeps_explicit_64_bit_types():
    """A module's own types are not the frontend's: f64 stays f64 with x64 off."""
    text = """
    func.func @main(%x: tensor<3xf64>) -> tensor<3xf64> {
      %0 = stablehlo.add %x, %x : tensor<3xf64>
      return %0 : tensor<3xf64>
    }"""
    x = np.array([1.0, 2.0, 1e-300])  # 1e-300 underflows in float32
    out = hlox.compile_stablehlo(text)(x)
    out = out[0] if isinstance(out, (list, tuple)) else out
    assert np.asarray(out).dtype == np.float64
    np.testing.assert_array_equal(out, 2 * x)
