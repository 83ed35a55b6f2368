"""``checkpoint``/``remat`` with JAX's saving policies, and ``checkpoint_name``.

``checkpoint(f, policy=...)`` traces ``f`` to a closed sub-graph and binds
``remat`` on it. Forward, it is just the graph (emitted inline). Under
``grad`` the JVP rule splits ``f``'s JVP graph the way JAX's partial
evaluation does: a forward ``remat`` computes the outputs plus the
*residuals*, the intermediates the backward pass needs that ``policy`` says
may be saved; a tangent ``remat`` takes the inputs, those residuals and the
tangents, and holds every other intermediate the backward pass needs, so its
transpose recomputes them there instead of storing them. With no policy (or
``nothing_saveable``) only the inputs are saved, as in JAX.

A policy is JAX's callable ``policy(primitive, *avals, **params) -> bool``,
asked for each forward equation of the JVP graph; ``checkpoint_policies``
holds JAX's ready-made ones, and ``checkpoint_name(x, name)`` tags a value
for the name-based ones.
"""

from __future__ import annotations

import functools
import inspect
import types
from typing import Callable, Sequence

from hlox.frontend.core import tracing as core
from hlox.frontend.lax.base import _batch_size
from hlox.frontend.core.tracing import Graph, Primitive, get_aval
from hlox.frontend.core.emit import emit_graph
from hlox.frontend.lax.base import dot_general_p
from hlox.frontend.lax.convolution import conv_general_dilated_p
from hlox.frontend.transforms.closed_graphs import eval_graph, nonzero_tangent, trace_closed
from hlox.frontend.transforms.subgraphs import (backward_pass, batch_graph, jvp_graph, prune_graph,
                                                split_primal)
from hlox._pytree import flatten_call, tree_map, tree_unflatten

__all__ = ["checkpoint", "remat", "checkpoint_name", "checkpoint_policies"]

# ---------------------------------------------------------------------------
# name: an identity that tags a value for save_only_these_names & co.
# ---------------------------------------------------------------------------

name_p = Primitive("name")
name_p.def_abstract_eval(lambda x, *, name: x)
name_p.def_lowering(lambda ctx, x, *, name: [x])
name_p.def_impl(lambda x, *, name: x)
# The tangent is not named (as in JAX): only the primal value is a residual candidate.
name_p.def_jvp(lambda primals, tangents, *, name: (name_p.bind(primals[0], name=name),
                                                    tangents[0]))
name_p.def_batching(lambda values, dims, *, name: (name_p.bind(values[0], name=name), dims[0]))


def checkpoint_name(x, name: str):
    """``x`` (a pytree) tagged with ``name`` for the checkpoint policies
    (``jax.ad_checkpoint.checkpoint_name``); the identity otherwise."""
    return tree_map(lambda leaf: name_p.bind(leaf, name=name), x)


# ---------------------------------------------------------------------------
# Policies: policy(primitive, *avals, **params) -> whether its outputs may be saved
# ---------------------------------------------------------------------------


def everything_saveable(*_, **__) -> bool:
    return True


def nothing_saveable(*_, **__) -> bool:
    return False


def dots_saveable(prim, *_, **__) -> bool:
    """Matrix products and convolutions are saved; everything else is recomputed."""
    return prim is dot_general_p or prim is conv_general_dilated_p


def dots_with_no_batch_dims_saveable(prim, *_, **params) -> bool:
    """Only dot_generals without batch dimensions are saved."""
    if prim is not dot_general_p:
        return False
    (_, _), (lhs_batch, rhs_batch) = params["dimension_numbers"]
    return not lhs_batch and not rhs_batch


def save_only_these_names(*names: str) -> Callable[..., bool]:
    """Saves only the values tagged (``checkpoint_name``) with one of ``names``."""
    allowed = frozenset(names)
    return lambda prim, *_, **params: prim is name_p and params["name"] in allowed


def save_any_names_but_these(*names: str) -> Callable[..., bool]:
    """Saves every tagged value except those named ``names``; untagged ones are recomputed."""
    excluded = frozenset(names)
    return lambda prim, *_, **params: prim is name_p and params["name"] not in excluded


def save_from_both_policies(policy_1: Callable, policy_2: Callable) -> Callable[..., bool]:
    """Saves what either policy saves."""
    def policy(prim, *avals, **params):
        return bool(policy_1(prim, *avals, **params)) or bool(policy_2(prim, *avals, **params))
    return policy


checkpoint_policies = types.SimpleNamespace(
    everything_saveable=everything_saveable,
    nothing_saveable=nothing_saveable,
    dots_saveable=dots_saveable,
    checkpoint_dots=dots_saveable,
    dots_with_no_batch_dims_saveable=dots_with_no_batch_dims_saveable,
    checkpoint_dots_with_no_batch_dims=dots_with_no_batch_dims_saveable,
    save_only_these_names=save_only_these_names,
    save_any_names_but_these=save_any_names_but_these,
    save_from_both_policies=save_from_both_policies)

# ---------------------------------------------------------------------------
# remat: operands (*captured, *args); params graph, prevent_cse, policy
# ---------------------------------------------------------------------------

remat_p = Primitive("remat", multiple_results=True)


@remat_p.def_abstract_eval
def _remat_abstract_eval(*avals, graph, prevent_cse, policy):
    return graph.out_avals


@remat_p.def_lowering
def _remat_lower(ctx, *args, graph, prevent_cse, policy):
    return emit_graph(graph, list(args))


@remat_p.def_impl
def _remat_impl(*args, graph, prevent_cse, policy):
    return eval_graph(graph, args)


