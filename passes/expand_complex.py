"""hlox-stablehlo-expand-complex (Python pass): complex ``atan2``, ``cbrt``,
``logistic``, ``maximum``, ``minimum`` and ``bitcast_convert`` in terms of ops the
lowering has; complex ``compare`` LT/LE/GT/GE, ``abs``, ``log``, ``log_plus_one``,
``sign``, ``exponential``, ``divide``, ``power`` and the trigonometric ops where the
lowering's formulas get special values wrong or overflow.

The formulas are the StableHLO reference interpreter's (``stablehlo/reference``),
which the spec defers to:

- ``maximum``/``minimum``: lexicographic on (real, imaginary): the real parts decide
  unless they compare equal (a NaN never does), then the imaginary parts;
- ``atan2(y, x) = -i log((x + i y) / sqrt(x^2 + y^2))``;
- ``cbrt(z) = |z|^(1/3) (cos t + i sin t)`` with ``t = atan2(im z, re z) / 3``;
- ``logistic(z) = 1 / (1 + exp(-z))``;
- ``compare`` LT/LE/GT/GE: lexicographic on (real, imaginary), as the spec orders
  complex numbers (convert-complex-to-standard has only EQ/NE);
- ``abs``: +inf when a part is infinite, even if the other is NaN (C99's ``hypot``,
  as NumPy and XLA); ``log``: ``log|z|`` from the larger part and the ratio of the
  parts, as NumPy's ``clog``, since ``|z|^2`` overflows for parts near the max;
  ``sign``: ``z/|z|`` with the parts scaled by the larger one (subnormal and huge
  parts), +-1 on the axis of one infinite part (NumPy's); ``exponential``: C99's
  ``cexp`` special values (an exact zero imaginary part is kept, ``inf`` with an
  infinite or NaN imaginary part); ``log_plus_one``: ``+inf + i arg z`` for an
  infinite part (C99's ``clog``); ``sine``, ``cosine``, ``tan``, ``tanh``: the
  result parts C99 makes exact zeros (sin(i inf) = 0 + i inf, where the lowering's
  0 * inf gives NaN); ``divide``: Smith's algorithm (complex64 in float64, as the
  interpreter), C99's ``x / 0 = inf x``; ``power``: ``exp(w log z)`` with those
  ``exp`` and ``log``, ``0^w = 0`` for ``Re w > 0``, ``z^0 = 1``;
- ``bitcast_convert`` between complex types goes through bytes: a complex value
  is its real part's bytes, then its imaginary part's (little-endian, as the
  reference and XLA on CPU lay it out).
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


def _compare(op: ir.Operation):
    """LT/LE/GT/GE on complex: lexicographic on (real, imaginary), as the spec orders
    complex numbers: the imaginary parts decide where the real parts are equal."""
    direction = str(op.attributes["comparison_direction"]).split()[-1].rstrip(">")

    def expand(b: _Builder, a, c):
        part = _part_type(a.type)
        ra, ia = b("real", a, type=part), b("imag", a, type=part)
        rc, ic = b("real", c, type=part), b("imag", c, type=part)
        return b("select", b.compare("EQ", ra, rc), b.compare(direction, ia, ic),
                 b.compare(direction, ra, rc))
    return expand


def _is_inf(b: _Builder, z):
    """Whether either part of complex ``z`` is infinite."""
    part = _part_type(z.type)
    inf = b.constant(float("inf"), part)
    return b("or", b.compare("EQ", b("abs", b("real", z, type=part)), inf),
             b.compare("EQ", b("abs", b("imag", z, type=part)), inf))


def _abs(b: _Builder, z):
    # |z| is +inf when a part is infinite, even if the other is NaN (C99's hypot)
    part = _part_type(z.type)
    modulus = b("abs", z, type=part)
    return b("select", _is_inf(b, z), b.constant(float("inf"), part), modulus)


def _sign(b: _Builder, z):
    """z / |z| with the parts scaled by the larger one first (no underflow for
    subnormal parts, no overflow near the max); one infinite part gives +-1 on
    its axis, two give NaN (NumPy's sign)."""
    part = _part_type(z.type)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    ar, ai = b("abs", re), b("abs", im)
    zero, one, inf = (b.constant(v, part) for v in (0.0, 1.0, float("inf")))
    scale = b("maximum", ar, ai)
    is_zero = b.compare("EQ", scale, zero)
    safe = b("select", is_zero, one, scale)
    sr, si = b("divide", re, safe), b("divide", im, safe)
    magnitude = b("sqrt", b("add", b("multiply", sr, sr), b("multiply", si, si)))
    out_re, out_im = b("divide", sr, magnitude), b("divide", si, magnitude)
    re_inf, im_inf = b.compare("EQ", ar, inf), b.compare("EQ", ai, inf)
    only_re = b("and", re_inf, b("not", im_inf))
    only_im = b("and", im_inf, b("not", re_inf))
    out_re = b("select", only_re, b("sign", re), b("select", only_im, zero, out_re))
    out_im = b("select", only_im, b("sign", im), b("select", only_re, zero, out_im))
    out_re, out_im = b("select", is_zero, zero, out_re), b("select", is_zero, zero, out_im)
    return b("complex", out_re, out_im, type=z.type)


def _log(b: _Builder, z):
    """log|z| + i arg z with log|z| = log m + log1p((n/m)^2)/2 (m, n the larger and
    smaller magnitude of the parts): |z|^2 overflows for parts near the type's max."""
    part = _part_type(z.type)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    ar, ai = b("abs", re), b("abs", im)
    m, n = b("maximum", ar, ai), b("minimum", ar, ai)
    ratio = b("divide", n, m)
    log_modulus = b("add", b("log", m), b("multiply", b.constant(0.5, part),
                                            b("log_plus_one", b("multiply", ratio, ratio))))
    zero = b.constant(0.0, part)
    log_modulus = b("select", b.compare("EQ", m, zero), b.constant(float("-inf"), part),
                    log_modulus)
    log_modulus = b("select", _is_inf(b, z), b.constant(float("inf"), part), log_modulus)
    return b("complex", log_modulus, b("atan2", im, re), type=z.type)


def _log1p(b: _Builder, z):
    # an infinite part: +inf + i arg z even beside a NaN (C99's clog), where the
    # lowering's formula gives NaN; elsewhere the lowering's log1p
    part = _part_type(z.type)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    infinite = b("complex", b.constant(float("inf"), part), b("atan2", im, re), type=z.type)
    mask = _is_inf(b, z)
    return b("select", mask, infinite, b("log_plus_one", z))


def _zero_parts_kept(name: str, real_from: str | None, imag_from: str | None):
    """The lowering's complex ``name``, with a result part that C99 makes an exact zero
    kept so: where the part of z named by ``real_from`` / ``imag_from`` ("re", "im",
    or "re|im" for either, negated for cosine) is 0, the result's real / imaginary
    part is that zero, where the lowering's products give 0 * inf = NaN (e.g.
    sin(i inf) is 0 + i inf, not NaN + i inf)."""
    def expand(b: _Builder, z):
        part = _part_type(z.type)
        re, im = b("real", z, type=part), b("imag", z, type=part)
        out = b(name.split(".")[-1], z)
        zero = b.constant(0.0, part)
        parts = {"re": re, "im": im}

        def kept(value, source):
            if source is None:
                return value
            for key in reversed(source.split("|")):
                zero_part = parts[key]
                if name == "stablehlo.cosine":  # -sin(x) sinh(y): a zero of the sign -x
                    zero_part = b("negate", zero_part)
                value = b("select", b.compare("EQ", parts[key], zero), zero_part, value)
            return value

        out_re, out_im = kept(b("real", out, type=part), real_from), \
            kept(b("imag", out, type=part), imag_from)
        if name in ("stablehlo.sine", "stablehlo.cosine"):
            # an infinite imaginary part beside a non-finite real part: sin is
            # NaN + i(+-inf), cos is inf + i NaN (C99), not NaN everywhere
            wild = b("and", b.compare("EQ", b("abs", im), b.constant(float("inf"), part)),
                     b("not", b("is_finite", re, type=_bool_type(re))))
            if name == "stablehlo.sine":
                out_im = b("select", wild, im, out_im)
            else:
                out_re = b("select", wild, b.constant(float("inf"), part), out_re)
        return b("complex", out_re, out_im, type=z.type)
    return expand


def _bool_type(value):
    with value.context:
        return ir.RankedTensorType.get(ir.RankedTensorType(value.type).shape,
                                       ir.IntegerType.get_signless(1))


def _divide(b: _Builder, x, y):
    """Smith's algorithm (the divisor's larger part divides the smaller, so neither
    |y|^2 nor the products overflow or underflow), complex64 in float64 as the
    interpreter does, and C99's x / 0 = inf * x."""
    part = _part_type(x.type)
    f64 = ir.RankedTensorType.get(ir.RankedTensorType(part).shape, ir.F64Type.get())
    wide = (lambda v: b("convert", v, type=f64)) if part != f64 else (lambda v: v)
    a, bb = wide(b("real", x, type=part)), wide(b("imag", x, type=part))
    c, d = wide(b("real", y, type=part)), wide(b("imag", y, type=part))
    real_big = b.compare("GE", b("abs", c), b("abs", d))
    r = b("select", real_big, b("divide", d, c), b("divide", c, d))
    den = b("select", real_big, b("add", c, b("multiply", d, r)),
            b("add", b("multiply", c, r), d))
    re = b("divide", b("select", real_big, b("add", a, b("multiply", bb, r)),
                       b("add", b("multiply", a, r), bb)), den)
    im = b("divide", b("select", real_big, b("subtract", bb, b("multiply", a, r)),
                       b("subtract", b("multiply", bb, r), a)), den)
    zero = b.constant(0.0, f64)
    nan_dividend = b("and", b.compare("NE", a, a), b.compare("NE", bb, bb))
    by_zero = b("and", b("and", b.compare("EQ", c, zero), b.compare("EQ", d, zero)),
                b("not", nan_dividend))
    inf = b("divide", b.constant(1.0, f64), c)  # copysign(inf, c) where c = +-0
    re = b("select", by_zero, b("multiply", inf, a), re)
    im = b("select", by_zero, b("multiply", inf, bb), im)
    narrow = (lambda v: b("convert", v, type=part)) if part != f64 else (lambda v: v)
    return b("complex", narrow(re), narrow(im), type=x.type)


def _power(b: _Builder, z, w):
    """exp(w log z) with this pass's exp and log (their special values), 0^w = 0 for
    Re w > 0 (C99's cpow; exp(w log 0) is NaN) and z^0 = 1."""
    part = _part_type(z.type)
    zero = b.constant(0.0, part)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    zero_base = b("and", b.compare("EQ", re, zero), b.compare("EQ", im, zero))
    positive = b.compare("GT", b("real", w, type=part), zero)
    power = _exp(b, b("multiply", w, _log(b, z)))
    power = b("select", b("and", zero_base, positive), b.complex_constant(0.0, 0.0, z.type),
              power)
    # z^0 = 1 (0^0 included), as C99 and NumPy
    zero_exponent = b("and", b.compare("EQ", b("real", w, type=part), zero),
                      b.compare("EQ", b("imag", w, type=part), zero))
    return b("select", zero_exponent, b.complex_constant(1.0, 0.0, z.type), power)


def _atan2(b: _Builder, y, x):
    i = b.complex_constant(0.0, 1.0, y.type)
    norm = b("sqrt", b("add", b("multiply", x, x), b("multiply", y, y)))
    angle = b("log", b("divide", b("add", x, b("multiply", i, y)), norm))
    return b("negate", b("multiply", i, angle))


def _cbrt(b: _Builder, z):
    part = _part_type(z.type)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    theta = b("divide", b("atan2", im, re), b.constant(3.0, part))
    # |z|^(1/3) = m^(1/3) (1 + (n/m)^2)^(1/6), m and n the larger and smaller magnitude
    # of the parts: (re^2 + im^2)^(1/6) and |z| itself overflow near the max
    ar, ai = b("abs", re), b("abs", im)
    m, n = b("maximum", ar, ai), b("minimum", ar, ai)
    zero = b.constant(0.0, part)
    ratio = b("divide", n, b("select", b.compare("EQ", m, zero), b.constant(1.0, part), m))
    radius = b("multiply", b("power", m, b.constant(1.0 / 3.0, part)),
               b("power", b("add", b.constant(1.0, part), b("multiply", ratio, ratio)),
                 b.constant(1.0 / 6.0, part)))
    return b("complex", b("multiply", radius, b("cosine", theta)),
             b("multiply", radius, b("sine", theta)), type=z.type)


def _logistic(b: _Builder, z):
    one = b.complex_constant(1.0, 0.0, z.type)
    return b("divide", one, b("add", one, _exp(b, b("negate", z))))


def _exp(b: _Builder, z):
    """e^re (cos im + i sin im) with C99's special cases (as NumPy's cexp): a zero
    imaginary part stays exactly (e^re is not multiplied by sin 0, so inf+0i stays
    inf+0i); re = +inf with im infinite or NaN gives inf+nan i, re = -inf gives 0."""
    part = _part_type(z.type)
    re, im = b("real", z, type=part), b("imag", z, type=part)
    e = b("exponential", re)
    out_re, out_im = b("multiply", e, b("cosine", im)), b("multiply", e, b("sine", im))
    zero, inf = b.constant(0.0, part), b.constant(float("inf"), part)
    im_zero = b.compare("EQ", im, zero)
    out_re = b("select", im_zero, e, out_re)
    out_im = b("select", im_zero, im, out_im)
    im_not_finite = b("not", b("is_finite", im, type=_bool_type(im)))
    re_pos_inf = b.compare("EQ", re, inf)
    re_neg_inf = b.compare("EQ", re, b.constant(float("-inf"), part))
    both = b("and", re_pos_inf, im_not_finite)
    out_re = b("select", both, inf, out_re)
    out_im = b("select", both, b.constant(float("nan"), part), out_im)
    vanish = b("and", re_neg_inf, im_not_finite)
    out_re = b("select", vanish, zero, out_re)
    out_im = b("select", vanish, zero, out_im)
    return b("complex", out_re, out_im, type=z.type)


def _parts_as_bytes(b: _Builder, z) -> ir.Value:
    """Complex ``z`` (shape S) as its bytes, shape S + [bytes per element]: the real
    part's, then the imaginary part's."""
    shape = list(ir.RankedTensorType(z.type).shape)
    part = ir.ComplexType(ir.RankedTensorType(z.type).element_type).element_type
    n = part.width // 8
    ui8 = ir.IntegerType.get_unsigned(8)
    halves = [b("bitcast_convert", b(name, z, type=_part_type(z.type)),
                type=ir.RankedTensorType.get(shape + [n], ui8)) for name in ("real", "imag")]
    with z.context:
        dim = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), len(shape))
    return b("concatenate", *halves, type=ir.RankedTensorType.get(shape + [2 * n], ui8),
             dimension=dim)


