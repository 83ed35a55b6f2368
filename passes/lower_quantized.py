"""hlox-stablehlo-lower-quantized (Python pass): quantized tensors as their storage
integers, and every op on them in integer and float StableHLO, as the spec defines
quantized semantics (https://openxla.org/stablehlo/spec, "Quantized element types"):

- ``uniform_quantize`` of a float tensor ``x`` into ``!quant.uniform<S:E, scale:zp>``:
  ``convert(clamp(min, round_nearest_even(x / scale) + zp, max), S)``, with ``scale``,
  ``zp`` and the storage range ``min``/``max`` converted to the expressed type ``E``
  (the spec's ``quantize``); of a quantized tensor: ``quantize(dequantize(x))``;
- ``uniform_dequantize``: ``convert(x - zp, E) * scale`` (the subtraction in i64, so
  that it never wraps);
- ``bitcast_convert`` from or to a quantized type: the storage integers as they are;
- the elementwise ops the spec defines on quantized tensors (``add``, ``tanh``, ...)
  and ``dot_general``/``convolution``: their operands dequantized, the op computed in
  ``E``, the result quantized; with a float lhs and result (the spec's hybrid form)
  the float result is kept;
- the data-movement ops the spec defines on quantized tensors (``reshape``,
  ``transpose``, ``slice``, ``gather``, ...): the same op on the storage integers (the
  verifier has checked that the result's scales and zero points are the operand's,
  a per-axis quantization dimension moved with its dimension).

Per-axis types (``!quant.uniform<i8:f32:0, {0.1:-30, 0.5:-20}>``) have one scale and
zero point per index of their quantization dimension: a 1-D constant broadcast
along it. A quantized type anywhere else (a function's signature, another op, a
dynamic shape) is refused with an error naming the op and the type, before
anything is changed: no quantized type reaches the linalg lowering.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects import quant

from hlox.passes.python_passes import register

_NAME = "hlox-stablehlo-lower-quantized"

# Ops the spec defines on quantized tensors as dequantize -> op -> quantize (the
# ones our ODS admits quantized operands for; see dialects/stablehlo/ElementwiseOps.td).
QUANTIZABLE_ELEMENTWISE = frozenset(f"stablehlo.{name}" for name in (
    "add", "atan2", "divide", "maximum", "minimum", "multiply", "power", "remainder",
    "subtract", "cbrt", "ceil", "cosine", "exponential", "exponential_minus_one", "floor",
    "log", "log_plus_one", "logistic", "negate", "round_nearest_afz", "round_nearest_even",
    "rsqrt", "sign", "sine", "sqrt", "tan", "tanh", "select"))
# Contractions, dequantize -> op -> quantize too, or hybrid: float lhs and result
# (see dialects/stablehlo/DotOps.cpp, ConvolutionOp.cpp).
CONTRACTIONS = frozenset({"stablehlo.dot_general", "stablehlo.convolution"})
ON_EXPRESSED = QUANTIZABLE_ELEMENTWISE | CONTRACTIONS
# Ops that move quantized elements without computing on them (dialects/stablehlo/
# ShapeOps.td, StructuredOps.td): the storage integers are moved.
MOVED = frozenset(f"stablehlo.{name}" for name in (
    "reshape", "transpose", "broadcast_in_dim", "slice", "dynamic_slice",
    "dynamic_update_slice", "concatenate", "pad", "reverse", "gather"))
_LOWERED = ON_EXPRESSED | MOVED | {"stablehlo.uniform_quantize",
                                   "stablehlo.uniform_dequantize",
                                   "stablehlo.bitcast_convert"}


class QuantizedUnsupported(Exception):
    """A quantized type where this pass cannot lower it."""


def quantized_element(t: ir.Type):
    """The quant type of a tensor type's elements (per-tensor or per-axis), or None."""
    if not isinstance(t, ir.RankedTensorType):
        return None
    element = t.element_type
    if isinstance(element, (quant.UniformQuantizedType, quant.UniformQuantizedPerAxisType)):
        return element
    if "!quant." in str(element):  # another quant type (calibrated, sub-channel, ...)
        raise QuantizedUnsupported(f"quantized element type {element} is not supported")
    return None


