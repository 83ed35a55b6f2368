"""hlox-stablehlo-legalize-to-linalg, simple ops: JAX's StableHLO through hlox's
CPU backend (``hlox.compile_stablehlo``) against JAX (XLA CPU) on the same inputs.

Every elementwise op, compare/select/clamp, convert, bitcast_convert,
reduce_precision and the data-movement ops (iota, broadcast, slice, dynamic
slices, concatenate, pad, reverse) over every dtype each op takes and several
shapes (0-d, 2-D, zero-size). To keep compile time low, one module per
(dtype, group) computes many ops at once.

Comparison: ints and bools exact; floats: same NaN positions, same infinities,
same sign of zero (where both results are zero), finite values within the
tolerances below. Exact float ops (arithmetic, rounding, comparisons,
conversions, data movement) use EXACT; transcendental ones (libm here, XLA's
own approximations there) use TRANSCENDENTAL.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
import ml_dtypes  # noqa: E402
from jax import lax  # noqa: E402

import hlox  # noqa: E402


def compile_cpu(text):
    return hlox.compile_stablehlo(text, backend="cpu")

BF16 = np.dtype(ml_dtypes.bfloat16)
FLOATS = [np.dtype(np.float16), BF16, np.dtype(np.float32), np.dtype(np.float64)]
SINTS = [np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64)]
UINTS = [np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64)]
INTS = SINTS + UINTS
BOOL = np.dtype(np.bool_)
ALL = [BOOL] + INTS + FLOATS
EDGE_DTYPES = ALL

# Stated tolerances (rtol, atol) per float dtype.
EXACT = {np.dtype(np.float16): (0, 0), BF16: (0, 0),
         np.dtype(np.float32): (0, 0), np.dtype(np.float64): (0, 0)}
TRANSCENDENTAL = {np.dtype(np.float16): (2e-3, 1e-4), BF16: (1.6e-2, 1e-3),
                  np.dtype(np.float32): (2e-6, 1e-7), np.dtype(np.float64): (1e-13, 1e-15)}

# Every dtype runs on MAIN_SHAPE (large enough to hold every special value)
# and, for the dtypes in EDGE_DTYPES (all of them), on 0-d and zero-size
# operands.
MAIN_SHAPE = (3, 4)
EDGE_SHAPES = [(), (0, 3)]


@pytest.fixture(scope="module", autouse=True)
def x64():
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", previous)


def values(dtype, shape, seed, special=True):
    """Inputs with the dtype's interesting values first, then random ones."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    if dtype == BOOL:
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        specials = [0, 1, info.max, info.min, 2, 7] + ([-1, -7] if dtype.kind == "i" else [])
        x = rng.integers(info.min, info.max, size=n, dtype=dtype, endpoint=True)
        small = rng.integers(max(info.min, -9), 10, size=n).astype(dtype)
        x = np.where(rng.random(n) < 0.5, small, x)
    else:
        specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 0.5, -2.5, 1.5, 3.0, -1.0]
        x = (rng.standard_normal(n) * 3).astype(np.float64)
    if special:
        k = min(n, len(specials))
        order = rng.permutation(len(specials))[:k]
        x[:k] = np.array(specials, dtype=np.float64 if dtype in FLOATS else dtype)[order]
    return np.asarray(x).astype(dtype).reshape(shape)


def check(name, ours, theirs, tolerances):
    ours = np.asarray(ours)
    theirs = np.asarray(theirs)
    assert ours.dtype == theirs.dtype, (name, ours.dtype, theirs.dtype)
    assert ours.shape == theirs.shape, (name, ours.shape, theirs.shape)
    if ours.dtype.kind not in "fV" and ours.dtype != BF16:
        np.testing.assert_array_equal(ours, theirs, err_msg=name)
        return
    a = ours.astype(np.float64)
    b = theirs.astype(np.float64)
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=f"{name}: NaN positions")
    np.testing.assert_array_equal(np.isposinf(a), np.isposinf(b), err_msg=f"{name}: +inf")
    np.testing.assert_array_equal(np.isneginf(a), np.isneginf(b), err_msg=f"{name}: -inf")
    zeros = (a == 0) & (b == 0)
    np.testing.assert_array_equal(np.signbit(a[zeros]), np.signbit(b[zeros]),
                                  err_msg=f"{name}: sign of zero")
    finite = np.isfinite(a) & np.isfinite(b)
    rtol, atol = tolerances[ours.dtype]
    np.testing.assert_allclose(a[finite], b[finite], rtol=rtol, atol=atol, err_msg=name)


