"""``custom_jvp`` and ``custom_vjp``: user-supplied derivative rules (JAX's API).

Each trace may handle a custom-rule call through ``process_custom_jvp`` /
``process_custom_vjp``: :class:`~hlox.frontend.ad.JVPTrace` applies the rule,
:class:`~hlox.frontend.batching.BatchTrace` hands its parent a batched function
and batched rules (so ``grad(vmap(f))`` still uses ``f``'s rule); the eval,
graph and linear traces just call the function. ``custom_vjp``'s backward function becomes the transpose rule of
a linear primitive (``custom_lin``), so it runs inside ``vjp``/``grad``; as in
JAX, forward mode (``jvp``) of a ``custom_vjp`` function is an error.
"""

from __future__ import annotations

import functools

import numpy as np
from typing import Callable

from hlox.frontend import core
from hlox.frontend.core import Primitive, current_trace
from hlox.frontend.tree_util import tree_flatten, tree_unflatten

__all__ = ["custom_jvp", "custom_vjp"]


class custom_jvp:
    """``f = custom_jvp(f)``; ``@f.defjvp def f_jvp(primals, tangents): return out, t_out``."""

    def __init__(self, fun: Callable):
        self.fun = fun
        self.jvp = None
        functools.update_wrapper(self, fun)

    def defjvp(self, jvp: Callable) -> Callable:
        self.jvp = jvp
        return jvp

    def __call__(self, *args):
        if self.jvp is None:
            raise AttributeError(f"custom_jvp {getattr(self.fun, '__name__', '')}: no JVP "
                                 f"rule; define one with @f.defjvp")
        trace = current_trace()
        handler = getattr(trace, "process_custom_jvp", None)
        return handler(self.fun, self.jvp, args) if handler else self.fun(*args)


class custom_vjp:
    """``f = custom_vjp(f)``; ``f.defvjp(fwd, bwd)`` with ``fwd(*args) -> (out, res)``
    and ``bwd(res, ct) -> tuple of cotangents, one per argument``."""

    def __init__(self, fun: Callable):
        self.fun = fun
        self.fwd = self.bwd = None
        functools.update_wrapper(self, fun)

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args):
        if self.fwd is None:
            raise AttributeError(f"custom_vjp {getattr(self.fun, '__name__', '')}: no rules; "
                                 f"define them with f.defvjp(fwd, bwd)")
        trace = current_trace()
        handler = getattr(trace, "process_custom_vjp", None)
        return handler(self.fun, self.fwd, self.bwd, args) if handler else self.fun(*args)


# The linear map whose transpose is a custom_vjp's bwd: params carry bwd, the
# residuals and the trees; it exists only inside LinearTrace graphs.
custom_lin_p = Primitive("custom_lin", multiple_results=True)


@custom_lin_p.def_abstract_eval
def _custom_lin_abstract_eval(*avals, out_avals, **_):
    return list(out_avals)


@custom_lin_p.def_transpose
def _custom_lin_transpose(cts, *args, bwd, res, out_tree, in_tree, **_):
    ct_tree = tree_unflatten(out_tree, list(cts))
    cts_in = bwd(res, ct_tree)
    if not isinstance(cts_in, tuple):
        raise TypeError("custom_vjp bwd must return a tuple with one cotangent per argument")
    # As in JAX, None stands for a zero cotangent of a whole argument.
    avals = [a.aval if isinstance(a, core.UndefinedPrimal) else core.get_aval(a) for a in args]
    zeros = tree_unflatten(in_tree, [np.zeros(a.shape, a.dtype) for a in avals])
    if len(cts_in) == len(zeros):
        cts_in = tuple(z if ct is None else ct for ct, z in zip(cts_in, zeros))
    flat, tree = tree_flatten(cts_in)
    if tree != in_tree:
        raise TypeError(f"custom_vjp bwd returned structure {tree!r}, expected {in_tree!r}")
    return flat


def _no_forward_mode(*args, **params):
    raise TypeError("can't apply forward-mode differentiation (jvp) to a custom_vjp "
                    "function; use grad/vjp, or custom_jvp")


core.impl_rules.register(custom_lin_p)(_no_forward_mode)
