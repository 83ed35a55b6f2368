"""Quantized tensors (``!quant.uniform<S:E, scale:zp>``, per-tensor or per-axis) in the
interpreter, as the spec defines them ("Quantized element types"): a quantized value
is held as its storage integers (numpy's dtype of ``S``);

- ``quantize(x) = convert(clamp(min, round_nearest_even(x / scale) + zp, max), S)``
  with ``scale``, ``zp``, ``min``, ``max`` converted to the expressed type ``E``;
- ``dequantize(x) = convert(x - zp, E) * scale`` (the difference taken exactly);
- ``uniform_quantize`` of a quantized tensor is ``quantize(dequantize(x))``;
- the elementwise ops on quantized tensors (``add``, ``tanh``, ...), ``dot_general``
  and ``convolution`` run their float rule on the dequantized operands, round the
  result to ``E`` and quantize it (:func:`on_expressed`); a hybrid contraction
  (float lhs, quantized rhs) keeps its float result;
- the data-movement ops (``reshape``, ``slice``, ...) move the storage integers, as
  every other op does.

Per-axis types have one scale and zero point per index of their quantization
dimension.
"""

from __future__ import annotations

import numpy as np
from mlir import ir
from mlir.dialects import quant

from hlox.passes.lower_quantized import CONTRACTIONS, ON_EXPRESSED

from .registry import register

# ON_EXPRESSED: the ops that compute on the dequantized values of their quantized
# operands (on_expressed); the others on quantized tensors (uniform_(de)quantize,
# bitcast_convert, data movement, calls, control flow) read and move the storage
# integers.


class Quantization:
    """The parameters of a quantized element type, as numpy values."""

    __slots__ = ("text", "storage", "expressed", "scales", "zero_points", "axis", "low", "high")

    def __init__(self, q, storage_dtype, expressed_dtype):
        self.text = str(q)
        self.storage = np.dtype(storage_dtype)
        self.expressed = np.dtype(expressed_dtype)
        if isinstance(q, quant.UniformQuantizedPerAxisType):
            scales, zero_points, self.axis = list(q.scales), list(q.zero_points), q.quantized_dimension
        else:
            scales, zero_points, self.axis = [q.scale], [q.zero_point], None
        # the spec's compute_scales / compute_zero_points: converted to E
        self.scales = np.asarray(scales, np.float64).astype(self.expressed)
        self.zero_points = np.asarray(zero_points, np.int64)
        self.low, self.high = q.storage_type_min, q.storage_type_max

    def _along_axis(self, values: np.ndarray, rank: int) -> np.ndarray:
        """``values`` shaped to broadcast against a tensor of ``rank``."""
        if self.axis is None:
            return values.reshape(())
        shape = [1] * rank
        shape[self.axis] = values.size
        return values.reshape(shape)

    def dequantize(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        shifted = x.astype(np.int64) - self._along_axis(self.zero_points, x.ndim)
        return (shifted.astype(self.expressed) * self._along_axis(self.scales, x.ndim)) \
            .astype(self.expressed)

    def quantize(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x).astype(self.expressed)
        e = self.expressed.type
        scaled = (x / self._along_axis(self.scales, x.ndim)).astype(self.expressed)
        rounded = np.round(scaled)  # numpy rounds half to even
        shifted = (rounded + self._along_axis(self.zero_points.astype(self.expressed), x.ndim)) \
            .astype(self.expressed)
        clamped = np.clip(shifted, e(self.low), e(self.high))
        return clamped.astype(self.storage)


def quantization_of(element: ir.Type, dtype_of) -> Quantization | None:
    """The :class:`Quantization` of an MLIR element type (None if not quantized)."""
    if isinstance(element, (quant.UniformQuantizedType, quant.UniformQuantizedPerAxisType)):
        width = element.storage_type_integral_width
        storage = f"i{width}" if element.is_signed else f"ui{width}"
        return Quantization(element, dtype_of(storage), dtype_of(element.expressed_type))
    if "!quant." in str(element):
        raise NotImplementedError(f"interpreter: quantized element type {element} is not supported")
    return None


def on_expressed(rule, ev, step, env, args) -> list:
    """Runs the float ``rule`` of a (quantizable elementwise) op on quantized tensors:
    dequantize -> compute in the expressed type -> quantize."""
    operand_types = step.cached("operand_types", lambda: [
        tensor_quantization(v.type) for v in step.op.operands])
    values = [q.dequantize(a) if q is not None else a for a, q in zip(args, operand_types)]
    results = rule(ev, step, env, values)
    out = []
    for value, t in zip(results, step.result_types):
        if t.quant is not None:
            out.append(t.quant.quantize(np.asarray(value).astype(t.quant.expressed)))
        elif step.name in CONTRACTIONS:  # hybrid: the float result
            out.append(value)
        else:
            raise NotImplementedError(f"a result of type {t.text} from quantized operands")
    return out


def tensor_quantization(t: ir.Type) -> Quantization | None:
    from .attributes import TypeInfo
    return TypeInfo(t).quant if isinstance(t, ir.RankedTensorType) else None


@register("stablehlo.uniform_quantize", elementwise=True)
def uniform_quantize(ev, step, env, args):
    source = step.cached("source", lambda: tensor_quantization(step.op.operands[0].type))
    x = source.dequantize(args[0]) if source is not None else args[0]
    return [step.result_types[0].quant.quantize(x)]


@register("stablehlo.uniform_dequantize", elementwise=True)
def uniform_dequantize(ev, step, env, args):
    source = step.cached("source", lambda: tensor_quantization(step.op.operands[0].type))
    return [source.dequantize(args[0])]
