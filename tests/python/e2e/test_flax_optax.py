"""Flax NNX + Optax and plain JAX training loops on hlox's CPU backend.

Each program of training_programs.py is lowered once by JAX, as a user would
(``jax.jit(step, donate_argnums=0, keep_unused=True).lower(carry, batch)
.as_text()``), and compiled with ``hlox.compile_stablehlo(text, backend="cpu")``. Then both
trajectories run side by side for several steps: JAX's compiled step on its
own outputs, hlox's on *hlox's* outputs (params, optimizer state, BatchNorm
statistics, RNG counters), and metrics and the whole carry must agree after
every step.

Tolerances (stated per dtype, for results after up to three steps):
float32 rtol=atol=1e-5 (XLA and hlox sum in different orders, and the
differences of one step are inputs of the next); float16 rtol 2e-3 / atol
1e-3 (one ulp is 2**-11 relative); bfloat16 rtol=atol=1e-2
(one ulp is 2**-8 relative), applied to every float result of a program that
computes in bfloat16, float32 master weights included; integers and booleans
(and PRNG key data) exact.

Also as a user would: the ahead-of-time artifact of a Flax step reloaded by
``hlox.deserialize`` in a fresh process, and every stage's IR on disk after a
compilation with ``HLOX_DUMP_DIR`` set.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytest.importorskip("optax")
pytest.importorskip("flax.nnx")

import training_programs  # noqa: E402

import hlox  # noqa: E402

from conftest import cpu_dump_files, cpu_stage, stage_files  # noqa: E402

PROGRAMS = training_programs.programs()
BY_NAME = {p.name: p for p in PROGRAMS}

TOLERANCES = {
    "float32": dict(rtol=1e-5, atol=1e-5),
    "bfloat16": dict(rtol=1e-2, atol=1e-2),
    "float16": dict(rtol=2e-3, atol=1e-3),
}

# Known failures: (the exception they raise, their cause and a minimal
# reproduction). Strict: a fix makes the test XPASS and fail, so that the entry
# gets removed.
KNOWN_FAILURES = {
}


def leaves(tree):
    """A pytree's leaves as the numpy arrays JAX's @main takes or returns (typed
    PRNG keys as their uint32 key data)."""
    out = []
    for leaf in jax.tree_util.tree_leaves(tree):
        if hasattr(leaf, "dtype") and jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
            leaf = jax.random.key_data(leaf)
        out.append(np.asarray(leaf))
    return out


def assert_matches(where, got, want, compute_dtype):
    assert len(got) == len(want), (where, len(got), len(want))
    for i, (g, w) in enumerate(zip(got, want)):
        g = np.asarray(g)
        assert g.shape == w.shape and g.dtype == w.dtype, (where, i, g.shape, w.shape,
                                                            g.dtype, w.dtype)
        if w.dtype.kind in "iub":
            np.testing.assert_array_equal(g, w, err_msg=f"{where}: result {i}")
        else:
            np.testing.assert_allclose(g.astype(np.float64), w.astype(np.float64),
                                       **TOLERANCES[compute_dtype],
                                       err_msg=f"{where}: result {i} ({w.dtype})")


def lower(program):
    carry, batches = program.init(), program.batches()
    # Donating the carry, as training loops do: @main's arguments then carry
    # tf.aliasing_output attributes, which hlox may ignore (it never writes inputs).
    step = jax.jit(program.step, donate_argnums=0, keep_unused=True)
    return step.lower(carry, batches[0]), carry, batches


def check_trajectories(program, lowered, carry, batches, hlox_step):
    """Runs JAX's and hlox's steps each on its own outputs; compares every step."""
    jax_step = lowered.compile()
    jax_carry, hlox_carry = carry, leaves(carry)
    for i, batch in enumerate(batches):
        metrics, jax_carry = jax_step(jax_carry, batch)
        got = hlox_step(*hlox_carry, *leaves(batch))
        assert_matches(f"{program.name} step {i}", got, leaves((metrics, jax_carry)),
                       program.compute_dtype)
        hlox_carry = list(got[len(got) - len(hlox_carry):])


@pytest.mark.parametrize("name", [
    pytest.param(p.name, marks=[pytest.mark.xfail(strict=True, raises=KNOWN_FAILURES[p.name][0],
                                                  reason=KNOWN_FAILURES[p.name][1])]
                 if p.name in KNOWN_FAILURES else [])
    for p in PROGRAMS])
def test_training_matches_jax(name):
    program = BY_NAME[name]
    lowered, carry, batches = lower(program)
    hlox_step = hlox.compile_stablehlo(lowered.as_text(), backend="cpu")
    check_trajectories(program, lowered, carry, batches, hlox_step)


# A fresh process: loads the artifact and trains with it, feeding its outputs back.
TRAIN_WITH_ARTIFACT = textwrap.dedent("""
    import sys
    import numpy as np
    import hlox
    artifact, inputs, outputs = sys.argv[1:4]
    n_carry, n_steps, n_batch = map(int, sys.argv[4:])
    with open(artifact, "rb") as f:
        step = hlox.deserialize(f.read())
    with np.load(inputs) as npz:
        carry = [npz[f"carry_{i}"] for i in range(n_carry)]
        batches = [[npz[f"batch_{s}_{i}"] for i in range(n_batch)] for s in range(n_steps)]
    results = {}
    for s, batch in enumerate(batches):
        out = step(*carry, *batch)
        results.update({f"step_{s}_{i}": r for i, r in enumerate(out)})
        carry = out[len(out) - len(carry):]
    np.savez(outputs, **results)
