"""stablehlo.fft on the cpu backend (hlox_rt_fft_* in libhlox_cpu_runtime.so)
against numpy.fft in float64/complex128, over many lengths: 1-40, primes
(Bluestein), powers of two, odd composites (mixed radix), batched, over 1-3
axes, float32/float64.

Tolerance (normwise, as FFT error bounds are): max |got - numpy| <=
5 eps log2(n) max |numpy|, eps of the element type.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import hlox

RNG = np.random.default_rng(0)
LENGTHS = list(range(1, 41)) + [45, 64, 97, 105, 225, 251, 646, 1009, 1024, 3072, 4099,
                                15015, 16384]
REAL = {np.float32: "f32", np.float64: "f64"}


def tensor(shape, dtype) -> str:
    element = REAL.get(dtype) or f"complex<{REAL[np.float32 if dtype == np.complex64 else np.float64]}>"
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def fft_module(cases) -> str:
    """One @main computing every case: (fft_type, lengths, in shape/dtype, out shape/dtype)."""
    args, results, body = [], [], []
    for i, (kind, lengths, (in_shape, in_dtype), (out_shape, out_dtype)) in enumerate(cases):
        t_in, t_out = tensor(in_shape, in_dtype), tensor(out_shape, out_dtype)
        args.append(f"%a{i}: {t_in}")
        results.append(t_out)
        length = ", ".join(map(str, lengths))
        body.append(f'  %r{i} = "stablehlo.fft"(%a{i}) {{fft_type = #stablehlo<fft_type {kind}>, '
                    f"fft_length = array<i64: {length}>}} : ({t_in}) -> {t_out}")
    ret = ", ".join(f"%r{i}" for i in range(len(cases)))
    return (f"func.func @main({', '.join(args)}) -> ({', '.join(results)}) {{\n"
            + "\n".join(body) + f"\n  return {ret} : {', '.join(results)}\n}}\n")


def complex_of(dtype):
    return np.complex64 if dtype == np.float32 else np.complex128


def sample(shape, dtype):
    x = RNG.standard_normal(shape)
    if np.issubdtype(dtype, np.complexfloating):
        x = x + 1j * RNG.standard_normal(shape)
    return x.astype(dtype)


def cases_for(dtype, batch, lengths):
    """(case, input, numpy reference) for every transform over the last len(lengths) axes."""
    c = complex_of(dtype)
    axes = tuple(range(-len(lengths), 0))
    shape = batch + tuple(lengths)
    half = shape[:-1] + (lengths[-1] // 2 + 1,)
    z, x, h = sample(shape, c), sample(shape, dtype), sample(half, c)
    z64, h64 = z.astype(np.complex128), h.astype(np.complex128)
    return [
        (("FFT", lengths, (shape, c), (shape, c)), z, np.fft.fftn(z64, axes=axes)),
        (("IFFT", lengths, (shape, c), (shape, c)), z, np.fft.ifftn(z64, axes=axes)),
        (("RFFT", lengths, (shape, dtype), (half, c)), x, np.fft.rfftn(x.astype(np.float64), axes=axes)),
        (("IRFFT", lengths, (half, c), (shape, dtype)), h,
         np.fft.irfftn(h64, s=lengths, axes=axes)),
    ]


def check(dtype, all_cases):
    module = fft_module([case for case, _, _ in all_cases])
    run = hlox.compile_stablehlo(module, backend="cpu")
    inputs = [x for _, x, _ in all_cases]
    got = run(*inputs)
    again = run(*inputs)
    eps = np.finfo(dtype).eps
    for (case, _, want), g, g2 in zip(all_cases, got, again):
        g = np.asarray(g)
        assert g.shape == want.shape and g.dtype == np.dtype(case[3][1]), case
        np.testing.assert_array_equal(g, np.asarray(g2), err_msg=f"not deterministic: {case}")
        n = math.prod(case[1])
        scale = max(np.abs(want).max(), np.finfo(np.float64).tiny) if want.size else 1.0
        error = np.abs(g - want).max() if want.size else 0.0
        assert error <= 5 * eps * max(1.0, math.log2(n)) * scale, (case, error / scale)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_1d_every_length(dtype):
    check(dtype, [c for n in LENGTHS for c in cases_for(dtype, (3,), (n,))])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_over_several_axes(dtype):
    shapes = [((2,), (6, 9)), ((), (17, 8)), ((2, 3), (5, 4, 7)), ((1,), (12, 13, 10)),
              ((), (1, 16)), ((4,), (3, 1, 2))]
    check(dtype, [c for batch, lengths in shapes for c in cases_for(dtype, batch, lengths)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fft_of_size_zero_batches(dtype):
    check(dtype, cases_for(dtype, (0,), (8,)) + cases_for(dtype, (0, 2), (5, 3)))


def test_irfft_ignores_imaginary_parts_of_self_conjugate_terms():
    # As XLA and numpy: Im X[0] (and Im X[n/2] for even n) do not enter the result.
    for n in (8, 9):
        h = sample((2, n // 2 + 1), np.complex128)
        case = ("IRFFT", (n,), (h.shape, np.complex128), ((2, n), np.float64))
        check(np.float64, [(case, h, np.fft.irfft(h, n))])


def test_fft_stays_a_runtime_call():
    module = fft_module([("RFFT", (16,), ((2, 16), np.float32), ((2, 9), np.complex64))])
    compiled = hlox.compile_stablehlo(module, backend="cpu")
    text = compiled.as_text("hlox-cpu-fft-to-runtime")
    assert "call @hlox_rt_fft_r2c_f32" in text and "stablehlo.fft" not in text


def test_fft_in_an_artifact():
    # An artifact imports hlox_rt_fft_*; loading it loads the runtime library.
    module = fft_module([("RFFT", (12,), ((2, 12), np.float64), ((2, 7), np.complex128))])
    restored = hlox.deserialize(hlox.compile_stablehlo(module, backend="cpu").serialize())
    x = sample((2, 12), np.float64)
    np.testing.assert_allclose(np.asarray(restored(x)[0]), np.fft.rfft(x), rtol=1e-13, atol=1e-13)
