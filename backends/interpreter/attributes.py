"""Reading MLIR types and attributes of our dialect into Python/numpy values.

Builtin attributes are read through the bindings' accessors. Our StableHLO
attributes (``#stablehlo.dot<...>``, ``#stablehlo<comparison_direction GT>``,
``#stablehlo.conv<...>``, ...) have no Python accessors, so they are parsed
from their printed form here, in one place.
"""

from __future__ import annotations

import re

import ml_dtypes
import numpy as np
from mlir import ir

from .quantized import quantization_of

_SCALAR = {
    "i1": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32, "i64": np.int64,
    "ui8": np.uint8, "ui16": np.uint16, "ui32": np.uint32, "ui64": np.uint64,
    "si8": np.int8, "si16": np.int16, "si32": np.int32, "si64": np.int64,
    "i2": ml_dtypes.int2, "i4": ml_dtypes.int4, "ui2": ml_dtypes.uint2, "ui4": ml_dtypes.uint4,
    "index": np.int64,
    "f16": np.float16, "f32": np.float32, "f64": np.float64, "bf16": ml_dtypes.bfloat16,
    "f8E4M3FN": ml_dtypes.float8_e4m3fn, "f8E5M2": ml_dtypes.float8_e5m2,
    "f8E4M3FNUZ": ml_dtypes.float8_e4m3fnuz, "f8E5M2FNUZ": ml_dtypes.float8_e5m2fnuz,
    "f8E4M3B11FNUZ": ml_dtypes.float8_e4m3b11fnuz, "f8E3M4": ml_dtypes.float8_e3m4,
    "f8E4M3": ml_dtypes.float8_e4m3, "f8E8M0FNU": ml_dtypes.float8_e8m0fnu,
    "f4E2M1FN": ml_dtypes.float4_e2m1fn, "f6E2M3FN": ml_dtypes.float6_e2m3fn,
    "f6E3M2FN": ml_dtypes.float6_e3m2fn,
    "complex<f32>": np.complex64, "complex<f64>": np.complex128,
}


def dtype_of(element_type) -> np.dtype:
    """numpy dtype of an MLIR element type (or its printed name)."""
    name = str(element_type)
    try:
        return np.dtype(_SCALAR[name])
    except KeyError:
        raise NotImplementedError(f"interpreter: element type {name} is not supported") from None


def mlir_name(dtype) -> str:
    """MLIR element type name of a numpy dtype (inverse of dtype_of)."""
    dtype = np.dtype(dtype)
    for name, d in _SCALAR.items():
        if np.dtype(d) == dtype and not name.startswith(("si", "index")):
            return name
    raise NotImplementedError(f"no MLIR type for {dtype}")


class TypeInfo:
    """What the interpreter needs to know of an MLIR type."""

    __slots__ = ("kind", "shape", "dtype", "elements", "text", "quant")

    def __init__(self, t):
        self.text = str(t)
        self.shape = self.dtype = self.elements = self.quant = None
        if isinstance(t, ir.RankedTensorType):
            self.kind = "tensor"
            self.shape = tuple(t.shape)
            # a quantized tensor is held as its storage integers
            self.quant = quantization_of(t.element_type, dtype_of)
            self.dtype = self.quant.storage if self.quant else dtype_of(t.element_type)
        elif isinstance(t, ir.TupleType):
            self.kind = "tuple"
            self.elements = [TypeInfo(t.get_type(i)) for i in range(t.num_types)]
        elif "token" in self.text:
            self.kind = "token"
        elif isinstance(t, ir.ShapedType):
            raise NotImplementedError(f"interpreter: dynamic/unranked type {self.text} is not supported")
        else:  # a scalar element type (e.g. a func.func over plain types)
            self.kind = "tensor"
            self.shape = ()
            self.dtype = dtype_of(t)

    def __repr__(self):
        return self.text


# ---- builtin attributes -----------------------------------------------------


def i64s(attr) -> list[int]:
    """DenseI64ArrayAttr / DenseBoolArrayAttr / ArrayAttr of ints /
    DenseIntElementsAttr -> list."""
    if attr is None:
        return []
    if isinstance(attr, ir.DenseElementsAttr):
        return [int(v) for v in dense_to_numpy(attr).reshape(-1)]
    if isinstance(attr, ir.ArrayAttr):
        return [int(ir.IntegerAttr(a).value) for a in attr]
    return [int(v) for v in attr]


def scalar(attr):
    """IntegerAttr / BoolAttr / FloatAttr / StringAttr / symbol ref -> value."""
    if attr is None:
        return None
    for cls in (ir.BoolAttr, ir.IntegerAttr, ir.FloatAttr, ir.StringAttr, ir.FlatSymbolRefAttr):
        if isinstance(attr, cls):
            return attr.value
    return str(attr)


_NUMBER = re.compile(r"\(|\)|true|false|0x[0-9A-Fa-f]+|[-+]?(?:inf|nan|\d+\.?\d*(?:[eE][-+]?\d+)?)")


