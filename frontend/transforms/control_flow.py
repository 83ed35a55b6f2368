"""Control flow (``hlox.lax``): cond, switch, while_loop, fori_loop, scan, map.

Three primitives carry their functions as closed sub-graphs
(:mod:`hlox.frontend.transforms.subgraphs`), each declared here in one place with its
abstract evaluation, StableHLO lowering, eager implementation, JVP,
transpose and batching rules:

    cond   operands (index, *args); params branches      -> stablehlo.case
    while  operands (*cond_consts, *body_consts, *carry)   -> stablehlo.while
    scan   operands (*consts, *init, *xs)                  -> stablehlo.while over an
           index, slicing xs and filling ys with dynamic_(update_)slice, ``unroll``
           bodies per iteration

Reverse mode follows JAX: under ``linearize`` a JVP rule binds the primal
primitive on the primal values and a second, "tangent" primitive whose graph
is the JVP graph; transposing that one evaluates the primal part again (for
scan: a forward scan saves the primal carry of every step) and transposes
the linear part. ``while_loop`` has no transpose (its trip count is dynamic),
as in JAX; ``fori_loop`` with static bounds is a scan, so it has one.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from mlir import ir

from hlox.frontend.core import tracing as core
from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.lax.base import _batch_size
from hlox.frontend.core.tracing import Graph, Primitive, ShapedArray, Tracer, get_aval, shape_error
from hlox.frontend.core.emit import dense_attr, emit_graph, require_op, tensor_type
from hlox.frontend.lax.structural import concatenate, slice_in_dim
from hlox.frontend.transforms.batching import vmap
from hlox.frontend.transforms.closed_graphs import (make_graph, nonzero_tangent, permute,
                                                    trace_closed, with_inputs, zeros)
from hlox.frontend.transforms.subgraphs import (backward_pass, batch_graph, batched_call,
                                                bcast_front, is_linearizing, jvp_graph,
                                                linear_outputs, prune_graph, split_primal,
                                                transpose_graph)
from hlox._pytree import tree_flatten, tree_unflatten

__all__ = ["cond", "switch", "while_loop", "fori_loop", "scan", "map"]

_INDEX = ShapedArray((), np.int32)


def _avals_str(avals) -> str:
    return "(" + ", ".join(a.str_short() for a in avals) + ")"


def _same_types(a: Sequence[ShapedArray], b: Sequence[ShapedArray]) -> bool:
    return len(a) == len(b) and all(x.shape == y.shape and x.dtype == y.dtype
                                    for x, y in zip(a, b))


_eager_cache: dict = {}  # structural key -> compiled function, for eager control flow
_EAGER_CACHE_SIZE = 64


def _graph_consts(graph: Graph):
    """The constants of ``graph`` and of its nested graphs, in a fixed order."""
    for value in graph.consts.values():
        yield value
    for eqn in graph.eqns:
        for param in eqn.params.values():
            for g in param if isinstance(param, tuple) else (param,):
                if isinstance(g, Graph):
                    yield from _graph_consts(g)


def _structural_key(primitive: Primitive, params: dict):
    """A key equal for equal programs: the printed graphs and their constants' bytes.

    Each eager call traces its functions anew, so graph identity would never hit.
    """
    parts = [primitive.name]
    for name, value in sorted(params.items()):
        graphs = value if isinstance(value, tuple) and value and \
            isinstance(value[0], Graph) else (value,)
        for v in graphs:
            if isinstance(v, Graph):
                consts = (np.asarray(c) for c in _graph_consts(v))
                parts.append((name, v.pretty(), tuple((c.dtype.str, c.shape, c.tobytes())
                                                      for c in consts)))
            else:
                parts.append((name, v))
    return tuple(parts)


def impl_by_jit(primitive: Primitive):
    """Eager evaluation: compile the primitive alone and run it (as JAX does)."""
    def impl(*args, **params):
        key = _structural_key(primitive, params)
        fn = _eager_cache.get(key)
        if fn is None:
            if len(_eager_cache) >= _EAGER_CACHE_SIZE:
                _eager_cache.pop(next(iter(_eager_cache)))
            fn = _eager_cache[key] = core.compile_eagerly(
                lambda *xs: primitive.bind(*xs, **params), primitive.name)
        return list(fn(*args))
    core.impl_rules.register(primitive)(impl)


def _constant(value: np.ndarray) -> ir.Value:
    aval = ShapedArray(value.shape, value.dtype)
    return ir.Operation.create("stablehlo.constant", results=[tensor_type(aval)],
                               attributes={"value": dense_attr(value, aval)}).result


def _region_block(op: ir.Operation, index: int, avals: Sequence[ShapedArray]) -> ir.Block:
    return op.regions[index].blocks.append(*(tensor_type(a) for a in avals))


def _return(values) -> None:
    ir.Operation.create("stablehlo.return", operands=list(values))


# ===========================================================================
# cond: operands (index, *args), params branches (graphs of the same type)
# ===========================================================================

cond_p = Primitive("cond", multiple_results=True)


@cond_p.def_abstract_eval
def _cond_abstract_eval(index, *args, branches):
    if index.shape != () or index.dtype != np.int32:
        raise shape_error("cond", "the branch index must be an int32 scalar", index)
    for i, branch in enumerate(branches):
        if not _same_types(branch.in_avals, args):
            raise shape_error("cond", f"branch {i} takes {_avals_str(branch.in_avals)}",
                              *args)
        if not _same_types(branch.out_avals, branches[0].out_avals):
            raise shape_error("cond", f"branch {i} returns {_avals_str(branch.out_avals)} but "
                              f"branch 0 returns {_avals_str(branches[0].out_avals)}", *args)
    return [a.update(weak_type=all(b.out_avals[i].weak_type for b in branches))
            for i, a in enumerate(branches[0].out_avals)]


@cond_p.def_lowering
def _cond_lower(ctx, index, *args, branches):
    require_op("stablehlo.case", "cond")
    op = ir.Operation.create("stablehlo.case", results=[tensor_type(a) for a in ctx.avals_out],
                             operands=[index], regions=len(branches))
    for i, branch in enumerate(branches):
        with ir.InsertionPoint(_region_block(op, i, [])):
            _return(emit_graph(branch, list(args)))
    return list(op.results)


impl_by_jit(cond_p)


@cond_p.def_jvp
def _cond_jvp(primals, tangents, *, branches):
    index, args = primals[0], primals[1:]
    nonzero = [nonzero_tangent(t, get_aval(a)) for t, a in zip(tangents[1:], args)]
    n_out = len(branches[0].outvars)
    if not any(nonzero):
        return cond_p.bind(index, *args, branches=branches), [None] * n_out
    # Output tangents that any branch makes nonzero are instantiated in all of them.
    out_nz = [False] * n_out
    for branch in branches:
        out_nz = [a or b for a, b in zip(out_nz, jvp_graph(branch, nonzero)[1])]
    jvp_branches = tuple(jvp_graph(b, nonzero, out_nz)[0] for b in branches)
    nz_tangents = [t for t, nz in zip(tangents[1:], nonzero) if nz]
    full = cond_p.bind(index, *args, *nz_tangents, branches=jvp_branches)
    out = cond_p.bind(index, *args, branches=branches) if split_primal() else full[:n_out]
    it = iter(full[n_out:])
    return out, [next(it) if nz else None for nz in out_nz]


@cond_p.def_transpose
def _cond_transpose(cts, index, *args, branches):
    if core.is_undefined_primal(index):
        raise TypeError("cond: the branch index cannot be linear")
    linear = [core.is_undefined_primal(a) for a in args]
    # Only outputs that depend on linear inputs in some branch take cotangents.
    ct_mask = [False] * len(cts)
    for branch in branches:
        ct_mask = [a or b for a, b in zip(ct_mask, linear_outputs(branch, linear))]
    t_branches = tuple(transpose_graph(b, linear, ct_mask) for b in branches)
    known = [a for a, lin in zip(args, linear) if not lin]
    outs = iter(cond_p.bind(index, *known, *(c for c, m in zip(cts, ct_mask) if m),
                            branches=t_branches))
    return [None] + [next(outs) if lin else None for lin in linear]


@cond_p.def_batching
def _cond_batching(values, dims, *, branches):
    index, args = values[0], values[1:]
    arg_dims = dims[1:]
    size = _batch_size(values, dims)
    if dims[0] is not None:
        # A batched index: every branch runs, and select picks each element's result.
        outs = [batched_call(b, args, arg_dims, size)[0] for b in branches]
        result = outs[-1]
        for i in range(len(branches) - 2, -1, -1):
            is_i = lax.eq(index, np.full((size,), i, np.int32))
            result = [lax.select(lax.broadcast_in_dim(is_i, get_aval(o).shape, (0,)), o, r)
                      for o, r in zip(outs[i], result)]
        return result, [0] * len(result)
    b_branches = tuple(batch_graph(b, arg_dims, size)[0] for b in branches)
    outs = cond_p.bind(index, *args, branches=b_branches)
    return outs, [0] * len(outs)


# ---------------------------------------------------------------------------
# Tracing functions into sub-graphs
# ---------------------------------------------------------------------------


def _trace_branches(funs: Sequence[Callable], operands: tuple, name: str,
                    labels: Sequence[str]):
    """Traces each ``fun(*operands)``; returns closed graphs with common inputs
    ``(captured values of all branches..., operands...)``, the captured values,
    and the output tree."""
    flat, in_tree = tree_flatten(operands)
    avals = [get_aval(x) for x in flat]
    traced = []
    for i, fun in enumerate(funs):
        out_tree = []

        def flat_fun(*xs, fun=fun, out_tree=out_tree):
            out, tree = tree_flatten(fun(*tree_unflatten(in_tree, list(xs))))
            out_tree.append(tree)
            return out

        graph, captured, _ = trace_closed(flat_fun, avals)
        traced.append((graph, captured, out_tree[0]))
    trees = [t[2] for t in traced]
    for i, tree in enumerate(trees[1:], 1):
        if tree != trees[0]:
            raise TypeError(f"{name}: {labels[i]} returns the structure {tree!r} but "
                            f"{labels[0]} returns {trees[0]!r}; all branches must return the "
                            f"same pytree structure{_where()}")
    _check_branch_outputs(traced, name, labels)
    # Common inputs: every branch's captured values, then the operands.
    all_captured = [c for _, captured, _ in traced for c in captured]
    graphs = []
    for i, (graph, captured, _) in enumerate(traced):
        n = len(captured)
        before = sum(len(t[1]) for t in traced[:i])
        pad_before = [core.Var(get_aval(c)) for c in all_captured[:before]]
        pad_after = [core.Var(get_aval(c)) for c in all_captured[before + n:]]
        graphs.append(with_inputs(graph, pad_before + graph.invars[:n] + pad_after
                                  + graph.invars[n:]))
    return tuple(graphs), all_captured, trees[0]


def _where() -> str:
    where = core.user_source_info()
    return f"\n  called from {where}" if where else ""


def _check_branch_outputs(traced, name: str, labels: Sequence[str]) -> None:
    """Branch outputs must have one shape and dtype (only weak_type may differ), as in
    JAX; the error names the branches and both types."""
    out_avals = [t[0].out_avals for t in traced]
    for i, first in enumerate(out_avals[0]):
        for b, o in enumerate(out_avals[1:], 1):
            if o[i].shape != first.shape or o[i].dtype != first.dtype:
                raise TypeError(
                    f"{name}: the branches must return the same types, but output {i} "
                    f"differs: {labels[0]} returns {first.str_short()}; {labels[b]} returns "
                    f"{o[i].str_short()}{_where()}")


# ---------------------------------------------------------------------------
# cond and switch: the API
# ---------------------------------------------------------------------------


def switch(index, branches: Sequence[Callable], *operands):
    """Applies ``branches[index](*operands)`` (``jax.lax.switch``).

    ``index`` is clamped to ``[0, len(branches) - 1]``, as in JAX.
    """
    branches = list(branches)
    if not branches:
        raise ValueError("switch: branches must be a non-empty sequence of functions")
    for b in branches:
        if not callable(b):
            raise TypeError(f"switch: branches must be callables, got {type(b).__name__}")
    aval = get_aval(index)
    if aval.shape != () or not np.issubdtype(aval.dtype, np.integer):
        raise TypeError(f"switch: the index must be an integer scalar, got "
                        f"{aval.str_short()}{_where()}")
    index = lax.convert_element_type(index, np.int32)
    if len(branches) == 1:
        return branches[0](*operands)
    lo, hi = np.int32(0), np.int32(len(branches) - 1)
    index = lax.select(lax.lt(index, lo), lo, index)
    index = lax.select(lax.gt(index, hi), hi, index)
    labels = [f"branches[{i}]" for i in range(len(branches))]
    return _bind_cond(index, branches, operands, "switch", labels)


def cond(pred, true_fun: Callable, false_fun: Callable, *operands):
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)`` (``jax.lax.cond``).

    Both branches are traced and must return the same types; only one runs.
    """
    if not (callable(true_fun) and callable(false_fun)):
        raise TypeError("cond: true_fun and false_fun must be callables")
    aval = get_aval(pred)
    if aval.shape != ():
        raise TypeError(f"cond: the predicate must be a scalar, got {aval.str_short()}"
                        f"{_where()}")
    if aval.dtype != dtypes.bool_:
        if not (np.issubdtype(aval.dtype, np.number)):
            raise TypeError(f"cond: the predicate must be bool or a number, got {aval.dtype}")
        pred = lax.ne(pred, np.zeros((), aval.dtype))
    index = lax.convert_element_type(pred, np.int32)
    return _bind_cond(index, [false_fun, true_fun], operands, "cond", ["false_fun", "true_fun"])


