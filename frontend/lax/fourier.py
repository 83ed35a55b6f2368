"""``fft``: stablehlo.fft over the last 1-3 dimensions, one place (as ``jax.lax.fft``).

FFT and IFFT take complex operands; RFFT takes float32/float64 and gives the
``n // 2 + 1`` non-negative frequencies of the last axis; IRFFT is its inverse
(``fft_lengths`` are the real result's). The primitive is linear: its JVP maps
tangents through it, and its transposes are JAX's: FFT and IFFT are their own
transposes (the DFT matrix is symmetric); RFFT's is the real part of the FFT of
the cotangent zero-padded to full length; IRFFT's the RFFT of the cotangent,
scaled by 1/prod(lengths), doubled on the bins that stand for two frequencies,
and conjugated (JAX's convention for complex cotangents). Batching keeps the
batch axis in front.
"""

from __future__ import annotations

import enum
from typing import Sequence

import numpy as np
from mlir import ir

from hlox.frontend.core import dtypes
from hlox.frontend.core.emit import i64_array_attr
from hlox.frontend.core.tracing import Primitive, ShapedArray, get_aval, shape_error
from hlox.frontend.lax import base as lax
from hlox.frontend.lax import complex_parts
from hlox.frontend.lax.structural import pad

__all__ = ["fft", "FftType"]


class FftType(enum.IntEnum):
    """The transform ``fft`` computes (``jax.lax.FftType``)."""

    FFT = 0
    IFFT = 1
    RFFT = 2
    IRFFT = 3


fft_p = Primitive("fft")


@fft_p.def_abstract_eval
def _fft_abstract_eval(x: ShapedArray, *, fft_type: FftType, fft_lengths: tuple[int, ...]):
    k = len(fft_lengths)
    if not 1 <= k <= 3 or k > x.ndim:
        raise shape_error("fft", f"transforms 1 to 3 trailing dimensions of its operand; "
                          f"fft_lengths {fft_lengths} for a rank-{x.ndim} operand", x)
    lengths, minor = tuple(fft_lengths), x.shape[x.ndim - k:]
    if fft_type == FftType.RFFT:
        if x.dtype not in (dtypes.float32, dtypes.float64):
            raise shape_error("fft", f"RFFT needs a float32 or float64 operand, got {x.dtype}", x)
        if minor != lengths:
            raise shape_error("fft", f"RFFT operand's trailing dimensions {minor} must equal "
                              f"fft_lengths {lengths}", x)
        return ShapedArray(x.shape[:-1] + (lengths[-1] // 2 + 1,), dtypes.to_complex(x.dtype))
    if not dtypes.is_complex(x.dtype):
        raise shape_error("fft", f"{fft_type.name} needs a complex operand, got {x.dtype}", x)
    if fft_type == FftType.IRFFT:
        expected = lengths[:-1] + (lengths[-1] // 2 + 1,)
        if minor != expected:
            raise shape_error("fft", f"IRFFT operand's trailing dimensions {minor} must be "
                              f"{expected} for fft_lengths {lengths}", x)
        return ShapedArray(x.shape[:-1] + (lengths[-1],), dtypes.real_dtype(x.dtype))
    if minor != lengths:
        raise shape_error("fft", f"{fft_type.name} operand's trailing dimensions {minor} must "
                          f"equal fft_lengths {lengths}", x)
    return x.update(weak_type=False)


@fft_p.def_lowering
def _fft_lower(ctx, x, *, fft_type, fft_lengths):
    return ctx.op("stablehlo.fft", [x], {
        "fft_type": ir.Attribute.parse(f"#stablehlo<fft_type {fft_type.name}>"),
        "fft_length": i64_array_attr(fft_lengths)})


@fft_p.def_jvp
def _fft_jvp(primals, tangents, **params):
    out = fft_p.bind(primals[0], **params)
    return out, None if tangents[0] is None else fft_p.bind(tangents[0], **params)


@fft_p.def_transpose
def _fft_transpose(ct, x, *, fft_type, fft_lengths):
    if fft_type == FftType.RFFT:
        n = fft_lengths[-1]
        config = [(0, 0, 0)] * (get_aval(ct).ndim - 1) + [(0, n - (n // 2 + 1), 0)]
        full = pad(ct, np.zeros((), get_aval(ct).dtype), config)
        return [complex_parts.real(fft_p.bind(full, fft_type=FftType.FFT,
                                              fft_lengths=fft_lengths))]
    if fft_type == FftType.IRFFT:
        spectrum = fft_p.bind(ct, fft_type=FftType.RFFT, fft_lengths=fft_lengths)
        aval = get_aval(spectrum)
        bins, n = aval.shape[-1], fft_lengths[-1]
        weight = np.full(bins, 2.0)
        weight[0] = 1.0
        if n % 2 == 0:
            weight[-1] = 1.0
        weight = np.broadcast_to(weight / np.prod(fft_lengths), aval.shape).astype(aval.dtype)
        return [complex_parts.conj(lax.mul(spectrum, weight))]
    return [fft_p.bind(ct, fft_type=fft_type, fft_lengths=fft_lengths)]


fft_p.def_batching(lambda values, dims, **params: (fft_p.bind(values[0], **params), 0))


def _fft_type(fft_type) -> FftType:
    if isinstance(fft_type, FftType):
        return fft_type
    if isinstance(fft_type, str) and fft_type.upper() in FftType.__members__:
        return FftType[fft_type.upper()]
    raise TypeError(f"hlox.lax.fft: unknown fft_type {fft_type!r} (FftType or one of "
                    f"'fft', 'ifft', 'rfft', 'irfft')")


def fft(x, fft_type, fft_lengths: Sequence[int]):
    """The discrete Fourier transform ``fft_type`` over the last ``len(fft_lengths)``
    dimensions of ``x`` (``jax.lax.fft``): a real operand of FFT/IFFT/IRFFT is made
    complex, an integer one of RFFT floating point."""
    kind = _fft_type(fft_type)
    dtype = get_aval(x).dtype
    if kind == FftType.RFFT:
        if dtypes.is_complex(dtype):
            raise ValueError("hlox.lax.fft: RFFT takes real operands only, got "
                             f"{np.dtype(dtype)}")
        target = dtypes.to_inexact(dtype)
    else:
        target = dtypes.to_complex(dtype)
    if target != dtype:
        x = lax.convert_element_type(x, target)
    lengths = tuple(int(n) for n in fft_lengths)
    if not lengths:
        return x
    return fft_p.bind(x, fft_type=kind, fft_lengths=lengths)
