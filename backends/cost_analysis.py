"""Flops and bytes a StableHLO module touches, by XLA's definitions (JAX's
``compiled.cost_analysis()``), computed op by op from the StableHLO itself.

- ``flops``: elementwise arithmetic, comparisons, selects and conversions count
  one per result element; ``dot_general`` counts ``2 * result elements *
  contracted size``; ``convolution`` ``2 * result elements * kernel elements per
  output feature``; ``reduce``/``reduce_window`` one per combined pair and body
  op. Data movement (broadcast, reshape, transpose, slice, ...) counts none.
- ``transcendentals``: one per result element of exp, log, tanh, sqrt, ...
  (these are not in ``flops``, as in XLA).
- ``bytes accessed``: the bytes of every operand and result of every op in the
  functions' bodies (not the nested bodies of reductions); function arguments
  themselves are free, as XLA's parameters are.

XLA analyses its optimized (fused) HLO, so for programs it fuses its bytes
differ from this unfused count; for a single op they agree by definition.
"""

from __future__ import annotations

import math
import re

_TRANSCENDENTAL = {
    "exponential", "exponential_minus_one", "log", "log_plus_one", "logistic", "tanh",
    "sine", "cosine", "tan", "sqrt", "rsqrt", "cbrt", "power", "atan2", "erf", "erf_inv",
}
_ELEMENTWISE = {
    "add", "subtract", "multiply", "divide", "remainder", "maximum", "minimum", "negate",
    "abs", "sign", "floor", "ceil", "round_nearest_afz", "round_nearest_even", "compare",
    "select", "clamp", "and", "or", "xor", "not", "convert", "shift_left",
    "shift_right_logical", "shift_right_arithmetic", "popcnt", "count_leading_zeros",
    "is_finite", "real", "imag", "complex", "reduce_precision",
}
# Ops whose regions are applied per element (counted by their own rule, not walked).
_REDUCING = {"reduce", "reduce_window", "sort", "scatter", "select_and_scatter", "all_reduce",
             "reduce_scatter"}


def _cast(cls, value):
    """``cls(value)`` if ``value`` is one (the bindings' checked down-cast), else None."""
    try:
        return cls(value)
    except (ValueError, TypeError):
        return None


def _elements(type_) -> int:
    from mlir import ir

    shaped = _cast(ir.ShapedType, type_)
    if shaped is None:
        return 1
    return math.prod(shaped.shape) if shaped.has_static_shape else 0


def _bytes(type_) -> int:
    from mlir import ir

    shaped = _cast(ir.ShapedType, type_)
    element = shaped.element_type if shaped is not None else type_
    complex_ = _cast(ir.ComplexType, element)
    scalar = complex_.element_type if complex_ is not None else element
    width = 8
    for cls in (ir.IntegerType, ir.FloatType):
        typed = _cast(cls, scalar)
        if typed is not None:
            width = typed.width
    if complex_ is not None:
        width *= 2
    return _elements(type_) * max(1, (width + 7) // 8)


def _body_ops(op) -> int:
    """How many operations a reduction body applies per combination (not the return)."""
    count = 0
    for region in op.regions:
        for block in region.blocks:
            count += sum(1 for inner in block.operations
                         if not inner.operation.name.endswith("return"))
    return max(count, 1)


def _dot_flops(op) -> int:
    lhs = op.operands[0].type
    text = str(op.attributes["dot_dimension_numbers"])
    match = re.search(r"lhs_contracting_dimensions\s*=\s*\[([\d,\s]*)\]", text)
    dims = [int(d) for d in match.group(1).split(",") if d.strip()] if match else []
    from mlir import ir

    shape = ir.ShapedType(lhs).shape
    contracted = math.prod(shape[d] for d in dims)
    return 2 * _elements(op.results[0].type) * contracted


def _conv_flops(op) -> int:
    from mlir import ir

    rhs = ir.ShapedType(op.operands[1].type).shape
    text = str(op.attributes["dimension_numbers"])
    # Kernel layout like "[0, 1, i, o]" between "x" and "->".
    match = re.search(r"x\[([^\]]*)\]", text)
    out_features = 1
    if match:
        letters = [p.strip() for p in match.group(1).split(",")]
        if "o" in letters:
            out_features = rhs[letters.index("o")]
    per_output = math.prod(rhs) // max(out_features, 1)
    return 2 * _elements(op.results[0].type) * per_output


def _op_flops(op, short: str) -> tuple[int, int]:
    """``(flops, transcendentals)`` of one op."""
    out = sum(_elements(r.type) for r in op.results)
    if short in _TRANSCENDENTAL:
        return 0, out
    if short in _ELEMENTWISE:
        return out, 0
    if short == "dot_general":
        return _dot_flops(op), 0
    if short == "dot":
        from mlir import ir

        lhs = ir.ShapedType(op.operands[0].type).shape
        return 2 * out * (lhs[-1] if lhs else 1), 0
    if short == "convolution":
        return _conv_flops(op), 0
    if short == "reduce":
        n = len(op.results)
        inputs = sum(_elements(v.type) for v in list(op.operands)[:n])
        outs = sum(_elements(r.type) for r in op.results)
        return max(inputs - outs, 0) // n * _body_ops(op), 0
    if short == "reduce_window":
        n = len(op.results)
        dims = re.findall(r"\d+", str(op.attributes["window_dimensions"])) \
            if "window_dimensions" in op.attributes else []
        window = math.prod(int(d) for d in dims) if dims else 1
        return out // n * max(window - 1, 0) * _body_ops(op), 0
    return 0, 0


def _walk(block, totals) -> None:
    for op in block.operations:
        op = op.operation
        name = op.name
        dialect, _, short = name.partition(".")
        if name in ("func.return", "stablehlo.return", "func.func") or \
                short in ("constant", "return"):
            continue
        if dialect in ("stablehlo", "chlo"):
            flops, trans = _op_flops(op, short)
            totals["flops"] += flops
            totals["transcendentals"] += trans
            totals["bytes accessed"] += sum(_bytes(v.type) for v in op.operands) + \
                sum(_bytes(r.type) for r in op.results)
        if short not in _REDUCING:
            for region in op.regions:
                for inner in region.blocks:
                    _walk(inner, totals)


def analyze(module) -> dict:
    """``{"flops", "transcendentals", "bytes accessed"}`` (floats, as JAX returns them)
    for every function of ``module`` (StableHLO text or an ``ir.Module``)."""
    from mlir import ir

    from hlox.backends.base import parse_module

    if isinstance(module, (str, bytes)):
        module = parse_module(module.decode() if isinstance(module, bytes) else module)
    totals = {"flops": 0, "transcendentals": 0, "bytes accessed": 0}
    with module.context, ir.Location.unknown():
        for op in module.body.operations:
            if op.operation.name == "func.func":
                for block in op.regions[0].blocks:
                    _walk(block, totals)
    return {key: float(value) for key, value in totals.items()}
