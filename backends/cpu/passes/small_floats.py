"""hlox-cpu-small-floats (Python pass): f8, f6 and f4 element types computed in f32
and stored as their bit patterns in ``ui8``.

LLVM has no 8-, 6- or 4-bit floats. On the host these values are one byte each,
laid out as ml_dtypes lays them out (the code in the low bits), so a tensor of them
is a ``ui8`` tensor of codes, bit for bit what the caller's NumPy array holds:

1. every op that computes on such values (arithmetic, comparisons, dot_general, ...)
   computes in f32: its operands are converted to f32 and its results back (as XLA
   CPU does); ops that only move values (reshape, slice, select, while, ...) keep them;
2. every remaining value of a small float type becomes ``ui8`` (the code); constants
   are re-encoded; ``convert`` from a code is a table lookup (``gather`` from the 256
   values), ``convert`` to a code counts the rounding thresholds below ``|x|``
   (midpoints between neighbours, ties to even), then picks the code by sign, with
   NaN, infinities and zero as ml_dtypes converts them (the interpreter's reference).

Ops with regions over small floats (reduce, sort, ...) and bitcasts of f6/f4 are
refused with an error naming the op and type.
"""

from __future__ import annotations

import re

import ml_dtypes
import numpy as np
from mlir import ir

from hlox.passes.python_passes import register

SMALL_FLOATS = {
    "f8E4M3FN": ml_dtypes.float8_e4m3fn, "f8E5M2": ml_dtypes.float8_e5m2,
    "f8E4M3FNUZ": ml_dtypes.float8_e4m3fnuz, "f8E5M2FNUZ": ml_dtypes.float8_e5m2fnuz,
    "f8E4M3B11FNUZ": ml_dtypes.float8_e4m3b11fnuz, "f8E3M4": ml_dtypes.float8_e3m4,
    "f8E4M3": ml_dtypes.float8_e4m3, "f8E8M0FNU": ml_dtypes.float8_e8m0fnu,
    "f4E2M1FN": ml_dtypes.float4_e2m1fn, "f6E2M3FN": ml_dtypes.float6_e2m3fn,
    "f6E3M2FN": ml_dtypes.float6_e3m2fn,
}

# Ops that only move, select or carry values: they work on the codes as they are.
_MOVES = {
    "stablehlo.reshape", "stablehlo.transpose", "stablehlo.broadcast_in_dim",
    "stablehlo.broadcast", "stablehlo.slice", "stablehlo.dynamic_slice",
    "stablehlo.dynamic_update_slice", "stablehlo.concatenate", "stablehlo.pad",
    "stablehlo.reverse", "stablehlo.gather", "stablehlo.select", "stablehlo.tuple",
    "stablehlo.get_tuple_element", "stablehlo.optimization_barrier", "stablehlo.while",
    "stablehlo.if", "stablehlo.case", "stablehlo.return", "func.return", "func.call",
    "func.func", "builtin.module",
}


class SmallFloatError(Exception):
    """What cannot be computed, at ``op``."""

    def __init__(self, op: ir.Operation, message: str):
        super().__init__(message)
        self.op = op


def _small_name(t: ir.Type) -> str | None:
    element = ir.ShapedType(t).element_type if isinstance(t, ir.ShapedType) else t
    # (the class name first: printing every type would slow down every compilation)
    if not type(element).__name__.startswith(("Float8", "Float6", "Float4")):
        return None
    name = str(element)
    return name if name in SMALL_FLOATS else None


def _with_element(t: ir.Type, element: ir.Type) -> ir.Type:
    if isinstance(t, ir.RankedTensorType):
        return ir.RankedTensorType.get(ir.RankedTensorType(t).shape, element)
    return element


def _touches_small(op: ir.Operation) -> bool:
    return any(_small_name(v.type) for v in list(op.operands) + list(op.results))


# ---- the encoding tables, from ml_dtypes' own conversions ---------------------------


def _code(dtype, value: float) -> int:
    with np.errstate(over="ignore"):
        return int(np.array([value], np.float64).astype(dtype).view(np.uint8)[0])


def decode_table(name: str) -> np.ndarray:
    """The float32 value of each of the 256 codes (codes past the width: NaN)."""
    dtype = np.dtype(SMALL_FLOATS[name])
    width = ml_dtypes.finfo(dtype).bits
    values = np.arange(256, dtype=np.uint8).view(dtype).astype(np.float32)
    values[1 << width:] = np.nan
    return values


