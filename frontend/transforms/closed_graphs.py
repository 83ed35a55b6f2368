"""Closed graphs: tracing a function to a graph whose outside values are inputs.

A control-flow primitive (cond, while, scan, checkpoint, reduce, custom derivatives)
carries the functions it runs as :class:`~hlox.frontend.core.tracing.Graph` parameters.
They are *closed* the way JAX closes jaxprs: values the function uses from outside
(tracers of enclosing traces) become explicit leading inputs, handed to the primitive
as operands, so every transformation sees them. Their transformations (jvp, batching,
transposition) are in :mod:`hlox.frontend.transforms.subgraphs`, above ad and batching.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core import tracing as core
from hlox.frontend.core.tracing import Graph, GraphTrace, ShapedArray, Tracer, Var, new_trace


class _ClosingTrace(GraphTrace):
    """A GraphTrace that turns tracers of other traces into extra graph inputs."""

    def __init__(self):
        super().__init__()
        self.captured: list[tuple[Any, Var]] = []
        self._captured_ids: dict[int, Var] = {}

    def to_var(self, value):
        if isinstance(value, Tracer) and not (isinstance(value, core.GraphTracer)
                                              and value._trace is self):
            var = self._captured_ids.get(id(value))
            if var is None:
                var = self._captured_ids[id(value)] = Var(value.aval)
                self.captured.append((value, var))
            return var
        return super().to_var(value)


def trace_closed(fun: Callable, in_avals: Sequence[ShapedArray]) -> tuple[Graph, list, list]:
    """Traces ``fun(*tracers) -> flat outputs`` to a closed graph.

    Returns ``(graph, captured, outs)``: the graph's inputs are the captured
    outer values (``captured``, in order) followed by ``in_avals``'s.
    """
    with new_trace(_ClosingTrace()) as trace:
        tracers = [trace.new_arg(aval) for aval in in_avals]
        outs = list(fun(*tracers))
        graph = trace.to_graph(tracers, outs)
    graph.invars = [var for _, var in trace.captured] + graph.invars
    return graph, [value for value, _ in trace.captured], outs


def make_graph(fun: Callable, in_avals: Sequence[ShapedArray]) -> Graph:
    """Traces ``fun`` (which may only use its inputs and constants) to a graph."""
    graph, captured, _ = trace_closed(fun, in_avals)
    assert not captured, "a derived graph captured an outer value"
    return graph


def eval_graph(graph: Graph, args: Sequence) -> list:
    """Applies ``graph`` to ``args`` under the current trace."""
    env: dict[Var, Any] = dict(graph.consts)
    env.update(zip(graph.invars, args))
    for eqn in graph.eqns:
        outs = eqn.primitive.bind(*(env[v] for v in eqn.inputs), **eqn.params)
        env.update(zip(eqn.outputs, outs if eqn.primitive.multiple_results else [outs]))
    return [env[v] for v in graph.outvars]


def with_inputs(graph: Graph, invars: list[Var] | None = None,
                outvars: list[Var] | None = None) -> Graph:
    """``graph`` with its inputs/outputs reordered or extended (same equations)."""
    return Graph(list(graph.invars if invars is None else invars),
                 list(graph.outvars if outvars is None else outvars), graph.eqns, graph.consts)


def permute(graph: Graph, in_order: Sequence[int], out_order: Sequence[int] | None = None):
    outs = graph.outvars if out_order is None else [graph.outvars[i] for i in out_order]
    return with_inputs(graph, [graph.invars[i] for i in in_order], outs)


def zeros(aval: ShapedArray) -> np.ndarray:
    return np.zeros(aval.shape, aval.dtype)


def differentiable(aval: ShapedArray) -> bool:
    return dtypes.is_inexact(aval.dtype)


def nonzero_tangent(t, aval: ShapedArray) -> bool:
    """Whether ``t`` is a tangent to carry (ints and bools have none, like JAX's float0)."""
    return t is not None and differentiable(aval)
