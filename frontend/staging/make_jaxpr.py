"""``make_jaxpr``: the traced graph of a function, printed like a jaxpr."""

from __future__ import annotations

import functools
from typing import Callable, Sequence

from hlox.frontend.core import tracing as core
from hlox.frontend.core.tracing import Graph, get_aval
from hlox._pytree import flatten_call, tree_unflatten

__all__ = ["make_jaxpr", "ClosedJaxpr"]


class ClosedJaxpr:
    """A traced function (``jax.core.ClosedJaxpr``): ``str()`` prints it."""

    def __init__(self, graph: Graph, out_tree):
        self.jaxpr = graph
        self.out_tree = out_tree

    consts = property(lambda self: list(self.jaxpr.consts.values()))
    in_avals = property(lambda self: self.jaxpr.in_avals)
    out_avals = property(lambda self: self.jaxpr.out_avals)
    eqns = property(lambda self: self.jaxpr.eqns)

    def pretty_print(self) -> str:
        return self.jaxpr.pretty()

    __str__ = pretty_print

    def __repr__(self) -> str:
        return self.pretty_print()


def make_jaxpr(fun: Callable, static_argnums: int | Sequence[int] = (),
               return_shape: bool = False):
    """``make_jaxpr(f)(*args)`` traces ``f`` on ``args``' shapes and dtypes
    and returns its graph (``jax.make_jaxpr``); print it to read it."""
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    static = set(static_argnums)

    @functools.wraps(fun)
    def make(*args, **kwargs):
        flat, flat_fun, out_tree = flatten_call(fun, args, kwargs, static)
        graph, _ = core.trace_to_graph(flat_fun, [get_aval(x) for x in flat])
        closed = ClosedJaxpr(graph, out_tree[0])
        if return_shape:
            return closed, tree_unflatten(out_tree[0], graph.out_avals)
        return closed

    return make
