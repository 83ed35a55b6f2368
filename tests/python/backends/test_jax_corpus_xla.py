"""The JAX corpus through hlox's StableHLO passes, run by XLA, against JAX.

Each program of jax_programs.py is lowered by JAX, parsed by hlox-opt,
rewritten by `hlox-chlo-legalize-to-stablehlo` and
`hlox-stablehlo-canonicalize`, compiled by XLA's CPU client and run on the
program's example arguments; the results must match `jax.jit(fn)(*args)`
(rtol 2e-5 / atol 1e-6 for float32, exact for integers and booleans). This
checks the CHLO decompositions and the canonicalization patterns on real
programs. Programs hlox cannot parse yet are skipped with the missing names.
"""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")

import jax_programs  # noqa: E402
from mlir import ir  # noqa: E402

from hlox.dialects import make_context  # noqa: E402
from hlox.passes import pipeline  # noqa: E402
import hlox.passes  # noqa: E402,F401

PROGRAMS = {p.name: p for p in jax_programs.programs()}
PASSES = ["hlox-chlo-legalize-to-stablehlo", "hlox-stablehlo-canonicalize"]


def run_xla(text, args):
    from jax._src import xla_bridge
    from jax._src.lib import xla_client

    backend = xla_bridge.get_backend("cpu")
    device = backend.local_devices()[0]
    executable = backend.compile_and_load(text, xla_client.DeviceList((device,)),
                                          xla_client.CompileOptions())
    with jax.enable_x64(True):
        buffers = [jax.device_put(np.asarray(a), device) for a in args]
        return [np.asarray(o) for o in executable.execute(buffers)]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_corpus_numerics(name):
    ref = jax_programs.reference(PROGRAMS[name])
    generic = ref.lowered.compiler_ir("stablehlo").operation.get_asm(print_generic_op_form=True)
    missing = jax_programs.missing_names(generic)
    if missing:
        pytest.skip("hlox does not define yet: " + ", ".join(missing))
    if name in jax_programs.KNOWN_BUGS:
        pytest.xfail(jax_programs.KNOWN_BUGS[name])
    context = make_context()
    with context, ir.Location.unknown():
        module = ir.Module.parse(generic)
        pipeline.build(PASSES, context).run(module.operation)
        text = module.operation.get_asm(print_generic_op_form=True)
    assert "chlo." not in text
    # The arguments as JAX passes them (float64 -> float32 without x64).
    got = run_xla(text, ref.inputs)
    want = ref.outputs
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.shape == w.shape and g.dtype == w.dtype, (i, g.shape, w.shape, g.dtype, w.dtype)
        if np.issubdtype(w.dtype, np.inexact):
            np.testing.assert_allclose(g, w, rtol=2e-5, atol=1e-6, equal_nan=True,
                                       err_msg=f"{name}: result {i}")
        else:
            np.testing.assert_array_equal(g, w, err_msg=f"{name}: result {i}")