def _bytes_as_parts(b: _Builder, raw, result_type) -> ir.Value:
    """The inverse: ``raw`` (``ui8``, shape T + [bytes per element]) as complex."""
    shape = list(ir.RankedTensorType(result_type).shape)
    part = ir.ComplexType(ir.RankedTensorType(result_type).element_type).element_type
    n = part.width // 8
    with raw.context:
        ints = ir.DenseI64ArrayAttr.get
        halves = [b("bitcast_convert", b(
            "slice", raw, type=ir.RankedTensorType.get(shape + [n], ir.IntegerType.get_unsigned(8)),
            start_indices=ints([0] * len(shape) + [i * n]), limit_indices=ints(shape + [(i + 1) * n]),
            strides=ints([1] * (len(shape) + 1))), type=ir.RankedTensorType.get(shape, part))
            for i in range(2)]
    return b("complex", *halves, type=result_type)


def _bitcast(b: _Builder, z, result_type):
    # complex <-> complex (the verifier allows no other mix): the same bytes,
    # row-major, regrouped by the result's element size
    t = ir.RankedTensorType(result_type)
    size = 2 * ir.ComplexType(t.element_type).element_type.width // 8
    raw = b("reshape", _parts_as_bytes(b, z), type=ir.RankedTensorType.get(
        list(t.shape) + [size], ir.IntegerType.get_unsigned(8)))
    return _bytes_as_parts(b, raw, result_type)


