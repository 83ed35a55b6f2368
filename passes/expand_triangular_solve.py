"""hlox-stablehlo-expand-triangular-solve (Python pass): ``triangular_solve`` as
substitution, row by row, in a ``stablehlo.while``.

``op(a) x = b`` (``left_side``) or ``x op(a) = b`` is first brought to ``m x' = r``
with ``m`` triangular: transposing ``a`` (``TRANSPOSE``; ``ADJOINT`` also conjugates)
swaps lower and upper, and the right-side form is the left-side one on transposes
(``x op(a) = b`` <=> ``op(a)^T x^T = b^T``). Only ``m``'s triangle is read (the spec
ignores the other one; with ``unit_diagonal`` the diagonal is taken as 1). Row ``i``
of ``x'`` is then ``(r_i - m_i . x') / m_ii``: the rows not solved yet are zero, so
the dot product sees only the solved ones (forward substitution for a lower ``m``,
backward for an upper one), as LAPACK's trsm does. Batch dimensions stay batch
dimensions of every op.

The op becomes a call of a private function written for its types.
"""

from __future__ import annotations

import re

from mlir import ir

from hlox.passes.python_passes import register

def _tensor(dims, element: str) -> str:
    return f"tensor<{''.join(f'{d}x' for d in dims)}{element}>"


def _solver_text(name: str, a_type: ir.RankedTensorType, b_type: ir.RankedTensorType,
                 left: bool, lower: bool, unit: bool, transpose: str) -> str:
    element = str(a_type.element_type)
    is_complex = isinstance(a_type.element_type, ir.ComplexType)
    batch = list(a_type.shape[:-2])
    n = a_type.shape[-1]
    nb = len(batch)
    rank = nb + 2
    bdims = list(range(nb))
    swap = bdims + [nb + 1, nb]
    b_shape = list(b_type.shape)
    # m x' = r: m = op(a) (left) or op(a)^T (right)
    transpose_m = (transpose != "NO_TRANSPOSE") != (not left)
    conjugate_m = transpose == "ADJOINT" and is_complex
    lower_m = lower != transpose_m
    r_shape = b_shape if left else b_shape[:-2] + [b_shape[-1], b_shape[-2]]
    k = r_shape[-1]
    a_t, b_t, r_t = _tensor(a_type.shape, element), _tensor(b_shape, element), \
        _tensor(r_shape, element)
    pred_t = _tensor(a_type.shape, "i1")
    idx_t = _tensor(a_type.shape, "i64")
    row_t, brow_t = _tensor(batch + [1, n], element), _tensor(batch + [1, k], element)
    diag_t = _tensor(batch + [1, 1], element)
    zero_lit = "(0.0, 0.0)" if is_complex else "0.0"
    part = str(ir.ComplexType(a_type.element_type).element_type) if is_complex else element

    lines = [f"func.func private @{name}(%a: {a_t}, %b: {b_t}) -> {b_t} {{"]
    emit = lines.append
    m = "%a"
    if transpose_m:
        emit(f"  %at = stablehlo.transpose %a, dims = {swap} : ({a_t}) -> {a_t}")
        m = "%at"
    if conjugate_m:
        part_t = _tensor(a_type.shape, part)
        emit(f"  %re = stablehlo.real {m} : ({a_t}) -> {part_t}")
        emit(f"  %im = stablehlo.imag {m} : ({a_t}) -> {part_t}")
        emit(f"  %nim = stablehlo.negate %im : {part_t}")
        emit(f"  %conj = stablehlo.complex %re, %nim : {a_t}")
        m = "%conj"
    # the strict triangle of m, zeros elsewhere (the diagonal is read separately)
    emit(f"  %rows = stablehlo.iota dim = {nb} : {idx_t}")
    emit(f"  %cols = stablehlo.iota dim = {nb + 1} : {idx_t}")
    emit(f"  %strict = stablehlo.compare {'GT' if lower_m else 'LT'}, %rows, %cols : "
         f"({idx_t}, {idx_t}) -> {pred_t}")
    emit(f"  %zeros_a = stablehlo.constant dense<{zero_lit}> : {a_t}")
    emit(f"  %tri = stablehlo.select %strict, {m}, %zeros_a : {pred_t}, {a_t}")
    r = "%b"
    if not left:
        emit(f"  %bt = stablehlo.transpose %b, dims = {swap} : ({b_t}) -> {r_t}")
        r = "%bt"
    emit(f"  %x0 = stablehlo.constant dense<{zero_lit}> : {r_t}")
    emit("  %start = stablehlo.constant dense<0> : tensor<i64>")
    emit("  %one = stablehlo.constant dense<1> : tensor<i64>")
    emit(f"  %n = stablehlo.constant dense<{n}> : tensor<i64>")
    emit("  %last = stablehlo.constant dense<" + str(n - 1) + "> : tensor<i64>")
    emit("  %z = stablehlo.constant dense<0> : tensor<i64>")
    emit(f"  %done, %x = stablehlo.while(%s = %start, %acc = %x0) : tensor<i64>, {r_t}")
    emit("  cond {")
    emit("    %more = stablehlo.compare LT, %s, %n : (tensor<i64>, tensor<i64>) -> tensor<i1>")
    emit("    stablehlo.return %more : tensor<i1>")
    emit("  } do {")
    emit("    %i = stablehlo.subtract %last, %s : tensor<i64>" if not lower_m else
         "    %i = stablehlo.add %s, %z : tensor<i64>")
    zeros_b = ", ".join(["%z"] * nb)
    lead = zeros_b + ", " if nb else ""
    emit(f"    %row = stablehlo.dynamic_slice %tri, {lead}%i, %z, sizes = {batch + [1, n]} : "
         f"({a_t}, {', '.join(['tensor<i64>'] * rank)}) -> {row_t}")
    emit(f"    %dot = stablehlo.dot_general %row, %acc, batching_dims = {bdims} x {bdims}, "
         f"contracting_dims = [{nb + 1}] x [{nb}] : ({row_t}, {r_t}) -> {brow_t}"
         if nb else
         f"    %dot = stablehlo.dot_general %row, %acc, contracting_dims = [1] x [0] : "
         f"({row_t}, {r_t}) -> {brow_t}")
    emit(f"    %rhs = stablehlo.dynamic_slice {r}, {lead}%i, %z, sizes = {batch + [1, k]} : "
         f"({r_t}, {', '.join(['tensor<i64>'] * rank)}) -> {brow_t}")
    emit(f"    %diff = stablehlo.subtract %rhs, %dot : {brow_t}")
    if unit:
        solved = "%diff"
    else:
        emit(f"    %d = stablehlo.dynamic_slice {m}, {lead}%i, %i, sizes = {batch + [1, 1]} : "
             f"({a_t}, {', '.join(['tensor<i64>'] * rank)}) -> {diag_t}")
        emit(f"    %dk = stablehlo.broadcast_in_dim %d, dims = {list(range(rank))} : "
             f"({diag_t}) -> {brow_t}")
        emit(f"    %xi = stablehlo.divide %diff, %dk : {brow_t}")
        solved = "%xi"
    emit(f"    %next = stablehlo.dynamic_update_slice %acc, {solved}, {lead}%i, %z : "
         f"({r_t}, {brow_t}, {', '.join(['tensor<i64>'] * rank)}) -> {r_t}")
    emit("    %s1 = stablehlo.add %s, %one : tensor<i64>")
    emit(f"    stablehlo.return %s1, %next : tensor<i64>, {r_t}")
    emit("  }")
    if not left:
        emit(f"  %xt = stablehlo.transpose %x, dims = {swap} : ({r_t}) -> {b_t}")
        emit(f"  return %xt : {b_t}")
    else:
        emit(f"  return %x : {b_t}")
    emit("}")
    return "\n".join(lines)


