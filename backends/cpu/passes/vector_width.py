"""hlox-cpu-vector-width (Python pass): LLVM vectorizes loops at the kernels' width.

On AVX-512 hosts LLVM's loop vectorizer still prefers 256-bit vectors
(``prefer-vector-width``, against the clock penalty of older Xeons), while the
contraction kernels are tiled for 512 (:func:`contraction_packing.vector_bits`).
A loop whose time is arithmetic (float32 exp's polynomial in softmax and
selu) then does half the work per instruction it could: this pass sets every
defined ``llvm.func``'s ``prefer-vector-width`` to that same width (softmax
4096x1024 and selu on one thread took a fifth less time; memory-bound loops
are unchanged).
"""

from __future__ import annotations

from mlir import ir

from hlox.backends.cpu.passes.contraction_packing import vector_bits
from hlox.passes.python_passes import register

KEY = "prefer-vector-width"


@register("hlox-cpu-vector-width",
          "prefer-vector-width on every llvm.func: the width the contraction kernels use")
def vector_width(module: ir.Operation, pass_) -> None:
    entry = ir.ArrayAttr.get([ir.StringAttr.get(KEY), ir.StringAttr.get(str(vector_bits(module)))])
    for op in module.regions[0].blocks[0].operations:
        fn = op.operation
        if fn.name != "llvm.func" or len(fn.regions[0].blocks) == 0:
            continue
        kept = []
        if "passthrough" in fn.attributes:
            kept = [a for a in ir.ArrayAttr(fn.attributes["passthrough"])
                    if not (isinstance(a, ir.ArrayAttr) and ir.StringAttr(a[0]).value == KEY)]
        fn.attributes["passthrough"] = ir.ArrayAttr.get(kept + [entry])
