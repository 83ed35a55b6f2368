"""The tracer core: abstract values, primitives, graphs and traces.

A traced function becomes a :class:`Graph` (a jaxpr-like list of
:class:`Equation`\\ s over :class:`Var`\\ s). Values seen while tracing are
:class:`Tracer`\\ s carrying only an abstract value (:class:`ShapedArray`:
shape, dtype, weak_type); every operation on them goes through
:func:`Primitive.bind`, which asks the current trace to process it.

Traces form a stack. The bottom one is :class:`EvalTrace`, which runs a
primitive on concrete NumPy arrays (by compiling it through the same path as
``jit``); ``jit`` pushes a :class:`GraphTrace` that records equations.
Transformations (jvp, vmap, ...) will add their own traces; their rules live
in the registries keyed by primitive next to the abstract-evaluation and
emission rules (see :class:`Primitive`).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.source_info import SourceInfo, user_source_info

# ---------------------------------------------------------------------------
# Abstract values
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShapedArray:
    """What tracing knows about an array: its shape, dtype and weak flag."""

    shape: tuple[int, ...]
    dtype: np.dtype
    weak_type: bool = False

    def __post_init__(self):
        object.__setattr__(self, "shape", tuple(int(d) for d in self.shape))
        object.__setattr__(self, "dtype", dtypes.canonicalize(self.dtype))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @classmethod
    def exact(cls, shape, dtype, weak_type: bool = False) -> "ShapedArray":
        """The type as declared, not canonicalized for the 64-bit mode (a StableHLO
        module's own types: what ``compile_stablehlo`` returns)."""
        aval = object.__new__(cls)
        object.__setattr__(aval, "shape", tuple(int(d) for d in shape))
        object.__setattr__(aval, "dtype", np.dtype(dtype))
        object.__setattr__(aval, "weak_type", weak_type)
        return aval

    def update(self, **changes) -> "ShapedArray":
        values = {"shape": self.shape, "dtype": self.dtype, "weak_type": self.weak_type}
        values.update(changes)
        return ShapedArray(**values)

    def str_short(self) -> str:
        """``f32[3,4]`` (with a ``~`` for weak types), as jaxprs print it."""
        weak = "~" if self.weak_type else ""
        return f"{weak}{_short_dtype(self.dtype)}[{','.join(map(str, self.shape))}]"

    __str__ = str_short


def _short_dtype(dtype: np.dtype) -> str:
    if dtype == dtypes.bool_:
        return "bool"
    if dtype == dtypes.bfloat16:
        return "bf16"
    return f"{dtype.kind}{dtype.itemsize * 8}"


# Concrete array types (``hlox.Array``, registered by its module) -> their abstract value.
concrete_avals: dict[type, Callable[[Any], "ShapedArray"]] = {}


def get_aval(value: Any) -> ShapedArray:
    """The abstract value of a tracer, hlox Array, NumPy array or Python scalar."""
    if isinstance(value, Tracer):
        return value.aval
    if type(value) is np.ndarray:  # the common case, memoized (eager ops ask often)
        return _array_aval(value.shape, value.dtype, dtypes.x64_enabled())
    aval_of = concrete_avals.get(type(value))
    if aval_of is not None:
        return aval_of(value)
    dtype, weak = dtypes.scalar_type(value)
    return ShapedArray(np.shape(value), dtype, weak)


@functools.lru_cache(maxsize=4096)
def _array_aval(shape: tuple[int, ...], dtype: np.dtype, x64: bool) -> ShapedArray:
    # ``x64`` is part of the key: the mode decides the canonical dtype.
    return ShapedArray(shape, dtypes.canonicalize(dtype), False)


def concrete_array(value: Any, aval: ShapedArray | None = None) -> np.ndarray:
    """``value`` (array or Python scalar) as a NumPy array of its hlox dtype."""
    aval = aval or get_aval(value)
    return np.asarray(value, dtype=aval.dtype)


# ---------------------------------------------------------------------------
# Errors name the user's line (core/source_info.py), not ours
# ---------------------------------------------------------------------------


def shape_error(primitive_name: str, message: str, *avals: ShapedArray) -> TypeError:
    """A TypeError naming the primitive, the operand types and the user's line."""
    where = user_source_info()
    operands = ", ".join(a.str_short() for a in avals)
    text = f"{primitive_name}: {message} (operands: {operands})"
    if where is not None:
        text += f"\n  called from {where}"
    return TypeError(text)


# ---------------------------------------------------------------------------
# Primitives and their rule registries
# ---------------------------------------------------------------------------


class _Registry(dict):
    """A dict keyed by Primitive, with a ``register(prim)`` decorator."""

    def __init__(self, what: str):
        super().__init__()
        self.what = what

    def register(self, primitive: "Primitive"):
        def wrap(rule: Callable) -> Callable:
            if primitive in self:
                raise ValueError(f"{primitive.name} already has a {self.what} rule")
            self[primitive] = rule
            return rule

        return wrap


# One registry per kind of rule, keyed by primitive (as jax/_src/lax does).
abstract_eval_rules = _Registry("abstract_eval")  # (*avals, **params) -> aval | [avals]
lowering_rules = _Registry("lowering")  # (ctx, *values, **params) -> [ir.Value]
# (primals, tangents, **params) -> (primal_out, tangent_out); a tangent None is a zero
jvp_rules = _Registry("jvp")
# (ct, *args, **params) -> [ct_in per arg]; linear args are UndefinedPrimal
# (hlox.frontend.transforms.ad)
transpose_rules = _Registry("transpose")
# (values, dims, **params) -> (out, out_dim); dims are 0 (batched in front) or None
batching_rules = _Registry("batching")
# (*numpy arrays, **params) -> numpy array(s): a reference implementation used eagerly
# for primitives the CPU backend cannot lower yet (their emission rule is still used by jit)
impl_rules = _Registry("impl")


class Primitive:
    """An operation hlox can trace. Declared once; rules live in the registries."""

    multiple_results = False

    def __init__(self, name: str, multiple_results: bool = False):
        self.name = name
        self.multiple_results = multiple_results

    def __repr__(self) -> str:
        return self.name

    def bind(self, *args, **params):
        """Applies the primitive under the current trace."""
        trace = current_trace()
        outs = trace.process_primitive(self, args, params)
        return outs if self.multiple_results else outs[0]

    # Rule registration, as decorators: @add_p.def_abstract_eval
    def def_abstract_eval(self, rule: Callable) -> Callable:
        return abstract_eval_rules.register(self)(rule)

    def def_lowering(self, rule: Callable) -> Callable:
        return lowering_rules.register(self)(rule)

    def def_jvp(self, rule: Callable) -> Callable:
        return jvp_rules.register(self)(rule)

    def def_transpose(self, rule: Callable) -> Callable:
        return transpose_rules.register(self)(rule)

    def def_batching(self, rule: Callable) -> Callable:
        return batching_rules.register(self)(rule)

    def def_impl(self, rule: Callable) -> Callable:
        return impl_rules.register(self)(rule)

    def abstract_eval(self, *avals: ShapedArray, **params) -> list[ShapedArray]:
        rule = abstract_eval_rules.get(self)
        if rule is None:
            raise NotImplementedError(f"primitive {self.name} has no abstract_eval rule")
        out = rule(*avals, **params)
        return list(out) if self.multiple_results else [out]


# ---------------------------------------------------------------------------
# Graphs
# ---------------------------------------------------------------------------

_var_ids = itertools.count()


class Var:
    """A value in a Graph (an SSA value): an abstract value and a unique id."""

    __slots__ = ("aval", "id")

    def __init__(self, aval: ShapedArray):
        self.aval = aval
        self.id = next(_var_ids)

    def __repr__(self) -> str:
        return f"Var({self.id}:{self.aval})"


@dataclass
class Equation:
    """``outputs = primitive[params](*inputs)``, with the user's source line."""

    primitive: Primitive
    inputs: list[Var]
    outputs: list[Var]
    params: dict[str, Any]
    source_info: SourceInfo | None = None


@dataclass
class Graph:
    """A traced function: inputs, constants, equations and outputs (a jaxpr).

    ``consts`` holds the concrete values (NumPy arrays) the function closed
    over or created (``2.0`` in ``x * 2.0``); they become constants in the IR.
    """

    invars: list[Var]
    outvars: list[Var]
    eqns: list[Equation] = field(default_factory=list)
    consts: dict[Var, np.ndarray] = field(default_factory=dict)

    @property
    def in_avals(self) -> list[ShapedArray]:
        return [v.aval for v in self.invars]

    @property
    def out_avals(self) -> list[ShapedArray]:
        return [v.aval for v in self.outvars]

    def pretty(self) -> str:
        """The graph in JAX's jaxpr syntax; sub-graphs (control flow) print nested."""
        return _pretty_graph(self, {}, 0)

    __str__ = pretty


def _var_name(names: dict, v: Var) -> str:
    """``a``, ``b``, ..., ``z``, ``ba``, ...: one name per Var, shared by nested graphs."""
    if v not in names:
        n, s = len(names), ""
        while True:
            s = chr(ord("a") + n % 26) + s
            n = n // 26 - 1
            if n < 0:
                break
        names[v] = s
    return names[v]


def _is_graph_param(value) -> bool:
    return isinstance(value, Graph) or (
        isinstance(value, tuple) and value and all(isinstance(g, Graph) for g in value))


def _pretty_graph(graph: "Graph", names: dict, indent: int) -> str:
    def decl(v: Var) -> str:
        return f"{_var_name(names, v)}:{v.aval}"

    pad = " " * indent
    consts = " ".join(decl(v) for v in graph.consts)
    lines = [f"{{ lambda {consts}; {' '.join(decl(v) for v in graph.invars)}. let"]
    for eqn in graph.eqns:
        simple = {k: v for k, v in eqn.params.items() if not _is_graph_param(v)}
        nested = {k: v for k, v in eqn.params.items() if _is_graph_param(v)}
        params = " ".join(f"{k}={v}" for k, v in sorted(simple.items()))
        outs = " ".join(decl(v) for v in eqn.outputs)
        ins = " ".join(_var_name(names, v) for v in eqn.inputs)
        if not nested:
            lines.append(f"{pad}    {outs} = {eqn.primitive.name}{f'[{params}]' if params else ''} {ins}")
            continue
        lines.append(f"{pad}    {outs} = {eqn.primitive.name}[")
        for k, v in sorted(nested.items()):
            graphs = v if isinstance(v, tuple) else (v,)
            body = f"\n{pad}        ".join(_pretty_graph(g, names, indent + 8) for g in graphs)
            lines.append(f"{pad}      {k}=" + (f"(\n{pad}        {body}\n{pad}      )"
                                              if isinstance(v, tuple) else body))
        if params:
            lines.append(f"{pad}      {params}")
        lines.append(f"{pad}    ] {ins}")
    outs = " ".join(_var_name(names, v) if v in names else str(graph.consts.get(v, "?"))
                    for v in graph.outvars)
    lines.append(f"{pad}  in ({outs}) }}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Tracers and traces
# ---------------------------------------------------------------------------


class TracerError(TypeError):
    """A traced value was used where a concrete one is needed."""


class ConcretizationTypeError(TracerError):
    """A traced value's concrete content was needed (``int(x)``, ``float(x)``, ...)."""


class TracerBoolConversionError(ConcretizationTypeError):
    """``if x:`` / ``while x:`` / ``bool(x)`` on a traced value."""


class TracerIntegerConversionError(ConcretizationTypeError):
    """A traced value used as a Python integer (``range(x)``, ``[...][x]``)."""


_CONCRETE_HINTS = {
    TracerBoolConversionError: "Python control flow (`if`, `while`, `and`/`or`) cannot branch on "
    "a traced value: use hlox.lax.cond / hlox.lax.switch for branches, hlox.lax.while_loop / "
    "hlox.lax.fori_loop for loops, hlox.numpy.where for elementwise choices",
    TracerIntegerConversionError: "a traced value cannot be a Python integer (an index, a "
    "length, a range bound): use hlox.lax.dynamic_slice / hlox.lax.fori_loop",
    ConcretizationTypeError: "the value is only known when the compiled function runs",
}


class Tracer:
    """An array during tracing: only its abstract value is known.

    Arithmetic operators are NumPy's (``hlox.numpy``), so broadcasting and
    type promotion behave as in ``jax.numpy``.
    """

    __array_priority__ = 1000
    __array_ufunc__ = None  # numpy binops defer to our reflected operators

    def __init__(self, trace: "Trace", aval: ShapedArray):
        self._trace = trace
        self.aval = aval

    # array attributes
    shape = property(lambda self: self.aval.shape)
    dtype = property(lambda self: self.aval.dtype)
    ndim = property(lambda self: self.aval.ndim)
    size = property(lambda self: self.aval.size)
    weak_type = property(lambda self: self.aval.weak_type)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    def __repr__(self) -> str:
        return f"Traced<{self.aval}>"

    def _concrete(self, what: str, error: type = ConcretizationTypeError):
        where = user_source_info()
        raise error(
            f"{what} of a traced array {self.aval} is not known while tracing (the array "
            f"has shape {self.aval.shape} and dtype {self.aval.dtype}; only its type is known)"
            + (f"\n  at {where}" if where else "")
            + f"\n{_CONCRETE_HINTS[error]}; or, if this value does not depend on the "
            f"inputs' contents, mark the argument static (hlox.jit(f, static_argnums=...)).")

    def __bool__(self):
        self._concrete("The truth value", TracerBoolConversionError)

    def __float__(self):
        self._concrete("float()")

    def __int__(self):
        self._concrete("int()", TracerIntegerConversionError)

    def __index__(self):
        self._concrete("Use as a Python index", TracerIntegerConversionError)

    def __array__(self, *args, **kwargs):
        self._concrete("conversion to a NumPy array")

    # Operators and methods (``x + y``, ``x.sum()``, ``x[i]``, ``x.at[i]``) are NumPy's, with
    # JAX's promotion: the NumPy layer attaches them (hlox.frontend.numpy.array_methods).
    __hash__ = object.__hash__  # identity, though __eq__ becomes elementwise

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))