def _bind_cond(index, funs, operands, name, labels):
    graphs, captured, out_tree = _trace_branches(funs, operands, name, labels)
    flat = tree_flatten(operands)[0]
    outs = cond_p.bind(index, *captured, *flat, branches=graphs)
    return tree_unflatten(out_tree, outs)


# ===========================================================================
# while: operands (*cond_consts, *body_consts, *carry)
# ===========================================================================

while_p = Primitive("while", multiple_results=True)


def _while_split(args, cond_nconsts, body_nconsts):
    return (args[:cond_nconsts], args[cond_nconsts:cond_nconsts + body_nconsts],
            args[cond_nconsts + body_nconsts:])


@while_p.def_abstract_eval
def _while_abstract_eval(*args, cond_graph, body_graph, cond_nconsts, body_nconsts):
    _, _, carry = _while_split(args, cond_nconsts, body_nconsts)
    if not _same_types(body_graph.out_avals, carry):
        raise shape_error("while", f"the body returns {_avals_str(body_graph.out_avals)} for "
                          f"a carry of {_avals_str(carry)}", *carry)
    (pred,) = cond_graph.out_avals
    if pred.shape != () or pred.dtype != dtypes.bool_:
        raise shape_error("while", f"the condition must return a bool scalar, not "
                          f"{pred.str_short()}", *carry)
    return [a.update(weak_type=a.weak_type and b.weak_type)
            for a, b in zip(carry, body_graph.out_avals)]


