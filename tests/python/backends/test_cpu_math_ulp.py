"""Float32 elementwise math on the cpu backend stays within the max ulp errors README
documents (measured over all float32 inputs by benchmarks/math_ulp.py), on a sample of
bit patterns spread over every exponent plus the edge values; float16 and bfloat16
(computed in float32) within one of their own ulps of the exact result."""

import importlib.util
import pathlib

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

_TOOL = pathlib.Path(__file__).resolve().parents[3] / "benchmarks" / "math_ulp.py"
_spec = importlib.util.spec_from_file_location("math_ulp", _TOOL)
math_ulp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(math_ulp)

# README's table (hlox cpu, max ulp over float32 inputs with normal results), rounded up
# to a tenth (some columns there come from every 17th input, not all)
BOUNDS = {"exp": 1.0, "log": 0.9, "log1p": 2.5, "expm1": 2.5, "tanh": 1.4, "logistic": 2.4,
          "erf": 2.0, "sin": 0.51, "cos": 0.51, "rsqrt": 1.5, "pow": 0.51}

EDGES = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 2.0 ** -126, -(2.0 ** -126),
                  np.finfo(np.float32).max, -np.finfo(np.float32).max, 88.72283, 88.72284,
                  -87.33654, -103.9, -104.1, 0.625, -0.625, 9.9, 10.1, 1e-20, -1e-20,
                  0.70710677, 0.7071068, 1.4142135, 3.1415927, 1.5707964, 1e22, 16367173.0,
                  -1.6367173e7 * 2.0 ** 72], np.float32)


def _sample(count: int = 1 << 17) -> np.ndarray:
    bits = np.random.default_rng(0).integers(0, 1 << 32, count, dtype=np.uint64)
    x = bits.astype(np.uint32).view(np.float32)
    keep = ~np.isnan(x) & ((np.abs(x) >= math_ulp.TINY) | (x == 0))
    return np.concatenate([x[keep], EDGES])


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_float32_within_documented_ulp(name):
    ours, _, reference = math_ulp.functions()[name]
    x = _sample()
    with np.errstate(all="ignore"):
        ref = reference(x.astype(np.float64))
    worst, special = math_ulp.ulp_errors(np.asarray(hlox.jit(ours)(x)), ref)
    assert special == 0, f"{name}: {special} NaN/inf/subnormal results differ from the reference"
    assert worst <= BOUNDS[name], f"{name}: {worst:.2f} ulp > documented {BOUNDS[name]}"


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name,fn,reference", [
    ("exp", hnp.exp, np.exp), ("log", hnp.log, np.log), ("tanh", hnp.tanh, np.tanh),
    ("log1p", hnp.log1p, np.log1p), ("expm1", hnp.expm1, np.expm1), ("sin", hnp.sin, np.sin),
    ("cos", hnp.cos, np.cos)])
def test_narrow_floats_within_one_ulp(name, fn, reference, dtype):
    dtype = np.dtype(getattr(hnp, dtype))
    # every finite value of the type (2^16 bit patterns), NaN and infinities included
    x = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(dtype)
    got = np.asarray(hlox.jit(fn)(x)).astype(np.float64)
    with np.errstate(all="ignore"):
        ref = reference(x.astype(np.float64))
        rounded = ref.astype(dtype).astype(np.float64)
    finite = np.isfinite(rounded)
    tiny = float(np.finfo(dtype).smallest_normal)
    eps = float(np.finfo(dtype).eps)
    # one ulp of the type at the exact result (at least the smallest normal's ulp)
    tol = np.maximum(np.abs(ref[finite]), tiny) * eps
    assert np.all(np.abs(got[finite] - ref[finite]) <= tol), name
    np.testing.assert_array_equal(got[~finite], rounded[~finite])


def test_pow_special_values_as_powf():
    """Zeros (signed), infinities, NaN, +-1, negative bases with integer and
    non-integer exponents: C's powf (numpy's float64 power rounded to float32)."""
    values = np.array([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0, np.inf, -np.inf,
                       np.nan, 2.5, -2.5, 3.4e38, 1e-30, 16777216.0, 1e10, -1e10, 0.9999999,
                       1.0000001], np.float32)
    x, y = (a.ravel() for a in np.meshgrid(values, values))
    got = np.asarray(hlox.jit(hnp.power)(x, y))
    with np.errstate(all="ignore"):
        expected = np.power(x.astype(np.float64), y.astype(np.float64)).astype(np.float32)
    np.testing.assert_array_equal(got, expected)
    number = ~np.isnan(expected)  # (a NaN's sign bit means nothing)
    np.testing.assert_array_equal(np.signbit(got[number]), np.signbit(expected[number]))
