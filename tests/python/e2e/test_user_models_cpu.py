"""JAX/Flax NNX/Optax programs a new user would bring, run on hlox's CPU backend.

The programs (user_models.py, none of them in jax_programs.py) are
lowered by JAX exactly as a user would: ``jax.jit(f, keep_unused=True)
.lower(*args)``, printed with ``.as_text()`` (pretty) or in generic form, and
handed to ``hlox.compile_stablehlo(text, backend="cpu")``. Each program is
compiled once, alternately from its pretty and its generic text; the other form
is only parsed. Results must match ``jax.jit(f)(*args)``.

(``keep_unused=True``: otherwise JAX drops arguments the program never reads
from ``@main``, e.g. some of Adafactor's state, and the flat argument list no
longer matches the pytree's leaves.)

Tolerances: float32 rtol=atol=1e-5 (whole training steps: XLA and hlox sum
in different orders); float16 rtol 2e-3 / atol 1e-3; bfloat16 rtol=atol=1e-2,
also on the float32 outputs of a program that computes in bfloat16 (one bfloat16
ulp is 2**-8 relative); integers, booleans and random bits exact.

Also, as a user would: the ahead-of-time round trip through the ``hlox
compile`` / ``hlox run`` commands in fresh processes, with ``HLOX_DUMP_DIR``
set, leaving every stage's IR (one file per pass, then ``.ll`` and ``.s``).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytest.importorskip("optax")
pytest.importorskip("flax.nnx")

import user_models  # noqa: E402
from mlir import ir  # noqa: E402

import hlox  # noqa: E402
from hlox.dialects import make_context  # noqa: E402

from conftest import cpu_dump_files, stage_files  # noqa: E402

PROGRAMS = user_models.programs()
BY_NAME = {p.name: p for p in PROGRAMS}

TOLERANCES = {
    np.dtype(np.float32): dict(rtol=1e-5, atol=1e-5),
    np.dtype(np.float16): dict(rtol=2e-3, atol=1e-3),
    np.dtype(jax.numpy.bfloat16): dict(rtol=1e-2, atol=1e-2),
}
# Programs whose float32 outputs are computed from bfloat16 values.
COMPUTES_IN_BFLOAT16 = {"bfloat16_params_mlp_sgd"}

# Known failures, each with its cause and a minimal reproduction in the reason.
# Strict: a fix makes the test XPASS and fail, so that the entry gets removed.
KNOWN_FAILURES: dict[str, str] = {}


def as_numpy(leaf):
    """A pytree leaf as the numpy array the lowered @main takes or returns
    (typed PRNG keys as their uint32 key data)."""
    if hasattr(leaf, "dtype") and jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
        leaf = jax.random.key_data(leaf)
    return np.asarray(leaf)


def lower(program, args):
    """(lowered, pretty text, generic text); ``lowered.compile()`` is JAX's reference."""
    lowered = jax.jit(program.fn, keep_unused=True).lower(*args)
    generic = lowered.compiler_ir("stablehlo").operation.get_asm(print_generic_op_form=True)
    return lowered, lowered.as_text(), generic


def jax_results(lowered, args):
    return [as_numpy(w) for w in jax.tree_util.tree_leaves(lowered.compile()(*args))]


def assert_matches(name, got, want):
    assert len(got) == len(want), (name, len(got), len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        g = np.asarray(g)
        assert g.shape == w.shape and g.dtype == w.dtype, (name, i, g.shape, w.shape, g.dtype, w.dtype)
        if w.dtype.kind in "iub":
            np.testing.assert_array_equal(g, w, err_msg=f"{name}: result {i}")
            continue
        tol = TOLERANCES[np.dtype(jax.numpy.bfloat16) if name in COMPUTES_IN_BFLOAT16 else w.dtype]
        np.testing.assert_allclose(g.astype(np.float64), w.astype(np.float64), **tol,
                                   err_msg=f"{name}: result {i} ({w.dtype})")


def run_case(index, name):
    program = BY_NAME[name]
    args = program.args()
    lowered, pretty, generic = lower(program, args)
    compiled_text, other_text = (pretty, generic) if index % 2 == 0 else (generic, pretty)
    with make_context(), ir.Location.unknown():  # the other printed form parses too
        ir.Module.parse(other_text)
    run = hlox.compile_stablehlo(compiled_text, backend="cpu")
    got = run(*[as_numpy(a) for a in jax.tree_util.tree_leaves(args)])
    assert_matches(name, got, jax_results(lowered, args))


@pytest.mark.parametrize("index,name", [
    pytest.param(i, p.name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[p.name])]
                 if p.name in KNOWN_FAILURES else [])
    for i, p in enumerate(PROGRAMS)], ids=[p.name for p in PROGRAMS])
