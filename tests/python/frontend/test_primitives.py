"""Each primitive, through hlox.jit and the CPU backend, against NumPy."""

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax

from conftest import MATMUL_TOLERANCES, assert_close, rand

pytestmark = pytest.mark.usefixtures("x64")  # every primitive also on float64/int64 values

SHAPES = [(), (1,), (5,), (1, 1), (3, 4), (2, 1, 3)]
FLOATS = [np.float32, np.float64]


BINARY = {"add": (lax.add, np.add), "sub": (lax.sub, np.subtract),
          "mul": (lax.mul, np.multiply), "max": (lax.max, np.maximum)}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_binary(shape, dtype):
    # One compiled program per (dtype, shape) holds every op: compiling is the cost.
    x, y = rand(shape, dtype, seed=1), rand(shape, dtype, seed=2)
    got = hlox.jit(lambda a, b: {name: ours(a, b) for name, (ours, _) in BINARY.items()})(x, y)
    for name, (_, ref) in BINARY.items():
        assert_close(got[name], ref(x, y))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_div(shape, dtype):
    x, y = rand(shape, dtype, seed=1), rand(shape, dtype, seed=2, low=0.5, high=3.0)
    assert_close(hlox.jit(lax.div)(x, y), x / y)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_neg(shape, dtype):
    x = rand(shape, dtype)
    assert_close(hlox.jit(lax.neg)(x), -x)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_exp(shape, dtype):
    x = rand(shape, dtype, low=-5, high=5)
    assert_close(hlox.jit(lax.exp)(x), np.exp(x))


@pytest.mark.parametrize("src,dst", [(np.float32, np.float64), (np.float64, np.float32),
                                     (np.int32, np.float32), (np.float32, np.int32),
                                     (np.int32, np.int64), (np.int64, np.int8),
                                     (np.bool_, np.float32), (np.float32, np.bool_),
                                     (np.int32, np.bool_), (np.bool_, np.int32)])
def test_convert_element_type(src, dst):
    x = rand((2, 3), src)
    if np.dtype(src) != np.bool_:
        x[0, 0] = 0  # 0 -> False
    out = hlox.jit(lambda a: lax.convert_element_type(a, dst))(x)
    assert_close(out, x.astype(dst))


@pytest.mark.parametrize("shape,out_shape,dims", [
    ((), (3, 2), ()),
    ((2,), (3, 2), (1,)),
    ((3,), (3, 2), (0,)),
    ((1, 2), (4, 2), (0, 1)),     # a size-1 dimension expands
    ((2, 1), (2, 5), (0, 1)),
    ((1,), (1,), (0,)),
])
def test_broadcast_in_dim(shape, out_shape, dims):
    x = rand(shape)
    out = hlox.jit(lambda a: lax.broadcast_in_dim(a, out_shape, dims))(x)
    # Reference: put x's dims where `dims` says, then broadcast.
    order = np.argsort(dims)
    expanded = np.transpose(x, order) if x.ndim else x
    sorted_dims = sorted(dims)
    view_shape = [1] * len(out_shape)
    for d, size in zip(sorted_dims, expanded.shape):
        view_shape[d] = size
    assert_close(out, np.broadcast_to(expanded.reshape(view_shape), out_shape).copy())


@pytest.mark.parametrize("shape,new", [((2, 3), (6,)), ((6,), (2, 3)), ((2, 3), (3, 2)),
                                       ((1,), ()), ((), (1, 1)), ((2, 3, 4), (4, 6)),
                                       ((4, 6), (2, 2, 6)), ((1, 5), (5, 1))])
def test_reshape(shape, new):
    x = rand(shape)
    assert_close(hlox.jit(lambda a: lax.reshape(a, new))(x), x.reshape(new))


@pytest.mark.parametrize("shape,perm", [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)),
                                        ((1, 3), (1, 0)), ((5,), (0,))])
def test_transpose(shape, perm):
    x = rand(shape)
    assert_close(hlox.jit(lambda a: lax.transpose(a, perm))(x), np.transpose(x, perm))