@while_p.def_lowering
def _while_lower(ctx, *args, cond_graph, body_graph, cond_nconsts, body_nconsts):
    require_op("stablehlo.while", "while")
    cconsts, bconsts, carry = _while_split(list(args), cond_nconsts, body_nconsts)
    avals = ctx.avals_out
    op = ir.Operation.create("stablehlo.while", results=[tensor_type(a) for a in avals],
                             operands=carry, regions=2)
    block = _region_block(op, 0, avals)
    with ir.InsertionPoint(block):
        _return(emit_graph(cond_graph, cconsts + list(block.arguments)))
    block = _region_block(op, 1, avals)
    with ir.InsertionPoint(block):
        _return(emit_graph(body_graph, bconsts + list(block.arguments)))
    return list(op.results)


impl_by_jit(while_p)


@while_p.def_jvp
def _while_jvp(primals, tangents, *, cond_graph, body_graph, cond_nconsts, body_nconsts):
    params = dict(cond_graph=cond_graph, body_graph=body_graph, cond_nconsts=cond_nconsts,
                  body_nconsts=body_nconsts)
    nz = [nonzero_tangent(t, get_aval(p)) for t, p in zip(tangents, primals)]
    _, bconst_nz, carry_nz = _while_split(nz, cond_nconsts, body_nconsts)
    if not any(bconst_nz) and not any(carry_nz):
        return while_p.bind(*primals, **params), [None] * len(carry_nz)
    if is_linearizing():
        _no_reverse_mode()
    carry_nz = _carry_fixed_point(body_graph, bconst_nz, carry_nz)
    n_c, n_k = body_nconsts, len(carry_nz)
    jvp_body, _ = jvp_graph(body_graph, bconst_nz + carry_nz, carry_nz)
    n_bt = sum(bconst_nz)
    # jvp_body inputs: bconsts, carry, bconst tangents, carry tangents -> consts first.
    order = (list(range(n_c)) + list(range(n_c + n_k, n_c + n_k + n_bt))
             + list(range(n_c, n_c + n_k)) + list(range(n_c + n_k + n_bt, len(jvp_body.invars))))
    jvp_body = permute(jvp_body, order)
    carry_t_avals = [a for a, m in zip(body_graph.out_avals, carry_nz) if m]
    jvp_cond = with_inputs(cond_graph, cond_graph.invars + [core.Var(a) for a in carry_t_avals])
    cconsts, bconsts, carry = _while_split(list(primals), cond_nconsts, body_nconsts)
    _, bconst_t, carry_t = _while_split(list(tangents), cond_nconsts, body_nconsts)
    bconst_t = [t for t, m in zip(bconst_t, bconst_nz) if m]
    carry_t = [zeros(get_aval(p)) if t is None else t
               for t, p, m in zip(carry_t, carry, carry_nz) if m]
    outs = while_p.bind(*cconsts, *bconsts, *bconst_t, *carry, *carry_t, cond_graph=jvp_cond,
                        body_graph=jvp_body, cond_nconsts=cond_nconsts,
                        body_nconsts=n_c + n_bt)
    it = iter(outs[n_k:])
    return outs[:n_k], [next(it) if m else None for m in carry_nz]


def _no_reverse_mode(*_, **__):
    raise TypeError(
        "Reverse-mode differentiation does not work for lax.while_loop or lax.fori_loop "
        "with dynamic start/stop values (the number of iterations is only known at run "
        "time). Try lax.scan, or lax.fori_loop with static (Python int) bounds; forward "
        f"mode (jvp, jacfwd) works.{_where()}")


