"""hlox-stablehlo-resolve-shape-operands (Python pass): dynamic ops whose shape
operands are constants become their static forms.

``dynamic_iota``, ``dynamic_reshape``, ``dynamic_broadcast_in_dim``, ``dynamic_pad``,
``dynamic_gather`` and ``dynamic_conv`` take shapes, paddings or slice sizes as tensors.
When those tensors are constants and the result type is static (as JAX and the StableHLO
interpreter tests write them), the op is ``iota``, ``reshape``, ``broadcast_in_dim``,
``pad``, ``gather`` or ``convolution`` with the values as attributes, which the backends
lower.
A constant that contradicts the static result type is an error naming the op;
anything else (a computed shape, a dynamic result) is left for the lowering to refuse.
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from hlox.passes.python_passes import register


def _constant_ints(value: ir.Value) -> list[int] | None:
    """The integers of a ``stablehlo.constant``/``arith.constant`` tensor, or None."""
    owner = value.owner
    if not isinstance(owner, ir.Operation) and hasattr(owner, "operation"):
        owner = owner.operation
    if not isinstance(owner, ir.Operation) or owner.name not in ("stablehlo.constant",
                                                                 "arith.constant"):
        return None
    attr = owner.attributes["value"]
    if not isinstance(attr, ir.DenseIntElementsAttr):
        return None
    return [int(attr[i]) for i in range(len(attr))]


def _static_shape(value: ir.Value) -> list[int] | None:
    t = ir.RankedTensorType(value.type) if isinstance(value.type, ir.RankedTensorType) else None
    return list(t.shape) if t is not None and t.has_static_shape else None


def _i64_array(values) -> ir.Attribute:
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


class _Contradiction(Exception):
    pass


def _check(op: ir.Operation, what: str, values: list[int], expected: list[int]) -> None:
    if values != expected:
        raise _Contradiction(f"'{op.name}': its {what} operand is {values}, but its result "
                             f"type {op.results[0].type} needs {expected}")


def _iota(op, shape):
    dims = _constant_ints(op.operands[0])
    if dims is None:
        return None
    _check(op, "output_shape", dims, shape)
    return "stablehlo.iota", [], {"iota_dimension": op.attributes["iota_dimension"]}


def _reshape(op, shape):
    dims = _constant_ints(op.operands[1])
    if dims is None:
        return None
    _check(op, "output_shape", dims, shape)
    return "stablehlo.reshape", [op.operands[0]], {}


def _broadcast_in_dim(op, shape):
    dims = _constant_ints(op.operands[1])
    if dims is None:
        return None
    _check(op, "output_dimensions", dims, shape)
    # known_(non)expanding_dimensions are hints, exact once the shapes are static
    return ("stablehlo.broadcast_in_dim", [op.operands[0]],
            {"broadcast_dimensions": op.attributes["broadcast_dimensions"]})


def _pad(op, shape):
    low, high, interior = (_constant_ints(v) for v in list(op.operands)[2:5])
    if low is None or high is None or interior is None:
        return None
    operand = _static_shape(op.operands[0])
    if operand is not None:
        padded = [lo + hi + d + max(d - 1, 0) * i
                  for d, lo, hi, i in zip(operand, low, high, interior)]
        _check(op, "padding", padded, shape)
    return ("stablehlo.pad", list(op.operands)[:2],
            {"edge_padding_low": _i64_array(low), "edge_padding_high": _i64_array(high),
             "interior_padding": _i64_array(interior)})


def _gather(op, shape):
    sizes = _constant_ints(op.operands[2])
    if sizes is None:
        return None
    attributes = {"dimension_numbers": op.attributes["dimension_numbers"],
                  "slice_sizes": _i64_array(sizes)}
    if "indices_are_sorted" in op.attributes:
        attributes["indices_are_sorted"] = op.attributes["indices_are_sorted"]
    # the gather verifier checks the result type against the slice sizes
    return "stablehlo.gather", list(op.operands)[:2], attributes


def _conv(op, shape):
    padding = _constant_ints(op.operands[2])
    if padding is None:
        return None
    pairs = ir.RankedTensorType(op.operands[2].type)
    named = [op.attributes[i] for i in range(len(op.attributes))]
    attributes = {a.name: a.attr for a in named}
    # [spatial, 2] as the padding attribute; the convolution verifier checks its
    # shape and the result type against it
    attributes["padding"] = ir.DenseIntElementsAttr.get(
        np.array(padding, dtype=np.int64).reshape(list(pairs.shape)),
        type=ir.RankedTensorType.get(list(pairs.shape), ir.IntegerType.get_signless(64)))
    return "stablehlo.convolution", list(op.operands)[:2], attributes


_STATIC_FORMS = {
    "stablehlo.dynamic_iota": _iota,
    "stablehlo.dynamic_reshape": _reshape,
    "stablehlo.dynamic_broadcast_in_dim": _broadcast_in_dim,
    "stablehlo.dynamic_pad": _pad,
    "stablehlo.dynamic_gather": _gather,
    "stablehlo.dynamic_conv": _conv,
}


@register("hlox-stablehlo-resolve-shape-operands",
          "dynamic_iota/reshape/broadcast_in_dim/pad/gather/conv with constant shape "
          "operands and a static result -> iota/reshape/broadcast_in_dim/pad/gather/"
          "convolution")
def resolve_shape_operands(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []

    def collect(op):
        if op.name in _STATIC_FORMS:
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    for op in found:
        shape = _static_shape(op.results[0])
        if shape is None:
            continue
        try:
            static = _STATIC_FORMS[op.name](op, shape)
        except _Contradiction as error:
            op.location.emit_error(f"hlox-stablehlo-resolve-shape-operands: {error}")
            pass_.signal_pass_failure()
            return
        if static is None:
            continue
        name, operands, attributes = static
        with ir.InsertionPoint(op), op.location:
            new = ir.Operation.create(name, results=[op.results[0].type], operands=operands,
                                      attributes=attributes)
        op.results[0].replace_all_uses_with(new.results[0])
        op.erase()
