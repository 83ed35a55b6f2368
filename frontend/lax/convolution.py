"""Windowed primitives: ``conv_general_dilated`` and ``reduce_window`` (sum/max/min).

Declared once each with abstract evaluation, StableHLO emission and their
JVP, transpose and batching rules (DESIGN.md). The gradient of a convolution
is two convolutions (one per operand) with swapped strides/dilations and
recomputed padding; the gradient of a max/min window reduction routes each
window's tangent to its selected element (``select_and_gather_add``, a
variadic ``reduce_window`` over (value, tangent) pairs) and transposes to
``stablehlo.select_and_scatter``. Re-exported by :mod:`hlox.frontend.lax.base`.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import (Primitive, ShapedArray, get_aval, is_undefined_primal,
                                        shape_error)
from hlox.frontend.core.emit import dense_attr, i64_array_attr, require_op, tensor_type
from hlox.frontend.lax import base as lax
from hlox.frontend.lax.base import _batch_size, _bcast_front, _linear_jvp
from hlox.frontend.lax.math import min as lax_min
from hlox.frontend.lax.structural import pad, rev

__all__ = ["conv_general_dilated", "conv", "conv_with_general_padding", "ConvDimensionNumbers",
           "conv_dimension_numbers", "conv_transpose", "padtype_to_pads", "reduce_window", "reduce_window_sum",
           "reduce_window_max", "reduce_window_min"]


def _ints(v) -> tuple[int, ...]:
    return tuple(int(x) for x in v)


def _dilate(n: int, d: int) -> int:
    return 0 if n == 0 else 1 + d * (n - 1)


def _pairs_attr(pairs) -> ir.Attribute:
    data = np.asarray(pairs, dtype=np.int64).reshape(len(pairs), 2)
    ttype = ir.RankedTensorType.get([len(pairs), 2], ir.IntegerType.get_signless(64))
    return ir.DenseElementsAttr.get(data, type=ttype)


def padtype_to_pads(in_shape, window_shape, window_strides, padding):
    """'SAME'/'SAME_LOWER'/'VALID' as explicit ``(low, high)`` pairs (JAX's rule)."""
    if not isinstance(padding, str):
        return tuple((int(lo), int(hi)) for lo, hi in padding)
    mode = padding.upper()
    if mode == "VALID":
        return ((0, 0),) * len(in_shape)
    if mode in ("SAME", "SAME_LOWER"):
        pads = []
        for n, w, s in zip(in_shape, window_shape, window_strides):
            out = -(-n // s)
            total = max((out - 1) * s + w - n, 0)
            small, big = total // 2, total - total // 2
            pads.append((small, big) if mode == "SAME" else (big, small))
        return tuple(pads)
    raise ValueError(f"unknown padding {padding!r} (use 'SAME', 'SAME_LOWER', 'VALID' or "
                     f"(low, high) pairs)")


# ---------------------------------------------------------------------------
# conv_general_dilated
# ---------------------------------------------------------------------------

class ConvDimensionNumbers(NamedTuple):
    """Per operand: (batch/out-feature dim, feature/in-feature dim, spatial dims...)."""

    lhs_spec: tuple[int, ...]
    rhs_spec: tuple[int, ...]
    out_spec: tuple[int, ...]


def conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers) -> ConvDimensionNumbers:
    """Strings like ``('NHWC', 'HWIO', 'NHWC')`` (or None) as :class:`ConvDimensionNumbers`.

    Spatial dimensions are matched by letter and ordered as in the kernel's string.
    """
    nd = len(lhs_shape)
    if dimension_numbers is None:
        default = tuple(range(nd))
        return ConvDimensionNumbers(default, default, default)
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(dimension_numbers) != 3:
        raise TypeError(f"conv_general_dilated: dimension_numbers {dimension_numbers!r} must be "
                        f"three strings (lhs, rhs, out) or ConvDimensionNumbers")
    if all(not isinstance(s, str) for s in dimension_numbers):
        return ConvDimensionNumbers(*(tuple(_ints(s)) for s in dimension_numbers))
    lhs, rhs, out = dimension_numbers
    if not (len(lhs) == len(rhs) == len(out) == nd):
        raise TypeError(f"conv_general_dilated: dimension_numbers {dimension_numbers} must "
                        f"have one letter per dimension ({nd})")
    if set(lhs) - set("NC") != set(rhs) - set("OI") or set(out) - set("NC") != set(rhs) - set("OI"):
        raise TypeError(f"conv_general_dilated: spatial letters of {dimension_numbers} differ")

    def spec(s, a, b):
        spatial = sorted((i for i, c in enumerate(s) if c not in (a, b)),
                         key=lambda i: rhs.index(s[i]))
        return (s.index(a), s.index(b)) + tuple(spatial)

    return ConvDimensionNumbers(spec(lhs, "N", "C"), spec(rhs, "O", "I"), spec(out, "N", "C"))


conv_general_dilated_p = Primitive("conv_general_dilated")


@conv_general_dilated_p.def_abstract_eval
def _conv_abstract_eval(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                        dimension_numbers, feature_group_count, batch_group_count):
    name = "conv_general_dilated"
    ls, rs, os_ = dimension_numbers
    if lhs.dtype != rhs.dtype:
        raise shape_error(name, "operand dtypes must be equal", lhs, rhs)
    if lhs.ndim != rhs.ndim or lhs.ndim < 2:
        raise shape_error(name, "lhs and rhs need the same rank (>= 2)", lhs, rhs)
    nsp = lhs.ndim - 2
    for what, v in (("window_strides", window_strides), ("padding", padding),
                    ("lhs_dilation", lhs_dilation), ("rhs_dilation", rhs_dilation)):
        if len(v) != nsp:
            raise shape_error(name, f"{what} {v} needs one entry per spatial dimension ({nsp})",
                              lhs, rhs)
    n, c = lhs.shape[ls[0]], lhs.shape[ls[1]]
    o, i = rhs.shape[rs[0]], rhs.shape[rs[1]]
    g, bg = feature_group_count, batch_group_count
    if g < 1 or bg < 1 or (g > 1 and bg > 1):
        raise shape_error(name, f"feature_group_count={g} and batch_group_count={bg} must be "
                          f">= 1 and not both > 1", lhs, rhs)
    if c != i * g:
        raise shape_error(name, f"lhs feature dimension ({c}) must equal the kernel's input "
                          f"feature dimension ({i}) times feature_group_count ({g})", lhs, rhs)
    if o % g or o % bg or n % bg:
        raise shape_error(name, f"the kernel's output features ({o}) (and the batch, {n}) "
                          f"must be divisible by the group counts ({g}, {bg})", lhs, rhs)
    out = [0] * lhs.ndim
    out[os_[0]], out[os_[1]] = n // bg, o
    for k in range(nsp):
        size = _dilate(lhs.shape[ls[k + 2]], lhs_dilation[k]) + sum(padding[k])
        window = _dilate(rhs.shape[rs[k + 2]], rhs_dilation[k])
        if window_strides[k] < 1:
            raise shape_error(name, f"window stride {window_strides[k]} must be positive",
                              lhs, rhs)
        out[os_[k + 2]] = max(0, (size - window) // window_strides[k] + 1) if size >= window \
            else 0
    return ShapedArray(tuple(out), lhs.dtype, lhs.weak_type and rhs.weak_type)


def _conv_dnums_attr(d: ConvDimensionNumbers) -> ir.Attribute:
    def letters(spec, a, b):
        out = [""] * len(spec)
        out[spec[0]], out[spec[1]] = a, b
        for k, dim in enumerate(spec[2:]):
            out[dim] = str(k)
        return "[" + ", ".join(out) + "]"

    text = (letters(d.lhs_spec, "b", "f") + "x" + letters(d.rhs_spec, "o", "i") + "->" +
            letters(d.out_spec, "b", "f"))
    return ir.Attribute.parse(f"#stablehlo.conv<{text}>")


@conv_general_dilated_p.def_lowering
def _conv_lower(ctx, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                dimension_numbers, feature_group_count, batch_group_count):
    i64 = ir.IntegerType.get_signless(64)
    attrs = {"window_strides": i64_array_attr(window_strides),
             "lhs_dilation": i64_array_attr(lhs_dilation),
             "rhs_dilation": i64_array_attr(rhs_dilation),
             "dimension_numbers": _conv_dnums_attr(dimension_numbers),
             "feature_group_count": ir.IntegerAttr.get(i64, feature_group_count),
             "batch_group_count": ir.IntegerAttr.get(i64, batch_group_count)}
    if padding:
        attrs["padding"] = _pairs_attr(padding)
    return ctx.op("stablehlo.convolution", [lhs, rhs], attrs)


def _conv_bind(lhs, rhs, **params):
    return conv_general_dilated_p.bind(lhs, rhs, **params)


@conv_general_dilated_p.def_jvp
def _conv_jvp(primals, tangents, **params):
    lhs, rhs = primals
    tl, tr = tangents
    out = _conv_bind(lhs, rhs, **params)
    t = None if tl is None else _conv_bind(tl, rhs, **params)
    if tr is not None:
        part = _conv_bind(lhs, tr, **params)
        t = part if t is None else lax.add(t, part)
    return out, t


def _split_axis(x, axis: int, size: int):
    """Splits ``axis`` into ``(size, n // size)`` (major, minor)."""
    shape = list(get_aval(x).shape)
    shape[axis:axis + 1] = [size, shape[axis] // size]
    return lax.reshape(x, shape)


def _merge_axis(x, src: int, dst: int):
    """Moves axis ``src`` next to (major of) axis ``dst`` (numbered without src), merging them."""
    shape = get_aval(x).shape
    perm = [i for i in range(len(shape)) if i != src]
    perm.insert(dst, src)
    x = lax.transpose(x, perm) if perm != list(range(len(shape))) else x
    new = [shape[i] for i in range(len(shape)) if i != src]
    new[dst] *= shape[src]
    return lax.reshape(x, new)


def _spec_swap(spec):
    return (spec[1], spec[0]) + tuple(spec[2:])


def _spatial_sizes(lhs_aval, rhs_aval, ct, dimension_numbers):
    """The spatial sizes of the input, the kernel and the output (cotangent)."""
    ls, rs, os_ = dimension_numbers
    return ([lhs_aval.shape[d] for d in ls[2:]], [rhs_aval.shape[d] for d in rs[2:]],
            [get_aval(ct).shape[d] for d in os_[2:]])


def _conv_transpose_lhs(ct, rhs, lhs_aval, *, window_strides, padding, lhs_dilation,
                        rhs_dilation, dimension_numbers, feature_group_count,
                        batch_group_count):
    ls, rs, os_ = dimension_numbers
    rhs_aval = get_aval(rhs)
    g = feature_group_count
    if g > 1 or batch_group_count > 1:  # groups move from the kernel's O into its I
        groups = g if g > 1 else batch_group_count
        rhs = _merge_axis(_split_axis(rhs, rs[0], groups), rs[0], rs[1])
        g = groups
    in_sp, k_sp, out_sp = _spatial_sizes(lhs_aval, rhs_aval, ct, dimension_numbers)
    pads = []
    for n, k, o, s, (lo, _), ld, rd in zip(in_sp, k_sp, out_sp, window_strides, padding,
                                           lhs_dilation, rhs_dilation):
        before = _dilate(k, rd) - lo - 1
        after = _dilate(n, ld) + _dilate(k, rd) - 1 - _dilate(o, s) - before
        pads.append((before, after))
    rhs = rev(rhs, rs[2:])
    out = _conv_bind(ct, rhs, window_strides=tuple(lhs_dilation), padding=tuple(pads),
                     lhs_dilation=tuple(window_strides), rhs_dilation=tuple(rhs_dilation),
                     dimension_numbers=ConvDimensionNumbers(os_, _spec_swap(rs), ls),
                     feature_group_count=g, batch_group_count=1)
    if batch_group_count > 1:
        out = _merge_axis(_split_axis(out, ls[1], batch_group_count), ls[1], ls[0])
    return out


def _conv_transpose_rhs(ct, lhs, rhs_aval, *, window_strides, padding, lhs_dilation,
                        rhs_dilation, dimension_numbers, feature_group_count,
                        batch_group_count):
    ls, rs, os_ = dimension_numbers
    lhs_aval = get_aval(lhs)
    g, bg = feature_group_count, batch_group_count
    g, bg = (bg, 1) if bg > 1 else (1, g)
    in_sp, k_sp, out_sp = _spatial_sizes(lhs_aval, rhs_aval, ct, dimension_numbers)
    pads = []
    for n, k, o, s, (lo, _), ld, rd in zip(in_sp, k_sp, out_sp, window_strides, padding,
                                           lhs_dilation, rhs_dilation):
        hi = (_dilate(o, s) - _dilate(n, ld)) + (_dilate(k, rd) - lo - 1)
        pads.append((lo, hi))
    return _conv_bind(lhs, ct, window_strides=tuple(rhs_dilation), padding=tuple(pads),
                      lhs_dilation=tuple(lhs_dilation), rhs_dilation=tuple(window_strides),
                      dimension_numbers=ConvDimensionNumbers(_spec_swap(ls), _spec_swap(os_),
                                                             _spec_swap(rs)),
                      feature_group_count=g, batch_group_count=bg)


@conv_general_dilated_p.def_transpose
def _conv_transpose(ct, lhs, rhs, **params):
    if is_undefined_primal(lhs) and is_undefined_primal(rhs):
        raise TypeError("conv_general_dilated: both operands are linear (not a linear graph)")
    if is_undefined_primal(lhs):
        return [_conv_transpose_lhs(ct, rhs, lhs.aval, **params), None]
    return [None, _conv_transpose_rhs(ct, lhs, rhs.aval, **params)]


def _move_front(x, axis: int):
    nd = get_aval(x).ndim
    if axis == 0:
        return x
    return lax.transpose(x, (axis,) + tuple(i for i in range(nd) if i != axis))


@conv_general_dilated_p.def_batching
def _conv_batching(values, dims, *, dimension_numbers, feature_group_count, batch_group_count,
                   **params):
    lhs, rhs = values
    dl, dr = dims
    ls, rs, os_ = dimension_numbers
    size = get_aval(lhs if dl is not None else rhs).shape[0]
    # Operands carry the vmapped axis at 0: the specs refer to the other dims (+1).
    kw = dict(params, feature_group_count=feature_group_count,
              batch_group_count=batch_group_count)
    if batch_group_count > 1:
        raise NotImplementedError("vmap of conv_general_dilated with batch_group_count > 1")
    if dr is None:  # fold the vmapped axis into the lhs batch
        x = _merge_axis(lhs, 0, ls[0])
        out = _conv_bind(x, rhs, dimension_numbers=dimension_numbers, **kw)
        return _move_front(_split_axis(out, os_[0], size), os_[0]), 0
    if dl is None:  # fold it into the kernel's output features (within each group)
        g = feature_group_count
        r = _split_axis(rhs, rs[0] + 1, g)  # (B, ..., G, O/G, ...) in the shifted frame
        r = _merge_axis(r, 0, rs[0] + 1)  # B joins O/G: (..., G, B*O/G, ...)
        shape = list(get_aval(r).shape)
        shape[rs[0]:rs[0] + 2] = [shape[rs[0]] * shape[rs[0] + 1]]
        r = lax.reshape(r, shape)
        out = _conv_bind(lhs, r, dimension_numbers=dimension_numbers, **kw)
        out = _split_axis(out, os_[1], g)  # (G, B*O/G)
        out = _split_axis(out, os_[1] + 1, size)  # (G, B, O/G)
        out = _move_front(out, os_[1] + 1)
        shape = list(get_aval(out).shape)
        f = os_[1] + 1
        shape[f:f + 2] = [shape[f] * shape[f + 1]]
        return lax.reshape(out, shape), 0
    # both: every vmapped element is one more feature group
    x = _merge_axis(lhs, 0, ls[1])
    r = _merge_axis(rhs, 0, rs[0])
    kw["feature_group_count"] = feature_group_count * size
    out = _conv_bind(x, r, dimension_numbers=dimension_numbers, **kw)
    return _move_front(_split_axis(out, os_[1], size), os_[1]), 0


def conv_general_dilated(lhs, rhs, window_strides: Sequence[int], padding,
                         lhs_dilation: Sequence[int] | None = None,
                         rhs_dilation: Sequence[int] | None = None, dimension_numbers=None,
                         feature_group_count: int = 1, batch_group_count: int = 1,
                         precision=None, preferred_element_type=None):
    """A general convolution, as ``jax.lax.conv_general_dilated``.

    ``padding``: ``'SAME'``, ``'SAME_LOWER'``, ``'VALID'`` or ``(low, high)`` per
    spatial dimension; ``dimension_numbers``: e.g. ``('NCHW', 'OIHW', 'NCHW')``.
    """
    if preferred_element_type is not None:
        target = dtypes.canonicalize(preferred_element_type)
        lhs = lax.convert_element_type(lhs, target) if get_aval(lhs).dtype != target else lhs
        rhs = lax.convert_element_type(rhs, target) if get_aval(rhs).dtype != target else rhs
    la, ra = get_aval(lhs), get_aval(rhs)
    dnums = conv_dimension_numbers(la.shape, ra.shape, dimension_numbers)
    nsp = la.ndim - 2
    lhs_dilation = (1,) * nsp if lhs_dilation is None else _ints(lhs_dilation)
    rhs_dilation = (1,) * nsp if rhs_dilation is None else _ints(rhs_dilation)
    window_strides = _ints(window_strides)
    if isinstance(padding, str):
        if any(d != 1 for d in lhs_dilation):
            raise ValueError("conv_general_dilated: string padding is not defined with "
                             "lhs_dilation (a transposed convolution); give explicit (low, "
                             "high) pairs")
        in_sp = [la.shape[d] for d in dnums.lhs_spec[2:]]
        k_sp = [_dilate(ra.shape[d], r) for d, r in zip(dnums.rhs_spec[2:], rhs_dilation)]
        padding = padtype_to_pads(in_sp, k_sp, window_strides, padding)
    padding = tuple((int(lo), int(hi)) for lo, hi in padding)
    return conv_general_dilated_p.bind(
        lhs, rhs, window_strides=window_strides, padding=padding, lhs_dilation=lhs_dilation,
        rhs_dilation=rhs_dilation, dimension_numbers=dnums,
        feature_group_count=int(feature_group_count), batch_group_count=int(batch_group_count))


def conv(lhs, rhs, window_strides, padding, precision=None, preferred_element_type=None):
    """NCHW/OIHW convolution without dilation, as ``jax.lax.conv``."""
    return conv_general_dilated(lhs, rhs, window_strides, padding, precision=precision,
                                preferred_element_type=preferred_element_type)


def conv_with_general_padding(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                              precision=None, preferred_element_type=None):
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                                precision=precision,
                                preferred_element_type=preferred_element_type)


def _transpose_pads(k: int, s: int, padding: str) -> tuple[int, int]:
    """(low, high) padding of the stride-dilated input for a transposed convolution of a
    (dilated) kernel of size ``k`` with stride ``s``: 'SAME' gives ``in * s`` outputs,
    'VALID' ``in * s + max(k - s, 0)`` (the sizes jax.lax.conv_transpose gives)."""
    if padding == "SAME":
        total = k + s - 2
        low = k - 1 if s > k - 1 else -(-total // 2)
    elif padding == "VALID":
        total = k + s - 2 + max(k - s, 0)
        low = k - 1
    else:
        raise ValueError(f"conv_transpose: padding {padding!r} must be 'SAME', 'VALID' or "
                         f"(low, high) pairs")
    return low, total - low


def conv_transpose(lhs, rhs, strides: Sequence[int], padding, rhs_dilation=None,
                   dimension_numbers=None, transpose_kernel: bool = False, precision=None,
                   preferred_element_type=None):
    """A transposed ("deconvolution") convolution, as ``jax.lax.conv_transpose``: the input
    dilated by ``strides`` and convolved with stride 1. ``transpose_kernel`` flips the
    kernel's spatial axes and swaps its in/out features (the gradient of a convolution)."""
    la, ra = get_aval(lhs), get_aval(rhs)
    dnums = conv_dimension_numbers(la.shape, ra.shape, dimension_numbers)
    nsp = la.ndim - 2
    strides = _ints(strides)
    rhs_dilation = (1,) * nsp if rhs_dilation is None else _ints(rhs_dilation)
    if isinstance(padding, str):
        k = [_dilate(ra.shape[d], r) for d, r in zip(dnums.rhs_spec[2:], rhs_dilation)]
        padding = [_transpose_pads(kk, s, padding) for kk, s in zip(k, strides)]
    if transpose_kernel:
        rhs = rev(rhs, tuple(dnums.rhs_spec[2:]))
        o, i = dnums.rhs_spec[:2]
        perm = list(range(ra.ndim))
        perm[o], perm[i] = i, o
        rhs = lax.transpose(rhs, perm)
    return conv_general_dilated(lhs, rhs, (1,) * nsp, padding, strides, rhs_dilation,
                                dnums, precision=precision,
                                preferred_element_type=preferred_element_type)


# ---------------------------------------------------------------------------
# reduce_window (sum, max, min) and the max/min gradient pair
# ---------------------------------------------------------------------------

def _window_shape(name, x, window_dimensions, window_strides, padding, base_dilation,
                  window_dilation):
    n = x.ndim
    for what, v in (("window_dimensions", window_dimensions), ("window_strides", window_strides),
                    ("padding", padding), ("base_dilation", base_dilation),
                    ("window_dilation", window_dilation)):
        if len(v) != n:
            raise shape_error(name, f"{what} {tuple(v)} needs one entry per dimension ({n})", x)
    out = []
    for size, w, s, (lo, hi), bd, wd in zip(x.shape, window_dimensions, window_strides, padding,
                                            base_dilation, window_dilation):
        if w < 1 or s < 1 or bd < 1 or wd < 1:
            raise shape_error(name, "window sizes, strides and dilations must be positive", x)
        padded = _dilate(size, bd) + lo + hi
        window = _dilate(w, wd)
        out.append((padded - window) // s + 1 if padded >= window else 0)
    return tuple(out)


_IDENTITY = {"sum": 0, "max": -np.inf, "min": np.inf}
_BODY = {"sum": "stablehlo.add", "max": "stablehlo.maximum", "min": "stablehlo.minimum"}


def _identity(kind: str, dtype) -> np.ndarray:
    dtype = np.dtype(dtype)
    value = _IDENTITY[kind]
    if not dtypes.is_float(dtype) and kind != "sum":
        if dtype == np.bool_:
            value = kind == "min"
        else:
            info = np.iinfo(dtype)
            value = info.min if kind == "max" else info.max
    return np.asarray(value, dtype)


def _window_attrs(window_dimensions, window_strides, padding, base_dilation, window_dilation):
    return {"window_dimensions": i64_array_attr(window_dimensions),
            "window_strides": i64_array_attr(window_strides),
            "base_dilations": i64_array_attr(base_dilation),
            "window_dilations": i64_array_attr(window_dilation),
            "padding": _pairs_attr(padding)}


def _scalar_const(value: np.ndarray) -> ir.Value:
    aval = ShapedArray((), value.dtype)
    return ir.Operation.create("stablehlo.constant", results=[tensor_type(aval)],
                               attributes={"value": dense_attr(value, aval)}).result


def _make_reduce_window(kind: str) -> Primitive:
    name = f"reduce_window_{kind}"
    prim = Primitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(x, **w):
        if kind == "sum" and x.dtype == np.bool_:
            raise shape_error(name, "is not defined on bool", x)
        return x.update(shape=_window_shape(name, x, **w))

    @prim.def_lowering
    def _lower(ctx, x, **w):
        (aval,) = ctx.avals_in
        require_op("stablehlo.reduce_window", name)
        init = _scalar_const(_identity(kind, aval.dtype))
        op = ir.Operation.create("stablehlo.reduce_window",
                                 results=[tensor_type(a) for a in ctx.avals_out],
                                 operands=[x, init], attributes=_window_attrs(**w), regions=1)
        scalar = tensor_type(ShapedArray((), aval.dtype))
        block = op.regions[0].blocks.append(scalar, scalar)
        with ir.InsertionPoint(block):
            r = ir.Operation.create(_BODY[kind], results=[scalar], operands=list(block.arguments))
            ir.Operation.create("stablehlo.return", operands=[r.result])
        return list(op.results)

    @prim.def_batching
    def _batching(values, dims, *, window_dimensions, window_strides, padding, base_dilation,
                  window_dilation):
        return prim.bind(values[0], window_dimensions=(1,) + window_dimensions,
                         window_strides=(1,) + window_strides, padding=((0, 0),) + padding,
                         base_dilation=(1,) + base_dilation,
                         window_dilation=(1,) + window_dilation), 0

    return prim


reduce_window_sum_p = _make_reduce_window("sum")
reduce_window_max_p = _make_reduce_window("max")
reduce_window_min_p = _make_reduce_window("min")


_linear_jvp(reduce_window_sum_p)


@reduce_window_sum_p.def_transpose
def _rw_sum_transpose(ct, x, *, window_dimensions, window_strides, padding, base_dilation,
                      window_dilation):
    # Each input feeds the windows covering it: spread ct back (pad between and
    # around it by the strides) and sum it over the same windows.
    in_shape = x.aval.shape
    out_shape = get_aval(ct).shape
    config = []
    for n, k, o, s, (lo, _), bd, wd in zip(in_shape, window_dimensions, out_shape, window_strides,
                                           padding, base_dilation, window_dilation):
        before = _dilate(k, wd) - lo - 1
        after = _dilate(n, bd) + _dilate(k, wd) - 1 - _dilate(o, s) - before
        config.append((before, after, s - 1))
    padded = pad(ct, np.zeros((), get_aval(ct).dtype), config)
    nd = len(in_shape)
    out = reduce_window_sum_p.bind(padded, window_dimensions=window_dimensions,
                                   window_strides=base_dilation, padding=((0, 0),) * nd,
                                   base_dilation=(1,) * nd, window_dilation=window_dilation)
    return [out]


# select_and_gather_add(tangent, operand): per window, the tangent at the element
# the max (min) selects. Linear in the tangent.
select_and_gather_add_p = Primitive("select_and_gather_add")


@select_and_gather_add_p.def_abstract_eval
def _sga_abstract_eval(t, x, *, kind, **w):
    return t.update(shape=_window_shape("select_and_gather_add", x, **w))


@select_and_gather_add_p.def_lowering
def _sga_lower(ctx, t, x, *, kind, **w):
    t_aval, x_aval = ctx.avals_in
    out_t = ctx.avals_out[0]
    require_op("stablehlo.reduce_window", "select_and_gather_add")
    inits = [_scalar_const(_identity(kind, x_aval.dtype)),
             _scalar_const(np.zeros((), t_aval.dtype))]
    op = ir.Operation.create("stablehlo.reduce_window",
                             results=[tensor_type(out_t.update(dtype=x_aval.dtype)),
                                      tensor_type(out_t)],
                             operands=[x, t] + inits, attributes=_window_attrs(**w), regions=1)
    sx = tensor_type(ShapedArray((), x_aval.dtype))
    st = tensor_type(ShapedArray((), t_aval.dtype))
    block = op.regions[0].blocks.append(sx, st, sx, st)
    ax, at, bx, bt = block.arguments
    direction = "GE" if kind == "max" else "LE"
    with ir.InsertionPoint(block):
        pred = ir.Operation.create(
            "stablehlo.compare", results=[tensor_type(ShapedArray((), np.bool_))],
            operands=[ax, bx], attributes={
                "comparison_direction":
                    ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>"),
                "compare_type": ir.Attribute.parse("#stablehlo<comparison_type FLOAT>"
                                                   if dtypes.is_float(x_aval.dtype) else
                                                   "#stablehlo<comparison_type SIGNED>")}).result
        vx = ir.Operation.create("stablehlo.select", results=[sx], operands=[pred, ax, bx]).result
        vt = ir.Operation.create("stablehlo.select", results=[st], operands=[pred, at, bt]).result
        ir.Operation.create("stablehlo.return", operands=[vx, vt])
    return [op.results[1]]


@select_and_gather_add_p.def_transpose
def _sga_transpose(ct, t, x, *, kind, window_dimensions, window_strides, padding, base_dilation,
                   window_dilation):
    if any(d != 1 for d in base_dilation + window_dilation):
        raise NotImplementedError("reverse-mode differentiation of reduce_window max/min with "
                                  "dilation is not implemented")
    return [select_and_scatter_add_p.bind(ct, x, kind=kind, window_dimensions=window_dimensions,
                                          window_strides=window_strides, padding=padding), None]


@select_and_gather_add_p.def_batching
def _sga_batching(values, dims, *, kind, window_dimensions, window_strides, padding,
                  base_dilation, window_dilation):
    size = _batch_size(values, dims)
    t, x = (_bcast_front(v, d, size) for v, d in zip(values, dims))
    return select_and_gather_add_p.bind(
        t, x, kind=kind, window_dimensions=(1,) + window_dimensions,
        window_strides=(1,) + window_strides, padding=((0, 0),) + padding,
        base_dilation=(1,) + base_dilation, window_dilation=(1,) + window_dilation), 0


# select_and_scatter_add(source, operand): adds each window's source value at the
# element the max (min) selects (stablehlo.select_and_scatter). Linear in source.
select_and_scatter_add_p = Primitive("select_and_scatter_add")


@select_and_scatter_add_p.def_abstract_eval
def _ssa_abstract_eval(source, x, *, kind, window_dimensions, window_strides, padding):
    return source.update(shape=x.shape)


@select_and_scatter_add_p.def_lowering
def _ssa_lower(ctx, source, x, *, kind, window_dimensions, window_strides, padding):
    s_aval, x_aval = ctx.avals_in
    require_op("stablehlo.select_and_scatter", "select_and_scatter_add")
    init = _scalar_const(np.zeros((), s_aval.dtype))
    op = ir.Operation.create("stablehlo.select_and_scatter", results=[tensor_type(ctx.avals_out[0])],
                             operands=[x, source, init], attributes={
                                 "window_dimensions": i64_array_attr(window_dimensions),
                                 "window_strides": i64_array_attr(window_strides),
                                 "padding": _pairs_attr(padding)}, regions=2)
    sx = tensor_type(ShapedArray((), x_aval.dtype))
    ss = tensor_type(ShapedArray((), s_aval.dtype))
    select = op.regions[0].blocks.append(sx, sx)
    direction = "GE" if kind == "max" else "LE"
    with ir.InsertionPoint(select):
        pred = ir.Operation.create(
            "stablehlo.compare", results=[tensor_type(ShapedArray((), np.bool_))],
            operands=list(select.arguments), attributes={
                "comparison_direction":
                    ir.Attribute.parse(f"#stablehlo<comparison_direction {direction}>"),
                "compare_type": ir.Attribute.parse("#stablehlo<comparison_type FLOAT>"
                                                   if dtypes.is_float(x_aval.dtype) else
                                                   "#stablehlo<comparison_type SIGNED>")}).result
        ir.Operation.create("stablehlo.return", operands=[pred])
    scatter = op.regions[1].blocks.append(ss, ss)
    with ir.InsertionPoint(scatter):
        r = ir.Operation.create("stablehlo.add", results=[ss], operands=list(scatter.arguments))
        ir.Operation.create("stablehlo.return", operands=[r.result])
    return list(op.results)


@select_and_scatter_add_p.def_transpose
def _ssa_transpose(ct, source, x, *, kind, window_dimensions, window_strides, padding):
    nd = len(window_dimensions)
    return [select_and_gather_add_p.bind(ct, x, kind=kind, window_dimensions=window_dimensions,
                                         window_strides=window_strides, padding=padding,
                                         base_dilation=(1,) * nd, window_dilation=(1,) * nd),
            None]


_linear_jvp(select_and_scatter_add_p)


@select_and_scatter_add_p.def_batching
def _ssa_batching(values, dims, *, kind, window_dimensions, window_strides, padding):
    size = _batch_size(values, dims)
    s, x = (_bcast_front(v, d, size) for v, d in zip(values, dims))
    return select_and_scatter_add_p.bind(s, x, kind=kind, window_dimensions=(1,) +
                                         window_dimensions, window_strides=(1,) + window_strides,
                                         padding=((0, 0),) + padding), 0


_linear_jvp(select_and_gather_add_p)


def _extremum_jvp(prim, kind):
    def rule(primals, tangents, **w):
        (x,) = primals
        t = tangents[0]
        out = prim.bind(x, **w)
        if t is None:
            return out, None
        return out, select_and_gather_add_p.bind(t, x, kind=kind, **w)
    prim.def_jvp(rule)


_extremum_jvp(reduce_window_max_p, "max")
_extremum_jvp(reduce_window_min_p, "min")


def _window_params(operand, window_dimensions, window_strides, padding, base_dilation,
                   window_dilation):
    aval = get_aval(operand)
    nd = aval.ndim
    wd = _ints(window_dimensions)
    ws = _ints(window_strides)
    bd = (1,) * nd if base_dilation is None else _ints(base_dilation)
    wdl = (1,) * nd if window_dilation is None else _ints(window_dilation)
    if isinstance(padding, str):
        in_sp = [_dilate(n, b) for n, b in zip(aval.shape, bd)]
        padding = padtype_to_pads(in_sp, [_dilate(k, d) for k, d in zip(wd, wdl)], ws, padding)
    padding = tuple((int(lo), int(hi)) for lo, hi in padding)
    return dict(window_dimensions=wd, window_strides=ws, padding=padding, base_dilation=bd,
                window_dilation=wdl)


def reduce_window_sum(operand, window_dimensions, window_strides, padding, base_dilation=None,
                      window_dilation=None):
    return reduce_window_sum_p.bind(operand, **_window_params(
        operand, window_dimensions, window_strides, padding, base_dilation, window_dilation))


def reduce_window_max(operand, window_dimensions, window_strides, padding, base_dilation=None,
                      window_dilation=None):
    return reduce_window_max_p.bind(operand, **_window_params(
        operand, window_dimensions, window_strides, padding, base_dilation, window_dilation))


def reduce_window_min(operand, window_dimensions, window_strides, padding, base_dilation=None,
                      window_dilation=None):
    return reduce_window_min_p.bind(operand, **_window_params(
        operand, window_dimensions, window_strides, padding, base_dilation, window_dilation))


def reduce_window(operand, init_value, computation, window_dimensions, window_strides,
                  padding, base_dilation=None, window_dilation=None):
    """``jax.lax.reduce_window`` for ``computation`` in ``lax.add``/``lax.max``/``lax.min``.

    A non-identity ``init_value`` is combined with every window's result.
    """
    kinds = {lax.add: "sum", lax.max: "max", lax_min: "min"}
    kind = kinds.get(computation)
    if kind is None:
        raise NotImplementedError("hlox.lax.reduce_window: computation must be lax.add, lax.max "
                                  "or lax.min (a general reducer is not supported yet)")
    aval = get_aval(operand)
    prim = {"sum": reduce_window_sum_p, "max": reduce_window_max_p, "min": reduce_window_min_p}
    out = prim[kind].bind(operand, **_window_params(operand, window_dimensions, window_strides,
                                                    padding, base_dilation, window_dilation))
    if isinstance(init_value, (int, float, bool, np.generic, np.ndarray)) and \
            np.asarray(init_value) == _identity(kind, aval.dtype):
        return out
    init = lax.broadcast_in_dim(init_value if hasattr(init_value, "aval") else
                                np.asarray(init_value, aval.dtype), get_aval(out).shape, ())
    if kind == "sum":
        return lax.add(out, init)
    if kind == "max":
        return lax.max(out, init)
    return lax.select(lax.lt(out, init), out, init)