def _bool(op: ir.Operation, name: str) -> bool:
    return ir.BoolAttr(op.attributes[name]).value


def _transpose_kind(op: ir.Operation) -> str:
    """NO_TRANSPOSE, TRANSPOSE or ADJOINT (``#stablehlo<transpose KIND>``)."""
    return re.search(r"transpose\s+(\w+)", str(op.attributes["transpose_a"])).group(1)


@register("hlox-stablehlo-expand-triangular-solve",
          "triangular_solve -> a private function solving row by row in a while loop")
def expand_triangular_solve(module: ir.Operation, pass_) -> None:
    found: list[ir.Operation] = []

    def collect(op):
        if op.name == "stablehlo.triangular_solve":
            found.append(op)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    body = module.regions[0].blocks[0]
    for number, op in enumerate(found):
        a, b = op.operands
        a_type, b_type = ir.RankedTensorType(a.type), ir.RankedTensorType(b.type)
        if not (a_type.has_static_shape and b_type.has_static_shape):
            op.location.emit_error("hlox-stablehlo-expand-triangular-solve: "
                                   "'stablehlo.triangular_solve' needs static shapes")
            pass_.signal_pass_failure()
            return
        name = f"__hlox_triangular_solve_{number}"
        text = _solver_text(name, a_type, b_type, _bool(op, "left_side"), _bool(op, "lower"),
                            _bool(op, "unit_diagonal"), _transpose_kind(op))
        solver = ir.Module.parse(text, context=module.context)
        func = solver.body.operations[0].operation
        func.detach_from_parent()
        ir.InsertionPoint(body).insert(func)
        with ir.InsertionPoint(op), op.location:
            call = ir.Operation.create("func.call", results=[b.type], operands=[a, b],
                                       attributes={"callee": ir.FlatSymbolRefAttr.get(name)})
        op.results[0].replace_all_uses_with(call.results[0])
        op.erase()