def run_both(fn, args, tolerances_for):
    """fn(*args) -> dict name -> array, by JAX and by hlox; compares every entry."""
    names = sorted(jax.eval_shape(fn, *args).keys())  # abstract: no compile

    def flat(*a):
        d = fn(*a)
        return tuple(d[k] for k in names)

    lowered = jax.jit(flat).lower(*args)
    theirs = lowered.compile()(*args)
    ours = compile_cpu(lowered.as_text())(*args)
    assert len(ours) == len(names)
    for name, o, t in zip(names, ours, theirs):
        check(name, o, np.asarray(t), tolerances_for(name))


# ---------------------------------------------------------------------------
# Elementwise
# ---------------------------------------------------------------------------

FLOAT_UNARY_EXACT = {
    "abs": lax.abs, "ceil": lax.ceil, "floor": lax.floor, "negate": lax.neg,
    "round_afz": lambda x: lax.round(x, lax.RoundingMethod.AWAY_FROM_ZERO),
    "round_even": lambda x: lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN),
    "sign": lax.sign, "is_finite": lax.is_finite, "sqrt": lax.sqrt,
    "reduce_precision_e5m2": lambda x: lax.reduce_precision(x, 5, 2),
    "reduce_precision_e8m7": lambda x: lax.reduce_precision(x, 8, 7),
    "reduce_precision_e4m3": lambda x: lax.reduce_precision(x, 4, 3),
}
FLOAT_UNARY_TRANSCENDENTAL = {
    "cbrt": lax.cbrt, "cosine": lax.cos, "exponential": lax.exp,
    "exponential_minus_one": lax.expm1, "log": lax.log, "log_plus_one": lax.log1p,
    "logistic": lax.logistic, "rsqrt": lax.rsqrt, "sine": lax.sin, "tan": lax.tan,
    "tanh": lax.tanh,
}
FLOAT_BINARY_EXACT = {
    "add": lax.add, "subtract": lax.sub, "multiply": lax.mul, "divide": lax.div,
    "remainder": lax.rem, "maximum": lax.max, "minimum": lax.min,
}
FLOAT_BINARY_TRANSCENDENTAL = {"power": lax.pow, "atan2": lax.atan2}
INT_UNARY = {
    "count_leading_zeros": lax.clz, "popcnt": lax.population_count, "not": lax.bitwise_not,
}
SINT_UNARY = {"abs": lax.abs, "negate": lax.neg, "sign": lax.sign}
INT_BINARY = {
    "add": lax.add, "subtract": lax.sub, "multiply": lax.mul, "divide": lax.div,
    "remainder": lax.rem, "maximum": lax.max, "minimum": lax.min,
    "and": lax.bitwise_and, "or": lax.bitwise_or, "xor": lax.bitwise_xor,
    "shift_left": lax.shift_left, "shift_right_arithmetic": lax.shift_right_arithmetic,
    "shift_right_logical": lax.shift_right_logical,
}
BOOL_UNARY = {"not": lax.bitwise_not}
BOOL_BINARY = {"and": lax.bitwise_and, "or": lax.bitwise_or, "xor": lax.bitwise_xor,
               "maximum": lax.max, "minimum": lax.min}
DIRECTIONS = ["EQ", "NE", "LT", "LE", "GT", "GE"]