def test_program_matches_jax(index, name):
    run_case(index, name)


def hlox_cli(*args, env):
    """``python -m hlox.cli`` (what the ``hlox`` command runs) in a fresh process."""
    return subprocess.run([sys.executable, "-m", "hlox.cli", *map(str, args)], cwd="/",
                          env=env, capture_output=True, text=True)


def test_cli_round_trip_with_dump_dir(tmp_path):
    """``hlox compile`` (HLOX_DUMP_DIR set) then ``hlox run`` of a training loop
    (fori_loop over optax.chain(clip, adamw) steps), each in a fresh process."""
    program = BY_NAME["fori_loop_training_steps"]
    args = program.args()
    lowered, pretty, _ = lower(program, args)
    (tmp_path / "step.mlir").write_text(pretty)
    np.savez(tmp_path / "in.npz", *[as_numpy(a) for a in jax.tree_util.tree_leaves(args)])
    dump = tmp_path / "dump"
    env = dict(os.environ, HLOX_CACHE_DIR="", HLOX_DUMP_DIR=str(dump))
    result = hlox_cli("compile", tmp_path / "step.mlir", "--backend", "cpu", "-o",
                      tmp_path / "step.hlox", env=env)
    assert result.returncode == 0, result.stderr

    # Every stage: the input, one numbered file per pass, then LLVM IR and assembly.
    expected = cpu_dump_files()
    folder = dump / "step"  # the CLI names the function after the input file
    assert stage_files(folder) == expected
    assert "define " in (folder / expected[-2]).read_text()
    assert (folder / expected[-1]).read_text().strip()

    env["HLOX_DUMP_DIR"] = ""
    result = hlox_cli("run", tmp_path / "step.hlox", "--inputs", tmp_path / "in.npz",
                      "--output", tmp_path / "out.npz", env=env)
    assert result.returncode == 0, result.stderr
    out = np.load(tmp_path / "out.npz")
    assert_matches(program.name, [out[f"out_{i}"] for i in range(len(out.files))],
                   jax_results(lowered, args))


def test_deserialized_artifact_takes_scalars():
    """An optimizer's step count is a 0-d array: a reloaded artifact takes it as is
    (np.ascontiguousarray used to make it shape (1,) and the call was refused)."""
    compiled = hlox.jit(lambda x, s: x * s).lower(np.ones(2, np.float32), np.float32(2)).compile()
    reloaded = hlox.deserialize(compiled.serialize())
    np.testing.assert_array_equal(reloaded(np.ones(2, np.float32), np.array(3, np.float32)),
                                  np.full(2, 3, np.float32))


def test_cpu_buffers_keep_scalar_shape():
    backend = hlox.backends.get("cpu")
    assert backend.from_device(backend.to_device(np.array(3.0))).shape == ()


def test_hlo_text_is_refused_with_a_hint():
    """``as_text(dialect="hlo")`` is XLA's HLO, not StableHLO: say so."""
    text = jax.jit(lambda x: x * 2).lower(np.ones(3, np.float32)).as_text(dialect="hlo")
    with pytest.raises(hlox.backends.BackendError, match="XLA HLO text, not StableHLO"):
        hlox.compile_stablehlo(text, backend="cpu")


def test_jax_module_object_is_accepted():
    """``compiler_ir("stablehlo")`` (a module of jaxlib's own MLIR bindings) runs as is."""
    lowered = jax.jit(lambda x: (jax.numpy.tanh(x) * 2, x.sum())).lower(np.ones(3, np.float32))
    x = np.arange(3, dtype=np.float32)
    got = hlox.compile_stablehlo(lowered.compiler_ir("stablehlo"), backend="cpu")(x)
    assert_matches("module_object", got, jax_results(lowered, (x,)))


def test_too_many_arguments_hint_at_keep_unused():
    """Without keep_unused JAX drops an unread argument from @main; passing every
    leaf then gets a hint rather than only a count."""
    lowered = jax.jit(lambda x, unused: x + 1).lower(np.ones(2, np.float32), np.ones(2, np.float32))
    run = hlox.compile_stablehlo(lowered.as_text(), backend="cpu")
    with pytest.raises(TypeError, match=r"takes 1 arguments, got 2; .*keep_unused=True"):
        run(np.ones(2, np.float32), np.ones(2, np.float32))
