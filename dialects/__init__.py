"""hlox's MLIR dialects: StableHLO, CHLO, hlox and sdy, in the bindings' MLIR.

Every context hlox works in comes from :func:`make_context`: an upstream
``mlir.ir.Context`` (all upstream dialects) with our dialects added from the
native library, so text from JAX, upstream passes and ours all meet in one
MLIR instance.
"""

from __future__ import annotations

import re

from mlir import ir

from hlox import _native

_native.register_passes()

# Python modules standing for our dialects (they have no op classes).
_OPVIEW_PREFIX = "hlox.dialects._opviews"


def _install_dialect_modules() -> None:
    """Gives stablehlo, chlo, hlox and sdy a Python dialect module. The bindings
    import ``mlir.dialects.<namespace>`` whenever they wrap an op and do not
    remember a miss: every op of ours a Python pass touched cost a failed import
    (a search of sys.path). A module found once is remembered."""
    import sys
    import types

    from mlir._mlir_libs import _mlir

    for namespace in ("stablehlo", "chlo", "hlox", "sdy"):
        name = f"{_OPVIEW_PREFIX}.{namespace}"
        sys.modules.setdefault(name, types.ModuleType(name))
    if _OPVIEW_PREFIX not in _mlir.globals.dialect_search_modules:
        _mlir.globals.append_dialect_search_prefix(_OPVIEW_PREFIX)


_install_dialect_modules()


def register_dialects(context: ir.Context) -> ir.Context:
    """Makes stablehlo, chlo, hlox and sdy (and quant, the element types of quantized
    tensors) parseable and buildable in ``context``."""
    _native.register_dialects(context._CAPIPtr)
    # Load ours now: a Python pass that builds their attributes would
    # otherwise load a dialect while the PassManager runs (a fatal error).
    for name in ("stablehlo", "chlo", "hlox", "sdy", "quant"):
        context.dialects[name]
    return context


_SHAPE = re.compile(r"\b(?:tensor|memref|vector)<((?:\d+x)+)")


def malformed_text(text: str) -> str:
    """What in MLIR text would abort the parser (it asserts), or "":
    a complex element literal ``(re, im)`` in a dense attribute of a
    non-complex type (``dense<(1.0, 2.0)> : tensor<f32>``; DenseElementsAttr::get
    asserts), or a shape whose element count overflows int64
    (ShapedType::getNumElements asserts). Returns "line L: what" for the first."""
    for match in _SHAPE.finditer(text):
        count = 1
        for dim in match.group(1).split("x")[:-1]:
            count *= int(dim)
        if count * 16 >= 2 ** 63:  # bytes, for elements of up to 16 bytes
            line = text.count("\n", 0, match.start()) + 1
            return f"line {line}: the shape {match.group(0)}... has more bytes than fit in int64"
    start = 0
    while (start := text.find("dense<", start)) >= 0:
        end, depth, quoted = start + len("dense<"), 0, False
        while end < len(text) and (quoted or depth or text[end] != ">"):
            char = text[end]
            if char == '"':
                quoted = not quoted
            elif not quoted and char in "[(":
                depth += 1
            elif not quoted and char in "])":
                depth -= 1
            end += 1
        literal = text[start + len("dense<"):end]
        rest = text[end + 1:end + 400].lstrip()
        if "(" in re.sub(r'"[^"]*"', "", literal) and rest.startswith(":") and \
                "complex<" not in rest[1:].lstrip().split(">")[0]:
            line = text.count("\n", 0, start) + 1
            return (f"line {line}: the dense literal {text[start:end + 1][:80]} has complex "
                    f"elements but its type is not complex")
        start = end
    return ""


def first_malformed(operation: ir.Operation) -> str:
    """What MLIR's verifiers accept but a pass would abort the process on, in
    ``operation`` (a dense literal whose data does not match its type, a type
    whose byte size overflows int64): "location: 'op': problem", or "" when
    nothing. Run it after verifying, before any pass."""
    return _native.first_malformed(operation._CAPIPtr)


def make_context() -> ir.Context:
    """A new MLIR context with upstream's dialects and ours."""
    return register_dialects(ir.Context())
