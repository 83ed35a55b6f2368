"""``custom_jvp`` and ``custom_vjp``: user-supplied derivative rules (JAX's API).

A call of a custom function goes to :func:`custom_call` with flat arguments and
flat rules. Each trace may handle it through ``process_custom_jvp`` /
``process_custom_vjp``: :class:`~hlox.frontend.transforms.ad.JVPTrace` applies the rule,
:class:`~hlox.frontend.transforms.batching.BatchTrace` hands its parent a batched function
and batched rules (so ``grad(vmap(f))`` still uses ``f``'s rule). A graph trace
(a jit, or the body of ``scan``/``cond``/``while_loop``/``checkpoint``) records
one ``custom_jvp_call``/``custom_vjp_call`` equation holding the function's graph
and the rules, so differentiating that graph later still applies them (as JAX's
``custom_jvp_call`` does); the eval and linear traces just call the function.
``custom_vjp``'s backward function becomes the transpose rule of a linear
primitive (``custom_lin``, whose residuals are operands, so a graph holding it
can be transposed anywhere); as in JAX, forward mode (``jvp``) of a
``custom_vjp`` function is an error.
"""

from __future__ import annotations

import functools
from typing import Callable, Sequence

import numpy as np

from hlox.frontend.core import tracing as core
from hlox.frontend.core.tracing import Primitive, current_trace, get_aval
from hlox.frontend.core.emit import emit_graph
from hlox.frontend.transforms.closed_graphs import eval_graph, trace_closed
from hlox._pytree import tree_flatten, tree_unflatten

__all__ = ["custom_jvp", "custom_vjp"]


def _name(fun) -> str:
    return getattr(fun, "__name__", type(fun).__name__)


class custom_jvp:
    """``f = custom_jvp(f)``; ``@f.defjvp def f_jvp(primals, tangents): return out, t_out``.

    ``nondiff_argnums`` name arguments that are not differentiated (Python values such
    as flags or tolerances); the rule then takes them first: ``f_jvp(*nondiff, primals,
    tangents)`` with ``primals``/``tangents`` the remaining arguments."""

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()):
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp = None
        functools.update_wrapper(self, fun)

    def defjvp(self, jvp: Callable) -> Callable:
        self.jvp = jvp
        return jvp

    def __call__(self, *args):
        if self.jvp is None:
            raise AttributeError(f"custom_jvp {_name(self.fun)}: no JVP rule; define one "
                                 f"with @f.defjvp")
        static, args = _split_nondiff(self.nondiff_argnums, args, "custom_jvp", self.fun)
        fun = functools.partial(_with_static, self.fun, self.nondiff_argnums, static)
        flat, in_tree = tree_flatten(args)
        flat_fun, out_tree = _flat_fun(fun, in_tree)
        jvp = self.jvp

        @functools.wraps(jvp)
        def flat_jvp(primals, tangents):
            p = tuple(tree_unflatten(in_tree, list(primals)))
            t = tuple(tree_unflatten(in_tree, list(tangents)))
            out, t_out = jvp(*(static[i] for i in sorted(static)), p, t)
            out_flat, tree = tree_flatten(out)
            t_flat, t_tree = tree_flatten(t_out)
            if t_tree != tree:
                raise TypeError(f"custom_jvp {_name(self.fun)} rule: tangent structure "
                                f"{t_tree!r} differs from the output structure {tree!r}")
            out_tree[:] = [tree]
            return out_flat, t_flat

        outs = custom_call(current_trace(), "process_custom_jvp", flat_fun, flat_jvp, flat)
        return tree_unflatten(out_tree[0], list(outs))


class custom_vjp:
    """``f = custom_vjp(f)``; ``f.defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, res)``
    and ``bwd(res, ct) -> tuple of cotangents, one per argument``."""

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()):
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd = self.bwd = None
        functools.update_wrapper(self, fun)

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args):
        if self.fwd is None:
            raise AttributeError(f"custom_vjp {_name(self.fun)}: no rules; define them "
                                 f"with f.defvjp(fwd, bwd)")
        static, args = _split_nondiff(self.nondiff_argnums, args, "custom_vjp", self.fun)
        nondiff = tuple(static[i] for i in sorted(static))
        fun = functools.partial(_with_static, self.fun, self.nondiff_argnums, static)
        fwd = functools.partial(_with_static, self.fwd, self.nondiff_argnums, static)
        flat, in_tree = tree_flatten(args)
        avals = [get_aval(x) for x in flat]
        flat_fun, out_tree = _flat_fun(fun, in_tree)
        bwd, name = self.bwd, _name(self.fun)

        @functools.wraps(self.fwd)
        def flat_fwd(*xs):
            out, res = fwd(*tree_unflatten(in_tree, list(xs)))
            out_flat, tree = tree_flatten(out)
            out_tree[:] = [tree]
            return out_flat, res

        @functools.wraps(bwd)
        def flat_bwd(res, cts):
            cts_in = bwd(*nondiff, res, tree_unflatten(out_tree[0], list(cts)))
            if not isinstance(cts_in, tuple) or len(cts_in) != len(args):
                raise TypeError(f"custom_vjp {name}: bwd must return a tuple with one "
                                f"cotangent per differentiated argument ({len(args)})")
            # As in JAX, None stands for a zero cotangent of a whole argument.
            zeros = tree_unflatten(in_tree, [np.zeros(a.shape, a.dtype) for a in avals])
            cts_in = tuple(z if ct is None else ct for ct, z in zip(cts_in, zeros))
            leaves, tree = tree_flatten(cts_in)
            if tree != in_tree:
                raise TypeError(f"custom_vjp {name}: bwd returned structure {tree!r}, "
                                f"expected {in_tree!r}")
            return tuple(leaves)

        outs = custom_call(current_trace(), "process_custom_vjp", flat_fun, flat_fwd,
                           flat_bwd, flat)
        return tree_unflatten(out_tree[0], list(outs))


