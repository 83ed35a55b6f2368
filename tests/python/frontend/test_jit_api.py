"""hlox.jit's API as JAX has it: static_argnames, donate_argnums, decorator forms,
methods, the fast cached-call path, and errors that name the argument."""

import functools
import threading

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

from conftest import assert_close, rand


def counting(fn):
    """``fn`` plus a list that grows by one on every trace (a Python side effect)."""
    traces = []

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        traces.append(1)
        return fn(*args, **kwargs)

    return wrapped, traces


def test_static_argnames_and_dynamic_kwargs():
    def f(x, *, scale, mode="mul"):
        return x * scale if mode == "mul" else x + scale

    g, traces = counting(f)
    jf = hlox.jit(g, static_argnames="mode")
    x = rand((3,))
    assert_close(jf(x, scale=2.0), x * np.float32(2))
    assert_close(jf(x, scale=3.0), x * np.float32(3))      # new value of a dynamic kwarg
    assert len(traces) == 1
    assert_close(jf(x, scale=3.0, mode="add"), x + np.float32(3))
    assert len(traces) == 2
    assert_close(jf(x, scale=np.float32(5.0), mode="add"), x + np.float32(5))
    assert len(traces) == 3                                   # strong f32 vs weak scalar


def test_static_argnums_implies_argnames_and_back():
    g, traces = counting(lambda x, n: x * n)
    jf = hlox.jit(g, static_argnums=1)
    assert jf.static_argnames == ("n",)
    x = rand((2,))
    assert_close(jf(x, 3), x * np.float32(3))
    assert_close(jf(x, n=3), x * np.float32(3))             # by keyword: still static
    assert_close(jf(x, n=4), x * np.float32(4))
    assert len(traces) == 3  # positional and keyword calls have different structures
    jn = hlox.jit(lambda x, n: x * n, static_argnames="n")
    assert jn.static_argnums == (1,)
    assert_close(jn(x, 5), x * np.float32(5))


def test_retrace_only_on_signature_change():
    g, traces = counting(lambda p, x: p["w"] * x + p["b"])
    jf = hlox.jit(g)
    p = {"w": rand((3,)), "b": rand((3,), seed=1)}
    for seed in range(3):
        jf(p, rand((3,), seed=seed + 5))
    assert len(traces) == 1
    jf(p, rand((3,)).T.copy())                               # same shape: no retrace
    jf({**p, "b": np.float32(1.0)}, rand((3,)))             # leaf shape changes
    assert len(traces) == 2
    jf({**p, "b": 1.0}, rand((3,)))                          # weak type changes
    assert len(traces) == 3
    jf(p, rand((3,), dtype=np.int32))                        # dtype changes
    assert len(traces) == 4
    jf({"w": rand((4,)), "b": rand((4,))}, rand((4,)))       # shapes change
    assert len(traces) == 5
    assert jf.cache_size() == 5


def test_decorator_forms_and_partial():
    @hlox.jit
    def a(x):
        return x + 1.0

    @hlox.jit()
    def b(x):
        return x + 2.0

    @functools.partial(hlox.jit, static_argnums=(1,))
    def c(x, n):
        return x * float(n)

    x = rand((2,))
    assert_close(a(x), x + np.float32(1))
    assert_close(b(x), x + np.float32(2))
    assert_close(c(x, 3), x * np.float32(3))
    assert a.__name__ == "a" and a.__doc__ is None


def test_jit_of_methods():
    class Scaler:
        def __init__(self, k):
            self.k = k

        def __hash__(self):
            return hash(self.k)

        def __eq__(self, other):
            return isinstance(other, Scaler) and other.k == self.k

        @functools.partial(hlox.jit, static_argnums=0)
        def apply(self, x):
            return x * self.k

    @hlox.tree_util.register_dataclass
    @__import__("dataclasses").dataclass
    class Affine:
        w: np.ndarray
        b: np.ndarray

        @hlox.jit
        def __call__(self, x):
            return self.w * x + self.b

    x = rand((3,))
    assert_close(Scaler(2.0).apply(x), x * np.float32(2))
    assert_close(Scaler(3.0).apply(x), x * np.float32(3))
    m = Affine(rand((3,), seed=1), rand((3,), seed=2))
    assert_close(m(x), m.w * x + m.b)