# A while inside a JVP graph (say in a scan body) is only found out when transposed.
while_p.def_transpose(_no_reverse_mode)


def _carry_fixed_point(body: Graph, const_nz: list, carry_nz: list, n_ys: int = 0,
                       xs_nz: list = ()) -> list:
    """Carry positions with a nonzero tangent: the least fixed point of the body."""
    carry_nz = list(carry_nz)
    while True:
        _, out_nz = jvp_graph(body, list(const_nz) + carry_nz + list(xs_nz))
        new = [a or b for a, b in zip(carry_nz, out_nz[:len(carry_nz)])]
        if new == carry_nz:
            return carry_nz
        carry_nz = new


@while_p.def_batching
def _while_batching(values, dims, *, cond_graph, body_graph, cond_nconsts, body_nconsts):
    size = _batch_size(values, dims)
    cconsts, bconsts, carry = _while_split(list(values), cond_nconsts, body_nconsts)
    cc_d, bc_d, carry_d = _while_split(list(dims), cond_nconsts, body_nconsts)
    carry_b = [d is not None for d in carry_d]
    while True:  # which carries end up batched
        _, out_d = batch_graph(body_graph, bc_d + [0 if b else None for b in carry_b], size,
                               force=False)
        new = [b or d is not None for b, d in zip(carry_b, out_d)]
        if new == carry_b:
            break
        carry_b = new
    _, (pred_d,) = batch_graph(cond_graph, cc_d + [0 if b else None for b in carry_b], size,
                               force=False)
    if pred_d is not None:
        carry_b = [True] * len(carry_b)
    carry = [bcast_front(c, size) if b and d is None else c
             for c, b, d in zip(carry, carry_b, carry_d)]
    k_d = [0 if b else None for b in carry_b]
    k_avals = [get_aval(c) for c in carry]
    if pred_d is None:
        b_cond, _ = batch_graph(cond_graph, cc_d + k_d, size, force=False)
        b_body, _ = batch_graph(body_graph, bc_d + k_d, size, force=carry_b)
        outs = while_p.bind(*cconsts, *bconsts, *carry, cond_graph=b_cond, body_graph=b_body,
                            cond_nconsts=cond_nconsts, body_nconsts=body_nconsts)
        return outs, k_d
    # A batched predicate: loop while any element's holds; the others keep their carry.
    cc_avals = [get_aval(c) for c in cconsts]
    bc_avals = [get_aval(c) for c in bconsts]
    n_cc, n_bc = len(cconsts), len(bconsts)

    def any_pred(*xs):
        (pred,), _ = batched_call(cond_graph, xs, cc_d + k_d, size)
        count = lax.reduce_sum(lax.convert_element_type(pred, np.int32), (0,))
        return [lax.gt(count, np.int32(0))]

    def masked_body(*xs):
        cc, bc, k = xs[:n_cc], xs[n_cc:n_cc + n_bc], xs[n_cc + n_bc:]
        (pred,), _ = batched_call(cond_graph, list(cc) + list(k), cc_d + k_d, size)
        new, _ = batched_call(body_graph, list(bc) + list(k), bc_d + k_d, size)
        return [lax.select(lax.broadcast_in_dim(pred, get_aval(n).shape, (0,)), n, old)
                for n, old in zip(new, k)]

    b_cond = make_graph(any_pred, cc_avals + k_avals)
    b_body = make_graph(masked_body, cc_avals + bc_avals + k_avals)
    outs = while_p.bind(*cconsts, *cconsts, *bconsts, *carry, cond_graph=b_cond,
                        body_graph=b_body, cond_nconsts=n_cc, body_nconsts=n_cc + n_bc)
    return outs, k_d


def _trace_loop_body(fun: Callable, const_avals_fn, carry_avals: list[ShapedArray],
                     in_tree, x_avals: list[ShapedArray], name: str, carry_what: str,
                     split_out=None):
    """Traces a loop body ``(carry, x) -> carry (, y)`` until its carry type is stable.

    A weakly typed initial carry (a Python scalar) takes the dtype the body
    returns, as in JAX; any other mismatch is an error naming both types.
    Returns ``(graph, captured, carry_avals, out_trees)``.
    """
    for _ in range(3):
        trees = []

        def flat_fun(*xs):
            carry = tree_unflatten(in_tree, list(xs[:len(carry_avals)]))
            out = fun(carry, list(xs[len(carry_avals):]))
            flat_carry, carry_tree, rest, rest_tree = split_out(out)
            trees.append((carry_tree, rest_tree))
            return flat_carry + rest

        graph, captured, _ = trace_closed(flat_fun, carry_avals + x_avals)
        carry_tree, rest_tree = trees[0]
        if carry_tree != in_tree:
            raise TypeError(f"{name}: {carry_what} must have the same structure as the "
                            f"initial carry: got {carry_tree!r}, expected {in_tree!r}{_where()}")
        outs = graph.out_avals[:len(carry_avals)]
        if _same_types(outs, carry_avals) and all(
                o.weak_type == c.weak_type or not c.weak_type for o, c in zip(outs, carry_avals)):
            return graph, captured, carry_avals, trees[0]
        new_avals = []
        for i, (o, c) in enumerate(zip(outs, carry_avals)):
            if o.shape != c.shape or (o.dtype != c.dtype and not c.weak_type):
                raise TypeError(f"{name}: {carry_what} must have the same types as the initial "
                                f"carry, but carry leaf {i} is {c.str_short()} and the body "
                                f"returns {o.str_short()}{_where()}")
            new_avals.append(c if o.dtype == c.dtype and o.weak_type == c.weak_type
                             else o.update(weak_type=o.weak_type and c.weak_type))
        carry_avals = new_avals
    raise TypeError(f"{name}: the carry type does not settle{_where()}")


def _cast_carry(values, avals):
    out = []
    for v, a in zip(values, avals):
        va = get_aval(v)
        if va.dtype != a.dtype or va.weak_type != a.weak_type:
            v = lax.convert_element_type(v, a.dtype, a.weak_type)
        out.append(v)
    return out


