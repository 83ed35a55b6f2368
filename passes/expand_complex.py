"""hlox-stablehlo-expand-complex (Python pass): complex ``atan2``, ``cbrt``,
``logistic``, ``maximum`` and ``minimum`` in terms of ops the lowering has.

The formulas are the StableHLO reference interpreter's (``stablehlo/reference``),
which the spec defers to:

- ``maximum``/``minimum``: lexicographic on (real, imaginary): the real parts decide
  unless they compare equal (a NaN never does), then the imaginary parts;
- ``atan2(y, x) = -i log((x + i y) / sqrt(x^2 + y^2))``;
- ``cbrt(z) = |z|^(1/3) (cos t + i sin t)`` with ``t = atan2(im z, re z) / 3``;
- ``logistic(z) = 1 / (1 + exp(-z))``.
"""

from __future__ import annotations

from mlir import ir

from hlox.passes.python_passes import register


class _Builder:
    """Creates StableHLO ops (generic form) before ``op``, at its location."""

    def __init__(self, op: ir.Operation):
        self.op = op

    def __call__(self, name, *operands, type=None, **attributes):
        # by default the type of the first operand (of the first value operand for select)
        result_type = type if type is not None else operands[name == "select"].type
        with ir.InsertionPoint(self.op), self.op.location:
            return ir.Operation.create(f"stablehlo.{name}", results=[result_type],
                                       operands=list(operands),
                                       attributes=attributes).results[0]

    def constant(self, value: float, type) -> ir.Value:
        with self.op.context:
            attr = ir.DenseElementsAttr.get_splat(type, ir.FloatAttr.get(
                ir.RankedTensorType(type).element_type, value))
        return self("constant", type=type, value=attr)

    def complex_constant(self, real: float, imag: float, type) -> ir.Value:
        # (the bindings cannot hand a complex dense attribute to an op: two parts)
        part = _part_type(type)
        return self("complex", self.constant(real, part), self.constant(imag, part), type=type)

    def compare(self, direction: str, lhs, rhs) -> ir.Value:
        shape = ir.RankedTensorType(lhs.type).shape
        with self.op.context:
            i1 = ir.RankedTensorType.get(shape, ir.IntegerType.get_signless(1))
            attr = ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>")
        return self("compare", lhs, rhs, type=i1, comparison_direction=attr)


def _part_type(complex_tensor) -> ir.Type:
    t = ir.RankedTensorType(complex_tensor)
    return ir.RankedTensorType.get(t.shape, ir.ComplexType(t.element_type).element_type)


def _lexicographic(direction: str):
    def expand(b: _Builder, a, c):
        part = _part_type(a.type)
        ra, ia = b("real", a, type=part), b("imag", a, type=part)
        rc, ic = b("real", c, type=part), b("imag", c, type=part)
        by_imag = b("select", b.compare("EQ", ra, rc), b.compare(direction, ia, ic),
                    b.compare(direction, ra, rc))
        return b("select", by_imag, a, c)
    return expand


def _atan2(b: _Builder, y, x):
    i = b.complex_constant(0.0, 1.0, y.type)
    norm = b("sqrt", b("add", b("multiply", x, x), b("multiply", y, y)))
    angle = b("log", b("divide", b("add", x, b("multiply", i, y)), norm))
    return b("negate", b("multiply", i, angle))


def _cbrt(b: _Builder, z):
    part = _part_type(z.type)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    theta = b("divide", b("atan2", im, re), b.constant(3.0, part))
    radius = b("power", b("add", b("multiply", re, re), b("multiply", im, im)),
               b.constant(1.0 / 6.0, part))
    return b("complex", b("multiply", radius, b("cosine", theta)),
             b("multiply", radius, b("sine", theta)), type=z.type)


def _logistic(b: _Builder, z):
    one = b.complex_constant(1.0, 0.0, z.type)
    return b("divide", one, b("add", one, b("exponential", b("negate", z))))


_EXPANSIONS = {
    "stablehlo.maximum": _lexicographic("GT"),
    "stablehlo.minimum": _lexicographic("LT"),
    "stablehlo.atan2": _atan2,
    "stablehlo.cbrt": _cbrt,
    "stablehlo.logistic": _logistic,
}


def _is_complex(value: ir.Value) -> bool:
    return isinstance(value.type, ir.RankedTensorType) and \
        isinstance(ir.RankedTensorType(value.type).element_type, ir.ComplexType)


@register("hlox-stablehlo-expand-complex",
          "complex atan2/cbrt/logistic/maximum/minimum as real/imag, select and "
          "complex arithmetic (the StableHLO reference interpreter's formulas)")
def expand_complex(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []

    def collect(op):
        if op.name in _EXPANSIONS and _is_complex(op.results[0]):
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    for op in found:
        result = _EXPANSIONS[op.name](_Builder(op), *op.operands)
        op.results[0].replace_all_uses_with(result)
        op.erase()