def storage_element(q) -> ir.Type:
    """The StableHLO integer type of ``q``'s storage: ``iN``, or ``uiN`` if unsigned."""
    width = q.storage_type_integral_width
    return (ir.IntegerType.get_signless(width) if q.is_signed
            else ir.IntegerType.get_unsigned(width))


def _parameters(q) -> tuple[list[float], list[int], int | None]:
    """Scales, zero points, and the quantization dimension (None: per-tensor)."""
    if isinstance(q, quant.UniformQuantizedPerAxisType):
        return list(q.scales), list(q.zero_points), q.quantized_dimension
    return [q.scale], [q.zero_point], None


class _Lowering:
    """Emits the storage-integer form of the quantized ops before ``op``."""

    def __init__(self, op: ir.Operation):
        self.op = op

    def __call__(self, name, *operands, type, **attributes) -> ir.Value:
        with ir.InsertionPoint(self.op), self.op.location:
            return ir.Operation.create(f"stablehlo.{name}", results=[type],
                                       operands=list(operands), attributes=attributes).results[0]

    def _constant(self, values: list, element: str, like: ir.RankedTensorType, dim) -> ir.Value:
        """``values`` (one, or one per index of ``dim``) as a tensor of ``like``'s shape
        and element type, through an exact ``element`` constant (f64 or i64)."""
        text = ", ".join(repr(v) for v in values)
        if dim is None:
            constant_type = ir.RankedTensorType.get(like.shape, ir.Type.parse(element))
            value = self("constant", type=constant_type,
                         value=ir.Attribute.parse(f"dense<{text}> : {constant_type}"))
        else:
            vector_type = ir.RankedTensorType.get([len(values)], ir.Type.parse(element))
            vector = self("constant", type=vector_type,
                          value=ir.Attribute.parse(f"dense<[{text}]> : {vector_type}"))
            value = self("broadcast_in_dim", vector,
                         type=ir.RankedTensorType.get(like.shape, vector_type.element_type),
                         broadcast_dimensions=ir.Attribute.parse(f"array<i64: {dim}>"))
        if like.element_type != value.type.element_type:
            value = self("convert", value, type=like)
        return value

    def dequantize(self, storage: ir.Value, q) -> ir.Value:
        tensor = ir.RankedTensorType(storage.type)
        scales, zero_points, dim = _parameters(q)
        wide = ir.RankedTensorType.get(tensor.shape, ir.IntegerType.get_signless(64))
        expressed = ir.RankedTensorType.get(tensor.shape, q.expressed_type)
        shifted = self("subtract", self("convert", storage, type=wide),
                       self._constant(zero_points, "i64", wide, dim), type=wide)
        return self("multiply", self("convert", shifted, type=expressed),
                    self._constant(scales, "f64", expressed, dim), type=expressed)

    def quantize(self, x: ir.Value, q) -> ir.Value:
        expressed = ir.RankedTensorType(x.type)
        scales, zero_points, dim = _parameters(q)
        scaled = self("divide", x, self._constant(scales, "f64", expressed, dim), type=expressed)
        rounded = self("round_nearest_even", scaled, type=expressed)
        shifted = self("add", rounded, self._constant(zero_points, "i64", expressed, dim),
                       type=expressed)
        low = self._constant([q.storage_type_min], "i64", expressed, None)
        high = self._constant([q.storage_type_max], "i64", expressed, None)
        clamped = self("clamp", low, shifted, high, type=expressed)
        return self("convert", clamped,
                    type=ir.RankedTensorType.get(expressed.shape, storage_element(q)))


