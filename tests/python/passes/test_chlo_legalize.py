"""Numerics of hlox-chlo-legalize-to-stablehlo against JAX.

Each CHLO op is decomposed by our pass; the resulting StableHLO is compiled
and run by XLA's CPU client (jaxlib), and compared with JAX's own
implementation of the same function on the same inputs (float32 and float64;
the reference is JAX's float64 result rounded to the tested dtype).
Tolerances (relative, per dtype, and an absolute floor) are stated per case.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from jax import lax  # noqa: E402
from jax._src import xla_bridge  # noqa: E402
from jax._src.lib import xla_client  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import jax.scipy.special as sp  # noqa: E402
from mlir import ir  # noqa: E402

from hlox.dialects import make_context  # noqa: E402
from hlox.passes import pipeline  # noqa: E402
import hlox.passes  # noqa: E402,F401

MLIR_TYPE = {np.float32: "f32", np.float64: "f64", np.complex64: "complex<f32>"}


def decompose(text: str, canonicalize: bool = False) -> str:
    passes = ["hlox-chlo-legalize-to-stablehlo"]
    if canonicalize:  # must not change a single result
        passes.append("hlox-stablehlo-canonicalize")
    context = make_context()
    with context, ir.Location.unknown():
        module = ir.Module.parse(text)
        pipeline.build(passes, context).run(module.operation)
        text = module.operation.get_asm(print_generic_op_form=True)
        assert "chlo." not in text
        return text


def run_xla(text: str, *args: np.ndarray) -> list[np.ndarray]:
    backend = xla_bridge.get_backend("cpu")
    devices = xla_client.DeviceList(tuple(backend.local_devices()[:1]))
    executable = backend.compile_and_load(text, devices, xla_client.CompileOptions())
    with jax.enable_x64(True):  # keeps float64 inputs float64
        buffers = [jax.device_put(a, backend.local_devices()[0]) for a in args]
        return [np.asarray(o) for o in executable.execute(buffers)]


def chlo_module(op: str, dtype, n_in: int, n: int, result_dtype=None) -> str:
    t = f"tensor<{n}x{MLIR_TYPE[dtype]}>"
    rt = t if result_dtype is None else f"tensor<{n}x{result_dtype}>"
    args = ", ".join(f"%a{i}: {t}" for i in range(n_in))
    uses = ", ".join(f"%a{i}" for i in range(n_in))
    types = ", ".join([t] * n_in)
    return (f"func.func @main({args}) -> {rt} {{\n"
            f"  %0 = chlo.{op} {uses} : {types} -> {rt}\n"
            f"  return %0 : {rt}\n}}\n")


def grid(lo, hi, n=257):
    return lambda dtype: (np.linspace(lo, hi, n).astype(dtype),)


SPECIALS = [np.inf, -np.inf, np.nan, 0.0, -0.0]


def with_specials(lo, hi, n=251):
    return lambda dtype: (np.concatenate([np.linspace(lo, hi, n), SPECIALS]).astype(dtype),)


# name: (chlo op, inputs(dtype), reference fn (jax), rtol f32, rtol f64, atol)
CASES = {
    "erf": ("erf", with_specials(-6, 6), sp.erf, 2e-6, 4e-15, 1e-30),
    "erf_small": ("erf", grid(-1e-3, 1e-3), sp.erf, 2e-6, 4e-15, 0),
    "erfc": ("erfc", with_specials(-6, 9), sp.erfc, 5e-6, 4e-14, 1e-37),
    "erfc_far": ("erfc", grid(9, 26), sp.erfc, 1e-5, 5e-14, 1e-44),
    # float64: JAX's own erfinv is off by 4.4e-13 (relative) at |x| = 0.999999;
    # ours is within 4e-16 of mpmath there (checked by hand).
    "erf_inv": ("erf_inv", grid(-0.999999, 0.999999, 301), sp.erfinv, 4e-6, 1e-12, 1e-30),
    "erf_inv_edges": ("erf_inv", lambda d: (np.array([-1, 1, 0, 1.5, -2, np.nan], d),),
                      sp.erfinv, 1e-6, 1e-14, 0),
    "lgamma": ("lgamma", with_specials(0.01, 40), lax.lgamma, 5e-6, 1e-13, 1e-6),
    "lgamma_negative": ("lgamma", grid(-9.95, -0.05, 199), lax.lgamma, 5e-5, 5e-12, 1e-5),
    "lgamma_large": ("lgamma", grid(50, 1e6), lax.lgamma, 2e-6, 1e-14, 0),
    "digamma": ("digamma", grid(0.01, 40), lax.digamma, 5e-6, 1e-13, 1e-5),
    "digamma_negative": ("digamma", grid(-9.95, -0.05, 199), lax.digamma, 1e-4, 1e-10, 1e-4),
    "bessel_i1e": ("bessel_i1e", with_specials(-60, 60, 401), lax.bessel_i1e, 4e-6, 1e-14, 1e-30),
    "asin": ("asin", grid(-1, 1), jnp.arcsin, 2e-6, 1e-15, 0),
    "acos": ("acos", grid(-1, 1), jnp.arccos, 2e-6, 1e-15, 0),
    "atan": ("atan", with_specials(-50, 50), jnp.arctan, 2e-6, 1e-15, 0),
    "asinh": ("asinh", with_specials(-1e5, 1e5), jnp.arcsinh, 2e-6, 1e-15, 0),
    "asinh_small": ("asinh", grid(-1e-3, 1e-3), jnp.arcsinh, 2e-6, 1e-15, 0),
    "acosh": ("acosh", grid(1, 1e5), jnp.arccosh, 2e-6, 1e-15, 0),
    "atanh": ("atanh", grid(-1, 1), jnp.arctanh, 2e-6, 1e-15, 0),
    "sinh": ("sinh", with_specials(-88, 88), jnp.sinh, 4e-6, 1e-14, 0),
    "cosh": ("cosh", with_specials(-88, 88), jnp.cosh, 4e-6, 1e-14, 0),
    "tan": ("tan", grid(-1.5, 1.5), jnp.tan, 2e-6, 1e-15, 0),
    "square": ("square", with_specials(-10, 10), jnp.square, 0, 0, 0),
}

BINARY = {
    "zeta": ("zeta", lambda d: (np.linspace(1.5, 8, 101).astype(d), np.linspace(0.5, 20, 101).astype(d)),
             sp.zeta, 2e-5, 1e-12, 0),
    "polygamma": ("polygamma", lambda d: (np.tile(np.arange(0, 4), 25).astype(d), np.linspace(0.3, 20, 100).astype(d)),
                  lambda n, x: sp.polygamma(n.astype(int), x), 5e-5, 1e-11, 1e-6),
    "next_after": ("next_after", lambda d: (np.array([0, 0, 1, 1, -1, np.inf, 1, np.nan, 5, -0.0], d),
                                            np.array([1, -1, 2, 0, -2, 0, 1, 1, np.nan, 1], d)),
                   jnp.nextafter, 0, 0, 0),
}


def native_reference(fn, dtype, *args):
    with jax.enable_x64(dtype == np.float64):
        return np.asarray(fn(*[jnp.asarray(a) for a in args]))


def reference(fn, dtype, *args):
    """JAX's float64 result on the same inputs, rounded to dtype: float32
    results are checked against (nearly) the true value, not against JAX's
    float32 approximation (which is off by up to 1e-4 near lgamma's zeros)."""
    with jax.enable_x64(True):
        wide = np.asarray(fn(*[jnp.asarray(a.astype(np.float64)) for a in args]))
    return wide.astype(dtype)


@pytest.mark.parametrize("canonicalize", [False, True], ids=["", "canonicalized"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("case", sorted(CASES) + sorted(BINARY))
def test_chlo_numerics(case, dtype, canonicalize):
    op, make_inputs, fn, rtol32, rtol64, atol = {**CASES, **BINARY}[case]
    args = make_inputs(dtype)
    text = decompose(chlo_module(op, dtype, len(args), args[0].size), canonicalize)
    (got,) = run_xla(text, *args)
    # next_after is about the dtype's own bit patterns.
    want = (native_reference if op == "next_after" else reference)(fn, dtype, *args)
    assert got.dtype == want.dtype
    rtol = rtol32 if dtype == np.float32 else rtol64
    # XLA's CPU code flushes subnormal results to zero.
    atol = max(atol, 16 * float(np.finfo(dtype).tiny))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=f"chlo.{op} ({case}) on {args}")


@pytest.mark.parametrize("op,fn", [("is_inf", jnp.isinf), ("is_pos_inf", jnp.isposinf),
                                   ("is_neg_inf", jnp.isneginf)])
def test_inf_predicates(op, fn):
    x = np.array([0, 1, np.inf, -np.inf, np.nan, -3], np.float32)
    (got,) = run_xla(decompose(chlo_module(op, np.float32, 1, x.size, "i1")), x)
    np.testing.assert_array_equal(got, np.asarray(fn(x)))


@pytest.mark.parametrize("op,fn", [("asin", jnp.arcsin), ("acos", jnp.arccos), ("atan", jnp.arctan),
                                   ("asinh", jnp.arcsinh), ("acosh", jnp.arccosh), ("atanh", jnp.arctanh),
                                   ("sinh", jnp.sinh), ("cosh", jnp.cosh), ("square", jnp.square),
                                   ("conj", jnp.conj)])
def test_complex(op, fn):
    rng = np.random.default_rng(0)
    z = (rng.uniform(-2, 2, 64) + 1j * rng.uniform(-2, 2, 64)).astype(np.complex64)
    (got,) = run_xla(decompose(chlo_module(op, np.complex64, 1, z.size)), z)
    np.testing.assert_allclose(got, np.asarray(fn(z)), rtol=2e-5, atol=2e-6)


def test_top_k():
    context = make_context()
    context.load_all_available_dialects()
    if not context.is_registered_operation("stablehlo.sort"):
        pytest.skip("stablehlo.sort is not defined yet (ops-structured)")
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, (6, 9)).astype(np.float32)  # many ties
    text = decompose(
        "func.func @main(%x: tensor<6x9xf32>) -> (tensor<6x3xf32>, tensor<6x3xi32>) {\n"
        "  %v, %i = chlo.top_k(%x, k = 3) : tensor<6x9xf32> -> (tensor<6x3xf32>, tensor<6x3xi32>)\n"
        "  return %v, %i : tensor<6x3xf32>, tensor<6x3xi32>\n}\n")
    values, indices = run_xla(text, x)
    want_values, want_indices = lax.top_k(x, 3)
    np.testing.assert_array_equal(values, want_values)
    np.testing.assert_array_equal(indices, want_indices)


@pytest.mark.parametrize("op,fn", [("erf", sp.erf), ("lgamma", lax.lgamma), ("digamma", lax.digamma),
                                   ("asinh", jnp.arcsinh)])
@pytest.mark.parametrize("dtype", ["bf16", "f16"])
def test_narrow_floats(op, fn, dtype):
    """float16/bfloat16 are computed in float32 and rounded back."""
    import ml_dtypes

    np_dtype = ml_dtypes.bfloat16 if dtype == "bf16" else np.float16
    x = np.linspace(0.1, 4, 40).astype(np_dtype)
    text = (f"func.func @main(%x: tensor<40x{dtype}>) -> tensor<40x{dtype}> {{\n"
            f"  %0 = chlo.{op} %x : tensor<40x{dtype}> -> tensor<40x{dtype}>\n"
            f"  return %0 : tensor<40x{dtype}>\n}}\n")
    (got,) = run_xla(decompose(text), x)
    want = reference(fn, np.float32, x.astype(np.float32))
    eps = float(ml_dtypes.finfo(np_dtype).eps)
    np.testing.assert_allclose(got.astype(np.float32), want, rtol=eps, atol=eps)


INF, NAN = float("inf"), float("nan")
# (op, [(x, expected)]): special values and signs of zeros exactly, the rest
# to rtol 3e-6 (float32; lgamma(-2.5) sits next to a zero of lgamma) / 1e-12.
EDGES = [
    ("lgamma", [(1.0, 0.0), (2.0, 0.0), (0.0, INF), (-1.0, INF), (-2.0, INF), (INF, INF), (-INF, INF),
                (NAN, NAN), (-1e-30, 69.07755278982137), (1e-30, 69.07755278982137),
                (-2.5, -0.05624371649767405)]),
    ("digamma", [(1.0, -0.5772156649015329), (0.0, NAN), (-1.0, NAN), (-1e-30, 1e30), (NAN, NAN),
                 (INF, INF)]),
    ("erf", [(0.0, 0.0), (-0.0, -0.0), (INF, 1.0), (-INF, -1.0), (NAN, NAN)]),
    ("erfc", [(INF, 0.0), (-INF, 2.0), (NAN, NAN), (30.0, 0.0)]),
    ("erf_inv", [(1.0, INF), (-1.0, -INF), (0.0, 0.0), (1.5, NAN), (NAN, NAN)]),
    ("asinh", [(-0.0, -0.0), (INF, INF), (-INF, -INF)]),
    ("atanh", [(1.0, INF), (-1.0, -INF), (2.0, NAN)]),
    ("acosh", [(1.0, 0.0), (0.5, NAN), (INF, INF)]),
    ("bessel_i1e", [(0.0, 0.0), (INF, 0.0), (-INF, -0.0)]),
]


@pytest.mark.parametrize("op,pairs", EDGES, ids=[e[0] for e in EDGES])
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
def test_edges(op, pairs, dtype):
    x = np.array([p[0] for p in pairs], dtype)
    want = np.array([p[1] for p in pairs], dtype)
    (got,) = run_xla(decompose(chlo_module(op, dtype, 1, x.size)), x)
    rtol = 3e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got, want, rtol=rtol, atol=0, equal_nan=True)
    zeros = want == 0
    np.testing.assert_array_equal(np.signbit(got[zeros]), np.signbit(want[zeros]))


def test_top_k_specials():
    """nan, -nan, +-inf and signed zeros order as in JAX (total order)."""
    x = np.array([[1, np.nan, 3, -np.inf, np.inf, -0.0, 0.0, -np.nan]], np.float32)
    text = decompose(
        "func.func @main(%x: tensor<1x8xf32>) -> (tensor<1x8xf32>, tensor<1x8xi32>) {\n"
        "  %v, %i = chlo.top_k(%x, k = 8) : tensor<1x8xf32> -> (tensor<1x8xf32>, tensor<1x8xi32>)\n"
        "  return %v, %i : tensor<1x8xf32>, tensor<1x8xi32>\n}\n")
    values, indices = run_xla(text, x)
    want_values, want_indices = lax.top_k(x, 8)
    np.testing.assert_array_equal(indices, want_indices)
    np.testing.assert_array_equal(np.signbit(values), np.signbit(want_values))
    np.testing.assert_array_equal(values, want_values)