def _no_eager_compiler(fun: Callable, name: str) -> Callable:
    raise RuntimeError(f"{name}: eager evaluation compiles through hlox.frontend.staging, "
                       f"which is not loaded (import hlox.frontend)")


# How eager code compiles a function of arrays (the staging layer's JitFunction, which
# it installs: it sits above this layer; importing hlox.frontend loads it).
compile_eagerly: Callable[[Callable, str], Callable] = _no_eager_compiler


def set_eager_compiler(compile_function: Callable[[Callable, str], Callable]) -> None:
    global compile_eagerly
    compile_eagerly = compile_function


_primitive_jits: dict = {}


def apply_compiled(primitive: Primitive, args, params) -> list:
    """Runs ``primitive`` on concrete arrays by compiling it alone (cached)."""
    key = (primitive, tuple(sorted(params.items())))
    fn = _primitive_jits.get(key)
    if fn is None:
        def prim_fun(*xs):
            return primitive.bind(*xs, **params)

        fn = _primitive_jits[key] = compile_eagerly(prim_fun, primitive.name)
    out = fn(*args)
    return list(out) if primitive.multiple_results else [out]


class Trace:
    """Processes primitives applied to its values."""

    def process_primitive(self, primitive: Primitive, args, params) -> list:
        raise NotImplementedError


