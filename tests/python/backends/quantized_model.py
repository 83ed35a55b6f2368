"""The numpy model of the StableHLO spec's quantized element types ("Quantized
element types"), shared by the quantized tests:

    quantize(x)   = convert(clamp(min, round_nearest_even(x / scale) + zp, max), storage)
    dequantize(q) = convert(q - zp, expressed) * scale

with scale, zero point and storage range converted to the expressed type.
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

import hlox

# (storage name in quant types, StableHLO storage type, numpy dtype, storage min, max)
STORAGES = {
    "i8": ("i8", "i8", np.int8, -128, 127),
    "u8": ("u8", "ui8", np.uint8, 0, 255),
    "i16": ("i16", "i16", np.int16, -32768, 32767),
    "i32": ("i32", "i32", np.int32, -2**31, 2**31 - 1),
    "i4": ("i4", "i4", ml_dtypes.int4, -8, 7),
    "i8n": ("i8<-127:127>", "i8", np.int8, -127, 127),  # a narrowed storage range
}
EXPRESSED = {"f32": np.float32, "f16": np.float16, "bf16": ml_dtypes.bfloat16}


class QType:
    """A quantized type: its MLIR text, and the spec's formulas in numpy."""

    def __init__(self, storage: str, scales, zero_points, axis=None, expressed="f32"):
        self.quant_storage, self.storage, self.dtype, self.low, self.high = STORAGES[storage]
        self.expressed, self.edtype = expressed, np.dtype(EXPRESSED[expressed])
        self.scales, self.zero_points, self.axis = list(scales), list(zero_points), axis

    @property
    def text(self) -> str:
        if self.axis is None:
            return (f"!quant.uniform<{self.quant_storage}:{self.expressed}, "
                    f"{self.scales[0]!r}:{self.zero_points[0]}>")
        pairs = ", ".join(f"{s!r}:{z}" for s, z in zip(self.scales, self.zero_points))
        return f"!quant.uniform<{self.quant_storage}:{self.expressed}:{self.axis}, {{{pairs}}}>"

    def _along(self, values, dtype, ndim):
        values = np.asarray(values, dtype)
        if self.axis is None:
            return values.reshape(())
        shape = [1] * ndim
        shape[self.axis] = -1
        return values.reshape(shape)

    def quantize(self, x: np.ndarray) -> np.ndarray:
        e = self.edtype
        x = np.asarray(x).astype(e)
        scales = self._along(np.asarray(self.scales, np.float64).astype(e), e, x.ndim)
        zero_points = self._along(self.zero_points, np.int64, x.ndim).astype(e)
        rounded = np.round((x / scales).astype(e))  # half to even
        shifted = (rounded + zero_points).astype(e)
        return np.clip(shifted, e.type(self.low), e.type(self.high)).astype(self.dtype)

    def dequantize(self, q: np.ndarray) -> np.ndarray:
        e = self.edtype
        q = np.asarray(q)
        scales = self._along(np.asarray(self.scales, np.float64).astype(e), e, q.ndim)
        difference = q.astype(np.int64) - self._along(self.zero_points, np.int64, q.ndim)
        return (difference.astype(e) * scales).astype(e)


def tensor(shape, element: str) -> str:
    return f"tensor<{'x'.join(map(str, shape))}x{element}>" if shape else f"tensor<{element}>"


def run(text: str, backend: str, *args):
    return [np.asarray(r) for r in hlox.compile_stablehlo(text, backend=backend)(*args)]


def floats_around(q: QType, shape, seed: int) -> np.ndarray:
    """Values over and beyond q's range, with exact half-way points (x / scale = k + 1/2)."""
    rng = np.random.default_rng(seed)
    scale = max(q.scales)
    span = (q.high - q.low) * scale
    x = rng.uniform(-0.75 * span, 0.75 * span, size=shape)
    halves = (rng.integers(-20, 20, size=shape) + 0.5) * np.asarray(q.scales).min()
    x = np.where(rng.random(shape) < 0.3, halves, x)
    return x.astype(q.edtype)


def storage_values(q: QType, shape, seed: int, low=None, high=None) -> np.ndarray:
    """Random storage integers of q in [low, high] (q's storage range by default),
    its ends included."""
    low = q.low if low is None else low
    high = q.high if high is None else high
    s = np.random.default_rng(seed).integers(low, high + 1, size=shape)
    if s.size >= 2:
        s.flat[0], s.flat[-1] = low, high
    return s.astype(q.dtype)
