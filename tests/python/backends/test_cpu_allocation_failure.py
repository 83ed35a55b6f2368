"""A compiled program whose heap allocation fails raises MemoryError (issue 13).

The program sorts a 2^36-element iota (a 256 GiB intermediate buffer that the
sort must materialize) and returns its first element; under an address-space
limit of 16 GiB the allocation fails. It runs in a child process so that a
crash shows as a signal instead of killing the test run; the child then runs a
small program to show that the process is still usable.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent('''
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (16 << 30, 16 << 30))
    import numpy as np
    import hlox

    HUGE = """
    func.func @main(%x: tensor<1xf32>) -> tensor<1xf32> {
      %i = stablehlo.iota dim = 0 : tensor<68719476736xf32>
      %s = "stablehlo.sort"(%i) ({
      ^bb0(%a: tensor<f32>, %b: tensor<f32>):
        %lt = stablehlo.compare LT, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
        stablehlo.return %lt : tensor<i1>
      }) {dimension = 0 : i64, is_stable = true} : (tensor<68719476736xf32>) -> tensor<68719476736xf32>
      %h = stablehlo.slice %s [0:1] : (tensor<68719476736xf32>) -> tensor<1xf32>
      %r = stablehlo.add %h, %x : tensor<1xf32>
      return %r : tensor<1xf32>
    }
    """
    f = hlox.compile_stablehlo(HUGE, backend="cpu")
    for attempt in range(2):  # the same executable fails cleanly twice
        try:
            f(np.ones(1, np.float32))
            print("NO ERROR")
        except MemoryError as error:
            print("MemoryError:", error)
    small = hlox.compile_stablehlo("""
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %r = stablehlo.add %x, %x : tensor<4xf32>
      return %r : tensor<4xf32>
    }
    """, backend="cpu")
    [r] = small(np.arange(4, dtype=np.float32))
    print("small:", np.asarray(r).tolist())
''')


def test_failed_allocation_in_compiled_code_raises_memory_error():
    child = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                           timeout=600)
    assert child.returncode == 0, f"child died ({child.returncode}): {child.stderr[-2000:]}"
    lines = child.stdout.splitlines()
    assert len(lines) == 3, child.stdout + child.stderr[-2000:]
    for line in lines[:2]:
        assert line.startswith("MemoryError: the compiled program could not allocate "), line
        assert int(line.split()[-2]) >= 1 << 38  # the bytes of the sort's buffer
    assert lines[2] == "small: [0.0, 2.0, 4.0, 6.0]"
