"""Errors are for people: shape errors name the primitive, shapes and line."""

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax

from conftest import rand


def _line_of(marker: str) -> int:
    with open(__file__, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if marker in line and "_line_of" not in line:
                return number
    raise AssertionError(marker)


def test_matmul_shape_error_names_primitive_shapes_and_line():
    def f(x, w):
        return x @ w  # MARK-matmul

    with pytest.raises(TypeError) as info:
        hlox.jit(f)(rand((2, 3)), rand((4, 5)))
    message = str(info.value)
    assert message.startswith("matmul:"), message
    assert "f32[2,3]" in message and "f32[4,5]" in message
    assert f"test_errors.py:{_line_of('MARK-matmul')}" in message


def test_broadcast_error():
    def f(x, y):
        return hnp.add(x, y)  # MARK-add

    with pytest.raises(TypeError) as info:
        hlox.jit(f)(rand((2, 3)), rand((4,)))
    message = str(info.value)
    assert "add: shapes cannot be broadcast together" in message
    assert "f32[2,3], f32[4]" in message
    assert f"test_errors.py:{_line_of('MARK-add')}" in message


def test_lax_level_primitive_error():
    def f(x, y):
        return lax.dot_general(x, y, (((1,), (0,)), ((), ())))  # MARK-dot

    with pytest.raises(TypeError) as info:
        hlox.jit(f)(rand((2, 3)), rand((4, 3)))
    message = str(info.value)
    assert message.startswith("dot_general: contracting dimension sizes differ")
    assert f"test_errors.py:{_line_of('MARK-dot')}" in message

    with pytest.raises(TypeError, match=r"^add: operand shapes must be equal"):
        hlox.jit(lax.add)(rand((2,)), rand((3,)))
    with pytest.raises(TypeError, match=r"^exp: needs a floating-point operand, got int32"):
        hlox.jit(lax.exp)(np.arange(3, dtype=np.int32))


def test_unsupported_argument_type():
    with pytest.raises(TypeError, match="str is not an array"):
        hlox.jit(lambda x: x)("hello")