def while_loop(cond_fun: Callable, body_fun: Callable, init_val):
    """``val = init_val; while cond_fun(val): val = body_fun(val)`` (``jax.lax.while_loop``)."""
    flat, in_tree = tree_flatten(init_val)
    avals = [get_aval(x) for x in flat]

    def split_out(out):
        leaves, tree = tree_flatten(out)
        return leaves, tree, [], None

    body, body_captured, avals, _ = _trace_loop_body(
        lambda c, _: body_fun(c), None, avals, in_tree, [], "while_loop",
        "body_fun's output", split_out)
    cond_trees = []

    def cond_flat(*xs):
        out = cond_fun(tree_unflatten(in_tree, list(xs)))
        leaves, tree = tree_flatten(out)
        cond_trees.append(leaves)
        return leaves

    cond_graph, cond_captured, _ = trace_closed(cond_flat, avals)
    outs = cond_graph.out_avals
    if len(outs) != 1 or outs[0].shape != () or outs[0].dtype != dtypes.bool_:
        raise TypeError(f"while_loop: cond_fun must return a bool scalar, got "
                        f"{_avals_str(outs)}{_where()}")
    flat = _cast_carry(flat, avals)
    out = while_p.bind(*cond_captured, *body_captured, *flat, cond_graph=cond_graph,
                       body_graph=body, cond_nconsts=len(cond_captured),
                       body_nconsts=len(body_captured))
    return tree_unflatten(in_tree, out)


# ===========================================================================
# scan: operands (*consts, *init, *xs); outputs (*carry, *ys)
# ===========================================================================

scan_p = Primitive("scan", multiple_results=True)


def _scan_split(args, num_consts, num_carry):
    return (list(args[:num_consts]), list(args[num_consts:num_consts + num_carry]),
            list(args[num_consts + num_carry:]))


@scan_p.def_abstract_eval
def _scan_abstract_eval(*args, body, length, reverse, unroll, num_consts, num_carry):
    consts, carry, xs = _scan_split(args, num_consts, num_carry)
    for x in xs:
        if x.ndim == 0 or x.shape[0] != length:
            raise shape_error("scan", f"every xs must have leading dimension {length}", *xs)
    x_avals = [x.update(shape=x.shape[1:]) for x in xs]
    if not _same_types(body.in_avals, consts + carry + x_avals):
        raise shape_error("scan", f"the body takes {_avals_str(body.in_avals)}", *args)
    outs = body.out_avals
    if not _same_types(outs[:num_carry], carry):
        raise shape_error("scan", f"the body returns carry {_avals_str(outs[:num_carry])} for "
                          f"{_avals_str(carry)}", *carry)
    return [c.update(weak_type=c.weak_type and o.weak_type)
            for c, o in zip(carry, outs[:num_carry])] + \
        [y.update(shape=(length,) + y.shape) for y in outs[num_carry:]]


def _scalar_op(name: str, *operands) -> ir.Value:
    return ir.Operation.create(name, results=[operands[0].type], operands=list(operands)).result


@scan_p.def_lowering
def _scan_lower(ctx, *args, body, length, reverse, unroll, num_consts, num_carry):
    """A stablehlo.while over (i, carry, ys) running ``unroll`` steps per iteration (the body
    emitted that many times), then the ``length % unroll`` remaining steps straight-line,
    as JAX does; ``unroll == 0`` or one trip of exactly ``unroll`` steps is a full unroll.
    Step s slices xs at s (at ``length - 1 - s`` if ``reverse``) and stores its y there.
    """
    for op_name in ("stablehlo.while", "stablehlo.dynamic_slice",
                    "stablehlo.dynamic_update_slice", "stablehlo.compare"):
        require_op(op_name, "scan")
    consts, carry, xs = _scan_split(list(args), num_consts, num_carry)
    _, _, x_avals = _scan_split(ctx.avals_in, num_consts, num_carry)
    out_avals = ctx.avals_out
    carry_avals, ys_avals = out_avals[:num_carry], out_avals[num_carry:]
    ys = [_constant(np.zeros(a.shape, a.dtype)) for a in ys_avals]
    trips, remainder = divmod(length, unroll) if unroll else (0, length)
    if trips == 1 and remainder == 0:
        trips, remainder = 0, length

    def step(s: ir.Value, k: list, ys: list) -> tuple[list, list]:
        """One scan step at step number ``s`` (an int32 scalar): the body and its y."""
        at = _scalar_op("stablehlo.subtract", _constant(np.array(length - 1, np.int32)), s) \
            if reverse else s
        zero = _constant(np.zeros((), np.int32))
        x_slices = []
        for x, a in zip(xs, x_avals):
            piece = ir.Operation.create(
                "stablehlo.dynamic_slice", results=[tensor_type(a.update(shape=(1,) + a.shape[1:]))],
                operands=[x, at] + [zero] * (a.ndim - 1),
                attributes={"slice_sizes": ir.DenseI64ArrayAttr.get([1] + list(a.shape[1:]))})
            x_slices.append(ir.Operation.create(
                "stablehlo.reshape", results=[tensor_type(a.update(shape=a.shape[1:]))],
                operands=[piece.result]).result)
        outs = emit_graph(body, consts + k + x_slices)
        new_ys = []
        for acc, y, a in zip(ys, outs[num_carry:], ys_avals):
            y1 = ir.Operation.create("stablehlo.reshape", results=[tensor_type(
                a.update(shape=(1,) + a.shape[1:]))], operands=[y]).result
            new_ys.append(ir.Operation.create(
                "stablehlo.dynamic_update_slice", results=[tensor_type(a)],
                operands=[acc, y1, at] + [zero] * (a.ndim - 1)).result)
        return outs[:num_carry], new_ys

    if trips:
        loop_avals = [_INDEX] + list(carry_avals) + list(ys_avals)
        op = ir.Operation.create("stablehlo.while", results=[tensor_type(a) for a in loop_avals],
                                 operands=[_constant(np.zeros((), np.int32))] + carry + ys,
                                 regions=2)
        block = _region_block(op, 0, loop_avals)
        with ir.InsertionPoint(block):
            bound = _constant(np.array(trips * unroll, np.int32))
            _return([ir.Operation.create("stablehlo.compare", results=[tensor_type(
                ShapedArray((), dtypes.bool_))], operands=[block.arguments[0], bound],
                attributes={
                    "comparison_direction": ir.Attribute.parse(
                        "#stablehlo<comparison_direction LT>"),
                    "compare_type": ir.Attribute.parse("#stablehlo<comparison_type SIGNED>")}
            ).result])
        block = _region_block(op, 1, loop_avals)
        with ir.InsertionPoint(block):
            i = block.arguments[0]  # the first step of this trip
            k = list(block.arguments[1:1 + num_carry])
            loop_ys = list(block.arguments[1 + num_carry:])
            for j in range(unroll):
                s = _scalar_op("stablehlo.add", i, _constant(np.array(j, np.int32))) if j else i
                k, loop_ys = step(s, k, loop_ys)
            _return([_scalar_op("stablehlo.add", i, _constant(np.array(unroll, np.int32)))]
                    + k + loop_ys)
        results = list(op.results)
        carry, ys = results[1:1 + num_carry], results[1 + num_carry:]
    for s in range(trips * unroll, length):
        carry, ys = step(_constant(np.array(s, np.int32)), carry, ys)
    return carry + ys