def _check(op: ir.Operation) -> None:
    """Raises QuantizedUnsupported if ``op`` has a quantized type this pass cannot lower."""
    types = [v.type for v in op.operands] + [r.type for r in op.results]
    types += [a.type for region in op.regions for block in region.blocks for a in block.arguments]
    if op.name == "func.func":
        function_type = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
        types += list(function_type.inputs) + list(function_type.results)
    for t in types:
        try:
            q = quantized_element(t)
        except QuantizedUnsupported as error:
            raise QuantizedUnsupported(f"'{op.name}': {error}") from None
        if q is None:
            continue
        where = ("as a function argument or result (pass and return its storage "
                 "integers: bitcast_convert)" if op.name in ("func.func", "func.return",
                                                              "func.call")
                 else "")
        if op.name not in _LOWERED:
            raise QuantizedUnsupported(
                f"'{op.name}' on quantized type {t} is not supported {where}".rstrip())
        if not ir.RankedTensorType(t).has_static_shape:
            raise QuantizedUnsupported(f"'{op.name}' on quantized type {t}: only static "
                                       f"shapes are supported")


def _lower(op: ir.Operation, storage: dict) -> None:
    """Emits ``op``'s storage-integer form; maps its quantized results in ``storage``."""
    b = _Lowering(op)

    def operand(i):  # the storage value of a quantized operand, else the operand
        value = op.operands[i]
        return storage.get(value, value)

    result = op.results[0]
    out_q = quantized_element(result.type)
    shape = ir.RankedTensorType(result.type).shape
    if op.name == "stablehlo.bitcast_convert":
        value = operand(0)
        target = (ir.RankedTensorType.get(shape, storage_element(out_q)) if out_q
                  else result.type)
        if value.type != target:
            value = b("bitcast_convert", value, type=target)
        if out_q:
            storage[result] = value
        else:
            result.replace_all_uses_with(value)
        return
    in_qs = [quantized_element(v.type) for v in op.operands]
    if op.name == "stablehlo.uniform_dequantize":
        result.replace_all_uses_with(b.dequantize(operand(0), in_qs[0]))
        return
    if op.name == "stablehlo.uniform_quantize":
        x = b.dequantize(operand(0), in_qs[0]) if in_qs[0] else op.operands[0]
        storage[result] = b.quantize(x, out_q)
        return
    name = op.name.split(".", 1)[1]
    attributes = {op.attributes[i].name: op.attributes[i].attr for i in range(len(op.attributes))}
    if op.name in MOVED:
        storage[result] = b(name, *map(operand, range(len(op.operands))),
                            type=ir.RankedTensorType.get(shape, storage_element(out_q)),
                            **attributes)
        return
    # dequantize -> compute in the expressed type -> quantize (a hybrid
    # contraction's float result as it is)
    floats = [b.dequantize(operand(i), q) if q else op.operands[i] for i, q in enumerate(in_qs)]
    if out_q is None:
        result.replace_all_uses_with(b(name, *floats, type=result.type, **attributes))
        return
    expressed = ir.RankedTensorType.get(shape, out_q.expressed_type)
    computed = b(name, *floats, type=expressed, **attributes)
    storage[result] = b.quantize(computed, out_q)


@register(_NAME, "quantized tensors as storage integers: uniform_(de)quantize and the "
                 "ops on quantized tensors in integer/float StableHLO (the spec's formulas)")
def lower_quantized(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []
    failure: list[tuple[ir.Operation, str]] = []

    def collect(op):
        try:
            _check(op)
        except QuantizedUnsupported as error:
            failure.append((op, str(error)))
            return ir.WalkResult.INTERRUPT
        if op.name in _LOWERED and any(
                quantized_element(v.type) is not None
                for v in list(op.operands) + list(op.results)):
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    if failure:
        op, message = failure[0]
        op.location.emit_error(f"{_NAME}: {message}")
        pass_.signal_pass_failure()
        return
    storage: dict = {}
    for op in found:  # in program order: a quantized operand is lowered before its users
        _lower(op, storage)
    for op in reversed(found):
        op.erase()
