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
    "cpu: triangular_solve has no lowering": [
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_lower",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_upper",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_lower",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_upper",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_lower_unit_diagonal",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_upper_unit_diagonal",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_lower_unit_diagonal",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_upper_unit_diagonal",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_lower_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_upper_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_lower_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_upper_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_lower_unit_diagonal_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_left_upper_unit_diagonal_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_lower_unit_diagonal_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_diagonal_right_upper_unit_diagonal_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_left_lower",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_left_upper",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_right_lower",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_right_upper",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_left_lower_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_left_upper_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_right_lower_transpose",
        "triangular_solve::triangular_solve_op_test_real_3x3_triangular_right_upper_transpose",
        "triangular_solve::triangular_solve_op_test_spec_example",
        "triangular_solve::triangular_solve_op_test_complex_example",
        "triangular_solve::triangular_solve_op_test_complex_example_adjoint",
    ],
    "cpu: f8/f6/f4 element types have no lowering": [
        "constant::constant_op_test_f4_e2m1fn",
        "constant::constant_op_test_f6_e2m3fn",
        "constant::constant_op_test_f6_e3m2fn",
        "constant::constant_op_test_f8_e3m4",
        "constant::constant_op_test_f8_e4m3b11_fnuz",
        "constant::constant_op_test_f8_e4m3",
        "constant::constant_op_test_f8_e4m3_fn",
        "constant::constant_op_test_f8_e4m3_fnuz",
        "constant::constant_op_test_f8_e5m2",
        "constant::constant_op_test_f8_e5m2_fnuz",
        "constant::constant_op_test_f8_e5m2_fnuz#2",
        "constant::constant_op_test_f8_e8m0fnu",
        "dot_general::add_op_test_f8E3M4",
        "dot_general::add_op_test_f8E4M3",
    ],
    "cpu: bitcast_convert of complex numbers has no lowering": [
        "bitcast_convert::bitcast_convert_op_test_c128_to_c64",
    ],
}

INTERPRETER: dict[str, list[str]] = {
    "hlox's dialects lack chlo.mulhi, chlo.scan, chlo.ragged_dot, stablehlo.dynamic_conv":
        _NOT_IN_OUR_DIALECTS,
    "quantized types and uniform_(de)quantize are not supported": _QUANTIZED,
    "interpreter: complex atan2 is not implemented": [
        "atan2::atan2_op_test_c128",
    ],
    "interpreter: bitcast_convert to or from i1 is not implemented": [
        "bitcast_convert::bitcast_convert_op_test_i1_to_i64",
        "bitcast_convert::bitcast_convert_op_test_f64_to_i1",
    ],
    "interpreter: convert complex -> i1 tests the imaginary part (the spec ignores it)": [
        "convert::convert_op_test_c128_to_i1",
    ],
}

_BY_BACKEND = {"cpu": CPU, "interpreter": INTERPRETER}


def expected_failure(backend: str, case_id: str) -> str | None:
    """The cause ``case_id`` fails on ``backend`` for, or None when it passes."""
    for cause, ids in _BY_BACKEND.get(backend, {}).items():
        if case_id in ids:
            return cause
    return None