impl_by_jit(scan_p)


def _scan_params(body, length, reverse, unroll, num_consts, num_carry):
    return dict(body=body, length=length, reverse=reverse, unroll=unroll,
                num_consts=num_consts, num_carry=num_carry)


@scan_p.def_jvp
def _scan_jvp(primals, tangents, *, body, length, reverse, unroll, num_consts, num_carry):
    params = _scan_params(body, length, reverse, unroll, num_consts, num_carry)
    nz = [nonzero_tangent(t, get_aval(p)) for t, p in zip(tangents, primals)]
    c_nz, k_nz, x_nz = _scan_split(nz, num_consts, num_carry)
    n_y = len(body.outvars) - num_carry
    if not any(nz):
        return scan_p.bind(*primals, **params), [None] * (num_carry + n_y)
    k_nz = _carry_fixed_point(body, c_nz, k_nz, n_y, x_nz)
    jvp_body, out_nz = jvp_graph(body, c_nz + k_nz + x_nz, k_nz + [False] * n_y)
    y_nz = out_nz[num_carry:]
    n_c, n_k, n_x = num_consts, num_carry, len(x_nz)
    n_ct, n_kt = sum(c_nz), sum(k_nz)
    base = n_c + n_k + n_x
    # jvp_body inputs: consts, carry, xs, consts_t, carry_t, xs_t; outputs: carry, ys,
    # carry_t, ys_t. A scan body wants consts, carry, xs / carry, ys.
    in_order = (list(range(n_c)) + list(range(base, base + n_ct))
                + list(range(n_c, n_c + n_k)) + list(range(base + n_ct, base + n_ct + n_kt))
                + list(range(n_c + n_k, base)) + list(range(base + n_ct + n_kt,
                                                           len(jvp_body.invars))))
    n_yt = sum(y_nz)
    out_order = (list(range(n_k)) + list(range(n_k + n_y, n_k + n_y + n_kt))
                 + list(range(n_k, n_k + n_y)) + list(range(n_k + n_y + n_kt,
                                                            n_k + n_y + n_kt + n_yt)))
    jvp_body = permute(jvp_body, in_order, out_order)
    consts, carry, xs = _scan_split(list(primals), num_consts, num_carry)
    c_t, k_t, x_t = _scan_split(list(tangents), num_consts, num_carry)
    c_t = [t for t, m in zip(c_t, c_nz) if m]
    k_t = [zeros(get_aval(p)) if t is None else t for t, p, m in zip(k_t, carry, k_nz) if m]
    x_t = [t for t, m in zip(x_t, x_nz) if m]
    full = scan_p.bind(*consts, *c_t, *carry, *k_t, *xs, *x_t,
                       **_scan_params(jvp_body, length, reverse, unroll, n_c + n_ct, n_k + n_kt))
    if split_primal():
        out = scan_p.bind(*primals, **params)
    else:
        out = full[:n_k] + full[n_k + n_kt:n_k + n_kt + n_y]
    k_tan, y_tan = iter(full[n_k:n_k + n_kt]), iter(full[n_k + n_kt + n_y:])
    return out, ([next(k_tan) if m else None for m in k_nz]
                 + [next(y_tan) if m else None for m in y_nz])


