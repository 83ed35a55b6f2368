"""One JAX program's source run under jax and under hlox, results compared leaf by leaf.

The harness of the new-user program tests (issue 3's "done when"): a program is the text of
a module defining ``main()``, which returns a pytree of results. ``run_both`` executes the
SAME text twice, once after ``import jax, jax.numpy as jnp, ...`` and once after
``import hlox as jax, hlox.numpy as jnp, ...``; ``compare`` then wants the same structure,
and per leaf the same shape, the same dtype and values within the dtype's tolerance
(``TOL``; integers and booleans exactly; strings, tuples and Python scalars equal).
"""

from __future__ import annotations

import textwrap

import numpy as np

JAX_PROLOGUE = ("import jax, jax.numpy as jnp, jax.lax as lax, jax.random as random\n"
                "import numpy as np\n")
HLOX_PROLOGUE = ("import hlox as jax, hlox.numpy as jnp, hlox.lax as lax, hlox.random as random\n"
                 "import numpy as np\n")

# (rtol, atol) per result dtype. float32 programs chain many ops (training loops, scans), so
# their tolerance allows a few ulps of accumulated reassociation per step, no more.
TOL = {
    np.dtype(np.float64): (1e-10, 1e-12),
    np.dtype(np.float32): (2e-5, 2e-6),
    np.dtype(np.float16): (2e-3, 1e-3),
}
BF16_TOL = (1e-2, 1e-2)


def registrar(programs: dict[str, str]):
    """``program = registrar(PROGRAMS)``; then ``program("name")(\"\"\"source\"\"\")``
    stores the dedented source under its name."""
    def program(name):
        def register(src):
            assert name not in programs, f"program {name!r} registered twice"
            programs[name] = textwrap.dedent(src)
            return src
        return register
    return program


def run(prologue: str, src: str):
    ns: dict = {}
    exec(compile(prologue + src, "<program>", "exec"), ns)
    return ns["main"]()


def run_both(src: str):
    """(jax's results, hlox's results) of one program's source."""
    return run(JAX_PROLOGUE, src), run(HLOX_PROLOGUE, src)


def compare(name, ref, got):
    import jax
    import ml_dtypes

    ref_leaves, ref_def = jax.tree_util.tree_flatten(ref, is_leaf=lambda x: x is None)
    got_leaves, got_def = jax.tree_util.tree_flatten(got, is_leaf=lambda x: x is None)
    assert len(ref_leaves) == len(got_leaves), f"{name}: structure {ref_def} vs {got_def}"
    for i, (r, g) in enumerate(zip(ref_leaves, got_leaves)):
        where = f"{name}: leaf {i}"
        if r is None or isinstance(r, (str, tuple)):
            assert r == g, f"{where}: {r!r} vs {g!r}"
            continue
        if isinstance(r, (bool, int, float)) and not hasattr(r, "dtype"):
            assert type(g)(r) == g or np.isclose(r, g), f"{where}: {r!r} vs {g!r}"
            continue
        r_np, g_np = np.asarray(r), np.asarray(g)
        assert r_np.shape == g_np.shape, f"{where}: shape {r_np.shape} vs {g_np.shape}"
        assert r_np.dtype == g_np.dtype, f"{where}: dtype {r_np.dtype} vs {g_np.dtype}"
        if r_np.dtype == np.dtype(ml_dtypes.bfloat16):
            rtol, atol = BF16_TOL
            r_np, g_np = r_np.astype(np.float32), g_np.astype(np.float32)
        elif r_np.dtype.kind == "f":
            rtol, atol = TOL[r_np.dtype]
        else:
            np.testing.assert_array_equal(g_np, r_np, err_msg=where)
            continue
        np.testing.assert_allclose(g_np, r_np, rtol=rtol, atol=atol, err_msg=where)