def _split_nondiff(nondiff_argnums, args, what, fun):
    """``({index: value} of the nondiff arguments, the other arguments)``."""
    n = len(args)
    static = {}
    for i in nondiff_argnums:
        if not -n <= i < n:
            raise ValueError(f"{what} {_name(fun)}: nondiff_argnums {i} is out of range for "
                             f"{n} arguments")
        static[i % n] = args[i]
    return static, tuple(a for i, a in enumerate(args) if i not in static)


def _with_static(fun, nondiff_argnums, static, *args):
    """Calls ``fun`` with the nondiff arguments put back in their places."""
    if not static:
        return fun(*args)
    it = iter(args)
    return fun(*(static[i] if i in static else next(it) for i in range(len(args) + len(static))))


def _flat_fun(fun, in_tree):
    """``fun`` on flat inputs returning flat outputs; the output tree lands in the list."""
    out_tree: list = []

    def flat_fun(*xs):
        leaves, tree = tree_flatten(fun(*tree_unflatten(in_tree, list(xs))))
        out_tree[:] = [tree]
        return leaves

    return flat_fun, out_tree


def custom_call(trace: core.Trace, method: str, fun, *rest):
    """Hands a custom-rule call (flat ``fun``, its rules, flat ``args`` last) to ``trace``."""
    *rules, args = rest
    handler = getattr(trace, method, None)
    if handler is not None:
        return handler(fun, *rules, args)
    if isinstance(trace, core.GraphTrace):
        graph, captured, _ = trace_closed(fun, [get_aval(a) for a in args])
        prim = custom_jvp_call_p if method == "process_custom_jvp" else custom_vjp_call_p
        return prim.bind(*captured, *args, call=graph, num_consts=len(captured),
                         rules=_Rules(rules))
    return fun(*args)


class _Rules(tuple):
    """A custom call's rule functions, printed by name in a graph."""

    def __repr__(self) -> str:
        return "(" + ", ".join(_name(r) for r in self) + ")"


class _CustomCallPrimitive(Primitive):
    """A custom function recorded in a graph. Replayed under a trace with a handler
    (JVP, batching) it is handed to it again; elsewhere it is its graph."""

    def __init__(self, name: str, method: str):
        super().__init__(name, multiple_results=True)
        self.method = method

    def bind(self, *args, call, num_consts, rules):
        trace = current_trace()
        consts, xs = list(args[:num_consts]), list(args[num_consts:])
        if getattr(trace, self.method, None) is None and isinstance(trace, core.GraphTrace):
            return super().bind(*args, call=call, num_consts=num_consts, rules=rules)
        fun = lambda *ys: eval_graph(call, consts + list(ys))  # noqa: E731
        return list(custom_call(trace, self.method, fun, *rules, xs))


custom_jvp_call_p = _CustomCallPrimitive("custom_jvp_call", "process_custom_jvp")
custom_vjp_call_p = _CustomCallPrimitive("custom_vjp_call", "process_custom_vjp")


def _custom_call_abstract_eval(*avals, call, num_consts, rules):
    return call.out_avals


def _custom_call_lower(ctx, *args, call, num_consts, rules):

    return emit_graph(call, list(args))


for _p in (custom_jvp_call_p, custom_vjp_call_p):
    _p.def_abstract_eval(_custom_call_abstract_eval)
    _p.def_lowering(_custom_call_lower)


# The linear map whose transpose is a custom_vjp's bwd. Its first ``num_res`` operands are
# the flattened residuals (known values), the rest the linear tangents; it exists only
# inside LinearTrace graphs.
custom_lin_p = Primitive("custom_lin", multiple_results=True)


@custom_lin_p.def_abstract_eval
def _custom_lin_abstract_eval(*avals, out_avals, **_):
    return list(out_avals)


@custom_lin_p.def_transpose
def _custom_lin_transpose(cts, *args, num_res, res_tree, bwd, **_):
    res = tree_unflatten(res_tree, list(args[:num_res]))
    return [None] * num_res + list(bwd(res, list(cts)))


def _no_forward_mode(*args, **params):
    raise TypeError("can't apply forward-mode differentiation (jvp) to a custom_vjp "
                    "function; use grad/vjp, or custom_jvp")


core.impl_rules.register(custom_lin_p)(_no_forward_mode)