def test_donate_argnums_validated_and_harmless_on_cpu():
    with pytest.raises(ValueError, match="cannot intersect"):
        hlox.jit(lambda x, y: x, static_argnums=0, donate_argnums=0)
    with pytest.raises(ValueError, match="only accepts 1 positional"):
        hlox.jit(lambda x: x, donate_argnums=2)
    with pytest.raises(ValueError, match="does not take"):
        hlox.jit(lambda x: x, donate_argnames="y")
    with pytest.raises(TypeError, match="must be ints"):
        hlox.jit(lambda x: x, donate_argnums="x")
    jf = hlox.jit(lambda x, y: x * 2.0 + y, donate_argnums=0)
    assert jf.donate_argnames == ("x",)
    x, y = rand((4,)), rand((4,), seed=1)
    x0 = x.copy()
    out = jf(x, y)
    assert_close(out, x0 * np.float32(2) + y)
    np.testing.assert_array_equal(x, x0)   # CPU: donation never writes the caller's array
    assert jf.lower(x, y).donate_argnums == (0,)


def test_static_argnums_out_of_range_and_unhashable():
    with pytest.raises(ValueError, match="static_argnums"):
        hlox.jit(lambda x: x, static_argnums=3)
    jf = hlox.jit(lambda x, n: x, static_argnums=1)
    with pytest.raises(TypeError, match="'n' = \\[1\\] of type list is not hashable"):
        jf(rand((2,)), [1])


def test_cached_calls_leave_inputs_alone_and_return_fresh_arrays():
    jf = hlox.jit(lambda a: a)
    x = rand((3, 4))
    x0 = x.copy()
    for _ in range(3):  # the first call compiles; the others take the fast path
        out = jf(x)
        assert out is not x and not np.shares_memory(np.asarray(out), x)
        with pytest.raises(TypeError, match="immutable"):  # as a jax.Array
            out[...] = 7.0
        np.testing.assert_array_equal(x, x0)
    x.setflags(write=False)  # read-only inputs work too
    assert_close(jf(x), x0)


def test_fast_path_converts_layout_and_scalars():
    jf = hlox.jit(lambda a, s: a * s)
    x = rand((3, 4))
    assert_close(jf(x, 2.0), x * np.float32(2))
    assert_close(jf(x, 3.0), x * np.float32(3))             # cached, new scalar value
    xt = rand((4, 3)).T                                       # not C-contiguous
    assert_close(jf(xt, 2.0), np.ascontiguousarray(xt) * np.float32(2))
    assert_close(jf(np.zeros((0, 4), np.float32), 2.0), np.zeros((0, 4), np.float32))
    s = hlox.jit(lambda a: a + 1)
    assert_close(s(np.float32(1.5)), np.float32(2.5))
    assert_close(s(np.float32(2.5)), np.float32(3.5))
    assert_close(s(np.array(2.5, np.float32)), np.float32(3.5))


