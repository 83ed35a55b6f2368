"""The CPU backend's call path (backends/cpu/invoke.py): data pointers, prebuilt
descriptors, argument checks of the public executable."""

import numpy as np
import pytest

import hlox
from hlox.backends.cpu import invoke

from conftest import assert_close, rand


def test_data_pointer_matches_numpy():
    base = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    arrays = [base, base[1], base[:, 1:], base.T, np.ones((), np.float32),
              np.empty(0, np.int8), np.frombuffer(b"abcdefgh", np.uint8)[3:]]
    for a in arrays:
        assert invoke.data_pointer(a) == a.ctypes.data
    with pytest.raises(TypeError, match="expected a NumPy array"):
        invoke.data_pointer(np.float32(1.0))


def test_compile_stablehlo_checks_shapes_and_keeps_0d():
    text = hlox.jit(lambda a, s: a * s).lower(rand((2, 3)), np.float32(2)).as_text()
    run = hlox.compile_stablehlo(text, "cpu")
    x = rand((2, 3))
    (out,) = run(x, np.float32(3))
    assert_close(out, x * np.float32(3))
    (out,) = run(x, np.array(4, np.float32))       # 0-d stays 0-d through the checks
    assert_close(out, x * np.float32(4))
    with pytest.raises(TypeError, match=r"argument 'args\[0\]' is f32\[3,2\], compiled for "
                                        r"f32\[2,3\]"):
        run(rand((3, 2)), np.float32(3))
    with pytest.raises(TypeError, match="takes 2 arguments, got 1"):
        run(x)


def test_many_arguments_and_results():
    n = 12
    f = hlox.jit(lambda *xs: tuple(x * float(i) for i, x in enumerate(xs)))
    xs = [rand((i + 1, 2), seed=i) for i in range(n)]
    for _ in range(2):
        outs = f(*xs)
        for i, (x, out) in enumerate(zip(xs, outs)):
            assert_close(out, x * np.float32(i))
