"""Automatic differentiation: ``jvp``, ``linearize``, ``vjp``, ``grad`` and friends.

Forward mode is a :class:`JVPTrace`: its tracers carry a primal and a tangent
(``None`` is a symbolic zero), and each primitive's JVP rule
(``core.jvp_rules``) maps both. Traces nest without levels: a JVPTrace
remembers its ``parent`` (the trace that was current when it was made) and
binds primal work there, so ``grad(grad(f))``, ``jit(grad(f))`` and
``vmap(grad(f))`` compose.

Reverse mode is built the JAX way: ``linearize`` runs the same JVP rules but
routes every operation that touches a tangent into a :class:`LinearTrace`,
which records a graph of linear primitives (the tangent computation), while
everything else (the primal computation) is evaluated by the parent trace.
``vjp`` transposes that graph with the per-primitive transpose rules
(``core.transpose_rules``), evaluating the transposed operations under the
trace current when the cotangent function is called.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from hlox.frontend.core import tracing as core
from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.core.tracing import (Equation, ShapedArray, Trace, Tracer, UndefinedPrimal, Var,
                                        current_trace, get_aval, new_trace)
from hlox._pytree import tree_flatten, tree_unflatten
from hlox.frontend.transforms.custom_derivatives import custom_call, custom_lin_p

__all__ = ["jvp", "linearize", "vjp", "grad", "value_and_grad", "stop_gradient"]


def _zeros(aval: ShapedArray) -> np.ndarray:
    return np.zeros(aval.shape, aval.dtype)


def _bind_in(trace: Trace, primitive, args, params) -> list:
    """Applies ``primitive`` under ``trace`` (the trace below the caller's)."""
    with new_trace(trace):
        return trace.process_primitive(primitive, args, params)


# ---------------------------------------------------------------------------
# Forward mode
# ---------------------------------------------------------------------------


class JVPTracer(Tracer):
    __slots__ = ("primal", "tangent")

    def __init__(self, trace: "JVPTrace", primal, tangent):
        super().__init__(trace, get_aval(primal))
        self.primal = primal
        self.tangent = tangent  # None: a symbolic zero


class JVPTrace(Trace):
    """Maps (primal, tangent) pairs through each primitive's JVP rule.

    ``tangent_trace`` is where the rules run: the parent itself (``jvp``) or a
    :class:`LinearTrace` that records the tangent operations (``linearize``).
    """

    def __init__(self, parent: Trace, tangent_trace: Trace | None = None):
        self.parent = parent
        self.tangent_trace = tangent_trace or parent

    def process_primitive(self, primitive, args, params):
        primals, tangents = [], []
        for a in args:
            if isinstance(a, JVPTracer) and a._trace is self:
                primals.append(a.primal)
                tangents.append(a.tangent)
            else:  # a constant, or a value of an enclosing trace: zero tangent here
                primals.append(a)
                tangents.append(None)
        if all(t is None for t in tangents):
            return _bind_in(self.parent, primitive, primals, params)
        rule = core.jvp_rules.get(primitive)
        if rule is None:
            raise NotImplementedError(f"differentiation of primitive {primitive.name} is not "
                                      f"implemented (it has no JVP rule)")
        with new_trace(self.tangent_trace):
            out, tangent_out = rule(primals, tangents, **params)
        if primitive.multiple_results:
            return [JVPTracer(self, o, t) for o, t in zip(out, tangent_out)]
        return [JVPTracer(self, out, tangent_out)]

    def process_custom_jvp(self, fun, jvp_rule, args):
        primals, tangents = zip(*(self.lift(a) for a in args)) if args else ((), ())
        if all(t is None for t in tangents):
            with new_trace(self.parent):
                return custom_call(self.parent, "process_custom_jvp", fun, jvp_rule, primals)
        tangents = tuple(_zeros(get_aval(p)) if t is None else t
                         for p, t in zip(primals, tangents))
        with new_trace(self.tangent_trace):
            out, t_out = jvp_rule(primals, tangents)  # flat lists (custom_derivatives)
        return [JVPTracer(self, o, t) for o, t in zip(out, t_out)]

    def process_custom_vjp(self, fun, fwd, bwd, args):
        primals, tangents = zip(*(self.lift(a) for a in args)) if args else ((), ())
        if all(t is None for t in tangents):
            with new_trace(self.parent):
                return custom_call(self.parent, "process_custom_vjp", fun, fwd, bwd, primals)
        with new_trace(self.parent):
            out, res = fwd(*primals)
        tangents = [_zeros(get_aval(p)) if t is None else t for p, t in zip(primals, tangents)]
        res_flat, res_tree = tree_flatten(res)
        with new_trace(self.tangent_trace):
            t_flat = custom_lin_p.bind(*res_flat, *tangents, num_res=len(res_flat),
                                       res_tree=res_tree, bwd=bwd,
                                       out_avals=tuple(get_aval(o) for o in out))
        return [JVPTracer(self, o, t) for o, t in zip(out, t_flat)]

    def lift(self, x) -> tuple[Any, Any]:
        if isinstance(x, JVPTracer) and x._trace is self:
            return x.primal, x.tangent
        return x, None


def _jvp_flat(fun: Callable, primals: list, tangents: list, tangent_trace_factory=None):
    parent = current_trace()
    tangent_trace = tangent_trace_factory(parent) if tangent_trace_factory else None
    trace = JVPTrace(parent, tangent_trace)
    ins = [JVPTracer(trace, p, t) for p, t in zip(primals, tangents)]
    with new_trace(trace):
        outs = fun(*ins)
    out_primals, out_tangents = zip(*(trace.lift(o) for o in outs)) if outs else ((), ())
    return list(out_primals), list(out_tangents), tangent_trace


def _check_float(name: str, values) -> None:
    for i, v in enumerate(values):
        if not dtypes.is_inexact(get_aval(v).dtype):
            raise TypeError(f"hlox.{name}: input {i} has dtype {get_aval(v).dtype}; "
                            f"differentiation needs floating-point or complex inputs")


def jvp(fun: Callable, primals: Sequence, tangents: Sequence):
    """``(fun(*primals), d fun(primals)[tangents])`` (``jax.jvp``); pytrees allowed."""
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("hlox.jvp: primals and tangents must be tuples or lists")
    flat_p, in_tree = tree_flatten(tuple(primals))
    flat_t, t_tree = tree_flatten(tuple(tangents))
    if t_tree != in_tree:
        raise TypeError(f"hlox.jvp: primal structure {in_tree!r} and tangent structure "
                        f"{t_tree!r} differ")
    for i, (p, t) in enumerate(zip(flat_p, flat_t)):
        pa, ta = get_aval(p), get_aval(t)
        if pa.shape != ta.shape or pa.dtype != ta.dtype:
            raise TypeError(f"hlox.jvp: primal {i} is {pa.str_short()} but its tangent is "
                            f"{ta.str_short()}")
    out_tree = []

    def flat_fun(*xs):
        out_flat, tree = tree_flatten(fun(*tree_unflatten(in_tree, xs)))
        out_tree.append(tree)
        return out_flat

    out_p, out_t, _ = _jvp_flat(flat_fun, flat_p, flat_t)
    out_t = [_zeros(get_aval(p)) if t is None else t for p, t in zip(out_p, out_t)]
    return tree_unflatten(out_tree[0], out_p), tree_unflatten(out_tree[0], out_t)


# ---------------------------------------------------------------------------
# Linearize: the tangent computation as a graph of linear primitives
# ---------------------------------------------------------------------------


class LinearTracer(Tracer):
    __slots__ = ("graph_var",)

    def __init__(self, trace: "LinearTrace", aval: ShapedArray, var: Var):
        super().__init__(trace, aval)
        self.graph_var = var


class LinearTrace(Trace):
    """Records operations on its tracers (tangents); passes the others to ``parent``.

    Values of other traces used by a recorded operation (primal residuals) are
    kept as constants of the graph, by reference.
    """

    def __init__(self, parent: Trace):
        self.parent = parent
        self.eqns: list[Equation] = []
        self.consts: dict[Var, Any] = {}

    def new_arg(self, aval: ShapedArray) -> LinearTracer:
        return LinearTracer(self, aval, Var(aval))

    def to_var(self, value) -> Var:
        if isinstance(value, LinearTracer) and value._trace is self:
            return value.graph_var
        var = Var(get_aval(value))
        self.consts[var] = value
        return var

    def process_primitive(self, primitive, args, params):
        if not any(isinstance(a, LinearTracer) and a._trace is self for a in args):
            return _bind_in(self.parent, primitive, args, params)
        in_vars = [self.to_var(a) for a in args]
        out_avals = primitive.abstract_eval(*(v.aval for v in in_vars), **params)
        out_vars = [Var(aval) for aval in out_avals]
        self.eqns.append(Equation(primitive, in_vars, out_vars, dict(params),
                                  core.user_source_info()))
        return [LinearTracer(self, v.aval, v) for v in out_vars]


    # A custom function on primal values is the parent's business (so a JVP trace below
    # applies its rule: the second derivative of a custom_jvp function inside grad); on
    # tangents it is recorded op by op.
    def process_custom_jvp(self, fun, jvp_rule, args):
        return self._custom_call("process_custom_jvp", fun, (jvp_rule,), args)

    def process_custom_vjp(self, fun, fwd, bwd, args):
        return self._custom_call("process_custom_vjp", fun, (fwd, bwd), args)

    def _custom_call(self, method, fun, rules, args):
        if any(isinstance(a, LinearTracer) and a._trace is self for a in args):
            return fun(*args)
        with new_trace(self.parent):
            return custom_call(self.parent, method, fun, *rules, args)


class LinearFunction:
    """A linear map recorded by ``linearize``: call it (forward) or ``transpose`` it."""

    def __init__(self, trace: LinearTrace, invars: list[Var], outs: list,
                 out_avals: list[ShapedArray]):
        self.trace = trace
        self.invars = invars
        self.outs = outs  # per output: a LinearTracer, None (zero) or a constant
        self.out_avals = out_avals

    def _out_var(self, o):
        return o.graph_var if isinstance(o, LinearTracer) and o._trace is self.trace else None

    def apply(self, tangents: list) -> list:
        """Evaluates the recorded graph on ``tangents`` under the current trace."""
        env: dict[Var, Any] = dict(zip(self.invars, tangents))
        env.update(self.trace.consts)
        for eqn in self.trace.eqns:
            outs = eqn.primitive.bind(*(env[v] for v in eqn.inputs), **eqn.params)
            outs = outs if eqn.primitive.multiple_results else [outs]
            env.update(zip(eqn.outputs, outs))
        results = []
        for o, aval in zip(self.outs, self.out_avals):
            v = self._out_var(o)
            results.append(env[v] if v is not None else (_zeros(aval) if o is None else o))
        return results

    def transpose(self, cts: list) -> list:
        """The cotangents of the inputs for output cotangents ``cts`` (None: zero)."""
        linear = set(self.invars) | {v for e in self.trace.eqns for v in e.outputs}
        ct_env: dict[Var, Any] = {}

        def accumulate(v: Var, ct) -> None:
            if ct is None:
                return
            ct_env[v] = ct if v not in ct_env else lax.add(ct_env[v], ct)

        for o, ct in zip(self.outs, cts):
            v = self._out_var(o)
            if v is not None:
                accumulate(v, ct)
        transpose_eqns(self.trace.eqns, linear, self.trace.consts, ct_env, accumulate)
        return [ct_env.get(v, _zeros(v.aval)) for v in self.invars]


def transpose_eqns(eqns, linear: set, values: dict, ct_env: dict, accumulate) -> None:
    """The backward pass over linear equations, last first: pops each equation's
    output cotangents from ``ct_env`` and ``accumulate(var, ct)``s its transpose
    rule's results for its linear inputs. ``values``: the non-linear inputs' values.
    (Shared by :class:`LinearFunction` and :func:`subgraphs.backward_pass`.)"""
    for eqn in reversed(eqns):
        cts_out = [ct_env.pop(v, None) for v in eqn.outputs]
        if all(c is None for c in cts_out):
            continue
        rule = core.transpose_rules.get(eqn.primitive)
        if rule is None:
            raise NotImplementedError(
                f"reverse-mode differentiation of primitive {eqn.primitive.name} is not "
                f"implemented (it has no transpose rule)")
        args = [UndefinedPrimal(v.aval) if v in linear else values[v] for v in eqn.inputs]
        if eqn.primitive.multiple_results:
            ct_arg = [_zeros(v.aval) if c is None else c for v, c in zip(eqn.outputs, cts_out)]
        else:
            ct_arg = cts_out[0]
        for v, ct in zip(eqn.inputs, rule(ct_arg, *args, **eqn.params)):
            if v in linear:
                accumulate(v, ct)


def _linearize_flat(fun: Callable, primals: list):
    """Runs ``fun`` under a JVPTrace whose tangent work is recorded by a LinearTrace."""
    lin = LinearTrace(current_trace())
    tangents = [lin.new_arg(get_aval(p)) for p in primals]
    out_p, out_t, _ = _jvp_flat(fun, primals, tangents, lambda _parent: lin)
    return out_p, LinearFunction(lin, [t.graph_var for t in tangents], out_t,
                                 [get_aval(p) for p in out_p])


def linearize(fun: Callable, *primals):
    """``(fun(*primals), f_jvp)`` where ``f_jvp(*tangents)`` is the JVP (``jax.linearize``)."""
    flat_p, in_tree = tree_flatten(primals)
    out_tree = []

    def flat_fun(*xs):
        out_flat, tree = tree_flatten(fun(*tree_unflatten(in_tree, xs)))
        out_tree.append(tree)
        return out_flat

    out_p, lin = _linearize_flat(flat_fun, flat_p)

    def f_jvp(*tangents):
        flat_t, t_tree = tree_flatten(tangents)
        if t_tree != in_tree:
            raise TypeError(f"linearize: tangents structure {t_tree!r}, expected {in_tree!r}")
        return tree_unflatten(out_tree[0], lin.apply(flat_t))

    return tree_unflatten(out_tree[0], out_p), f_jvp


# ---------------------------------------------------------------------------
# Reverse mode
# ---------------------------------------------------------------------------


def vjp(fun: Callable, *primals, has_aux: bool = False):
    """``(fun(*primals), vjp_fn)`` (``jax.vjp``): ``vjp_fn(ct)`` returns one cotangent per primal."""
    flat_p, in_tree = tree_flatten(primals)
    _check_float("vjp", flat_p)
    out_tree, aux_tree = [], []

    def flat_fun(*xs):
        out = fun(*tree_unflatten(in_tree, xs))
        aux_flat = []
        if has_aux:
            if not (isinstance(out, tuple) and len(out) == 2):
                raise TypeError("has_aux=True: the function must return a pair (out, aux)")
            out, aux = out
            aux_flat, tree = tree_flatten(aux)
            aux_tree.append(tree)
        out_flat, tree = tree_flatten(out)
        out_tree.append(tree)
        return out_flat + aux_flat  # aux: primal values only (no tangents needed)

    outs, lin = _linearize_flat(flat_fun, flat_p)
    n_out = out_tree[0].num_leaves
    out_p, aux_p = outs[:n_out], outs[n_out:]

    def vjp_fn(ct):
        flat_ct, ct_tree = tree_flatten(ct)
        if ct_tree != out_tree[0]:
            raise TypeError(f"vjp_fn: cotangent structure {ct_tree!r}, expected {out_tree[0]!r}")
        for i, (c, p) in enumerate(zip(flat_ct, out_p)):
            ca, pa = get_aval(c), get_aval(p)
            if ca.shape != pa.shape:
                raise TypeError(f"vjp_fn: cotangent {i} has shape {ca.shape}, the output has "
                                f"shape {pa.shape}")
        return tree_unflatten(in_tree, lin.transpose(flat_ct + [None] * len(aux_p)))

    out = tree_unflatten(out_tree[0], out_p)
    if has_aux:
        return out, vjp_fn, tree_unflatten(aux_tree[0], aux_p)
    return out, vjp_fn


def value_and_grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """``fun``'s value and its gradient in ``argnums`` (``jax.value_and_grad``)."""
    multiple = not isinstance(argnums, int)
    nums = tuple(argnums) if multiple else (argnums,)

    def value_and_grad_fun(*args, **kwargs):
        for n in nums:
            if not -len(args) <= n < len(args):
                raise TypeError(f"grad: argnums {argnums} out of range for {len(args)} arguments")
        nums_pos = tuple(n % len(args) for n in nums)

        def f_partial(*diff_args):
            full = list(args)
            for n, a in zip(nums_pos, diff_args):
                full[n] = a
            return fun(*full, **kwargs)

        diff = tuple(args[n] for n in nums_pos)
        res = vjp(f_partial, *diff, has_aux=has_aux)
        out, vjp_fn = res[0], res[1]
        aval = get_aval(out) if not isinstance(out, (tuple, list, dict)) else None
        if aval is None or aval.shape != ():
            raise TypeError(f"grad requires a scalar output, got "
                            f"{aval.str_short() if aval else type(out).__name__}")
        if not dtypes.is_float(aval.dtype):
            raise TypeError(f"grad requires a floating-point output, got {aval.dtype}")
        grads = vjp_fn(np.ones((), aval.dtype))
        g = grads if multiple else grads[0]
        return ((out, res[2]), g) if has_aux else (out, g)

    return value_and_grad_fun


def grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False):
    """The gradient of scalar-valued ``fun`` in ``argnums`` (``jax.grad``)."""
    vg = value_and_grad(fun, argnums, has_aux)

    def grad_fun(*args, **kwargs):
        (out, g) = vg(*args, **kwargs)
        return (g, out[1]) if has_aux else g

    return grad_fun


stop_gradient = lax.stop_gradient  # pytrees allowed, as jax.stop_gradient

