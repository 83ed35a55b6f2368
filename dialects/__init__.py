"""hlox's MLIR dialects: StableHLO, CHLO, hlox and sdy, in the bindings' MLIR.

Every context hlox works in comes from :func:`make_context`: an upstream
``mlir.ir.Context`` (all upstream dialects) with our dialects added from the
native library, so text from JAX, upstream passes and ours all meet in one
MLIR instance.
"""

from __future__ import annotations

from mlir import ir

from hlox import _native

_native.register_passes()


def register_dialects(context: ir.Context) -> ir.Context:
    """Makes stablehlo, chlo, hlox and sdy parseable and buildable in ``context``."""
    _native.register_dialects(context._CAPIPtr)
    # Load ours now: a Python pass that builds their attributes would
    # otherwise load a dialect while the PassManager runs (a fatal error).
    for name in ("stablehlo", "chlo", "hlox", "sdy"):
        context.dialects[name]
    return context


def make_context() -> ir.Context:
    """A new MLIR context with upstream's dialects and ours."""
    return register_dialects(ir.Context())