@scan_p.def_transpose
def _scan_transpose(cts, *args, body, length, reverse, unroll, num_consts, num_carry):
    lin = [core.is_undefined_primal(a) for a in args]
    consts, carry, xs = _scan_split(list(args), num_consts, num_carry)
    c_lin, k_lin, x_lin = _scan_split(lin, num_consts, num_carry)
    # A carry is linear if the body makes it so, even when its initial value is
    # known (a JVP rule's instantiated zero tangent): treat that zero as linear.
    while True:
        out_lin = linear_outputs(body, c_lin + k_lin + x_lin)
        new = [a or b for a, b in zip(k_lin, out_lin[:num_carry])]
        if new == k_lin:
            break
        k_lin = new
    carry = [core.UndefinedPrimal(get_aval(c)) if l and not core.is_undefined_primal(c) else c
             for c, l in zip(carry, k_lin)]
    lin = c_lin + k_lin + x_lin
    ct_carry, ct_ys = cts[:num_carry], cts[num_carry:]
    y_lin = out_lin[num_carry:]
    n_c, n_k = num_consts, num_carry
    body_known = [not v for v in lin]
    # 1. A forward scan of the known (primal) carries, saving the carry of every step.
    k_known_vars = [v for v, l in zip(body.invars[n_c:n_c + n_k], k_lin) if not l]
    known_outs = [v for v, l in zip(body.outvars[:n_k], k_lin) if not l]
    known_body = prune_graph(body, body_known, known_outs + k_known_vars)
    known_consts = [c for c, l in zip(consts, c_lin) if not l]
    known_carry = [c for c, l in zip(carry, k_lin) if not l]
    known_xs = [x for x, l in zip(xs, x_lin) if not l]
    stacked = []
    if k_known_vars:
        res = scan_p.bind(*known_consts, *known_carry, *known_xs, **_scan_params(
            known_body, length, reverse, unroll, len(known_consts), len(known_carry)))
        stacked = res[len(known_carry):]
    # 2. The transposed body, run the other way: known values and output cotangents in,
    # cotangents of the linear carry (carried), consts (accumulated) and xs (ys) out.
    lin_c_avals = [a.aval for a, l in zip(consts, c_lin) if l]
    lin_k_avals = [a.aval for a, l in zip(carry, k_lin) if l]
    x_avals = [get_aval(x).update(shape=get_aval(x).shape[1:]) if not l
               else x.aval.update(shape=x.aval.shape[1:]) for x, l in zip(xs, x_lin)]
    ct_y_avals = [a for a, l in zip(body.out_avals[n_k:], y_lin) if l]
    kc_avals = [get_aval(c) for c in known_consts]
    kk_avals = [v.aval for v in k_known_vars]
    kx_avals = [a for a, l in zip(x_avals, x_lin) if not l]
    n_kc, n_lk, n_lc = len(kc_avals), len(lin_k_avals), len(lin_c_avals)
    n_kk, n_kx = len(kk_avals), len(kx_avals)

    def t_body(*vals):
        it = iter(vals)
        kc = [next(it) for _ in range(n_kc)]
        ct_k = [next(it) for _ in range(n_lk)]
        acc_c = [next(it) for _ in range(n_lc)]
        kk = [next(it) for _ in range(n_kk)]
        kx = [next(it) for _ in range(n_kx)]
        ct_y = list(it)
        kc_it, kk_it, kx_it = iter(kc), iter(kk), iter(kx)
        b_args = ([core.UndefinedPrimal(body.in_avals[i]) if l else next(kc_it)
                   for i, l in enumerate(c_lin)]
                  + [core.UndefinedPrimal(body.in_avals[n_c + i]) if l else next(kk_it)
                     for i, l in enumerate(k_lin)]
                  + [core.UndefinedPrimal(body.in_avals[n_c + n_k + i]) if l else next(kx_it)
                     for i, l in enumerate(x_lin)])
        ctk_it, cty_it = iter(ct_k), iter(ct_y)
        b_cts = ([next(ctk_it) if l else None for l in k_lin]
                 + [next(cty_it) if l else None for l in y_lin])
        res = backward_pass(body, b_args, b_cts)
        lin_avals = [a for a, l in zip(body.in_avals, lin) if l]
        res = [zeros(a) if r is None else r for r, a in zip(res, lin_avals)]
        r_c, r_k, r_x = res[:n_lc], res[n_lc:n_lc + n_lk], res[n_lc + n_lk:]
        return r_k + [lax.add(a, r) for a, r in zip(acc_c, r_c)] + r_x

    t_graph = make_graph(t_body, kc_avals + lin_k_avals + lin_c_avals + kk_avals + kx_avals
                         + ct_y_avals)
    ct_k_init = [c for c, l in zip(ct_carry, k_lin) if l]
    acc_init = [zeros(a) for a in lin_c_avals]
    ct_ys_lin = [c for c, l in zip(ct_ys, y_lin) if l]
    outs = scan_p.bind(*known_consts, *ct_k_init, *acc_init, *stacked, *known_xs, *ct_ys_lin,
                       **_scan_params(t_graph, length, not reverse, unroll, n_kc,
                                      n_lk + n_lc))
    ct_k_it = iter(outs[:n_lk])
    ct_c_it = iter(outs[n_lk:n_lk + n_lc])
    ct_x_it = iter(outs[n_lk + n_lc:])
    cts_in = ([next(ct_c_it) if l else None for l in c_lin]
              + [next(ct_k_it) if l else None for l in k_lin]
              + [next(ct_x_it) if l else None for l in x_lin])
    return [ct if core.is_undefined_primal(a) else None for ct, a in zip(cts_in, args)]


def _moveaxis01(x):
    nd = get_aval(x).ndim
    return lax.transpose(x, (1, 0) + tuple(range(2, nd)))


@scan_p.def_batching
def _scan_batching(values, dims, *, body, length, reverse, unroll, num_consts, num_carry):
    size = _batch_size(values, dims)
    consts, carry, xs = _scan_split(list(values), num_consts, num_carry)
    c_d, k_d, x_d = _scan_split(list(dims), num_consts, num_carry)
    n_y = len(body.outvars) - num_carry
    carry_b = [d is not None for d in k_d]
    x_dims = [0 if d is not None else None for d in x_d]  # of a slice x[i]
    while True:
        _, out_d = batch_graph(body, c_d + [0 if b else None for b in carry_b] + x_dims, size,
                               force=False)
        new = [b or d is not None for b, d in zip(carry_b, out_d[:num_carry])]
        if new == carry_b:
            break
        carry_b = new
    k_dims = [0 if b else None for b in carry_b]
    b_body, _ = batch_graph(body, c_d + k_dims + x_dims, size, force=carry_b + [True] * n_y)
    carry = [bcast_front(c, size) if b and d is None else c
             for c, b, d in zip(carry, carry_b, k_d)]
    xs = [_moveaxis01(x) if d is not None else x for x, d in zip(xs, x_d)]
    outs = scan_p.bind(*consts, *carry, *xs, **_scan_params(
        b_body, length, reverse, unroll, num_consts, num_carry))
    return outs[:num_carry] + [_moveaxis01(y) for y in outs[num_carry:]], k_dims + [0] * n_y


# ---------------------------------------------------------------------------
# scan, fori_loop and map: the API
# ---------------------------------------------------------------------------