def encode_tables(name: str) -> dict:
    """What rounding a double to ``name`` needs: the levels of ``|x|`` (0, then every
    positive finite value), the thresholds between them with the direction of a
    tie, the code of each level for a positive and a negative ``x`` (the level past
    the last threshold is overflow), and the codes of infinities and NaNs."""
    dtype = np.dtype(SMALL_FLOATS[name])
    width = ml_dtypes.finfo(dtype).bits
    values = np.arange(1 << width, dtype=np.uint8).view(dtype).astype(np.float64)
    levels = [0.0] + sorted({float(v) for v in values if np.isfinite(v) and v > 0})
    thresholds = [(a + b) / 2 for a, b in zip(levels, levels[1:])]
    tie_up = [_code(dtype, m) == _code(dtype, levels[i + 1]) for i, m in enumerate(thresholds)]
    if _code(dtype, 5e-324) == _code(dtype, levels[1]):  # no zero (e8m0): any x > 0 is above
        thresholds[0], tie_up[0] = 0.0, False
    ulp = 2.0 ** (np.floor(np.log2(levels[-1])) - ml_dtypes.finfo(dtype).nmant)
    top = levels[-1] + ulp / 2  # half an ulp above the largest finite value
    thresholds.append(top)
    tie_up.append(_code(dtype, top) != _code(dtype, levels[-1]))
    beyond = levels[-1] * 4
    return dict(
        thresholds=np.array(thresholds), tie_up=np.array(tie_up),
        positive=np.array([_code(dtype, v) for v in levels] + [_code(dtype, beyond)], np.uint8),
        negative=np.array([_code(dtype, -v) for v in levels] + [_code(dtype, -beyond)], np.uint8),
        inf=_code(dtype, np.inf), neginf=_code(dtype, -np.inf),
        nan=_code(dtype, np.nan), negnan=_code(dtype, -np.nan))


def encode_reference(x, name: str) -> np.ndarray:
    """The codes :func:`_encoder_text`'s function computes, in NumPy (for tests)."""
    t = encode_tables(name)
    x = np.asarray(x, np.float64)
    a = np.abs(x)
    level = (a[..., None] > t["thresholds"]).sum(-1) + \
        ((a[..., None] == t["thresholds"]) & t["tie_up"]).sum(-1)
    negative = np.signbit(x)
    out = np.where(negative, t["negative"][level], t["positive"][level])
    out = np.where(np.isinf(x), np.where(negative, t["neginf"], t["inf"]), out)
    return np.where(np.isnan(x), np.where(negative, t["negnan"], t["nan"]), out).astype(np.uint8)


# ---- decode / encode functions, written for each type and shape ---------------------


def _tensor(shape, element: str) -> str:
    return f"tensor<{''.join(f'{d}x' for d in shape)}{element}>"


def _hex(values: np.ndarray, element: str) -> str:
    uint = {"f32": np.uint32, "f64": np.uint64}[element]
    width = {"f32": 8, "f64": 16}[element]
    return "[" + ", ".join(f"0x{int(b):0{width}X}" for b in values.astype(
        {"f32": np.float32, "f64": np.float64}[element]).view(uint)) + "]"


def _ints(values) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def _lookup(result: str, table: str, table_type: str, index: str, shape, element: str) -> list:
    r = len(shape)
    idx_t = _tensor(list(shape) + [1], "i32")
    return [
        f"  {result}_i = stablehlo.reshape {index} : ({_tensor(shape, 'i32')}) -> {idx_t}",
        f'  {result} = "stablehlo.gather"({table}, {result}_i) {{dimension_numbers = '
        f"#stablehlo.gather<collapsed_slice_dims = [0], start_index_map = [0], "
        f"index_vector_dim = {r}>, slice_sizes = array<i64: 1>}} : ({table_type}, {idx_t}) -> "
        f"{_tensor(shape, element)}",
    ]


def _decoder_text(fn: str, name: str, shape) -> str:
    codes_t, out_t = _tensor(shape, "ui8"), _tensor(shape, "f32")
    return "\n".join([
        f"func.func private @{fn}(%codes: {codes_t}) -> {out_t} {{",
        f"  %table = stablehlo.constant dense<{_hex(decode_table(name), 'f32')}> : tensor<256xf32>",
        f"  %index = stablehlo.convert %codes : ({codes_t}) -> {_tensor(shape, 'i32')}",
        *_lookup("%value", "%table", "tensor<256xf32>", "%index", shape, "f32"),
        f"  return %value : {out_t}",
        "}"])