class EvalTrace(Trace):
    """The bottom trace: runs each primitive on concrete NumPy arrays."""

    def process_primitive(self, primitive, args, params):
        for a in args:
            if isinstance(a, Tracer):  # a tracer leaked out of its trace
                raise TracerError(f"{primitive.name}: {a!r} escaped the function that "
                                  f"traced it (was it stored in a global?)")
        impl = impl_rules.get(primitive)
        if impl is not None:
            out = impl(*(concrete_array(a) for a in args), **params)
            return list(out) if primitive.multiple_results else [out]
        return apply_compiled(primitive, args, params)


class GraphTracer(Tracer):
    __slots__ = ("graph_var",)

    def __init__(self, trace: "GraphTrace", aval: ShapedArray, var: Var):
        super().__init__(trace, aval)
        self.graph_var = var


class GraphTrace(Trace):
    """Records every primitive applied under it into a :class:`Graph`."""

    def __init__(self):
        self.eqns: list[Equation] = []
        self.consts: dict[Var, np.ndarray] = {}
        self._const_ids: dict[int, Var] = {}  # id(numpy array) -> Var
        self._keep_alive: list = []

    def new_arg(self, aval: ShapedArray) -> GraphTracer:
        return GraphTracer(self, aval, Var(aval))

    def to_var(self, value: Any) -> Var:
        """The graph value of ``value``: a tracer of this trace or a constant."""
        if isinstance(value, GraphTracer) and value._trace is self:
            return value.graph_var
        if isinstance(value, Tracer):
            raise TracerError(f"{value!r} belongs to another trace (a tracer from an outer "
                              f"or finished jit was used inside this one)")
        is_array = isinstance(value, np.ndarray) or type(value) in concrete_avals
        if is_array and id(value) in self._const_ids:
            return self._const_ids[id(value)]
        aval = get_aval(value)
        var = Var(aval)
        self.consts[var] = concrete_array(value, aval)
        if is_array:
            self._const_ids[id(value)] = var
            self._keep_alive.append(value)
        return var

    def constant(self, value: np.ndarray, weak: bool = False) -> GraphTracer:
        """A new graph constant of ``value`` (weakly typed if ``weak``)."""
        aval = ShapedArray(value.shape, value.dtype, weak)
        if not weak and id(value) in self._const_ids:  # the same array again
            var = self._const_ids[id(value)]
            if var.aval == aval:
                return GraphTracer(self, aval, var)
        var = Var(aval)
        self.consts[var] = np.asarray(value, dtype=aval.dtype)
        if not weak:
            self._const_ids[id(value)] = var
            self._keep_alive.append(value)
        return GraphTracer(self, aval, var)

    def process_primitive(self, primitive, args, params):
        in_vars = [self.to_var(a) for a in args]
        out_avals = primitive.abstract_eval(*(v.aval for v in in_vars), **params)
        out_vars = [Var(aval) for aval in out_avals]
        self.eqns.append(Equation(primitive, in_vars, out_vars, dict(params),
                                  user_source_info()))
        return [GraphTracer(self, v.aval, v) for v in out_vars]

    def to_graph(self, in_tracers: list[GraphTracer], outs: list) -> Graph:
        outvars = [self.to_var(o) for o in outs]
        used = {v for e in self.eqns for v in e.inputs} | set(outvars)
        consts = {v: c for v, c in self.consts.items() if v in used}
        return Graph([t.graph_var for t in in_tracers], outvars, list(self.eqns), consts)


