"""Transformations of closed graphs (:mod:`hlox.frontend.transforms.closed_graphs`),
for the primitives that carry functions (control flow, checkpoint, reduce).

The transformations of a graph are built by tracing the ordinary machinery
over :func:`eval_graph`: :func:`jvp_graph` (forward mode), :func:`batch_graph`
(vmap) and :func:`transpose_graph` (reverse mode, through
:func:`backward_pass`, which evaluates the graph's non-linear part and
transposes its linear part).
"""

from __future__ import annotations

from typing import Any, Sequence

from hlox.frontend import lax
from hlox.frontend.core.tracing import (Graph, ShapedArray, UndefinedPrimal, Var, current_trace,
                                        get_aval, is_undefined_primal, new_trace)
from hlox.frontend.transforms import ad
from hlox.frontend.transforms.ad import LinearTrace, transpose_eqns
from hlox.frontend.transforms.batching import BatchTrace, BatchTracer
from hlox.frontend.transforms.closed_graphs import differentiable, eval_graph, make_graph, zeros


# ---------------------------------------------------------------------------
# Forward mode
# ---------------------------------------------------------------------------


def jvp_graph(graph: Graph, nonzero: Sequence[bool], instantiate: Sequence[bool] | bool = False):
    """The JVP of ``graph``: inputs ``primals + tangents[nonzero]``, outputs
    ``primal outs + tangent outs[out_nonzero]``; returns ``(graph, out_nonzero)``.

    An output tangent is kept if it is not a symbolic zero or ``instantiate``
    asks for it (as zeros), and only for floating-point outputs.
    """
    n_out = len(graph.outvars)
    if isinstance(instantiate, bool):
        instantiate = [instantiate] * n_out
    in_avals = graph.in_avals + [a for a, nz in zip(graph.in_avals, nonzero) if nz]
    n = len(graph.invars)
    out_nonzero: list[bool] = []

    def fun(*xs):
        it = iter(xs[n:])
        tangents = [next(it) if nz else None for nz in nonzero]
        out_p, out_t, _ = ad._jvp_flat(lambda *a: eval_graph(graph, a), list(xs[:n]), tangents)
        kept = []
        for p, t, inst in zip(out_p, out_t, instantiate):
            aval = get_aval(p)
            keep = differentiable(aval) and (t is not None or inst)
            out_nonzero.append(keep)
            if keep:
                kept.append(zeros(aval) if t is None else t)
        return list(out_p) + kept

    _jvp_graph_depth[0] += 1
    try:
        return make_graph(fun, in_avals), out_nonzero
    finally:
        _jvp_graph_depth[0] -= 1


_jvp_graph_depth = [0]  # > 0 while jvp_graph traces a JVP graph


def is_linearizing() -> bool:
    """Whether a JVP rule runs for ``linearize``/``grad`` (tangents are being recorded)."""
    return isinstance(current_trace(), LinearTrace)


def split_primal() -> bool:
    """Whether a control-flow JVP rule must bind its primal outputs separately.

    A primitive computing primal and tangent outputs in one equation is fine
    for forward mode, but reverse mode needs the primal outputs from an
    equation without linear inputs: under ``linearize``, and in JVP graphs
    (which may be transposed later).
    """
    return _jvp_graph_depth[0] > 0 or is_linearizing()


# ---------------------------------------------------------------------------
# Reverse mode
# ---------------------------------------------------------------------------


def linear_outputs(graph: Graph, linear_in: Sequence[bool]) -> list[bool]:
    """Which outputs depend on the inputs marked linear."""
    linear = {v for v, lin in zip(graph.invars, linear_in) if lin}
    for eqn in graph.eqns:
        if any(v in linear for v in eqn.inputs):
            linear.update(eqn.outputs)
    return [v in linear for v in graph.outvars]


def backward_pass(graph: Graph, args: Sequence, cts: Sequence) -> list:
    """Cotangents of the UndefinedPrimal ``args`` of ``graph``, for output cotangents ``cts``.

    Equations without linear inputs are evaluated (the primal part, recomputed
    here); those with linear inputs are transposed with their rules. Output
    cotangents of non-linear outputs are ignored. A cotangent None is a zero.
    """
    env: dict[Var, Any] = dict(graph.consts)
    linear: set[Var] = set()
    for v, a in zip(graph.invars, args):
        if is_undefined_primal(a):
            linear.add(v)
        else:
            env[v] = a
    linear_eqns = []
    for eqn in graph.eqns:
        if any(v in linear for v in eqn.inputs):
            linear.update(eqn.outputs)
            linear_eqns.append(eqn)
        else:
            outs = eqn.primitive.bind(*(env[v] for v in eqn.inputs), **eqn.params)
            env.update(zip(eqn.outputs, outs if eqn.primitive.multiple_results else [outs]))

    ct_env: dict[Var, Any] = {}

    def accumulate(v: Var, ct) -> None:
        if ct is None or v not in linear:
            return
        ct_env[v] = ct if v not in ct_env else lax.add(ct_env[v], ct)

    for v, ct in zip(graph.outvars, cts):
        accumulate(v, ct)
    transpose_eqns(linear_eqns, linear, env, ct_env, accumulate)
    return [ct_env.get(v) for v, a in zip(graph.invars, args) if is_undefined_primal(a)]