def _encoder_text(fn: str, name: str, source: str, shape) -> str:
    t = encode_tables(name)
    n = len(t["thresholds"])
    r = len(shape)
    x_t, wide_t = _tensor(shape, source), _tensor(list(shape) + [n], source)
    pred_wide, int_wide = _tensor(list(shape) + [n], "i1"), _tensor(list(shape) + [n], "i32")
    pred_t, codes_t = _tensor(shape, "i1"), _tensor(shape, "ui8")
    levels_t = f"tensor<{len(t['positive'])}xui8>"
    bits = "i32" if source == "f32" else "i64"
    bits_t = _tensor(shape, bits)
    inf = "0x7F800000" if source == "f32" else "0x7FF0000000000000"
    keep = list(range(r))

    def splat(value, element):
        return f"stablehlo.constant dense<{value}> : {_tensor(shape, element)}"

    return "\n".join([
        f"func.func private @{fn}(%x: {x_t}) -> {codes_t} {{",
        f"  %a = stablehlo.abs %x : {x_t}",
        f"  %a_wide = stablehlo.broadcast_in_dim %a, dims = {keep} : ({x_t}) -> {wide_t}",
        f"  %th = stablehlo.constant dense<{_hex(t['thresholds'], source)}> : tensor<{n}x{source}>",
        f"  %th_wide = stablehlo.broadcast_in_dim %th, dims = [{r}] : (tensor<{n}x{source}>) -> "
        f"{wide_t}",
        f"  %above = stablehlo.compare GT, %a_wide, %th_wide : ({wide_t}, {wide_t}) -> {pred_wide}",
        f"  %at = stablehlo.compare EQ, %a_wide, %th_wide : ({wide_t}, {wide_t}) -> {pred_wide}",
        f"  %up = stablehlo.constant dense<{_ints(t['tie_up']).lower()}> : tensor<{n}xi1>",
        f"  %up_wide = stablehlo.broadcast_in_dim %up, dims = [{r}] : (tensor<{n}xi1>) -> "
        f"{pred_wide}",
        f"  %tie = stablehlo.and %at, %up_wide : {pred_wide}",
        f"  %above_i = stablehlo.convert %above : ({pred_wide}) -> {int_wide}",
        f"  %tie_i = stablehlo.convert %tie : ({pred_wide}) -> {int_wide}",
        f"  %steps = stablehlo.add %above_i, %tie_i : {int_wide}",
        f"  %ones = stablehlo.constant dense<1> : tensor<{n}xi32>",
        f"  %level = stablehlo.dot_general %steps, %ones, contracting_dims = [{r}] x [0] : "
        f"({int_wide}, tensor<{n}xi32>) -> {_tensor(shape, 'i32')}",
        f"  %positive = stablehlo.constant dense<{_ints(t['positive'])}> : {levels_t}",
        f"  %negative = stablehlo.constant dense<{_ints(t['negative'])}> : {levels_t}",
        *_lookup("%pos", "%positive", levels_t, "%level", shape, "ui8"),
        *_lookup("%neg", "%negative", levels_t, "%level", shape, "ui8"),
        f"  %bits = stablehlo.bitcast_convert %x : ({x_t}) -> {bits_t}",
        f"  %zero = {splat(0, bits)}",
        f"  %signed = stablehlo.compare LT, %bits, %zero : ({bits_t}, {bits_t}) -> {pred_t}",
        f"  %code = stablehlo.select %signed, %neg, %pos : {pred_t}, {codes_t}",
        f"  %inf = {splat(inf, source)}",
        f"  %is_inf = stablehlo.compare EQ, %a, %inf : ({x_t}, {x_t}) -> {pred_t}",
        f"  %inf_pos = {splat(t['inf'], 'ui8')}",
        f"  %inf_neg = {splat(t['neginf'], 'ui8')}",
        f"  %inf_code = stablehlo.select %signed, %inf_neg, %inf_pos : {pred_t}, {codes_t}",
        f"  %code2 = stablehlo.select %is_inf, %inf_code, %code : {pred_t}, {codes_t}",
        f"  %is_nan = stablehlo.compare NE, %x, %x : ({x_t}, {x_t}) -> {pred_t}",
        f"  %nan_pos = {splat(t['nan'], 'ui8')}",
        f"  %nan_neg = {splat(t['negnan'], 'ui8')}",
        f"  %nan_code = stablehlo.select %signed, %nan_neg, %nan_pos : {pred_t}, {codes_t}",
        f"  %code3 = stablehlo.select %is_nan, %nan_code, %code2 : {pred_t}, {codes_t}",
        f"  return %code3 : {codes_t}",
        "}"])