@pytest.mark.parametrize("ls,rs,dn,ref", [
    ((3, 4), (4, 5), (((1,), (0,)), ((), ())), lambda a, b: a @ b),          # matmul
    ((1, 1), (1, 1), (((1,), (0,)), ((), ())), lambda a, b: a @ b),
    ((2, 3, 4), (2, 4, 5), (((2,), (1,)), ((0,), (0,))), lambda a, b: a @ b),  # batch
    ((4,), (4,), (((0,), (0,)), ((), ())), np.dot),                          # vector dot
    ((3, 4), (4,), (((1,), (0,)), ((), ())), lambda a, b: a @ b),            # matvec
    ((4, 3), (4, 5), (((0,), (0,)), ((), ())), lambda a, b: a.T @ b),        # transposed lhs
    ((3, 4), (5, 4), (((1,), (1,)), ((), ())), lambda a, b: a @ b.T),
    ((2, 3, 4), (4, 2, 5), (((2,), (0,)), ((0,), (1,))),
     lambda a, b: np.einsum("bik,bkj->bij", a, np.transpose(b, (1, 0, 2)))),
])
@pytest.mark.parametrize("dtype", FLOATS + [np.int32], ids=lambda d: np.dtype(d).name)
def test_dot_general(ls, rs, dn, ref, dtype):
    a, b = rand(ls, dtype, seed=3), rand(rs, dtype, seed=4)
    out = hlox.jit(lambda x, y: lax.dot_general(x, y, dn))(a, b)
    assert_close(out, ref(a, b).astype(dtype), MATMUL_TOLERANCES)


def test_primitives_run_eagerly_outside_jit():
    x = rand((2, 3))
    assert_close(lax.exp(x), np.exp(x))
    assert_close(hnp.multiply(x, 2.0), x * np.float32(2.0))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)], ids=str)
def test_bool_arrays(shape):
    # Bools are bytes in memory (hlox-widen-i1-memrefs): inputs, outputs,
    # constants and intermediates.
    a, b = rand(shape, np.bool_, seed=1), rand(shape, np.bool_, seed=2)
    const = np.ones(shape, bool)
    out = hlox.jit(lambda x, y: (lax.add(x, y), lax.mul(x, y), lax.max(x, const)))(a, b)
    assert_close(out[0], a | b)
    assert_close(out[1], a & b)
    assert_close(out[2], a | const)


@pytest.mark.parametrize("dtype", [np.uint8, np.uint32], ids=lambda d: np.dtype(d).name)
def test_unsigned(dtype):
    # Wrap-around and unsigned division, maximum and conversion.
    x = np.array([250, 7, 0, 128], dtype)
    y = np.array([10, 3, 1, 200], dtype)
    out = hlox.jit(lambda a, b: (lax.add(a, b), lax.div(a, b), lax.max(a, b),
                                 lax.convert_element_type(a, np.float32),
                                 lax.convert_element_type(a, np.int64)))(x, y)
    assert_close(out[0], x + y)
    assert_close(out[1], x // y)
    assert_close(out[2], np.maximum(x, y))
    assert_close(out[3], x.astype(np.float32))
    assert_close(out[4], x.astype(np.int64))


COMPARISONS = {"eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
               "gt": np.greater, "ge": np.greater_equal}


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.uint8, np.bool_],
                         ids=lambda d: np.dtype(d).name)
def test_comparison(dtype):
    # Small integer ranges make ties likely, so eq/le/ge see equal pairs too.
    x = rand((4, 5), dtype, seed=1, low=0, high=3)
    y = rand((4, 5), dtype, seed=2, low=0, high=3)
    if np.dtype(dtype).kind == "f":
        x[0, :] = y[0, :]
        x[1, 0] = np.nan  # IEEE: every comparison with NaN but ne is false
    got = hlox.jit(lambda a, b: {name: getattr(lax, name)(a, b) for name in COMPARISONS})(x, y)
    for name, ref in COMPARISONS.items():
        assert got[name].dtype == np.bool_, name
        np.testing.assert_array_equal(got[name], ref(x, y), err_msg=name)