_trace_stack: list[Trace] = [EvalTrace()]


def current_trace() -> Trace:
    return _trace_stack[-1]


class new_trace:
    """Context manager: ``with new_trace(GraphTrace()) as trace: ...``."""

    def __init__(self, trace: Trace):
        self.trace = trace

    def __enter__(self) -> Trace:
        _trace_stack.append(self.trace)
        return self.trace

    def __exit__(self, *exc):
        popped = _trace_stack.pop()
        assert popped is self.trace, "trace stack out of order"
        return False


def trace_to_graph(fun: Callable, in_avals: list[ShapedArray]) -> tuple[Graph, list]:
    """Traces ``fun(*tracers)`` (flat inputs and outputs) into a Graph.

    Returns the graph and the flat Python outputs (tracers or constants).
    """
    with new_trace(GraphTrace()) as trace:
        tracers = [trace.new_arg(aval) for aval in in_avals]
        outs = fun(*tracers)
        graph = trace.to_graph(tracers, outs)
    return graph, outs


class UndefinedPrimal:
    """A linear input of an equation being transposed: only its abstract value is known."""

    __slots__ = ("aval",)

    def __init__(self, aval: ShapedArray):
        self.aval = aval

    def __repr__(self) -> str:
        return f"UndefinedPrimal({self.aval})"


def is_undefined_primal(x: Any) -> bool:
    return isinstance(x, UndefinedPrimal)
