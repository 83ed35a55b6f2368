"""jit: caching and retracing, pytrees, static arguments, Lowered/Compiled."""

import os
import subprocess
import sys

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

from conftest import assert_close, rand


def counting(fn):
    """``fn`` plus a list that grows by one on every trace (a Python side effect)."""
    traces = []

    def wrapped(*args, **kwargs):
        traces.append(1)
        return fn(*args, **kwargs)

    wrapped.__name__ = fn.__name__
    return wrapped, traces


def test_cache_hits_and_misses():
    f, traces = counting(lambda x, y: x + y)
    jf = hlox.jit(f)
    a, b = rand((2, 3)), rand((2, 3), seed=1)
    assert_close(jf(a, b), a + b)
    assert_close(jf(b, a), a + b)           # same avals: no retrace
    assert len(traces) == 1
    jf(rand((3, 3)), rand((3, 3)))          # new shape: retrace
    assert len(traces) == 2
    jf(a.astype(np.float16), b.astype(np.float16))  # new dtype: retrace
    assert len(traces) == 3
    jf(a, b)                                # back to the first: cached
    assert len(traces) == 3
    assert jf.cache_size() == 3 and jf.trace_count == 3


def test_python_scalars_do_not_retrace_per_value():
    f, traces = counting(lambda x, s: x * s)
    jf = hlox.jit(f)
    x = rand((3,))
    assert_close(jf(x, 2.0), x * np.float32(2))
    assert_close(jf(x, 3.0), x * np.float32(3))
    assert len(traces) == 1
    out = jf(x, 3)                          # int scalar: a different aval
    assert out.dtype == np.float32
    assert len(traces) == 2


def test_static_argnums():
    f, traces = counting(lambda x, n, scale: x * scale if n == 0 else x + scale)
    jf = hlox.jit(f, static_argnums=(1,))
    x = rand((2,))
    assert_close(jf(x, 0, 3.0), x * np.float32(3))
    assert_close(jf(x, 0, 4.0), x * np.float32(4))
    assert len(traces) == 1
    assert_close(jf(x, 1, 4.0), x + np.float32(4))
    assert len(traces) == 2
    with pytest.raises(TypeError, match="not hashable"):
        jf(x, [1], 2.0)


def test_pytree_arguments_and_results():
    f, traces = counting(lambda p, xs: {"s": p["a"] + p["b"], "l": [xs[0] * 2.0, None]})
    jf = hlox.jit(f)
    a, b = rand((3,)), rand((3,), seed=1)
    out = jf({"a": a, "b": b}, (a,))
    assert out["l"][1] is None
    assert_close(out["s"], a + b)
    assert_close(out["l"][0], a * np.float32(2))
    jf({"b": b, "a": a}, (b,))
    assert len(traces) == 1
    jf({"a": a, "b": b}, [a])               # list instead of tuple: retrace
    assert len(traces) == 2


def test_constant_and_passthrough_outputs():
    x = rand((2,))
    out = hlox.jit(lambda a: (a, 3.0, np.ones(2, np.float32)))(x)
    assert_close(out[0], x)
    assert_close(out[1], np.float32(3.0))
    assert_close(out[2], np.ones(2, np.float32))


def test_closure_constant():
    c = rand((3,), seed=9)
    assert_close(hlox.jit(lambda a: a * c)(rand((3,))), rand((3,)) * c)


def test_lower_as_text_and_hlox_opt_parses(tmp_path):
    x, w = rand((2, 3)), rand((3, 3))
    lowered = hlox.jit(lambda a, b: hnp.exp(a @ b) * 2.0 + a).lower(x, w)
    text = lowered.as_text()
    for op in ("func.func public @main", "stablehlo.dot_general", "stablehlo.exponential",
               "stablehlo.multiply", "stablehlo.broadcast_in_dim", "stablehlo.add",
               "stablehlo.constant"):
        assert op in text, op
    assert "dot_general" in lowered.as_text("graph")
    path = tmp_path / "lowered.mlir"
    path.write_text(text)
    hlox_opt = os.path.join(os.path.dirname(sys.executable), "hlox-opt")
    result = subprocess.run([hlox_opt, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "stablehlo.dot_general" in result.stdout


def test_compiled_object_and_stages():
    x = rand((4,))
    compiled = hlox.jit(lambda a: hnp.exp(a) + a).lower(x).compile()
    assert_close(compiled(x), np.exp(x) + x)
    stages = compiled.stages()
    from hlox.backends import compiler

    # Then the passes, in order: the shared StableHLO stage's, then the cpu backend's.
    shared = compiler.SHARED_PIPELINE
    assert stages[:2 + len(shared)] == ["graph", "stablehlo", *shared]
    assert stages.index("hlox-stablehlo-legalize-to-linalg") > stages.index(shared[-1])
    assert "linalg.generic" in compiled.as_text("hlox-stablehlo-legalize-to-linalg")
    assert "llvm.func" in compiled.as_text()
    with pytest.raises(TypeError, match="compiled for f32\\[4\\]"):
        compiled(rand((5,)))
    with pytest.raises(ValueError, match="unknown stage"):
        compiled.as_text("nope")


def test_jit_inside_jit_inlines():
    inner = hlox.jit(lambda a: a * 2.0)
    outer = hlox.jit(lambda a: inner(a) + 1.0)
    x = rand((3,))
    assert_close(outer(x), x * np.float32(2) + np.float32(1))


def test_tracer_misuse_is_a_clear_error():
    def f(x):
        if x:  # Python control flow on a traced value
            return x
        return -x

    with pytest.raises(TypeError, match="truth value of a traced array"):
        hlox.jit(f)(rand(()))
    with pytest.raises(TypeError, match="float\\(\\) of a traced array"):
        hlox.jit(lambda x: float(x))(rand(()))


def test_closed_over_array_is_one_constant():
    c = rand((3,), seed=9)
    text = hlox.jit(lambda a: a * c + c).lower(rand((3,))).as_text()
    assert text.count("stablehlo.constant") == 1


def test_same_value_returned_twice():
    # After CSE both results are one buffer; each output is still its own array.
    x = rand((3,))
    a, b, c = hlox.jit(lambda v: (v * 2.0, v * 2.0, v))(x)
    assert_close(a, x * np.float32(2))
    assert_close(b, x * np.float32(2))
    assert_close(c, x)
    assert a is not b and a.unsafe_buffer_pointer() != b.unsafe_buffer_pointer()
