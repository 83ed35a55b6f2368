"""Ops the CPU backend cannot run are rejected at compile time, as a Python
exception naming the stage, the op, its location and the reason; nothing
aborts the interpreter and nothing runs."""

from __future__ import annotations

import pytest

import hlox
from hlox.backends.compiler import CompilationError

from conftest import cpu_stage

CUSTOM_CALL = """\
func.func public @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.add %a, %a : tensor<4xf32>
  %1 = stablehlo.custom_call @my_ffi_kernel(%0) : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
"""


def test_custom_call_to_unknown_target_is_rejected_with_op_location_and_reason():
    with pytest.raises(CompilationError) as info:
        hlox.compile_stablehlo(CUSTOM_CALL, backend="cpu", name="kernel")
    message = str(info.value)
    stage = cpu_stage("hlox-stablehlo-legalize-to-linalg")
    assert f"stage {stage[:3]} '{stage[4:]}'" in message
    assert "'stablehlo.custom_call' to target 'my_ffi_kernel'" in message
    assert "cannot run on this backend" in message
    assert ":3" in message  # the custom_call's line in the text


def test_complex_op_without_lowering_is_rejected_by_name():
    text = """
    func.func public @main(%a: tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>> {
      %0 = stablehlo.remainder %a, %a : tensor<4xcomplex<f32>>
      return %0 : tensor<4xcomplex<f32>>
    }
    """
    # (complex atan2 has a lowering now: hlox-stablehlo-expand-complex)
    with pytest.raises(CompilationError, match=r"'stablehlo.remainder' on complex numbers"):
        hlox.compile_stablehlo(text, backend="cpu")