def _split_residuals(jvp: Graph, n_primals: int, n_out: int, policy) -> tuple[Graph, Graph, int]:
    """Splits a JVP graph ``(primals, tangents) -> (outs, tangent outs)`` in two:
    ``forward: primals -> (outs, residuals)`` and ``tangent: (primals, residuals, tangents)
    -> tangent outs``.

    Walking back from the tangent outputs, a forward (tangent-free) value the tangent
    side needs is a residual if ``policy`` saves the equation that made it; otherwise
    that equation is recomputed on the tangent side (and its inputs are needed in turn).
    """
    linear = set(jvp.invars[n_primals:])
    producer = {}
    for eqn in jvp.eqns:
        if any(v in linear for v in eqn.inputs):
            linear.update(eqn.outputs)
        for v in eqn.outputs:
            producer[v] = eqn

    def saveable(eqn) -> bool:
        return policy is not None and bool(
            policy(eqn.primitive, *(v.aval for v in eqn.inputs), **eqn.params))

    needed, residuals, seen = set(), set(), set()
    stack = list(jvp.outvars[n_out:])
    while stack:
        v = stack.pop()
        eqn = producer.get(v)
        if v in seen or eqn is None:  # an input or a constant: at hand on both sides
            continue
        seen.add(v)
        if v not in linear and saveable(eqn):
            residuals.add(v)
        elif id(eqn) not in needed:
            needed.add(id(eqn))
            stack.extend(eqn.inputs)
    order = [v for eqn in jvp.eqns for v in eqn.outputs if v in residuals]
    primal_in = [True] * n_primals + [False] * (len(jvp.invars) - n_primals)
    forward = prune_graph(jvp, primal_in, jvp.outvars[:n_out] + order)
    eqns = [e for e in jvp.eqns if id(e) in needed]
    used = {v for e in eqns for v in e.inputs} | set(jvp.outvars[n_out:])
    tangent = Graph(jvp.invars[:n_primals] + order + jvp.invars[n_primals:],
                    jvp.outvars[n_out:], eqns,
                    {v: c for v, c in jvp.consts.items() if v in used})
    return forward, tangent, len(order)


@remat_p.def_jvp
def _remat_jvp(primals, tangents, *, graph, prevent_cse, policy):
    params = dict(prevent_cse=prevent_cse, policy=policy)
    nonzero = [nonzero_tangent(t, get_aval(p)) for t, p in zip(tangents, primals)]
    n_out = len(graph.outvars)
    if not any(nonzero):
        return remat_p.bind(*primals, graph=graph, **params), [None] * n_out
    jvp, out_nz = jvp_graph(graph, nonzero)
    nz_tangents = [t for t, nz in zip(tangents, nonzero) if nz]
    if split_primal():  # for reverse mode: residuals as the policy says, the rest recomputed
        forward, tangent, n_res = _split_residuals(jvp, len(primals), n_out, policy)
        outs = remat_p.bind(*primals, graph=forward, **params)
        out, residuals = outs[:n_out], outs[n_out:]
        tangent_outs = remat_p.bind(*primals, *residuals, *nz_tangents, graph=tangent, **params)
    else:
        full = remat_p.bind(*primals, *nz_tangents, graph=jvp, **params)
        out, tangent_outs = full[:n_out], full[n_out:]
    it = iter(tangent_outs)
    return out, [next(it) if nz else None for nz in out_nz]


@remat_p.def_transpose
def _remat_transpose(cts, *args, graph, prevent_cse, policy):
    # Recomputes the forward values the tangent graph holds here, in the backward pass.
    res = iter(backward_pass(graph, args, cts))
    return [next(res) if core.is_undefined_primal(a) else None for a in args]


@remat_p.def_batching
def _remat_batching(values, dims, *, graph, prevent_cse, policy):
    size = _batch_size(values, dims)
    b_graph, out_dims = batch_graph(graph, dims, size)
    return remat_p.bind(*values, graph=b_graph, prevent_cse=prevent_cse,
                        policy=policy), out_dims


def checkpoint(fun: Callable | None = None, *, prevent_cse: bool = True, policy=None,
               static_argnums: int | Sequence[int] = (),
               static_argnames: str | Sequence[str] = ()):
    """``fun``, with its intermediates recomputed in the backward pass (``jax.checkpoint``).

    ``policy`` (see ``checkpoint_policies``) picks the intermediates that may be
    saved instead; by default only the inputs are. ``static_argnums`` and
    ``static_argnames`` name arguments passed as Python values. ``prevent_cse`` is accepted for
    compatibility (hlox does not eliminate common subexpressions across it).
    """
    if fun is None:
        return functools.partial(checkpoint, prevent_cse=prevent_cse, policy=policy,
                                 static_argnums=static_argnums, static_argnames=static_argnames)
    if policy is not None and not callable(policy):
        raise TypeError(f"checkpoint: policy must be a callable like those in "
                        f"hlox.checkpoint_policies, got {policy!r}")
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    static_names = {static_argnames} if isinstance(static_argnames, str) else set(static_argnames)
    static = set(static_argnums) | _positions(fun, static_names)

    @functools.wraps(fun)
    def remat_fun(*args, **kwargs):
        static_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in static_names}
        call = functools.partial(fun, **static_kwargs) if static_kwargs else fun
        flat, flat_fun, out_tree = flatten_call(call, args, kwargs, static)
        graph, captured, _ = trace_closed(flat_fun, [get_aval(x) for x in flat])
        outs = remat_p.bind(*captured, *flat, graph=graph, prevent_cse=bool(prevent_cse),
                            policy=policy)
        return tree_unflatten(out_tree[0], outs)

    return remat_fun


def _positions(fun: Callable, names: set) -> set:
    """The positional indices of ``fun``'s parameters called ``names`` (static when passed
    positionally too, as in JAX)."""
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        return set()
    return {i for i, p in enumerate(params) if p.name in names
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)}


remat = checkpoint
