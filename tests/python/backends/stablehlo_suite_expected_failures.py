"""Test functions of the StableHLO interpreter suite that fail today, per backend,
grouped by cause. ``test_stablehlo_interpret_suite.py`` runs them as strict xfails: a fix
must remove its names here, a regression shows as a failure.
"""

from __future__ import annotations

# Ops and attributes hlox's dialects do not define: the module does not parse.
_NOT_IN_OUR_DIALECTS = [
        "chlo/mulhi::mulhi_op_test_si8",
        "chlo/mulhi::mulhi_op_test_ui8",
        "chlo/mulhi::mulhi_op_test_si16",
        "chlo/mulhi::mulhi_op_test_ui16",
        "chlo/mulhi::mulhi_op_test_si32",
        "chlo/mulhi::mulhi_op_test_ui32",
        "chlo/mulhi::mulhi_op_test_si64",
        "chlo/mulhi::mulhi_op_test_ui64",
        "chlo/ragged_dot::ragged_dot_mode_1",
        "chlo/ragged_dot::ragged_dot_mode_1_batching",
        "chlo/scan::scan_cumsum_1d",
        "chlo/scan::scan_cumsum_dim1",
        "chlo/scan::scan_cummax",
        "chlo/scan::scan_cumsum_reverse",
        "dynamic_conv::dynamic_conv_op_test_si64",
]

# Quantized element types (!quant.uniform) and the uniform_(de)quantize ops.
_QUANTIZED = [
        "quantized_ops::uniform_quantize",
        "quantized_ops::uniform_quantize#2",
        "quantized_ops::uniform_dequantize",
        "quantized_ops::uniform_qdq",
        "quantized_ops::quantized_add",
]

CPU: dict[str, list[str]] = {
    "hlox's dialects lack chlo.mulhi, chlo.scan, chlo.ragged_dot, stablehlo.dynamic_conv":
        _NOT_IN_OUR_DIALECTS,
    "quantized types and uniform_(de)quantize are not supported": _QUANTIZED,
}

INTERPRETER: dict[str, list[str]] = {
    "hlox's dialects lack chlo.mulhi, chlo.scan, chlo.ragged_dot, stablehlo.dynamic_conv":
        _NOT_IN_OUR_DIALECTS,
    "quantized types and uniform_(de)quantize are not supported": _QUANTIZED,
}

_BY_BACKEND = {"cpu": CPU, "interpreter": INTERPRETER}


def expected_failure(backend: str, case_id: str) -> str | None:
    """The cause ``case_id`` fails on ``backend`` for, or None when it passes."""
    for cause, ids in _BY_BACKEND.get(backend, {}).items():
        if case_id in ids:
            return cause
    return None
