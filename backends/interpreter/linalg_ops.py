"""dot_general, dot, convolution, cholesky, triangular_solve, fft.

Products are computed in the result's element type (integers wrap around),
narrow floats in float32; precision_config is ignored, as the spec allows.
"""

from __future__ import annotations

import numpy as np

from . import attributes
from .elementwise import wide
from .registry import register
from .shape_ops import pad

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _compute_dtype(result_dtype):
    d = np.dtype(result_dtype)
    if d == np.bool_:
        return np.dtype(np.int64)
    return wide(np.empty(0, d)).dtype


def _result_dtype(step):
    """The element type products are computed for: a quantized result's expressed
    type (its operands arrive dequantized, see quantized.on_expressed)."""
    t = step.result_types[0]
    return t.quant.expressed if t.quant is not None else t.dtype


def dot_general(lhs, rhs, lhs_batch, rhs_batch, lhs_contract, rhs_contract, result_dtype):
    """Result dims: batch, then lhs free, then rhs free (the spec's order)."""
    cd = _compute_dtype(result_dtype)
    lhs, rhs = np.asarray(lhs).astype(cd), np.asarray(rhs).astype(cd)
    lhs_sub = [""] * lhs.ndim
    rhs_sub = [""] * rhs.ndim
    letters = iter(_LETTERS)
    out = []
    for a, b in zip(lhs_batch, rhs_batch):
        lhs_sub[a] = rhs_sub[b] = c = next(letters)
        out.append(c)
    for a, b in zip(lhs_contract, rhs_contract):
        lhs_sub[a] = rhs_sub[b] = next(letters)
    for sub in (lhs_sub, rhs_sub):
        for i, s in enumerate(sub):
            if not s:
                sub[i] = c = next(letters)
                out.append(c)
    spec = f"{''.join(lhs_sub)},{''.join(rhs_sub)}->{''.join(out)}"
    result = np.einsum(spec, lhs, rhs)
    if np.dtype(result_dtype) == np.bool_:
        result = result != 0
    return result


@register("stablehlo.dot_general")
def dot_general_rule(ev, step, env, args):
    dn = step.cached("dn", lambda: attributes.struct(step.attr("dot_dimension_numbers")))
    return [dot_general(args[0], args[1], dn.get("lhs_batching_dimensions", []),
                        dn.get("rhs_batching_dimensions", []), dn.get("lhs_contracting_dimensions", []),
                        dn.get("rhs_contracting_dimensions", []), _result_dtype(step))]


@register("stablehlo.dot")
def dot(ev, step, env, args):
    lhs, rhs = args
    return [dot_general(lhs, rhs, [], [], [lhs.ndim - 1], [0], _result_dtype(step))]


# ---- convolution -----------------------------------------------------------


