"""Our StableHLO, run by XLA (JAX's CPU client), against our CPU backend.

XLA is an independent implementation of StableHLO's semantics: if the text
hlox emits computes the same thing there as through hlox's own linalg/LLVM
path, both the emission rules and the lowering agree with the spec's meaning.
"""

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp
from hlox import lax

from conftest import MATMUL_TOLERANCES, assert_close, rand

jax = pytest.importorskip("jax")


def run_on_xla(stablehlo: str, args):
    try:
        from jax._src.lib import xla_client as xc
    except ImportError:  # jaxlib's internals moved: this reference is optional
        pytest.skip("jaxlib's xla_client is not importable")
    devices = jax.devices("cpu")[:1]
    client = devices[0].client
    executable = client.compile_and_load(stablehlo, xc.DeviceList(tuple(devices)),
                                         xc.CompileOptions())
    results = executable.execute_sharded([jax.device_put(a, devices[0]) for a in args])
    return [np.asarray(r[0]) for r in results.disassemble_into_single_device_arrays()]


CASES = {
    "seed": (lambda x, w: hnp.exp(x @ w) * 2.0 + x, [(3, 4), (4, 4)]),
    "broadcasting": (lambda x, y: hnp.maximum(x, y) - x / 3.0, [(2, 1, 3), (4, 1)]),
    "batched_matmul": (lambda x, y: x @ y, [(2, 3, 4), (4, 5)]),
    "vectors": (lambda v, m: (v @ v, m @ v, v @ m), [(4,), (4, 4)]),
    "shapes": (lambda x: (x.T.reshape(6, 4) * -x.reshape(6, 4)), [(2, 3, 4)]),
    "convert": (lambda x: lax.convert_element_type(x * 10.0, np.int32) * 2, [(5,)]),
    "powers": (lambda x: x ** 3 + x ** 0 - 1 / x, [(3, 2)]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_xla_agrees_with_hlox(name):
    fn, shapes = CASES[name]
    args = [rand(s, seed=i, low=0.5, high=1.5) for i, s in enumerate(shapes)]
    jitted = hlox.jit(fn)
    ours = hlox.tree_util.tree_leaves(jitted(*args))
    theirs = run_on_xla(jitted.lower(*args).as_text(), args)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert_close(a, b, MATMUL_TOLERANCES)
