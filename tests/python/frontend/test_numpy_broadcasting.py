"""hlox.numpy: broadcasting, promotion, matmul, against NumPy."""

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

from conftest import MATMUL_TOLERANCES, assert_close, rand


@pytest.mark.parametrize("xs,ys", [((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3)),
                                   ((2, 1, 3), (4, 1)), ((1,), (5,))])
@pytest.mark.parametrize("op,ref", [(hnp.add, np.add), (hnp.multiply, np.multiply),
                                    (hnp.subtract, np.subtract), (hnp.maximum, np.maximum)])
def test_broadcasting(op, ref, xs, ys):
    x, y = rand(xs, seed=1), rand(ys, seed=2)
    assert_close(hlox.jit(op)(x, y), ref(x, y))


def test_python_scalars_are_weak():
    x = rand((3,), np.float32)
    out = hlox.jit(lambda a: a * 2.0 + 1 - 0.5)(x)
    assert out.dtype == np.float32  # not float64: Python scalars are weak
    assert_close(out, x * np.float32(2) + np.float32(1) - np.float32(0.5))
    out = hlox.jit(lambda a: 2.0 / a)(x)
    assert_close(out, np.float32(2) / x)


def test_promotion_int_float():
    i = np.arange(4, dtype=np.int32)
    f = rand((4,), np.float32)
    assert_close(hlox.jit(hnp.add)(i, f), i.astype(np.float32) + f)
    assert_close(hlox.jit(lambda a: a / 2)(i), i.astype(np.float32) / np.float32(2))
    mixed = hlox.jit(lambda a, b: a * b)
    assert_close(mixed(f, f.astype(np.float64)), f * f)  # x64 off: float64 enters as float32
    with hlox.enable_x64():
        assert_close(mixed(f, f.astype(np.float64)), f.astype(np.float64) * f.astype(np.float64))


@pytest.mark.parametrize("xs,ys", [((3, 4), (4, 5)), ((1, 1), (1, 1)), ((4,), (4,)),
                                   ((4,), (4, 5)), ((3, 4), (4,)), ((2, 3, 4), (4, 5)),
                                   ((2, 1, 3, 4), (5, 4, 2)), ((7, 1), (1, 9))])
def test_matmul(xs, ys):
    x, y = rand(xs, seed=1), rand(ys, seed=2)
    assert_close(hlox.jit(lambda a, b: a @ b)(x, y), x @ y, MATMUL_TOLERANCES)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -2])
def test_integer_power(n):
    x = rand((3,), low=0.5, high=2.0)
    assert_close(hlox.jit(lambda a: a ** n)(x), (x.astype(np.float64) ** n).astype(np.float32))


def test_shapes_and_reflected_ops():
    x = rand((2, 3))
    f = hlox.jit(lambda a: (1.0 - a).reshape(3, 2).T + hnp.transpose(hnp.transpose(a)) * 0.0)
    assert_close(f(x), (np.float32(1) - x).reshape(3, 2).T)
    assert_close(hlox.jit(lambda a: -a + hnp.exp(a))(x), -x + np.exp(x))
    assert_close(hlox.jit(lambda a: hnp.broadcast_to(a, (4, 2, 3)))(x), np.broadcast_to(x, (4, 2, 3)))
    assert_close(hlox.jit(lambda a: a.reshape(-1))(x), x.reshape(-1))
    with hlox.enable_x64():  # float64 exists only in the 64-bit mode
        assert_close(hlox.jit(lambda a: a.astype(hnp.float64))(x), x.astype(np.float64))


def test_numpy_array_on_the_left_defers_to_tracer():
    x, c = rand((3,)), rand((3,), seed=5)
    assert_close(hlox.jit(lambda a: c * a + c)(x), c * x + c)


@pytest.mark.parametrize("xs,ys", [((0, 3), (3, 2)), ((2, 0), (0, 4)), ((0,), (0,))])
def test_zero_size(xs, ys):
    x, y = np.zeros(xs, np.float32), np.ones(ys, np.float32)
    assert_close(hlox.jit(lambda a, b: hnp.exp(a @ b) * 2.0)(x, y), np.exp(x @ y) * np.float32(2))


def test_keyword_arguments():
    f = hlox.jit(lambda x, *, scale: x * scale)
    x = rand((3,))
    assert_close(f(x, scale=np.float32(3)), x * np.float32(3))