def convolution(lhs, rhs, dn, strides, padding, lhs_dilation, rhs_dilation, reversal,
                feature_group_count, batch_group_count, result_dtype):
    """The spec's convolution: groups split the operands and concatenate the
    results; the ungrouped core runs on [b, f, spatial...] x [o, i, spatial...]."""
    if batch_group_count > 1:
        lhses = np.split(lhs, batch_group_count, dn["input_batch_dimension"])
        rhses = np.split(rhs, batch_group_count, dn["kernel_output_feature_dimension"])
        parts = [convolution(a, b, dn, strides, padding, lhs_dilation, rhs_dilation, reversal,
                             feature_group_count, 1, result_dtype) for a, b in zip(lhses, rhses)]
        return np.concatenate(parts, dn["output_feature_dimension"])
    if feature_group_count > 1:
        lhses = np.split(lhs, feature_group_count, dn["input_feature_dimension"])
        rhses = np.split(rhs, feature_group_count, dn["kernel_output_feature_dimension"])
        parts = [convolution(a, b, dn, strides, padding, lhs_dilation, rhs_dilation, reversal,
                             1, 1, result_dtype) for a, b in zip(lhses, rhses)]
        return np.concatenate(parts, dn["output_feature_dimension"])
    cd = _compute_dtype(result_dtype)
    n = len(dn["input_spatial_dimensions"])
    x = np.transpose(lhs, [dn["input_batch_dimension"], dn["input_feature_dimension"],
                           *dn["input_spatial_dimensions"]]).astype(cd)
    w = np.transpose(rhs, [dn["kernel_output_feature_dimension"], dn["kernel_input_feature_dimension"],
                           *dn["kernel_spatial_dimensions"]]).astype(cd)
    for i, rev in enumerate(reversal):
        if rev:
            w = np.flip(w, 2 + i)
    # lhs dilation (zeros between elements), then edge padding (may crop).
    x = pad(x, np.zeros((), cd), [0, 0] + [lo for lo, _ in padding], [0, 0] + [hi for _, hi in padding],
            [0, 0] + [d - 1 for d in lhs_dilation])
    kernel = w.shape[2:]
    extent = [(k - 1) * d + 1 for k, d in zip(kernel, rhs_dilation)]
    out_spatial = [max(0, (s - e) // st + 1) if s >= e else 0
                   for s, e, st in zip(x.shape[2:], extent, strides)]
    result = np.zeros((x.shape[0], w.shape[0], *out_spatial), cd)
    if all(out_spatial) and x.shape[0] and w.shape[0]:
        windows = np.lib.stride_tricks.sliding_window_view(x, extent, axis=tuple(range(2, 2 + n)))
        windows = windows[(slice(None), slice(None))
                          + tuple(slice(None, o * st, st) for o, st in zip(out_spatial, strides))
                          + tuple(slice(None, None, d) for d in rhs_dilation)]
        sp = _LETTERS[:n]
        ks = _LETTERS[n:2 * n]
        result = np.einsum(f"BF{sp}{ks},OF{ks}->BO{sp}", windows, w)
    perm = [dn["output_batch_dimension"], dn["output_feature_dimension"], *dn["output_spatial_dimensions"]]
    result = np.transpose(result, np.argsort(perm))
    if np.dtype(result_dtype) == np.bool_:
        result = result != 0
    return result


@register("stablehlo.convolution", "stablehlo.dynamic_conv")
def convolution_rule(ev, step, env, args):
    lhs, rhs = args[:2]
    dn = step.cached("dn", lambda: attributes.conv_dimension_numbers(step.attr("dimension_numbers")))
    n = len(dn["input_spatial_dimensions"])
    ints = lambda name, default: step.cached(name, lambda: attributes.i64s(step.attr(name))) or [default] * n
    # dynamic_conv: the padding is its third operand, a [spatial, 2] tensor
    padding = [int(v) for v in np.ravel(args[2])] if len(args) == 3 else ints("padding", 0)
    if len(args) == 3 and len(padding) != 2 * n:
        raise ValueError(f"stablehlo.dynamic_conv: padding has {len(padding)} values, "
                         f"expected [{n}, 2]")
    padding = list(zip(padding[0::2], padding[1::2])) if len(padding) == 2 * n else [(0, 0)] * n
    reversal = [bool(v) for v in ints("window_reversal", 0)]
    return [convolution(lhs, rhs, dn, ints("window_strides", 1), padding, ints("lhs_dilation", 1),
                        ints("rhs_dilation", 1), reversal,
                        int(attributes.scalar(step.attr("feature_group_count")) or 1),
                        int(attributes.scalar(step.attr("batch_group_count")) or 1),
                        _result_dtype(step))]


# ---- linear algebra ---------------------------------------------------------


def cholesky_factor(a, lower: bool):
    """(factor, ok per matrix); a failed matrix gives NaNs."""
    a = wide(a)
    low = np.empty_like(a)
    ok = np.ones(a.shape[:-2], bool)
    for i in np.ndindex(*a.shape[:-2]):
        # The spec reads only the lower (or upper) triangle of a.
        m = np.tril(a[i]) if lower else np.triu(a[i])
        m = m + np.swapaxes(m, -1, -2).conj() - np.diag(np.diag(m))
        try:
            low[i] = np.linalg.cholesky(m)
        except np.linalg.LinAlgError:
            low[i] = np.nan
            ok[i] = False
    return (low if lower else np.swapaxes(low, -1, -2).conj()), ok


@register("stablehlo.cholesky")
def cholesky(ev, step, env, args):
    lower = bool(attributes.scalar(step.attr("lower")) or False)
    return [cholesky_factor(args[0], lower)[0]]


def solve_triangular(a, b, left: bool, lower: bool, unit: bool, transpose: str):
    """op(a) x = b (left) or x op(a) = b, reading one triangle of a."""
    a, b = wide(a), wide(b)
    a = np.tril(a) if lower else np.triu(a)
    if unit:
        eye = np.eye(a.shape[-1], dtype=bool)
        a = np.where(eye, np.ones_like(a), a)
    if transpose == "TRANSPOSE":
        a = np.swapaxes(a, -1, -2)
    elif transpose == "ADJOINT":
        a = np.swapaxes(a, -1, -2).conj()
    if left:
        return np.linalg.solve(a, b)
    # x @ op(a) = b  <=>  op(a)^T @ x^T = b^T
    return np.swapaxes(np.linalg.solve(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)


@register("stablehlo.triangular_solve")
def triangular_solve(ev, step, env, args):
    return [solve_triangular(args[0], args[1], bool(attributes.scalar(step.attr("left_side"))),
                             bool(attributes.scalar(step.attr("lower"))),
                             bool(attributes.scalar(step.attr("unit_diagonal"))),
                             attributes.enum(step.attr("transpose_a")) or "NO_TRANSPOSE")]


@register("stablehlo.fft")
def fft(ev, step, env, args):
    x = args[0]
    kind = attributes.enum(step.attr("fft_type"))
    lengths = attributes.i64s(step.attr("fft_length"))
    axes = tuple(range(x.ndim - len(lengths), x.ndim))
    if kind == "FFT":
        return [np.fft.fftn(x, axes=axes)]
    if kind == "IFFT":
        return [np.fft.ifftn(x, axes=axes)]
    if kind == "RFFT":
        return [np.fft.rfftn(x, s=lengths, axes=axes)]
    return [np.fft.irfftn(x, s=lengths, axes=axes)]
