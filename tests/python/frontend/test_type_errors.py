"""Shape and dtype errors name the primitive, the operand types and the user's
file:line, also under nested transformations (jit, grad, vmap in any order)."""

import inspect
import re

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax


def bad_matmul(x, w):
    return hnp.sum(hnp.matmul(x, w))  # the line errors must name


def bad_lax_add(x, w):
    return hnp.sum(lax.add(x, lax.convert_element_type(w, np.int32)))  # the line errors must name


def _line_of(fn) -> int:
    source, start = inspect.getsourcelines(fn)
    return start + next(i for i, text in enumerate(source) if "the line errors must name" in text)


X = np.ones((3, 4), np.float32)
W = np.ones((5, 2), np.float32)

TRANSFORMS = {
    "jit": lambda f: hlox.jit(f),
    "grad": lambda f: hlox.grad(f),
    "jit(grad)": lambda f: hlox.jit(hlox.grad(f)),
    "grad(jit)": lambda f: hlox.grad(hlox.jit(f)),
    "vmap(grad)": lambda f: hlox.vmap(hlox.grad(f), in_axes=(0, None)),
    "jit(vmap(jit(grad)))": lambda f: hlox.jit(hlox.vmap(hlox.jit(hlox.grad(f)),
                                                         in_axes=(0, None))),
}


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
def test_shape_error_names_primitive_shapes_and_user_line(transform):
    fn = TRANSFORMS[transform](bad_matmul)
    x = X[None] if "vmap" in transform else X
    with pytest.raises(TypeError) as info:
        fn(x, W)
    message = str(info.value)
    assert message.startswith("matmul:"), message
    assert "f32[3,4]" in message and "f32[5,2]" in message, message
    assert f"{__file__}:{_line_of(bad_matmul)} (in bad_matmul)" in message, message


@pytest.mark.parametrize("transform", ["jit", "jit(grad)"])
def test_dtype_error_at_lax_level(transform):
    with pytest.raises(TypeError) as info:
        TRANSFORMS[transform](bad_lax_add)(X, X)
    message = str(info.value)
    assert re.match(r"add: .*dtypes", message), message
    assert "f32[3,4]" in message and "i32[3,4]" in message, message
    assert f"{__file__}:{_line_of(bad_lax_add)}" in message, message


def test_error_inside_a_jitted_method_and_lambda():
    line = inspect.currentframe().f_lineno + 1
    f = hlox.jit(lambda a, b: a @ b)
    with pytest.raises(TypeError, match=rf"matmul: .*\n  called from {re.escape(__file__)}:{line}"):
        f(X, W)