""")


def test_flax_step_artifact_trains_in_fresh_process_and_dumps_every_stage(tmp_path, dump_dir):
    """A Flax NNX + Adam step compiled with a dump folder set: every stage's IR is
    on disk; its artifact, reloaded by ``hlox.deserialize`` in a fresh process,
    trains for several steps as JAX does."""
    program = BY_NAME["nnx_mlp_adam"]
    lowered, carry, batches = lower(program)
    executable = hlox.compile_stablehlo(lowered.as_text(), backend="cpu", name="mlp_step")

    expected = cpu_dump_files()
    folder = dump_dir / "mlp_step"
    assert stage_files(folder) == expected
    assert "stablehlo.dot_general" in (folder / expected[0]).read_text()
    assert "linalg." in (folder / f"{cpu_stage('hlox-stablehlo-legalize-to-linalg')}.mlir") \
        .read_text()
    assert "llvm.func @main" in (folder / expected[-3]).read_text()
    assert "define void @main" in (folder / expected[-2]).read_text()
    assert "_mlir_ciface_main:" in (folder / expected[-1]).read_text()

    (tmp_path / "step.hlox").write_bytes(executable.serialize())
    carry_leaves = leaves(carry)
    np.savez(tmp_path / "in.npz", **{f"carry_{i}": a for i, a in enumerate(carry_leaves)},
             **{f"batch_{s}_{i}": a for s, batch in enumerate(batches)
                for i, a in enumerate(leaves(batch))})
    counts = (len(carry_leaves), len(batches), len(leaves(batches[0])))
    result = subprocess.run([sys.executable, "-c", TRAIN_WITH_ARTIFACT, tmp_path / "step.hlox",
                             tmp_path / "in.npz", tmp_path / "out.npz", *map(str, counts)],
                            cwd="/", env=dict(os.environ, HLOX_DUMP_DIR="", HLOX_CACHE_DIR=""),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    with np.load(tmp_path / "out.npz") as out:
        per_step = len(out.files) // len(batches)
        trained = [[out[f"step_{s}_{i}"] for i in range(per_step)] for s in range(len(batches))]
    jax_step, jax_carry = lowered.compile(), carry
    for s, batch in enumerate(batches):
        metrics, jax_carry = jax_step(jax_carry, batch)
        assert_matches(f"reloaded {program.name} step {s}", trained[s],
                       leaves((metrics, jax_carry)), program.compute_dtype)
