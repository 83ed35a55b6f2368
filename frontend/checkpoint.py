"""``checkpoint``/``remat``: recompute a function's intermediates in the backward pass.

``checkpoint(f)`` traces ``f`` to a closed sub-graph and binds ``remat`` on
it. Forward, it is just the graph (emitted inline). Under ``grad`` the JVP
rule records a tangent ``remat`` whose graph is the JVP graph with only the
inputs as residuals; its transpose evaluates the primal part of that graph
again before transposing the linear part, so ``f``'s intermediates are
recomputed in the backward pass instead of being stored, as in JAX.
"""

from __future__ import annotations

import functools
from typing import Callable, Sequence

from hlox.frontend import core, lax
from hlox.frontend.core import Primitive, get_aval
from hlox.frontend.emit import emit_graph
from hlox.frontend.subgraphs import (backward_pass, batch_graph, eval_graph, split_primal,
                                     jvp_graph, nonzero_tangent, trace_closed)
from hlox.frontend.tree_util import flatten_call, tree_unflatten

__all__ = ["checkpoint", "remat"]

remat_p = Primitive("remat", multiple_results=True)


@remat_p.def_abstract_eval
def _remat_abstract_eval(*avals, graph, prevent_cse):
    return graph.out_avals


@remat_p.def_lowering
def _remat_lower(ctx, *args, graph, prevent_cse):
    return emit_graph(graph, list(args))


@remat_p.def_impl
def _remat_impl(*args, graph, prevent_cse):
    return eval_graph(graph, args)


@remat_p.def_jvp
def _remat_jvp(primals, tangents, *, graph, prevent_cse):
    nonzero = [nonzero_tangent(t, get_aval(p)) for t, p in zip(tangents, primals)]
    if not any(nonzero):
        return remat_p.bind(*primals, graph=graph, prevent_cse=prevent_cse), \
            [None] * len(graph.outvars)
    jvp, out_nz = jvp_graph(graph, nonzero)
    n_out = len(graph.outvars)
    full = remat_p.bind(*primals, *(t for t, nz in zip(tangents, nonzero) if nz), graph=jvp,
                        prevent_cse=prevent_cse)
    out = (remat_p.bind(*primals, graph=graph, prevent_cse=prevent_cse) if split_primal()
           else full[:n_out])
    it = iter(full[n_out:])
    return out, [next(it) if nz else None for nz in out_nz]


@remat_p.def_transpose
def _remat_transpose(cts, *args, graph, prevent_cse):
    # Recomputes the primal part of the JVP graph here, in the backward pass.
    res = iter(backward_pass(graph, args, cts))
    return [next(res) if core.is_undefined_primal(a) else None for a in args]


@remat_p.def_batching
def _remat_batching(values, dims, *, graph, prevent_cse):
    size = lax._batch_size(values, dims)
    b_graph, out_dims = batch_graph(graph, dims, size)
    return remat_p.bind(*values, graph=b_graph, prevent_cse=prevent_cse), out_dims


def checkpoint(fun: Callable | None = None, *, prevent_cse: bool = True, policy=None,
               static_argnums: int | Sequence[int] = ()):
    """``fun``, with its intermediates recomputed in the backward pass (``jax.checkpoint``).

    ``policy`` (which intermediates may be saved) is accepted for JAX
    compatibility; hlox saves only the inputs.
    """
    if fun is None:
        return functools.partial(checkpoint, prevent_cse=prevent_cse, policy=policy,
                                 static_argnums=static_argnums)
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    static = set(static_argnums)

    @functools.wraps(fun)
    def remat_fun(*args, **kwargs):
        flat, flat_fun, out_tree = flatten_call(fun, args, kwargs, static)
        graph, captured, _ = trace_closed(flat_fun, [get_aval(x) for x in flat])
        outs = remat_p.bind(*captured, *flat, graph=graph, prevent_cse=bool(prevent_cse))
        return tree_unflatten(out_tree[0], outs)

    return remat_fun


remat = checkpoint