def elementwise_fn(dtype):
    if dtype == BOOL:
        unary, binary = BOOL_UNARY, BOOL_BINARY
    elif dtype in FLOATS:
        unary = {**FLOAT_UNARY_EXACT, **FLOAT_UNARY_TRANSCENDENTAL}
        binary = {**FLOAT_BINARY_EXACT, **FLOAT_BINARY_TRANSCENDENTAL}
    else:
        unary = {**INT_UNARY, **(SINT_UNARY if dtype.kind == "i" else {})}
        binary = INT_BINARY

    def fn(*args):
        out = {}
        for s in range(len(args) // 3):
            x, y, p = args[3 * s: 3 * s + 3]
            for name, f in unary.items():
                out[f"{name}[{s}]"] = f(x)
            for name, f in binary.items():
                out[f"{name}[{s}]"] = f(x, y)
            for d in DIRECTIONS:
                out[f"compare_{d}[{s}]"] = _compare(x, y, d)
            if dtype in FLOATS:
                for d in DIRECTIONS:
                    out[f"compare_total_{d}[{s}]"] = _compare_total(x, y, d)
            out[f"select[{s}]"] = lax.select(p, x, y)
            # stablehlo.select with a 0-d pred
            out[f"select_scalar[{s}]"] = lax.select_n(args[2].reshape(-1)[0] if args[2].size
                                                      else True, y, x)
            lo, hi = (jnp.minimum(x, y), jnp.maximum(x, y)) if dtype != BOOL else (x, y)
            out[f"clamp[{s}]"] = lax.clamp(lo, x, hi)
            out[f"clamp_scalar[{s}]"] = lax.clamp(_scalar(dtype, 2), x, _scalar(dtype, 5))
        return out

    return fn


def _scalar(dtype, v):
    if dtype == BOOL:
        return jnp.asarray(bool(v % 2), dtype)
    return jnp.asarray(v, dtype)


def _compare(x, y, d):
    return {"EQ": lax.eq, "NE": lax.ne, "LT": lax.lt, "LE": lax.le, "GT": lax.gt,
            "GE": lax.ge}[d](x, y)


def _compare_total(x, y, d):
    """compare with compare_type TOTALORDER (lax's *_to primitives)."""
    from jax._src.lax import lax as lax_internal
    return {"EQ": lambda: lax_internal.eq_to_p.bind(x, y),
            "NE": lambda: ~lax_internal.eq_to_p.bind(x, y),
            "LT": lambda: lax_internal.lt_to_p.bind(x, y),
            "LE": lambda: lax_internal.le_to_p.bind(x, y),
            "GT": lambda: lax_internal.lt_to_p.bind(y, x),
            "GE": lambda: lax_internal.le_to_p.bind(y, x)}[d]()


def elementwise_args(dtype):
    args = []
    shapes = [MAIN_SHAPE] + (EDGE_SHAPES if dtype in EDGE_DTYPES else [])
    for i, shape in enumerate(shapes):
        args += [values(dtype, shape, 3 * i), values(dtype, shape, 3 * i + 1),
                 values(BOOL, shape, 3 * i + 2)]
    return args


def tolerance_for(name):
    base = name.split("[")[0]
    if base in FLOAT_UNARY_TRANSCENDENTAL or base in FLOAT_BINARY_TRANSCENDENTAL:
        return TRANSCENDENTAL
    return EXACT


@pytest.mark.parametrize("dtype", ALL, ids=str)
def test_elementwise(dtype):
    run_both(elementwise_fn(dtype), elementwise_args(dtype), tolerance_for)


# ---------------------------------------------------------------------------
# Conversions
# ---------------------------------------------------------------------------


def convert_values(dtype, shape, seed):
    """Like `values`, plus out-of-range floats for saturation (1e20, -1e20)."""
    x = values(dtype, shape, seed)
    if dtype in FLOATS and x.size >= 12:
        flat = x.reshape(-1)
        flat[10] = dtype.type(6e4) if dtype == np.float16 else dtype.type(1e20)
        flat[11] = -flat[10]
    return x


@pytest.mark.parametrize("source", ALL, ids=str)
def test_convert(source):
    # 0-d and zero-size conversions from a few dtypes (the elementwise tests
    # cover those shapes for every dtype); every pair on (4, 5).
    edge = source in (BOOL, np.dtype(np.int32), np.dtype(np.uint8), np.dtype(np.float32), BF16)
    shapes = [(4, 5)] + ([(), (0, 2)] if edge else [])
    args = [convert_values(source, s, i) for i, s in enumerate(shapes)]

    def fn(*xs):
        return {f"{np.dtype(t)}[{i}]": lax.convert_element_type(x, t)
                for i, x in enumerate(xs) for t in ALL}

    run_both(fn, args, lambda name: EXACT)


def _bitcast_targets(dtype):
    width = 1 if dtype == BOOL else dtype.itemsize
    if dtype == BOOL:
        return [BOOL]
    return [t for t in INTS + FLOATS if t.itemsize <= width or t.itemsize % width == 0]


@pytest.mark.parametrize("source", [t for t in ALL], ids=str)
def test_bitcast_convert(source):
    x = values(source, (3, 8), 5)

    def fn(x):
        out = {}
        for t in _bitcast_targets(source):
            if t.itemsize == source.itemsize or source == BOOL:
                out[str(t)] = lax.bitcast_convert_type(x, t)
            elif t.itemsize < source.itemsize:
                out[str(t)] = lax.bitcast_convert_type(x, t)  # one more dimension
            else:  # wider: group the last dimension
                k = t.itemsize // source.itemsize
                out[str(t)] = lax.bitcast_convert_type(x.reshape(3, 8 // k, k), t)
        out["scalar"] = lax.bitcast_convert_type(x[0, 0], source)
        return out

    # NaN payloads survive a bitcast: compare floats through their bits.
    def bits(name):
        return EXACT

    names = sorted(jax.eval_shape(fn, x).keys())

    def flat(x):
        d = fn(x)
        return tuple(d[k] for k in names)

    lowered = jax.jit(flat).lower(x)
    theirs = lowered.compile()(x)
    ours = compile_cpu(lowered.as_text())(x)
    for name, o, t in zip(names, ours, theirs):
        t = np.asarray(t)
        assert o.shape == t.shape and o.dtype == t.dtype, name
        np.testing.assert_array_equal(np.atleast_1d(o).view(np.uint8),
                                      np.atleast_1d(t).view(np.uint8), err_msg=name)


# ---------------------------------------------------------------------------
# Data movement
# ---------------------------------------------------------------------------


def data_fn(dtype):
    def fn(x, y, z, i, j):
        out = {
            "broadcast": lax.broadcast(x, (2, 1)),
            "broadcast_scalar": lax.broadcast(z, (3,)),
            "slice": lax.slice(x, (1, 0, 1), (4, 5, 6), (2, 3, 2)),
            "slice_empty": lax.slice(x, (1, 2, 0), (1, 4, 6)),
            "dynamic_slice": lax.dynamic_slice(x, (i, j, i), (2, 3, 4)),
            "dynamic_slice_full": lax.dynamic_slice(x, (j, i, j), (4, 5, 6)),
            "dynamic_update_slice": lax.dynamic_update_slice(x, y, (i, j, i)),
            "concatenate": lax.concatenate([x, x[:, :2], x[:, :0]], 1),
            "concatenate0": lax.concatenate([x[:1], x], 0),
            "pad": lax.pad(x, z, [(1, 2, 0), (0, 1, 1), (2, 0, 2)]),
            "pad_negative": lax.pad(x, z, [(-1, 2, 1), (1, -2, 0), (-3, -1, 1)]),
            "pad_scalar": lax.pad(z, z, []),
            "reverse": lax.rev(x, (0, 2)),
            "reverse_none": lax.rev(x, ()),
            "optimization_barrier": lax.optimization_barrier(x),
            "transpose_reverse": lax.rev(x[:, 0, :0], (1,)),
        }
        if dtype != BOOL:
            out["iota0"] = lax.broadcasted_iota(dtype, (4, 3), 0)
            out["iota1"] = lax.broadcasted_iota(dtype, (2, 3, 5), 2)
            out["iota_empty"] = lax.broadcasted_iota(dtype, (0, 3), 1)
        return out

    return fn


@pytest.mark.parametrize("dtype,starts", [(t, (1, 2)) for t in ALL] + [
    (np.dtype(np.float32), (-3, 7)), (np.dtype(np.int8), (100, -100))], ids=str)
def test_data_movement(dtype, starts):
    x = values(dtype, (4, 5, 6), 1)
    y = values(dtype, (2, 3, 4), 2)
    z = values(dtype, (), 3, special=False)
    i, j = (np.int32(s) for s in starts)
    run_both(data_fn(dtype), [x, y, z, i, j], lambda name: EXACT)


def test_dynamic_slice_unsigned_and_64bit_starts():
    x = values(np.dtype(np.float32), (5, 7), 0)

    def fn(x, a, b):
        return {"ds": lax.dynamic_slice(x, (a, b), (2, 3)),
                "dus": lax.dynamic_update_slice(x, x[:2, :2] * 2, (a, b))}

    for a, b in [(np.uint32(4), np.uint32(2)), (np.uint32(4000000000), np.uint32(6)),
                 (np.int64(-2), np.int64(5))]:
        run_both(fn, [x, a, b], lambda name: EXACT)


def test_dynamic_update_slice_leaves_its_operand_alone():
    x = np.arange(6, dtype=np.float32)
    text = jax.jit(lambda x: lax.dynamic_update_slice(x, jnp.zeros(2, x.dtype), (1,))) \
        .lower(x).as_text()
    (out,) = compile_cpu(text)(x)
    np.testing.assert_array_equal(x, np.arange(6, dtype=np.float32))
    np.testing.assert_array_equal(out, [0, 0, 0, 3, 4, 5])


def test_get_dimension_size():
    text = """
    func.func @main(%x: tensor<3x7xf32>) -> tensor<i32> {
      %0 = stablehlo.get_dimension_size %x, dim = 1 : (tensor<3x7xf32>) -> tensor<i32>
      return %0 : tensor<i32>
    }"""
    (out,) = compile_cpu(text)(np.zeros((3, 7), np.float32))
    assert out == 7


# ---------------------------------------------------------------------------
# Integer power (JAX has no integer lax.pow: StableHLO text run by XLA)
# ---------------------------------------------------------------------------


def _run_on_xla(text, args):
    from jax._src.lib import xla_client as xc
    devices = jax.devices("cpu")[:1]
    exe = devices[0].client.compile_and_load(text, xc.DeviceList(tuple(devices)),
                                              xc.CompileOptions())
    results = exe.execute_sharded([jax.device_put(a, devices[0]) for a in args])
    return [np.asarray(r[0]) for r in results.disassemble_into_single_device_arrays()]


@pytest.mark.parametrize("dtype", INTS, ids=str)
def test_integer_power(dtype):
    base = np.array([0, 1, 2, 3, 5, 7, 2, 3, 1, 0, 11, 2] * 2, dtype)
    exp = np.array([0, 5, 7, 4, 3, 2, 30, 40, 63, 1, 9, 62] * 2, dtype)
    if dtype.kind == "i":
        base[12:] = np.array([-1, -1, -2, 2, 1, -3, -1, 2, 1, 0, 3, -2], dtype)
        exp[12:] = np.array([-1, -2, -1, -3, -5, 3, 6, 0, 0, -1, 5, 33], dtype)
    t = {np.dtype(np.uint8): "ui8", np.dtype(np.uint16): "ui16", np.dtype(np.uint32): "ui32",
         np.dtype(np.uint64): "ui64"}.get(dtype, f"i{dtype.itemsize * 8}")
    text = f"""
    func.func @main(%x: tensor<24x{t}>, %y: tensor<24x{t}>) -> tensor<24x{t}> {{
      %0 = stablehlo.power %x, %y : tensor<24x{t}>
      return %0 : tensor<24x{t}>
    }}"""
    (ours,) = compile_cpu(text)(base, exp)
    (theirs,) = _run_on_xla(text, [base, exp])
    np.testing.assert_array_equal(ours, theirs)
