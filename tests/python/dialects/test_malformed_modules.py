"""Modules that used to abort the process (issue 13): a complex element literal
in a dense attribute of a real type (MLIR's parser asserts in
DenseElementsAttr::get) and a tensor whose byte size overflows int64
(ShapedType::getNumElements asserts, in the parser or the first pass): both
refused before parsing, and again after verifying (hlox.dialects.first_malformed,
for modules built in memory). Each
runs in a child process, through ``hlox-opt`` and through
``hlox.compile_stablehlo``: exit status 1 with a message naming the problem,
never a signal. A well-formed neighbour of each compiles (status 0).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

COMPLEX_LITERAL_FOR_F32 = """
func.func @main() -> tensor<f32> {
  %0 = stablehlo.constant dense<(1.0, 2.0)> : tensor<f32>
  return %0 : tensor<f32>
}
"""

OVERFLOWING_SIZE = """
func.func @main(%x: tensor<4611686018427387904x4xf32>) -> tensor<4611686018427387904x4xf32> {
  %0 = stablehlo.add %x, %x : tensor<4611686018427387904x4xf32>
  return %0 : tensor<4611686018427387904x4xf32>
}
"""

OVERFLOWING_CONSTANT = """
func.func @main() -> tensor<3x3074457345618258603xf32> {
  %0 = stablehlo.constant dense<1.0> : tensor<3x3074457345618258603xf32>
  return %0 : tensor<3x3074457345618258603xf32>
}
"""

WELL_FORMED = """
func.func @main() -> tensor<complex<f32>> {
  %0 = stablehlo.constant dense<(1.0, 2.0)> : tensor<complex<f32>>
  return %0 : tensor<complex<f32>>
}
"""

BAD = {"complex_literal_for_f32": (COMPLEX_LITERAL_FOR_F32, "dense literal"),
       "overflowing_size": (OVERFLOWING_SIZE, "int64"),
       "overflowing_constant": (OVERFLOWING_CONSTANT, "int64")}

COMPILE = textwrap.dedent("""
    import sys
    import hlox
    from hlox.backends.compiler import CompilationError
    try:
        hlox.compile_stablehlo(sys.stdin.read(), backend="cpu")
    except (CompilationError, ValueError) as error:
        print(error, file=sys.stderr)
        sys.exit(1)
""")


def run(args, text):
    return subprocess.run(args, input=text, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("name", sorted(BAD))
def test_hlox_opt_refuses(name):
    text, message = BAD[name]
    result = run([sys.executable, "-m", "hlox.passes.opt_main", "-",
                  "--hlox-stablehlo-legalize-to-linalg", "--canonicalize"], text)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert message in result.stderr and "error" in result.stderr


@pytest.mark.parametrize("name", sorted(BAD))
def test_compile_stablehlo_refuses(name):
    text, message = BAD[name]
    result = run([sys.executable, "-c", COMPILE], text)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert message in result.stderr and "malformed" in result.stderr


def test_well_formed_neighbour_compiles():
    assert run([sys.executable, "-c", COMPILE], WELL_FORMED).returncode == 0
    result = run([sys.executable, "-m", "hlox.passes.opt_main", "-",
                  "--hlox-stablehlo-legalize-to-linalg"], WELL_FORMED)
    assert result.returncode == 0, result.stderr