def transpose_graph(graph: Graph, linear_in: Sequence[bool], ct_out: Sequence[bool]) -> Graph:
    """A graph ``(known inputs, cotangents of outputs[ct_out]) -> cotangents of the
    linear inputs`` (zeros where there is no dependence)."""
    known_avals = [a for a, lin in zip(graph.in_avals, linear_in) if not lin]
    ct_avals = [a for a, m in zip(graph.out_avals, ct_out) if m]
    nk = len(known_avals)

    def fun(*xs):
        known, cts = iter(xs[:nk]), iter(xs[nk:])
        args = [UndefinedPrimal(a) if lin else next(known)
                for a, lin in zip(graph.in_avals, linear_in)]
        res = backward_pass(graph, args, [next(cts) if m else None for m in ct_out])
        lin_avals = [a for a, lin in zip(graph.in_avals, linear_in) if lin]
        return [zeros(a) if r is None else r for r, a in zip(res, lin_avals)]

    return make_graph(fun, known_avals + ct_avals)


def prune_graph(graph: Graph, keep_in: Sequence[bool], outvars: list[Var]) -> Graph:
    """The part of ``graph`` computing ``outvars`` from the kept inputs only."""
    needed = set(outvars)
    eqns = []
    for eqn in reversed(graph.eqns):
        if any(v in needed for v in eqn.outputs):
            eqns.append(eqn)
            needed.update(eqn.inputs)
    invars = [v for v, k in zip(graph.invars, keep_in) if k]
    dropped = needed & {v for v, k in zip(graph.invars, keep_in) if not k}
    assert not dropped, "prune_graph: an output depends on a dropped input"
    consts = {v: c for v, c in graph.consts.items() if v in needed}
    return Graph(invars, list(outvars), eqns[::-1], consts)


# ---------------------------------------------------------------------------
# Batching
# ---------------------------------------------------------------------------


def batched_call(graph: Graph, args: Sequence, dims: Sequence, size: int,
                 force: Sequence[bool] | bool = True) -> tuple[list, list]:
    """``graph`` applied to ``args`` batched along ``dims`` (0 or None).

    Returns the outputs and their dims; an unbatched output is broadcast
    (dim 0) where ``force`` says so.
    """
    if isinstance(force, bool):
        force = [force] * len(graph.outvars)
    trace = BatchTrace(current_trace(), size)
    ins = [BatchTracer(trace, a) if d is not None else a for a, d in zip(args, dims)]
    with new_trace(trace):
        outs = eval_graph(graph, ins)
    vals, out_dims = [], []
    for o, f in zip(outs, force):
        if isinstance(o, BatchTracer) and o._trace is trace:
            vals.append(o.val)
            out_dims.append(0)
        elif f:
            aval = get_aval(o)
            vals.append(lax.broadcast_in_dim(o, (size,) + aval.shape,
                                             tuple(range(1, aval.ndim + 1))))
            out_dims.append(0)
        else:
            vals.append(o)
            out_dims.append(None)
    return vals, out_dims


def batch_avals(avals: Sequence[ShapedArray], dims: Sequence, size: int) -> list[ShapedArray]:
    return [a if d is None else a.update(shape=(size,) + a.shape) for a, d in zip(avals, dims)]


def batch_graph(graph: Graph, dims: Sequence, size: int,
                force: Sequence[bool] | bool = True) -> tuple[Graph, list]:
    """``graph`` batched along ``dims``; returns the graph and its output dims."""
    out_dims: list = []

    def fun(*xs):
        vals, ds = batched_call(graph, xs, dims, size, force)
        out_dims.extend(ds)
        return vals

    return make_graph(fun, batch_avals(graph.in_avals, dims, size)), out_dims


def bcast_front(x, size: int):
    """``x`` with a new leading axis of ``size``."""
    aval = get_aval(x)
    return lax.broadcast_in_dim(x, (size,) + aval.shape, tuple(range(1, aval.ndim + 1)))
