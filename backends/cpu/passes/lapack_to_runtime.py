"""hlox-cpu-lapack-to-runtime (Python pass): JAX's LAPACK custom calls as calls of the runtime library.

``stablehlo.custom_call @lapack_<p><op>_ffi`` (p in s, d, c, z; op potrf, trsm,
getrf, geqrf, orgqr/ungqr, syevd/heevd, gesdd: what ``jax.numpy.linalg`` and
``hlox.lax.linalg`` emit on CPU) becomes a call of ``hlox_rt_lapack_<op>_<p>`` in
``libhlox_cpu_runtime.so`` (``backends/cpu/runtime/lapack.cpp``), which runs
scipy's LAPACK, as jaxlib does: a placeholder call on tensors, made a call on
buffers by ``hlox-cpu-runtime-calls-on-buffers`` (:mod:`.runtime_calls`; results
are fresh buffers: the calls' output-operand aliases are an optimization, not
semantics); ``mhlo.backend_config``'s characters (uplo, side, trans_x, diag,
mode) become i64 arguments. The layouts must be JAX's (matrices column-major,
batch dimensions major): others are refused, as is a wrong operand count or
type. Registers scipy's routines with the library (an error if scipy is missing).
"""

from __future__ import annotations

import re

from mlir import ir
from mlir.dialects import arith

from hlox.backends.cpu import runtime_library
from hlox.backends.cpu.passes.runtime_calls import call_on_tensors
from hlox.passes.python_passes import register

_TARGET = re.compile(r"lapack_([sdcz])(potrf|trsm|getrf|geqrf|orgqr|ungqr|syevd|heevd|gesdd)_ffi")
# op -> (number of operands, number of results, backend_config keys passed, in order)
_SIGNATURES = {
    "potrf": (1, 2, ("uplo",)),
    "trsm": (2, 1, ("side", "uplo", "trans_x", "diag")),
    "getrf": (1, 3, ()),
    "geqrf": (1, 2, ()),
    "orgqr": (2, 1, ()),
    "syevd": (1, 3, ("mode", "uplo")),
    "gesdd": (1, 5, ("mode",)),
}
_DEFAULTS = {"uplo": "L", "side": "L", "trans_x": "N", "diag": "N", "mode": "V"}
_ELEMENT = {"s": "f32", "d": "f64", "c": "complex<f32>", "z": "complex<f64>"}


class _Refused(Exception):
    pass


def _custom_calls(op: ir.Operation, found: list) -> None:
    for region in op.regions:
        for block in region.blocks:
            for child in block.operations:
                child = child.operation
                if child.name == "stablehlo.custom_call":
                    found.append(child)
                _custom_calls(child, found)


def _layout_ok(layouts, index: int, rank: int, matrix: bool) -> bool:
    if layouts is None:
        return False
    values = [int(v) for v in ir.DenseIntElementsAttr(ir.ArrayAttr(layouts)[index])]
    expected = list(range(rank - 1, -1, -1))
    if matrix:
        expected = [rank - 2, rank - 1] + list(range(rank - 3, -1, -1))
    return values == expected


def _config(op: ir.Operation) -> dict:
    if "mhlo.backend_config" not in op.attributes:
        return {}
    config = ir.DictAttr(op.attributes["mhlo.backend_config"])
    out = {}
    for key in _DEFAULTS:
        if key in config:
            out[key] = ir.IntegerAttr(config[key]).value
    return out


def _check(op: ir.Operation, kind: str, prefix: str) -> None:
    n_in, n_out, _ = _SIGNATURES[kind]
    if len(op.operands) != n_in or len(op.results) != n_out:
        raise _Refused(f"takes {n_in} operands and gives {n_out} results, this call has "
                       f"{len(op.operands)} and {len(op.results)}")
    values = list(op.operands) + list(op.results)
    for v in values:
        if not isinstance(v.type, ir.RankedTensorType):
            raise _Refused(f"needs ranked tensors, got {v.type}")
    batch = ir.RankedTensorType(op.operands[0].type).rank - 2
    if batch < 0:
        raise _Refused(f"needs a matrix operand, got {op.operands[0].type}")
    element = ir.RankedTensorType(op.operands[0].type).element_type
    if str(element) != _ELEMENT[prefix]:
        raise _Refused(f"needs {_ELEMENT[prefix]} matrices, got {element}")
    for group, start, attr in ((op.operands, 0, "operand_layouts"),
                               (op.results, 0, "result_layouts")):
        layouts = op.attributes[attr] if attr in op.attributes else None
        for i, v in enumerate(group):
            rank = ir.RankedTensorType(v.type).rank
            if not _layout_ok(layouts, i, rank, rank == batch + 2):
                raise _Refused(f"needs JAX's layouts (column-major matrices) in {attr}; "
                               f"{'none given' if layouts is None else 'got ' + str(layouts)}")


def _rewrite(op: ir.Operation, module: ir.Operation, counter: list) -> None:
    target = ir.StringAttr(op.attributes["call_target_name"]).value
    prefix, kind = _TARGET.fullmatch(target).groups()
    kind = {"ungqr": "orgqr", "heevd": "syevd"}.get(kind, kind)
    _check(op, kind, prefix)
    config = _config(op)
    i64 = ir.IntegerType.get_signless(64)
    with ir.InsertionPoint(op), op.location:
        scalars = [arith.constant(i64, config.get(key, ord(_DEFAULTS[key])))
                   for key in _SIGNATURES[kind][2]]
        results = call_on_tensors(module, f"hlox_rt_lapack_{kind}_{prefix}",
                                  list(op.operands) + scalars, [r.type for r in op.results],
                                  counter)
    for old, new in zip(op.results, results):
        old.replace_all_uses_with(new)
    op.erase()


@register("hlox-cpu-lapack-to-runtime",
          "JAX's lapack_*_ffi custom calls (potrf, trsm, getrf, geqrf, orgqr, syevd, gesdd) as "
          "calls of hlox_rt_lapack_* in the cpu runtime library (scipy's LAPACK)")
def lapack_to_runtime(module: ir.Operation, pass_) -> None:
    found: list = []
    _custom_calls(module, found)
    calls = [op for op in found
             if _TARGET.fullmatch(ir.StringAttr(op.attributes["call_target_name"]).value)]
    if not calls:
        return
    runtime_library.register_lapack()
    counter = [0]
    failed = False
    for op in calls:
        try:
            _rewrite(op, module, counter)
        except _Refused as refusal:
            target = ir.StringAttr(op.attributes["call_target_name"]).value
            op.location.emit_error(f"hlox-cpu-lapack-to-runtime: custom_call @{target} {refusal}")
            failed = True
    if failed:
        pass_.signal_pass_failure()