def scan(f: Callable, init, xs=None, length: int | None = None, reverse: bool = False,
         unroll: int | bool = 1, _split_transpose: bool = False):
    """Loops ``f(carry, x) -> (carry, y)`` over the leading axis of ``xs`` (``jax.lax.scan``).

    Returns ``(final carry, stacked ys)``; ``xs=None`` needs ``length``.
    ``reverse`` runs from the end (ys keep xs's order). ``unroll``: steps per
    loop iteration (the body is emitted that many times, the remainder after
    the loop); ``True`` or ``0`` unrolls fully, ``False`` is 1.
    """
    if not callable(f):
        raise TypeError(f"scan: f must be callable, got {type(f).__name__}")
    if isinstance(unroll, Tracer) or not isinstance(unroll, (bool, int, np.integer)):
        raise TypeError(f"scan: unroll must be a concrete int or bool, got {unroll!r}{_where()}")
    x_flat, x_tree = tree_flatten(xs)
    lengths = {get_aval(x).shape[0] for x in x_flat if get_aval(x).ndim > 0}
    for x in x_flat:
        if get_aval(x).ndim == 0:
            raise ValueError(f"scan: every leaf of xs must have a leading axis to scan over, "
                             f"got a scalar{_where()}")
    if length is not None:
        length = int(length)
        if lengths and lengths != {length}:
            raise ValueError(f"scan: length={length} but xs have leading axis sizes "
                             f"{sorted(lengths)}{_where()}")
    elif len(lengths) == 1:
        length = lengths.pop()
    elif not lengths:
        raise ValueError(f"scan: xs is None (or empty), so pass length=...{_where()}")
    else:
        raise ValueError(f"scan: the leaves of xs have different leading axis sizes "
                         f"{sorted(lengths)}{_where()}")
    if isinstance(unroll, bool):
        unroll = max(length, 1) if unroll else 1
    if unroll < 0:
        raise ValueError(f"scan: unroll must be a bool or a non-negative int, got "
                         f"{unroll}{_where()}")
    init_flat, in_tree = tree_flatten(init)
    carry_avals = [get_aval(c) for c in init_flat]
    x_avals = [get_aval(x).update(shape=get_aval(x).shape[1:]) for x in x_flat]

    def split_out(out):
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError(f"scan: f must return a pair (carry, y), got "
                            f"{type(out).__name__}{_where()}")
        carry_leaves, carry_tree = tree_flatten(out[0])
        y_leaves, y_tree = tree_flatten(out[1])
        return carry_leaves, carry_tree, y_leaves, y_tree

    def body(carry, x_leaves):
        return f(carry, tree_unflatten(x_tree, x_leaves))

    graph, captured, carry_avals, (_, y_tree) = _trace_loop_body(
        body, None, carry_avals, in_tree, x_avals, "scan", "f's carry output", split_out)
    init_flat = _cast_carry(init_flat, carry_avals)
    outs = scan_p.bind(*captured, *init_flat, *x_flat, **_scan_params(
        graph, length, bool(reverse), int(unroll), len(captured), len(init_flat)))
    n = len(init_flat)
    return tree_unflatten(in_tree, outs[:n]), tree_unflatten(y_tree, outs[n:])


def _is_static_int(x) -> bool:
    return not isinstance(x, Tracer) and np.ndim(x) == 0 and \
        np.issubdtype(np.asarray(x).dtype, np.integer)


def fori_loop(lower, upper, body_fun: Callable, init_val, *, unroll: int | bool | None = None):
    """``val = init_val; for i in range(lower, upper): val = body_fun(i, val)``
    (``jax.lax.fori_loop``).

    With Python-int (static) bounds this is a ``scan``, so it is reverse-mode
    differentiable; with traced bounds it is a ``while_loop`` (forward mode only).
    """
    for name, bound in (("lower", lower), ("upper", upper)):
        aval = get_aval(bound)
        if aval.shape != () or not np.issubdtype(aval.dtype, np.integer):
            raise TypeError(f"fori_loop: {name} must be an integer scalar, got "
                            f"{aval.str_short()}{_where()}")
    dtype = dtypes.result_type((get_aval(lower).dtype, get_aval(lower).weak_type),
                               (get_aval(upper).dtype, get_aval(upper).weak_type))[0]
    if _is_static_int(lower) and _is_static_int(upper):
        lo, hi = int(lower), int(upper)

        def step(carry, _):
            i, x = carry
            return (lax.add(i, np.ones((), dtype)), body_fun(i, x)), None

        (_, out), _ = scan(step, (np.array(lo, dtype), init_val), None,
                           length=max(hi - lo, 0), unroll=False if unroll is None else unroll)
        return out
    if unroll is not None and unroll is not False and unroll != 1:
        raise ValueError(f"fori_loop: unroll needs static (Python int) loop bounds{_where()}")
    lower = lax.convert_element_type(lower, dtype)
    upper = lax.convert_element_type(upper, dtype)

    def cond_fun(carry):
        return lax.lt(carry[0], carry[1])

    def body(carry):
        i, hi, x = carry
        return lax.add(i, np.ones((), dtype)), hi, body_fun(i, x)

    return while_loop(cond_fun, body, (lower, upper, init_val))[2]


def map(f: Callable, xs, *, batch_size: int | None = None):  # noqa: A001  (jax.lax.map)
    """``f`` applied to each slice of ``xs`` along its leading axis, stacked (``jax.lax.map``).

    With ``batch_size``, as JAX: a scan over full batches of ``batch_size`` slices, each
    vmapped, then one vmapped call on the remaining ``n % batch_size`` slices.
    """
    if batch_size is None:
        return scan(lambda c, x: (c, f(x)), (), xs)[1]

    leaves, tree = tree_flatten(xs)
    if not leaves:
        return scan(lambda c, x: (c, f(x)), (), xs)[1]
    n = get_aval(leaves[0]).shape[0]
    if int(batch_size) < 0:
        raise ValueError(f"map: batch_size must be non-negative, got {batch_size}{_where()}")
    batches, remainder = divmod(n, int(batch_size)) if batch_size else (0, n)
    full = batches * int(batch_size)
    parts = []
    if batches:
        shaped = tree_unflatten(tree, [
            lax.reshape(slice_in_dim(x, 0, full) if remainder else x,
                        (batches, int(batch_size)) + get_aval(x).shape[1:]) for x in leaves])
        _, ys = scan(lambda c, x: (c, vmap(f)(x)), (), shaped)
        y_leaves, y_tree = tree_flatten(ys)
        parts.append([lax.reshape(y, (full,) + get_aval(y).shape[2:]) for y in y_leaves])
    if remainder:
        rest = tree_unflatten(tree, [slice_in_dim(x, full, n) for x in leaves])
        y_leaves, y_tree = tree_flatten(vmap(f)(rest))
        parts.append(y_leaves)
    if len(parts) == 1:
        return tree_unflatten(y_tree, parts[0])
    return tree_unflatten(y_tree, [concatenate(list(ys), 0) for ys in zip(*parts)])