def _float_token(token: str, dtype: np.dtype):
    if token.startswith("0x"):  # a bit pattern (MLIR prints NaN/Inf this way)
        bits = int(token, 16)
        width = dtype.itemsize * 8
        uint = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}[width]
        return np.array([bits], uint).view(dtype)[0]
    return float(token)


class TextAttr:
    """An attribute the bindings cannot hand out as an object, by its text."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    @property
    def type(self):
        return ir.Type.parse(self.text.rsplit(" : ", 1)[1])


def dense_to_numpy(attr) -> np.ndarray:
    """A DenseElementsAttr (splat or not, any element type incl. bool,
    bfloat16, float8, complex) -> numpy array of its tensor's shape."""
    t = TypeInfo(attr.type)
    if isinstance(attr, TextAttr):
        return _parse_dense(str(attr), t)
    try:
        if t.dtype.kind in "biuf" and t.dtype.type.__module__ == "numpy":
            array = np.array(attr)
            if array.dtype == t.dtype:
                return np.broadcast_to(array, t.shape).copy()
    except (TypeError, ValueError, RuntimeError):
        pass
    return _parse_dense(str(attr), t)


def _parse_dense(text: str, t: TypeInfo) -> np.ndarray:
    body = text.rsplit(" : ", 1)[0].strip()
    assert body.startswith("dense<") and body.endswith(">"), text[:200]
    body = body[len("dense<"):-1].strip()
    size = int(np.prod(t.shape, dtype=np.int64))
    if body.startswith('"0x'):
        raw = bytes.fromhex(body[3:-1])
        flat = np.frombuffer(raw, dtype=np.uint8 if t.dtype == np.bool_ else t.dtype)
        if t.dtype == np.bool_:
            flat = flat != 0
    else:
        tokens = [tok for tok in _NUMBER.findall(body) if tok not in "()"]
        if t.dtype.kind == "c":
            part = np.dtype(np.float32 if t.dtype == np.complex64 else np.float64)
            values = [_float_token(tok, part) for tok in tokens]
            flat = (np.array(values[0::2], part) + 1j * np.array(values[1::2], part)).astype(t.dtype)
        elif t.dtype == np.bool_:
            flat = np.array([tok == "true" or tok not in ("false", "0") for tok in tokens], np.bool_)
        elif t.dtype.kind in "iu" or "int" in t.dtype.name:
            flat = np.array([int(tok, 0) for tok in tokens]).astype(t.dtype)
        else:
            flat = np.array([_float_token(tok, t.dtype) for tok in tokens], dtype=t.dtype)
    if flat.size == 1 and size != 1:
        return np.full(t.shape, flat[0], dtype=t.dtype)
    if flat.size != size:
        raise ValueError(f"dense attribute has {flat.size} elements, type {t.text} needs {size}")
    return flat.reshape(t.shape).copy()


# ---- our StableHLO attributes ---------------------------------------------


def enum(attr) -> str | None:
    """``#stablehlo<comparison_direction GT>`` -> ``"GT"``."""
    if attr is None:
        return None
    return str(attr).rstrip(">").split()[-1]


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[<(":
            depth += 1
        elif ch in "]>)":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return [p.strip() for p in parts]


def struct(attr) -> dict:
    """``#stablehlo.gather<offset_dims = [1], index_vector_dim = 1>`` ->
    ``{"offset_dims": [1], "index_vector_dim": 1}`` (lists of ints, ints,
    other values as their text)."""
    if attr is None:
        return {}
    text = str(attr)
    inner = text[text.index("<") + 1: text.rindex(">")]
    fields = {}
    for part in _split_top(inner):
        if "=" not in part:
            continue
        key, value = (s.strip() for s in part.split("=", 1))
        if value.startswith("["):
            value = [int(v) for v in value.strip("[]").split(",") if v.strip()]
        elif re.fullmatch(r"-?\d+", value):
            value = int(value)
        fields[key] = value
    return fields


def conv_dimension_numbers(attr) -> dict:
    """``#stablehlo.conv<[b, 0, 1, f]x[0, 1, i, o]->[b, 0, 1, f]>`` -> dict
    with the spec's names (input_batch_dimension, ...)."""
    text = str(attr)
    m = re.search(r"\[([^\]]*)\]x\[([^\]]*)\]->\[([^\]]*)\]", text)
    if not m:  # the long form: #stablehlo.conv<input_batch_dimension = 0, ...>
        return struct(attr)
    lhs, rhs, out = ([s.strip() for s in g.split(",")] for g in m.groups())

    def spatial(dims):
        pairs = sorted((int(c), i) for i, c in enumerate(dims) if c.isdigit())
        return [i for _, i in pairs]

    return {
        "input_batch_dimension": lhs.index("b"), "input_feature_dimension": lhs.index("f"),
        "input_spatial_dimensions": spatial(lhs),
        "kernel_input_feature_dimension": rhs.index("i"), "kernel_output_feature_dimension": rhs.index("o"),
        "kernel_spatial_dimensions": spatial(rhs),
        "output_batch_dimension": out.index("b"), "output_feature_dimension": out.index("f"),
        "output_spatial_dimensions": spatial(out),
    }