def test_concurrent_calls_of_one_executable():
    jf = hlox.jit(lambda a, b: a * b + 1.0)
    inputs = [(rand((16,), seed=i), rand((16,), seed=100 + i)) for i in range(8)]
    jf(*inputs[0])
    results = [None] * len(inputs)

    def work(i):
        for _ in range(200):
            results[i] = jf(*inputs[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for (a, b), out in zip(inputs, results):
        assert_close(out, a * b + np.float32(1))


def test_lower_text_compile_and_eval_shape():
    jf = hlox.jit(lambda x, n: hnp.exp(x) * n, static_argnums=1)
    x = rand((2, 3))
    lowered = jf.lower(x, 2)
    text = lowered.as_text()
    assert text.startswith("module") and "func.func public @main" in text
    assert "stablehlo.exponential" in text and '"stablehlo.' not in text  # pretty form
    compiled = lowered.compile()
    tolerance = {np.dtype(np.float32): dict(rtol=1e-5, atol=1e-6)}  # exp: a few ulps
    for seed in range(3):  # the first call checks the arguments, the others reuse that
        x = rand((2, 3), seed=seed)
        assert_close(compiled(x), np.exp(x) * np.float32(2), tolerance)
    with pytest.raises(TypeError, match=r"argument 'x' is f32\[3,2\], compiled for f32\[2,3\]"):
        compiled(rand((3, 2)))
    assert jf.trace_count == 1
    shape = hlox.jit(lambda p: {"y": p["a"] @ p["b"]}).eval_shape(
        {"a": rand((2, 3)), "b": rand((3, 5))})
    assert shape["y"].shape == (2, 5) and shape["y"].dtype == np.float32


def test_compiled_errors_name_the_argument():
    compiled = hlox.jit(lambda x, params: x * params["w"]).lower(
        rand((3,)), {"w": rand((3,))}).compile()
    with pytest.raises(TypeError, match=r"argument 'params\['w'\]' is f32\[4\], compiled for "
                                        r"f32\[3\]"):
        compiled(rand((3,)), {"w": rand((4,))})
    with pytest.raises(TypeError, match=r"argument 'x' is i32\[3\], compiled for f32\[3\]"):
        compiled(rand((3,), dtype=np.int32), {"w": rand((3,))})
    with pytest.raises(TypeError, match=r"argument 'params' has structure "
                                        r"PyTreeDef\(\{'v': \*\}\), "
                                        r"compiled for PyTreeDef\(\{'w': \*\}\)"):
        compiled(rand((3,)), {"v": rand((3,))})
    with pytest.raises(TypeError, match=r"compiled for 2 positional arguments \(x, params\), "
                                        r"called with 1"):
        compiled(rand((3,)))


def test_non_array_argument_names_its_path():
    jf = hlox.jit(lambda x, opts: x)
    with pytest.raises(TypeError, match=r"argument 'opts\['act'\]' of type str is not an "
                                        r"array.*static_argnums"):
        jf(rand((2,)), {"act": "relu"})


def test_cached_pytree_and_keyword_calls():
    g, traces = counting(lambda p, *, x: {"y": p["w"] * x, "n": [p["b"], None]})
    jf = hlox.jit(g)
    p = {"w": rand((3,)), "b": rand((3,), seed=1)}
    for seed in range(3):  # the later calls take the cached path
        x = rand((3,), seed=seed + 2)
        out = jf(p, x=x)
        assert_close(out["y"], p["w"] * x)
        assert_close(out["n"][0], p["b"]) and out["n"][1] is None
        assert not np.shares_memory(out["n"][0], p["b"])
    assert len(traces) == 1
    jf({"w": p["w"], "b": (p["b"],)}, x=x)                   # structure changes
    jf({"w": p["w"], "b": True}, x=x)                          # leaf type changes
    assert len(traces) == 3


def test_cached_calls_follow_the_configured_backend():
    jf = hlox.jit(lambda a: a * 2.0)
    x = rand((3,))
    try:
        for backend in ("cpu", "interpreter", "cpu", "interpreter"):
            hlox.config.backend = backend
            assert_close(jf(x), x * np.float32(2))
        assert jf.trace_count == 1 and jf.cache_size() == 1   # one trace, two executables
        entry = next(iter(jf._cache.values()))[1]  # one per device
        assert sorted(d.backend for d in entry) == ["cpu", "interpreter"]
    finally:
        hlox.config.backend = None


def test_varargs_argument_names():
    jf = hlox.jit(lambda x, *rest: x)
    with pytest.raises(TypeError, match=r"argument 'args\[2\]' of type str"):
        jf(rand((2,)), rand((2,)), "oops")


def test_ndarray_subclass_arguments():
    class Tagged(np.ndarray):
        pass

    jf = hlox.jit(lambda a: a + 1.0)
    x = rand((2, 2))
    for _ in range(2):
        out = jf(x.view(Tagged))
        assert type(out) is hlox.Array  # hlox's own result type, not the argument's
        assert_close(out, x + np.float32(1))


# Argument kinds the cached path keys on: arrays of several dtypes/layouts, NumPy
# scalars and Python scalars (weak types).
_ARG_KINDS = ["f32", "f32T", "f64", "i32", "np_f32", "py_float", "py_int"]


def _make_arg(kind, seed):
    if kind == "f32":
        return rand((2, 3), seed=seed)
    if kind == "f32T":
        return rand((3, 2), seed=seed).T
    if kind == "f64":
        return rand((2, 3), np.float64, seed=seed)
    if kind == "i32":
        return rand((2, 3), np.int32, seed=seed)
    if kind == "np_f32":
        return np.float32(seed + 0.5)
    if kind == "py_float":
        return seed + 0.25
    return seed + 1


@pytest.mark.parametrize("x64", [False, True], ids=["x32", "x64"])
@pytest.mark.parametrize("kinds", [("f32", "py_float"), ("f32T", "i32"), ("f64", "np_f32"),
                                   ("i32", "py_int"), ("py_int", "py_float")])
def test_cached_path_matches_first_call_and_jax(kinds, x64):
    import jax

    def f(a, b):
        return a * b + a

    jf = hlox.jit(f)
    # In both 64-bit modes: float64 arrays and Python scalars get that mode's dtypes.
    with hlox.enable_x64(x64), jax.enable_x64(x64):
        jax_f = jax.jit(f)
        for seed in range(3):  # first call: trace + compile; then cached calls
            args = [_make_arg(k, seed) for k in kinds]
            out = jf(*args)
            expected = np.asarray(jax_f(*args))
            assert out.dtype == expected.dtype, (kinds, out.dtype, expected.dtype)
            assert_close(out, expected)
    assert jf.trace_count == 1