class _Functions:
    """The decode/encode functions of one module, each written once."""

    def __init__(self, module: ir.Operation):
        self.module = module
        self.names: set[str] = set()

    def get(self, kind: str, name: str, shape, source: str = "") -> str:
        fn = f"__hlox_{kind}_{name}_{source}_{'x'.join(map(str, shape)) or 'scalar'}"
        if fn not in self.names:
            text = _decoder_text(fn, name, shape) if kind == "decode" else \
                _encoder_text(fn, name, source, shape)
            parsed = ir.Module.parse(text, context=self.module.context)
            func = parsed.body.operations[0].operation
            func.detach_from_parent()
            ir.InsertionPoint(self.module.regions[0].blocks[0]).insert(func)
            self.names.add(fn)
        return fn


# ---- the rewrite --------------------------------------------------------------------


def _create(op, name, operands, result_types, attributes=None):
    with ir.InsertionPoint(op), op.location:
        return ir.Operation.create(name, results=result_types, operands=operands,
                                   attributes=attributes or {})


def _compute_in_f32(op: ir.Operation) -> None:
    if len(op.regions):
        raise SmallFloatError(op, f"'{op.name}' with a region over "
                              f"{next(str(v.type) for v in op.operands if _small_name(v.type))}"
                              " is not supported on cpu yet")
    f32 = ir.F32Type.get()
    operands = [_create(op, "stablehlo.convert", [v], [_with_element(v.type, f32)]).results[0]
                if _small_name(v.type) else v for v in op.operands]
    results = [_with_element(r.type, f32) if _small_name(r.type) else r.type for r in op.results]
    named = [op.attributes[i] for i in range(len(op.attributes))]
    attributes = {a.name: a.attr for a in named}
    new = _create(op, op.name, operands, results, attributes)
    for old, value in zip(op.results, new.results):
        if _small_name(old.type):
            value = _create(op, "stablehlo.convert", [value], [old.type]).results[0]
        old.replace_all_uses_with(value)
    op.erase()


def _constant_codes(op: ir.Operation, name: str) -> np.ndarray:
    t = ir.RankedTensorType(op.results[0].type)
    dtype = np.dtype(SMALL_FLOATS[name])
    text = str(op.attributes["value"])
    body = re.match(r"dense<(.*)>\s*:", text, re.S).group(1)
    if body.startswith('"'):
        raise SmallFloatError(op, f"a {name} constant in hexadecimal form is not supported")
    codes = []
    for token in re.findall(r"0x[0-9A-Fa-f]+|[-+]?(?:inf|nan|[0-9][0-9.eE+-]*)", body):
        if token.startswith("0x"):
            codes.append(int(token, 16))
        else:
            codes.append(_code(dtype, float(token)))
    size = int(np.prod(t.shape))
    if len(codes) == 1:
        codes *= size
    return np.array(codes, np.uint8).reshape(t.shape)