_EXPANSIONS = {
    "stablehlo.maximum": _lexicographic("GT"),
    "stablehlo.minimum": _lexicographic("LT"),
    "stablehlo.atan2": _atan2,
    "stablehlo.cbrt": _cbrt,
    "stablehlo.logistic": _logistic,
    "stablehlo.log": _log,
    "stablehlo.sign": _sign,
    "stablehlo.exponential": _exp,
    "stablehlo.log_plus_one": _log1p,
    "stablehlo.divide": _divide,
    "stablehlo.power": _power,
    # sin(x+iy) = sin x cosh y + i cos x sinh y, cos(x+iy) = cos x cosh y - i sin x
    # sinh y, tan (x+i0) = tan x + i0, tanh(0+iy) = 0 + i tan y
    "stablehlo.sine": _zero_parts_kept("stablehlo.sine", "re", "im"),
    "stablehlo.cosine": _zero_parts_kept("stablehlo.cosine", None, "re|im"),
    "stablehlo.tan": _zero_parts_kept("stablehlo.tan", None, "im"),
    "stablehlo.tanh": _zero_parts_kept("stablehlo.tanh", "re", None),
}


def _is_complex(value: ir.Value) -> bool:
    return isinstance(value.type, ir.RankedTensorType) and \
        isinstance(ir.RankedTensorType(value.type).element_type, ir.ComplexType)


