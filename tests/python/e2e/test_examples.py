"""The scripts in examples/ run and check their own answers (each exits non-zero
when hlox disagrees with its NumPy/JAX reference). Small sizes keep this fast."""

import os
import subprocess
import sys

import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "examples")

CASES = {
    "selu.py": ["--size", "10000", "--repeat", "1"],
    "demo.py": ["--dump-dir", "{tmp}/dumps"],
    "derivatives.py": [],
    "vmap_distance.py": [],
    "linear_regression.py": [],
    "sharded_training.py": ["--devices", "4", "--steps", "3"],
    "flax_on_hlox.py": ["--steps", "20", "--checkpoint-dir", "{tmp}/checkpoints"],
}
# modules a script needs beyond hlox (the test extra has them)
REQUIRES = {"flax_on_hlox.py": ["flax.nnx", "optax", "orbax.checkpoint"]}


@pytest.mark.examples
@pytest.mark.parametrize("script", sorted(CASES))
def test_example_runs(script, tmp_path):
    for module in REQUIRES.get(script, []):
        pytest.importorskip(module)
    args = [a.format(tmp=tmp_path) for a in CASES[script]]
    # Run from an empty folder, as a user would: hlox comes from the installed package.
    result = subprocess.run([sys.executable, os.path.join(EXAMPLES, script), *args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    assert result.stdout.strip(), f"{script} printed nothing"