def _store_as_codes(op: ir.Operation, small_source: str | None, functions: _Functions,
                    ui8: ir.Type) -> None:
    """``small_source``: the small float type of the operand as it was (an earlier
    rewrite may already have made it ``ui8``)."""
    if op.name == "stablehlo.constant":
        name = _small_name(op.results[0].type)
        codes = _constant_codes(op, name)
        new_type = _with_element(op.results[0].type, ui8)
        attr = ir.DenseElementsAttr.get(codes, type=new_type)
        new = _create(op, "stablehlo.constant", [], [new_type], {"value": attr})
        op.results[0].replace_all_uses_with(new.results[0])
        op.erase()
    elif op.name == "stablehlo.convert":
        source, target = op.operands[0], op.results[0]
        shape = list(ir.RankedTensorType(target.type).shape)
        value = source
        if small_source:
            fn = functions.get("decode", small_source, shape)
            f32_t = _with_element(target.type, ir.F32Type.get())
            value = _create(op, "func.call", [value], [f32_t],
                            {"callee": ir.FlatSymbolRefAttr.get(fn)}).results[0]
        if _small_name(target.type):
            element = ir.RankedTensorType(value.type).element_type
            wide = "f64" if isinstance(element, ir.F64Type) or (
                isinstance(element, ir.IntegerType)) else "f32"
            if str(element) != wide:
                value = _create(op, "stablehlo.convert", [value], [_with_element(
                    value.type, ir.F64Type.get() if wide == "f64" else ir.F32Type.get())]).results[0]
            fn = functions.get("encode", _small_name(target.type), shape, wide)
            value = _create(op, "func.call", [value], [_with_element(target.type, ui8)],
                            {"callee": ir.FlatSymbolRefAttr.get(fn)}).results[0]
        elif value.type != target.type:
            value = _create(op, "stablehlo.convert", [value], [target.type]).results[0]
        target.replace_all_uses_with(value)
        op.erase()
    elif op.name == "stablehlo.bitcast_convert":
        source, target = op.operands[0], op.results[0]
        small = small_source or _small_name(target.type)
        if any(n and ml_dtypes.finfo(SMALL_FLOATS[n]).bits != 8
               for n in (small_source, _small_name(target.type))):
            raise SmallFloatError(op, f"'stablehlo.bitcast_convert' of {small} (narrower than a "
                                  "byte) is not supported on cpu yet")
        source_t = _with_element(source.type, ui8) if small_source else source.type
        target_t = _with_element(target.type, ui8) if _small_name(target.type) else target.type
        if source_t == target_t:
            target.replace_all_uses_with(source)
        else:
            new = _create(op, "stablehlo.bitcast_convert", [source], [target_t])
            target.replace_all_uses_with(new.results[0])
        op.erase()


def _retype(module: ir.Operation, ui8: ir.Type) -> None:
    def visit(op):
        for result in op.results:
            if _small_name(result.type):
                result.set_type(_with_element(result.type, ui8))
        for region in op.regions:
            for block in region.blocks:
                for arg in block.arguments:
                    if _small_name(arg.type):
                        arg.set_type(_with_element(arg.type, ui8))
        if op.name == "func.func":
            ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            fix = lambda ts: [_with_element(t, ui8) if _small_name(t) else t for t in ts]  # noqa: E731
            op.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get(fix(ftype.inputs), fix(ftype.results)))
        return ir.WalkResult.ADVANCE

    module.walk(visit)


@register("hlox-cpu-small-floats",
          "f8/f6/f4 computed in f32 and stored as ui8 codes (ml_dtypes' layout)")
def small_floats(module: ir.Operation, pass_) -> None:
    if not _any_small(module):
        return
    compute: list[ir.Operation] = []
    stored: list[ir.Operation] = []

    def collect(op):
        if _touches_small(op) or (op.name == "func.func" and _small_name_in_signature(op)):
            if op.name in ("stablehlo.constant", "stablehlo.convert",
                           "stablehlo.bitcast_convert"):
                stored.append(op)
            elif op.name not in _MOVES:
                compute.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    ui8 = ir.IntegerType.get_unsigned(8, context=module.context)
    try:
        for op in compute:
            _compute_in_f32(op)
        # the converts _compute_in_f32 added
        stored = []
        module.walk(lambda op: (stored.append(op) if op.name in (
            "stablehlo.constant", "stablehlo.convert", "stablehlo.bitcast_convert")
            and _touches_small(op) else None) or ir.WalkResult.ADVANCE)
        functions = _Functions(module)
        sources = [_small_name(op.operands[0].type) if len(op.operands) else None
                   for op in stored]
        for op, small_source in zip(stored, sources):
            _store_as_codes(op, small_source, functions, ui8)
    except SmallFloatError as error:
        error.op.location.emit_error(f"hlox-cpu-small-floats: {error}")
        pass_.signal_pass_failure()
        return
    _retype(module, ui8)


def _small_name_in_signature(fn: ir.Operation) -> bool:
    ftype = ir.FunctionType(ir.TypeAttr(fn.attributes["function_type"]).value)
    return any(_small_name(t) for t in list(ftype.inputs) + list(ftype.results))


def _any_small(module: ir.Operation) -> bool:
    """Whether a function signature or an op result has a small float type (every
    other value is one of these)."""
    found = []

    def visit(op):
        if any(_small_name(r.type) for r in op.results) or (
                op.name == "func.func" and _small_name_in_signature(op)):
            found.append(op)
            return ir.WalkResult.INTERRUPT
        return ir.WalkResult.ADVANCE

    module.walk(visit)
    return bool(found)
