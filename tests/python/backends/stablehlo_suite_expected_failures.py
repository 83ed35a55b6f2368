"""Test functions of the StableHLO interpreter suite that fail today, per backend,
grouped by cause. ``test_stablehlo_interpret_suite.py`` runs them as strict xfails: a fix
must remove its names here, a regression shows as a failure.
"""

from __future__ import annotations

# Quantized element types (!quant.uniform) and the uniform_(de)quantize ops.
_QUANTIZED = [
        "quantized_ops::uniform_quantize",
        "quantized_ops::uniform_quantize#2",
        "quantized_ops::uniform_dequantize",
        "quantized_ops::uniform_qdq",
        "quantized_ops::quantized_add",
]

CPU: dict[str, list[str]] = {
    "quantized types and uniform_(de)quantize are not supported": _QUANTIZED,
}

INTERPRETER: dict[str, list[str]] = {
    "quantized types and uniform_(de)quantize are not supported": _QUANTIZED,
}

_BY_BACKEND = {"cpu": CPU, "interpreter": INTERPRETER}


def expected_failure(backend: str, case_id: str) -> str | None:
    """The cause ``case_id`` fails on ``backend`` for, or None when it passes."""
    for cause, ids in _BY_BACKEND.get(backend, {}).items():
        if case_id in ids:
            return cause
    return None
