"""``hlox.jit``: trace once per input signature, compile, run.

``jit(f)(*args)`` flattens the arguments (pytrees), and looks up a compiled
executable keyed on the input structure, each leaf's abstract value (shape,
dtype, weak_type) and the values of the static arguments. On a miss it traces
``f`` to a Graph, emits StableHLO and compiles it on the backend; otherwise it
runs the cached executable. ``jit(f).lower(*args)`` stops after emission and
returns a :class:`Lowered`; ``.compile()`` on that gives a :class:`Compiled`.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np
from mlir import ir

from hlox.frontend import core
from hlox.frontend.core import EvalTrace, Graph, ShapedArray, Tracer, current_trace
from hlox.frontend.array import wrap
from hlox.frontend.emit import emit_module
from hlox.frontend.tree_util import PyTreeDef, tree_flatten, tree_unflatten


class Lowered:
    """A traced and emitted function: its graph and its StableHLO module."""

    def __init__(self, graph: Graph, name: str, in_tree: PyTreeDef, out_tree: PyTreeDef):
        self.graph = graph
        self.name = name
        self.in_tree = in_tree
        self.out_tree = out_tree
        self._text: str | None = None

    @property
    def in_avals(self) -> list[ShapedArray]:
        return self.graph.in_avals

    @property
    def out_avals(self) -> list[ShapedArray]:
        return self.graph.out_avals

    def compiler_ir(self, context: ir.Context | None = None) -> ir.Module:
        """A new StableHLO ``ir.Module`` (in ``context``, or a new hlox context)."""
        from hlox.dialects import make_context

        module = emit_module(self.graph, self.name, context or make_context())
        try:
            module.operation.verify()
        except ir.MLIRError as error:
            raise RuntimeError(f"hlox.jit({self.name}): emitted StableHLO does not verify "
                             f"(a bug in a lowering rule): {error}") from None
        return module

    def as_text(self, stage: str = "stablehlo", *, debug_info: bool = False) -> str:
        """The program as text: ``"stablehlo"`` (pretty MLIR) or ``"graph"`` (hlox's graph)."""
        if stage == "graph":
            return self.graph.pretty()
        if stage != "stablehlo":
            raise ValueError(f"Lowered.as_text: unknown stage {stage!r} (use 'stablehlo' or "
                             f"'graph'; compiled stages are on .compile().as_text(stage))")
        if debug_info:
            return self.compiler_ir().operation.get_asm(enable_debug_info=True)
        if self._text is None:
            self._text = str(self.compiler_ir())
        return self._text

    def compile(self, backend: str | None = None) -> "Compiled":
        """Compiles on ``backend`` (a name from ``hlox.backends.list()``; default:
        ``hlox.config.backend``, i.e. ``$HLOX_BACKEND`` or ``cpu``)."""
        from hlox import backends

        backend_obj = backends.get(backend)
        # With locations, so that backend errors name the user's lines.
        executable = backend_obj.compile(self.as_text(debug_info=True),
                                         backends.CompileOptions(name=self.name))
        return Compiled(self, executable, backend_obj)


class Compiled:
    """A compiled function: call it with arguments like the ones it was lowered for."""

    def __init__(self, lowered: Lowered, executable, backend=None):
        self.lowered = lowered
        self.executable = executable
        self.backend = backend

    def stages(self) -> list[str]:
        """The names of the stages whose IR :meth:`as_text` can return."""
        return ["graph", "stablehlo"] + list(getattr(self.executable, "stages", {}))

    def as_text(self, stage: str | None = None) -> str:
        """The IR after ``stage`` (a pass name from :meth:`stages`; default: the last)."""
        if stage in ("graph", "stablehlo"):
            return self.lowered.as_text(stage)
        stages = getattr(self.executable, "stages", None) or {"stablehlo": self.lowered.as_text()}
        if stage is None:
            return next(reversed(stages.values()))
        if stage not in stages:
            raise ValueError(f"Compiled.as_text: unknown stage {stage!r}; stages: "
                             f"{', '.join(self.stages())}")
        return stages[stage]

    def __call__(self, *args, **kwargs):
        leaves, in_tree = tree_flatten((args, kwargs))
        lowered = self.lowered
        if in_tree != lowered.in_tree:
            raise TypeError(f"{lowered.name}: called with argument structure {in_tree!r}, "
                            f"compiled for {lowered.in_tree!r}")
        arrays = []
        for i, (leaf, aval) in enumerate(zip(leaves, lowered.in_avals)):
            got = _arg_aval(lowered.name, leaf, i)
            if got.shape != aval.shape or got.dtype != aval.dtype:
                raise TypeError(f"{lowered.name}: argument {i} is {got.str_short()}, compiled "
                                f"for {aval.str_short()}")
            arrays.append(np.ascontiguousarray(leaf, dtype=aval.dtype))
        return tree_unflatten(lowered.out_tree, [wrap(o) for o in self.executable(*arrays)])


def _arg_aval(name: str, leaf: Any, index: int) -> ShapedArray:
    if isinstance(leaf, Tracer):
        raise TypeError(f"{name}: argument {index} is a traced value from another trace")
    try:
        return core.get_aval(leaf)
    except TypeError as error:
        raise TypeError(f"{name}: argument leaf {index}: {error}") from None


class JitFunction:
    """The callable ``hlox.jit(f)`` returns."""

    def __init__(self, fun: Callable, static_argnums: Sequence[int] = (), name: str | None = None,
                 backend: str | None = None):
        self.fun = fun
        self.backend = backend  # None: hlox.config.backend at call time
        self.static_argnums = tuple(sorted(set(int(i) for i in static_argnums)))
        self.name = name or getattr(fun, "__name__", "fn")
        self._cache: dict = {}
        self.trace_count = 0  # how many times fun was traced (cache misses)
        functools.update_wrapper(self, fun)

    def _split_static(self, args: tuple):
        static = []
        for i in self.static_argnums:
            j = i if i >= 0 else len(args) + i
            if not 0 <= j < len(args):
                raise TypeError(f"{self.name}: static_argnums={self.static_argnums} but only "
                                f"{len(args)} positional arguments were given")
            static.append(j)
        static_vals = tuple(args[j] for j in sorted(set(static)))
        for v in static_vals:
            try:
                hash(v)
            except TypeError:
                raise TypeError(f"{self.name}: static argument {v!r} of type {type(v).__name__} "
                                f"is not hashable") from None
        dynamic = tuple(a for j, a in enumerate(args) if j not in set(static))
        return sorted(set(static)), static_vals, dynamic

    def lower(self, *args, **kwargs) -> Lowered:
        """Traces and emits ``fun`` for these arguments (cached like calls)."""
        return self._lookup(args, kwargs)[0]

    def _lookup(self, args, kwargs):
        static_pos, static_vals, dynamic = self._split_static(args)
        leaves, in_tree = tree_flatten((dynamic, kwargs))
        avals = tuple(_arg_aval(self.name, leaf, i) for i, leaf in enumerate(leaves))
        key = (in_tree, avals, static_vals)
        entry = self._cache.get(key)
        if entry is None:
            entry = [self._trace(static_pos, static_vals, in_tree, list(avals), len(args)), {}]
            self._cache[key] = entry
        return entry[0], entry, leaves

    def _trace(self, static_pos, static_vals, in_tree, avals, nargs) -> Lowered:
        self.trace_count += 1
        out_tree_box = []

        def flat_fun(*tracers):
            dynamic, kwargs = tree_unflatten(in_tree, tracers)
            it, statics = iter(dynamic), dict(zip(static_pos, static_vals))
            args = [statics[j] if j in statics else next(it) for j in range(nargs)]
            outs = self.fun(*args, **kwargs)
            out_leaves, out_tree = tree_flatten(outs)
            for i, leaf in enumerate(out_leaves):
                if not isinstance(leaf, (Tracer, np.ndarray, np.generic, bool, int, float)):
                    raise TypeError(f"{self.name}: output leaf {i} is a "
                                    f"{type(leaf).__name__}, not an array")
            out_tree_box.append(out_tree)
            return out_leaves

        graph, _ = core.trace_to_graph(flat_fun, avals)
        return Lowered(graph, self.name, in_tree, out_tree_box[0])

    def __call__(self, *args, **kwargs):
        if not isinstance(current_trace(), EvalTrace):
            # Under an enclosing trace (jit inside jit): trace inline.
            return self.fun(*args, **kwargs)
        lowered, entry, leaves = self._lookup(args, kwargs)
        from hlox.config import config

        backend = self.backend or config.backend
        compiled: Compiled | None = entry[1].get(backend)
        if compiled is None:
            compiled = entry[1][backend] = lowered.compile(backend)
        arrays = [np.ascontiguousarray(leaf, dtype=aval.dtype)
                  for leaf, aval in zip(leaves, lowered.in_avals)]
        return tree_unflatten(lowered.out_tree, [wrap(o) for o in compiled.executable(*arrays)])

    def cache_size(self) -> int:
        return len(self._cache)

    def clear_cache(self) -> None:
        self._cache.clear()


def jit(fun: Callable | None = None, *, static_argnums: int | Sequence[int] = (),
        backend: str | None = None):
    """Compiles ``fun`` on first call per input signature (JAX's ``jax.jit``).

    ``static_argnums``: positions of arguments that are Python values baked
    into the trace (they must be hashable; a new value retraces).
    ``backend``: a name from ``hlox.backends.list()``; default
    ``hlox.config.backend`` (``$HLOX_BACKEND``, else ``cpu``) when called.
    """
    if isinstance(static_argnums, int):
        static_argnums = (static_argnums,)
    if fun is None:
        return lambda f: JitFunction(f, static_argnums, backend=backend)
    return JitFunction(fun, static_argnums, backend=backend)


# ---------------------------------------------------------------------------
# Running one primitive on concrete arrays (EvalTrace)
# ---------------------------------------------------------------------------

_primitive_jits: dict = {}


def apply_primitive(primitive: core.Primitive, args, params) -> list[np.ndarray]:
    """Runs ``primitive`` on NumPy arrays by compiling it alone (cached)."""
    key = (primitive, tuple(sorted(params.items())))
    fn = _primitive_jits.get(key)
    if fn is None:
        def prim_fun(*xs):
            return primitive.bind(*xs, **params)

        fn = _primitive_jits[key] = JitFunction(prim_fun, name=primitive.name)
    out = fn(*args)
    return list(out) if primitive.multiple_results else [out]