@register("hlox-stablehlo-expand-complex",
          "complex atan2/cbrt/logistic/maximum/minimum/bitcast_convert as real/imag, select, "
          "bytes and complex arithmetic (the StableHLO reference interpreter's formulas)")
def expand_complex(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []

    def collect(op):
        if op.name in _EXPANSIONS and _is_complex(op.results[0]):
            found.append(op)
        elif op.name == "stablehlo.compare" and _is_complex(op.operands[0]) and \
                str(op.attributes["comparison_direction"]).split()[-1].rstrip(">") \
                in ("LT", "LE", "GT", "GE"):
            found.append(op)
        elif op.name == "stablehlo.abs" and _is_complex(op.operands[0]):
            found.append(op)
        elif op.name == "stablehlo.bitcast_convert" and _is_complex(op.results[0]):
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    for op in found:
        if op.name == "stablehlo.bitcast_convert":
            result = _bitcast(_Builder(op), op.operands[0], op.results[0].type)
        elif op.name == "stablehlo.compare":
            result = _compare(op)(_Builder(op), *op.operands)
        elif op.name == "stablehlo.abs":
            result = _abs(_Builder(op), op.operands[0])
        else:
            result = _EXPANSIONS[op.name](_Builder(op), *op.operands)
        op.results[0].replace_all_uses_with(result)
        op.erase()
