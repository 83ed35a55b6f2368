"""``hlox.jit``: trace once per input signature, compile, run.

``jit(f)(*args)`` flattens the arguments (pytrees), and looks up a compiled
executable keyed on the input structure, each leaf's abstract value (shape,
dtype, weak_type), the values of the static arguments and the 64-bit mode
(``hlox.config.jax_enable_x64``). On a miss it traces
``f`` to a Graph, emits StableHLO and compiles it on the backend; otherwise it
runs the cached executable. ``jit(f).lower(*args)`` stops after emission and
returns a :class:`Lowered`; ``.compile()`` on that gives a :class:`Compiled`.

Where it runs: on the device its committed Array arguments live on (they
must agree), else on the first device of the backend (``jit(f, backend=...)``,
else ``hlox.config.backend``). Results are :class:`hlox.Array`\\ s on that
device, committed if an argument was.

Repeated calls take a fast path (see :class:`JitFunction`): a cheap key of
the argument types maps to a runner that converts only what needs converting
(an Array already on the device hands over its buffer; a numpy array goes as
it is to a host-memory backend) and calls the executable's ``execute`` (on the
CPU backend, prebuilt memref descriptors: :mod:`hlox.backends.cpu.invoke`).
"""

from __future__ import annotations

import functools
import inspect
import types
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from mlir import ir

from hlox.backends.base import TensorSpec
from hlox.frontend.core import tracing as core
from hlox.frontend.core.tracing import EvalTrace, Graph, ShapedArray, Tracer, current_trace
from hlox.frontend.core.array import Array, backend_of, first_local_device, spec_for
from hlox.frontend.core.emit import emit_module
from hlox.frontend.core.shape_dtype_struct import ShapeDtypeStruct
from hlox.frontend.staging import spmd
from hlox.frontend.staging.jax_interop import JaxLoweredCompiled, import_jax_values, is_jax_lowered
from hlox.config import config
from hlox._pytree import PyTreeDef, keystr, tree_flatten, tree_flatten_with_path, tree_unflatten


class Lowered:
    """A traced and emitted function: its graph and its StableHLO module (or, from
    :func:`compile_stablehlo`, a StableHLO module given as it is: no graph)."""

    def __init__(self, graph: Graph | None, name: str, in_tree: PyTreeDef, out_tree: PyTreeDef,
                 arg_names: Sequence[str] = (), donate_argnums: tuple[int, ...] = (), *,
                 in_avals=None, out_avals=None, module: ir.Module | None = None,
                 source: str | None = None, in_shardings=None, out_shardings=None):
        self.graph = graph
        self.name = name
        self.in_tree = in_tree      # structure of (dynamic positional args, dynamic kwargs)
        self.out_tree = out_tree
        self.arg_names = list(arg_names)  # names of the dynamic positional arguments
        self.donate_argnums = donate_argnums  # among the dynamic positional arguments
        self._in_avals = in_avals
        self._out_avals = out_avals
        self._module = module    # (from StableHLO) the parsed module, until compiled
        self._source = source    # (from StableHLO) its text, with locations
        self._text: str | None = None
        # Per flat argument/result: a NamedSharding or None (propagation decides).
        self.in_shardings = tuple(in_shardings) if in_shardings else ()
        self.out_shardings = tuple(out_shardings) if out_shardings else ()
        self.mesh = spmd.graph_mesh(graph, self.in_shardings + self.out_shardings) \
            if graph is not None else None
        self.backend: str | None = None  # jit(f, backend=...)'s: compile()'s default

    @classmethod
    def from_stablehlo(cls, module, name: str = "main") -> "Lowered":
        """A StableHLO module (text, or an MLIR module: ours or jaxlib's) as a Lowered
        whose arguments are ``@main``'s, flat, and whose result is a tuple."""
        from hlox.backends.base import main_signature, module_text, parse_module

        source = module_text(module, debug_info=True)
        parsed = parse_module(source)
        ins, outs = main_signature(parsed)
        in_tree = tree_flatten((tuple(range(len(ins))), {}))[1]
        out_tree = tree_flatten(tuple(range(len(outs))))[1]
        # (TensorSpecs, not ShapedArrays: the module's types are kept as declared,
        # not canonicalized for the 64-bit mode.)
        return cls(None, name, in_tree, out_tree, in_avals=ins, out_avals=outs,
                   module=parsed, source=source)

    @property
    def in_avals(self) -> list[ShapedArray]:
        return self.graph.in_avals if self.graph is not None else self._in_avals

    @property
    def out_avals(self) -> list[ShapedArray]:
        return self.graph.out_avals if self.graph is not None else self._out_avals

    def compiler_ir(self, context: ir.Context | None = None) -> ir.Module:
        """A new StableHLO ``ir.Module`` (in ``context``, or a new hlox context)."""
        from hlox.dialects import make_context

        if self.graph is None:
            from hlox.backends.base import parse_module

            return parse_module(self._source, context)
        module = emit_module(self.graph, self.name, context or make_context(),
                             in_shardings=self.in_shardings, out_shardings=self.out_shardings)
        try:
            module.operation.verify()
        except ir.MLIRError as error:
            raise RuntimeError(f"hlox.jit({self.name}): emitted StableHLO does not verify "
                             f"(a bug in a lowering rule): {error}") from None
        return module

    def as_text(self, stage: str = "stablehlo", *, debug_info: bool = False) -> str:
        """The program as text at ``stage``: ``"stablehlo"``, ``"graph"`` (hlox's graph),
        or a stage of the default backend (``Compiled.stages()``: a pass name, or one
        the backend names, e.g. the cpu backend's ``"linalg"``, ``"llvm"``,
        ``"llvm-ir"``, ``"asm"``), which compiles it."""
        if stage == "graph":
            if self.graph is None:
                raise ValueError(f"Lowered.as_text: {self.name} was given as StableHLO; it "
                                 f"has no hlox graph")
            return self.graph.pretty()
        if stage != "stablehlo":
            compiled = getattr(self, "_compiled", None)
            if compiled is None:
                from hlox.backends import compile_cache

                with compile_cache.disabled():  # a cached artifact keeps no IR
                    compiled = self._compiled = self.compile()
            return compiled.as_text(stage)
        if self.graph is None:
            if debug_info:
                return self._source
            if self._text is None:
                self._text = str(self._module if self._module is not None
                                 else self.compiler_ir())
            return self._text
        if debug_info:
            return self.compiler_ir().operation.get_asm(enable_debug_info=True)
        if self._text is None:
            self._text = str(self.compiler_ir())
        return self._text

    def compile(self, backend: str | None = None, device=None, *,
                compiler_options: dict | None = None) -> "Compiled":
        """Compiles for ``device`` (a :class:`~hlox.backends.base.Device`), else for the
        first device of ``backend`` (a name from ``hlox.backends.list()``; default:
        ``hlox.config.backend``, i.e. ``$HLOX_BACKEND`` or ``cpu``) through the compile
        driver (:mod:`hlox.backends.compiler`). ``compiler_options``: the backend's own."""
        from hlox import backends
        from hlox.backends import compiler

        if device is not None:
            if backend is not None and backend != device.backend:
                raise ValueError(f"{self.name}: compile(backend={backend!r}) for "
                                 f"{device.describe()}")
            backend = device.backend
        elif backend is None and self.mesh is not None and self.mesh.size > 1:
            backend = self.mesh._flat_devices[0].backend  # where its mesh is
        backend = backend or self.backend
        backend_obj = backends.get(backend)
        if self._module is not None:  # (from StableHLO) parsed once, compiled once
            module, self._module = self._module, None
        else:
            module = self.compiler_ir()
        devices = spmd.program_devices(self, backend_obj, device)
        device = device or (devices[0] if devices else first_local_device(backend_obj))
        executable, stages = compiler.compile(
            module, backend_obj,
            backends.CompileOptions(name=self.name, device=device, devices=devices,
                                    extra=dict(compiler_options or {})))
        return Compiled(self, executable, backend_obj, stages, device)


def compile_stablehlo(module, backend: str | None = None, *, name: str = "main",
                      **compiler_options) -> "Compiled":
    """Compiles a StableHLO module (text, as JAX prints it, or an MLIR module) on
    ``backend``: the same :class:`Compiled` as ``hlox.jit(f).lower(...).compile()``,
    called with ``@main``'s arguments (flat arrays of exactly its types) and
    returning a tuple of its results.

    Given a JAX ``Lowered`` (``jax.jit(f).lower(*args)``), the result takes and returns
    ``f``'s pytrees instead (typed PRNG keys included: see
    :mod:`hlox.frontend.staging.jax_interop`)."""
    if is_jax_lowered(module):
        compiled = Lowered.from_stablehlo(module.as_text(), name).compile(
            backend, compiler_options=compiler_options)
        return JaxLoweredCompiled(compiled, module)
    return Lowered.from_stablehlo(module, name).compile(backend,
                                                        compiler_options=compiler_options)


class Compiled:
    """A compiled function: call it with arguments like the ones it was lowered for."""

    def __init__(self, lowered: Lowered, executable, backend=None, stages=None, device=None):
        self.lowered = lowered
        self.executable = executable
        self.backend = backend
        self.device = device if device is not None else first_local_device(backend)
        self._stages = stages if stages is not None else \
            (getattr(executable, "stages", None) or {})
        self._fast: dict = {}  # as JitFunction._fast, for positional array arguments
        self._layout = None

    @property
    def is_spmd(self) -> bool:
        """Whether it runs over several devices (one program per partition)."""
        return hasattr(self.executable, "execute_sharded") and \
            hasattr(self.executable, "signature")

    def _shardings(self):
        if self._layout is None:
            if self.is_spmd:
                self._layout = spmd.layout(self.lowered, self.executable)
            else:
                from hlox.frontend.core.sharding import SingleDeviceSharding

                one = SingleDeviceSharding(self.device)
                self._layout = (None, [one] * len(self.lowered.in_avals),
                                [one] * len(self.lowered.out_avals))
        return self._layout

    @property
    def input_shardings(self):
        """``(args, kwargs)`` of the shardings the arguments are laid out with (JAX's)."""
        return tree_unflatten(self.lowered.in_tree, self._shardings()[1])

    @property
    def output_shardings(self):
        """The shardings of the results, in the results' structure."""
        return tree_unflatten(self.lowered.out_tree, self._shardings()[2])

    def stages(self) -> list[str]:
        """The names of the stages whose IR :meth:`as_text` can return: ``graph`` (for
        traced functions), ``stablehlo``, every pass the compile driver ran (the shared
        StableHLO stage's, then the backend's), then the stages the backend names."""
        head = (["graph"] if self.lowered.graph is not None else []) + ["stablehlo"]
        return head + [s for s in self._stages if s not in head]

    def compile_stats(self) -> dict[str, float]:
        """Seconds per compilation stage: ``verify``, each pass (named as in
        :meth:`stages`), the backend's own steps (on cpu ``llvm-translate`` and
        ``llvm-opt-codegen``) and ``total``; empty for an executable loaded from
        an artifact (the compilation cache). ``HLOX_TIMINGS=1`` prints them at
        every compilation."""
        return dict(getattr(self._stages, "timings", None) or {})

    def as_text(self, stage: str | None = None) -> str:
        """The IR after ``stage`` (a name from :meth:`stages`; default: the last pass's)."""
        if stage in ("graph", "stablehlo"):
            return self.lowered.as_text(stage)
        if stage is None:
            passes = getattr(self._stages, "passes", self._stages)
            return passes[next(reversed(passes))] if passes else self.lowered.as_text()
        if stage in self._stages:
            return self._stages[stage]
        if not self._stages:
            raise ValueError(f"Compiled.as_text: {self.lowered.name} was loaded from an "
                             f"artifact (the compilation cache), which keeps no "
                             f"{stage!r} IR; Lowered.as_text({stage!r}) compiles it")
        raise ValueError(f"Compiled.as_text: unknown stage {stage!r}; stages: "
                         f"{', '.join(self.stages())}")

    def serialize(self) -> bytes:
        """An ahead-of-time artifact: ``hlox.deserialize(data)`` runs it in any process
        with the same hlox and LLVM, without tracing or compiling."""
        from hlox.backends import aot

        if self.is_spmd:
            raise NotImplementedError(f"{self.lowered.name}: ahead-of-time artifacts hold one "
                                      f"device's program; this one runs over "
                                      f"{len(self.executable.devices)} devices")
        return aot.serialize(self)

    def cost_analysis(self) -> dict:
        """``{'flops', 'transcendentals', 'bytes accessed'}`` estimated from the StableHLO
        (JAX's definitions: see :mod:`hlox.backends.cost_analysis`). A program over several
        devices: per device, from its partitioned program, plus the bytes its collectives
        move (``'collective bytes'``, per kind too; :mod:`hlox.backends.collective_cost`)."""
        from hlox.backends import collective_cost, cost_analysis

        if not self.is_spmd:
            return cost_analysis.analyze(self.lowered.as_text())
        per_device = self.as_text("hlox-spmd-partition")
        return {**cost_analysis.analyze(per_device), **collective_cost.analyze(per_device)}

    def memory_analysis(self):
        """The bytes its arguments, results, temporaries and machine code take
        (:class:`hlox.backends.base.MemoryStats`, JAX's ``CompiledMemoryStats`` names),
        or None where the backend does not tell (as JAX returns None)."""
        analyze = getattr(self.executable, "memory_analysis", None)
        return analyze() if analyze is not None else None

    def __call__(self, *args, **kwargs):
        """Runs on ``args`` (the dynamic arguments: static ones were fixed by ``lower``),
        on the device it was compiled for."""
        lowered = self.lowered
        exact = lowered.graph is None  # StableHLO's types are the contract: no canonicalization
        key = None if kwargs else _fast_key(args, "")  # (raw dtypes: also right when exact)
        if key is not None:
            runner = self._fast.get(key)
            if runner is not None:  # these argument types passed the checks below before
                return runner(args)
        args, kwargs = import_jax_values((args, kwargs))
        leaves, in_tree = tree_flatten((args, kwargs))
        if in_tree != lowered.in_tree:
            raise TypeError(f"{lowered.name}: {_structure_mismatch(lowered, args, kwargs)}")
        _refuse_shape_only(lowered.name, leaves)
        for i, (leaf, aval) in enumerate(zip(leaves, lowered.in_avals)):
            name = functools.partial(_leaf_name, lowered, args, kwargs, i)
            got = _exact_aval(leaf, aval) if exact else _arg_aval(lowered.name, leaf, name)
            if got.shape != aval.shape or got.dtype != aval.dtype:
                raise TypeError(f"{lowered.name}: argument {name()} is {got.str_short()}, "
                                f"compiled for {aval.str_short()}")
        names = functools.partial(_leaf_name, lowered, args, kwargs)
        if self.is_spmd:
            mesh = self._shardings()[0]
            spmd.check_arguments(lowered.name, mesh, leaves, names)
            runner = spmd.make_runner(lowered, self.executable, leaves)
        else:
            if self.device is None:  # compiled for a backend with no device here
                _no_device(lowered.name, self.backend)
            _, committed = _choose_device(lowered.name, leaves, names, self.device, fixed=True)
            runner = _make_runner(lowered, self.executable, self.device, leaves, committed)
        if key is not None:
            self._fast[key] = runner
        return tree_unflatten(lowered.out_tree, runner.run_flat(leaves))


def _structure_mismatch(lowered: Lowered, args: tuple, kwargs: dict) -> str:
    """Which argument does not have the structure the function was compiled for."""
    expected_args, expected_kwargs = lowered.in_tree.child_defs
    if lowered.graph is None and len(args) != len(expected_args.child_defs):
        # JAX leaves arguments the program never reads out of @main.
        hint = ("; JAX leaves arguments the program never reads out of @main: lower with "
                "jax.jit(f, keep_unused=True) to keep one per pytree leaf"
                if len(args) > len(expected_args.child_defs) else "")
        return f"@main takes {len(expected_args.child_defs)} arguments, got {len(args)}{hint}"
    if len(args) != len(expected_args.child_defs):
        return (f"compiled for {len(expected_args.child_defs)} positional arguments "
                f"({', '.join(lowered.arg_names)}), called with {len(args)} (static arguments "
                f"are fixed by lower() and not passed again)")
    for i, (arg, expected) in enumerate(zip(args, expected_args.child_defs)):
        got = tree_flatten(arg)[1]
        if got != expected:
            name = lowered.arg_names[i] if i < len(lowered.arg_names) else f"args[{i}]"
            return (f"argument '{name}' has structure {got!r}, compiled for {expected!r}")
    return (f"called with keyword arguments {tree_flatten(kwargs)[1]!r}, compiled for "
            f"{expected_kwargs!r}")


def _leaf_name(lowered: Lowered, args: tuple, kwargs: dict, index: int) -> str:
    """How the user would name flat argument ``index``: ``x``, ``params['w']``, ``args[2]``."""
    path = tree_flatten_with_path((args, kwargs))[0][index][0]
    return _path_name(path, lowered.arg_names)


def _path_name(path, arg_names) -> str:
    # path[0] picks positional (0) or keyword (1) arguments; path[1] the argument.
    if len(path) < 2:
        return keystr(path)
    if path[0].idx == 1:
        head = str(path[1].key)
    else:
        i = path[1].idx
        head = arg_names[i] if i < len(arg_names) else f"args[{i}]"
    return f"'{head}{keystr(path[2:])}'"


def _exact_aval(leaf: Any, expected) -> TensorSpec:
    """A leaf's shape and own dtype, not canonicalized (StableHLO's types are the
    contract); a Python scalar, weakly typed, takes the expected dtype."""
    if type(leaf) in _PY_SCALARS:
        return TensorSpec((), expected.dtype)
    dtype = getattr(leaf, "dtype", None)
    if dtype is None:
        leaf = np.asarray(leaf)
        dtype = leaf.dtype
    return TensorSpec(tuple(np.shape(leaf)), np.dtype(dtype))


def _refuse_shape_only(name: str, leaves) -> None:
    for leaf in leaves:
        if type(leaf) is ShapeDtypeStruct:
            raise TypeError(f"{name}: a ShapeDtypeStruct has no data to run on; pass it to "
                            f".lower(...) or hlox.eval_shape, and call with arrays")


def _arg_aval(name: str, leaf: Any, describe: Callable[[], str]) -> ShapedArray:
    if isinstance(leaf, Tracer):
        raise TypeError(f"{name}: argument {describe()} is a traced value from another trace")
    try:
        return core.get_aval(leaf)
    except TypeError as error:
        raise TypeError(f"{name}: argument {describe()} of type {type(leaf).__name__} is not "
                        f"an array ({error}); mark it static with static_argnums/"
                        f"static_argnames if it is a Python value") from None


# ---------------------------------------------------------------------------
# jit
# ---------------------------------------------------------------------------

# Python scalar types whose abstract value depends only on the type.
_PY_SCALARS = (bool, int, float, complex)


class JitFunction:
    """The callable ``hlox.jit(f)`` returns.

    Two caches: ``_cache`` is keyed on everything that makes a trace differ
    (argument structure, each leaf's shape/dtype/weak type, static argument
    values) and holds the Lowered and its executable per backend. ``_fast``
    serves repeated calls without static arguments: a cheap key (the backend,
    the structure unless all arguments are positional leaves, each array's
    dtype and shape, each scalar's type) maps straight to a prepared runner,
    so that a cached call builds no abstract values (and, for positional
    arrays, does not even flatten).
    """

    def __init__(self, fun: Callable, static_argnums=None, static_argnames=None,
                 donate_argnums=None, donate_argnames=None, name: str | None = None,
                 backend: str | None = None, in_shardings=None, out_shardings=None):
        if not callable(fun):
            raise TypeError(f"hlox.jit: expected a function, got {type(fun).__name__}")
        self.fun = fun
        self.backend = backend  # None: hlox.config.backend at call time
        # Pytree prefixes of the positional arguments / the results (None: propagation).
        self.in_shardings = in_shardings
        self.out_shardings = out_shardings
        self.name = name or getattr(fun, "__name__", "fn")
        self._params = _positional_params(fun)
        self.static_argnums, self.static_argnames = _argnums_and_argnames(
            self, fun, static_argnums, static_argnames, "static")
        self.donate_argnums, self.donate_argnames = _argnums_and_argnames(
            self, fun, donate_argnums, donate_argnames, "donate")
        both = set(self.static_argnums) & set(self.donate_argnums)
        if both:
            raise ValueError(f"hlox.jit({self.name}): static_argnums and donate_argnums cannot "
                             f"intersect (both name {sorted(both)})")
        both = set(self.static_argnames) & set(self.donate_argnames)
        if both:
            raise ValueError(f"hlox.jit({self.name}): static_argnames and donate_argnames "
                             f"cannot intersect (both name {sorted(both)})")
        self._cache: dict = {}
        self._fast: dict = {}
        self.trace_count = 0  # how many times fun was traced (cache misses)
        functools.update_wrapper(self, fun)

    # Methods: ``@hlox.jit`` on a method binds ``self`` as the first argument.
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return types.MethodType(self, obj)

    def __repr__(self) -> str:
        return f"<hlox.jit of {self.name}>"

    # -- the call path ----------------------------------------------------

    def __call__(self, *args, **kwargs):
        if not isinstance(current_trace(), EvalTrace):
            # Under an enclosing trace (jit inside jit, grad, vmap): trace inline.
            return self.fun(*args, **kwargs)
        backend = self.backend or config.backend
        key = None
        if not self.static_argnums and not self.static_argnames:
            if not kwargs:  # positional arrays/scalars: the arguments are the leaves
                key = _fast_key(args, backend)
                if key is not None:
                    runner = self._fast.get(key)
                    if runner is not None:
                        return runner(args)
            if key is None:  # pytrees: flatten, then the same kind of key
                leaves, in_tree = tree_flatten((args, kwargs))
                key = _fast_key(leaves, backend, in_tree)
                if key is not None:
                    runner = self._fast.get(key)
                    if runner is not None:
                        return runner(leaves)
        lowered, entry, leaves = self._lookup(args, kwargs)
        _refuse_shape_only(self.name, leaves)
        from hlox import backends

        def names(i):
            return _leaf_name(lowered, *self._split(args, kwargs)[1:3], i)

        if lowered.mesh is not None and lowered.mesh.size > 1:
            return self._call_spmd(lowered, entry, leaves, names, key)
        default = first_local_device(backends.get(backend))
        if default is None:
            _no_device(self.name, backends.get(backend))
        device, committed = _choose_device(self.name, leaves, names, default,
                                           backend=self.backend)
        compiled = entry.get(device)  # one executable per device
        if compiled is None:
            compiled = entry[device] = lowered.compile(device=device)
        # Calls with static arguments come here every time: their runners are kept too.
        leaf_key = _fast_key(leaves, backend)
        runner_key = (id(entry), device, leaf_key)  # (entry: this trace's, alive in _cache)
        runner = self._fast.get(runner_key) if leaf_key is not None else None
        if runner is None:
            runner = _make_runner(lowered, compiled.executable, device, leaves, committed)
            if leaf_key is not None:
                self._fast[runner_key] = runner
        if key is not None:
            self._fast[key] = runner
        return tree_unflatten(lowered.out_tree, runner.run_flat(leaves))

    def _call_spmd(self, lowered, entry, leaves, names, key):
        """A call of a program over a mesh of several devices."""
        mesh = lowered.mesh
        spmd.check_arguments(self.name, mesh, leaves, names)
        compiled = entry.get(mesh)
        if compiled is None:
            backend = self.backend
            compiled = entry[mesh] = lowered.compile(backend)
        runner = spmd.make_runner(lowered, compiled.executable, leaves)
        if key is not None:
            self._fast[key] = runner
        return runner(leaves)

    def lower(self, *args, **kwargs) -> Lowered:
        """Traces and emits ``fun`` for these arguments (cached like calls)."""
        return self._lookup(args, kwargs)[0]

    def eval_shape(self, *args, **kwargs):
        """The output's structure of ``ShapedArray``\\ s, without compiling."""
        lowered = self.lower(*args, **kwargs)
        return tree_unflatten(lowered.out_tree, lowered.out_avals)

    def _split(self, args: tuple, kwargs: dict):
        """``(static_key, dynamic_args, dynamic_kwargs, static positions)``."""
        nargs = len(args)
        static_pos = []
        for i in self.static_argnums:
            j = i if i >= 0 else nargs + i
            if 0 <= j < nargs:
                static_pos.append(j)
            elif i >= 0 and self._params is not None and i < len(self._params):
                continue  # passed by keyword (static through static_argnames) or defaulted
            else:
                raise TypeError(f"{self.name}: static_argnums={self.static_argnums} but only "
                                f"{nargs} positional arguments were given")
        static_pos = sorted(set(static_pos))
        static_kw = sorted(k for k in kwargs if k in self.static_argnames)
        static_key = (tuple((j, args[j]) for j in static_pos),
                      tuple((k, kwargs[k]) for k in static_kw))
        try:
            hash(static_key)
        except TypeError:
            for j, v in list(static_key[0]) + list(static_key[1]):
                try:
                    hash(v)
                except TypeError:
                    raise TypeError(
                        f"{self.name}: static argument {self._arg_name(j)} = {v!r} of type "
                        f"{type(v).__name__} is not hashable (static arguments are part of "
                        f"the cache key; pass arrays as dynamic arguments)") from None
            raise
        dynamic = tuple(a for j, a in enumerate(args) if j not in static_pos)
        dyn_kwargs = {k: v for k, v in kwargs.items() if k not in self.static_argnames}
        return static_key, dynamic, dyn_kwargs, static_pos

    def _param_name(self, j) -> str:
        """The name of positional argument ``j`` (or keyword ``j``) in ``fun``'s signature."""
        if isinstance(j, str):
            return j
        if self._params is not None and j < len(self._params):
            return self._params[j]
        return f"args[{j}]"

    def _arg_name(self, j) -> str:
        return f"'{self._param_name(j)}'"

    def _lookup(self, args, kwargs):
        static_key, dynamic, dyn_kwargs, static_pos = self._split(args, kwargs)
        dynamic, dyn_kwargs = import_jax_values((dynamic, dyn_kwargs))
        leaves, in_tree = tree_flatten((dynamic, dyn_kwargs))
        try:
            avals = tuple(core.get_aval(leaf) for leaf in leaves)
        except TypeError:
            avals = None
        if avals is None or any(isinstance(x, Tracer) for x in leaves):
            names = [self._param_name(j) for j in range(len(args)) if j not in static_pos]
            for path, leaf in tree_flatten_with_path((dynamic, dyn_kwargs))[0]:
                _arg_aval(self.name, leaf, lambda path=path: _path_name(path, names))
        # The 64-bit mode is in the key: it decides the arguments' dtypes and every default
        # dtype inside ``fun`` (a trace made with x64 off is redone with it on).
        names = [self._param_name(j) for j in range(len(args)) if j not in static_pos]
        shardings = spmd.arg_shardings(
            self.name, self.in_shardings, dynamic, leaves,
            lambda i: _path_name(tree_flatten_with_path((dynamic, dyn_kwargs))[0][i][0], names))
        key = (in_tree, avals, static_key, config.jax_enable_x64, shardings)
        entry = self._cache.get(key)
        if entry is None:
            lowered = self._trace(static_key, static_pos, in_tree, list(avals), len(args),
                                  shardings)
            entry = self._cache[key] = (lowered, {})
        return entry[0], entry[1], leaves

    def _trace(self, static_key, static_pos, in_tree, avals, nargs, in_shardings=()) -> Lowered:
        self.trace_count += 1
        out_tree_box = []
        statics = dict(static_key[0])
        static_kwargs = dict(static_key[1])

        def flat_fun(*tracers):
            dynamic, kwargs = tree_unflatten(in_tree, tracers)
            it = iter(dynamic)
            args = [statics[j] if j in statics else next(it) for j in range(nargs)]
            outs = self.fun(*args, **kwargs, **static_kwargs)
            out_leaves, out_tree = tree_flatten(outs)
            for i, leaf in enumerate(out_leaves):
                if not isinstance(leaf, (Tracer, Array, np.ndarray, np.generic, bool, int,
                                         float, complex)):
                    raise TypeError(f"{self.name}: output leaf {i} is a "
                                    f"{type(leaf).__name__}, not an array")
            out_tree_box.append(out_tree)
            return out_leaves

        graph, _ = core.trace_to_graph(flat_fun, avals)
        names = [self._param_name(j) for j in range(nargs) if j not in static_pos]
        donated = tuple(i for i, j in enumerate(j for j in range(nargs) if j not in static_pos)
                        if j in self.donate_argnums)
        out_tree = out_tree_box[0]
        out_shardings = spmd.per_leaf(self.out_shardings,
                                      tree_unflatten(out_tree, [0] * out_tree.num_leaves),
                                      out_tree.num_leaves, f"{self.name}: out_shardings")
        for i, (s, aval) in enumerate(zip(out_shardings, graph.out_avals)):
            if s is not None:
                spmd.check_rank(s, aval, f"{self.name}: out_shardings of output {i}")
        lowered = Lowered(graph, self.name, in_tree, out_tree, arg_names=names,
                          donate_argnums=donated, in_shardings=in_shardings,
                          out_shardings=[s if hasattr(s, "mesh") else None
                                         for s in out_shardings])
        lowered.backend = self.backend
        return lowered

    def cache_size(self) -> int:
        return len(self._cache)

    _cache_size = cache_size  # JAX's spelling

    def clear_cache(self) -> None:
        self._cache.clear()
        self._fast.clear()


def _fast_key(leaves, backend: str, in_tree: PyTreeDef | None = None):
    """A cheap cache key for calls whose leaves are all hlox Arrays, NumPy arrays/scalars
    or Python scalars (None if there is anything else): an Array's interned spec
    (abstract value, device, committed), an array's dtype and shape, a scalar's type (and
    the structure around them, unless the arguments are the leaves), the backend and the
    64-bit mode (which decides what those dtypes become)."""
    key = [backend, config.jax_enable_x64]
    if in_tree is not None:
        key.append(in_tree)
    for a in leaves:
        t = type(a)
        if t is Array:
            key.append(a._spec)
        elif t is np.ndarray or issubclass(t, np.ndarray):
            key.append(a.dtype)
            key.append(a.shape)
        elif t in _PY_SCALARS or isinstance(a, np.generic):
            key.append(t)
        else:
            return None
    return tuple(key)


def _choose_device(name: str, leaves, leaf_name: Callable[[int], str], default, *,
                   fixed: bool = False, backend: str | None = None):
    """``(device, committed)``: where a call runs. On the device the committed Array
    arguments live on (they must agree; be ``default`` if the executable is ``fixed`` to
    it; be on ``backend`` if the function names one), else on ``default``. The results
    are committed if an argument was."""
    first = None
    for i, a in enumerate(leaves):
        if type(a) is not Array or not a._spec.committed:
            continue
        device = a._spec.device
        if device is None:
            raise NotImplementedError(f"{name}: argument {leaf_name(i)} is sharded over "
                                      f"{len(a.sharding.device_set)} devices; jit runs on "
                                      f"one device for now")
        if first is None:
            first = (i, device)
        elif device != first[1]:
            raise ValueError(
                f"{name}: incompatible devices for a jitted computation: argument "
                f"{leaf_name(first[0])} is committed to {first[1].describe()}, argument "
                f"{leaf_name(i)} to {device.describe()} (move them to one device with "
                f"hlox.device_put)")
    if first is None:
        return default, False
    i, device = first
    if (fixed and device != default) or (backend is not None and device.backend != backend):
        where = default.describe() if fixed else f"backend {backend!r}"
        raise ValueError(f"{name}: argument {leaf_name(i)} is committed to "
                         f"{device.describe()}, but the function was compiled for {where} "
                         f"(move the argument with hlox.device_put)")
    return device, True


def _no_device(name: str, backend) -> None:
    """Raises: ``backend`` has no device in this process (the cuda backend without a
    GPU compiles, but cannot run); its ``why_no_devices()`` says why."""
    from hlox.backends.base import BackendError

    why = getattr(backend, "why_no_devices", lambda: "")()
    raise BackendError(f"{name}: backend {backend.name!r} has no device here"
                       f"{': ' + why if why else ''}")


def _make_runner(lowered: Lowered, executable, device, leaves, committed: bool):
    """``runner(leaves) -> results`` (and ``runner.run_flat``: the flat results): the
    work a cached call with arguments like ``leaves`` has left. Each argument becomes a
    buffer the cheapest way (an Array on ``device`` hands over its buffer, a numpy array
    goes as it is to a host-memory backend, anything else is put on the device), the
    executable runs, its result buffers become Arrays on ``device``."""
    from hlox.backends.base import HostBuffers

    backend = backend_of(device)
    host = isinstance(backend, HostBuffers)  # its buffers are numpy arrays
    to_device = backend.to_device
    dtypes = [aval.dtype for aval in lowered.in_avals]
    asarray = np.asarray
    # How each argument becomes a buffer, by the kind of the leaves of this call.
    on_device = [type(a) is Array and a._spec.device == device and a.dtype == d
                 for a, d in zip(leaves, dtypes)]
    if all(on_device):
        def buffers(leaves):
            return [a._buffers[0] for a in leaves]
    elif host and not any(type(a) is Array for a in leaves):
        def buffers(leaves):
            return [asarray(a, d, order="C") for a, d in zip(leaves, dtypes)]
    else:
        def convert(kind_on_device, d):
            if kind_on_device:
                return lambda a: a._buffers[0]
            if host:
                return lambda a: asarray(a, d, order="C")
            return lambda a: to_device(asarray(a, d, order="C"), device)
        converters = [convert(k, d) for k, d in zip(on_device, dtypes)]

        def buffers(leaves):
            return [c(a) for c, a in zip(converters, leaves)]

    execute = executable.execute
    out_specs = [spec_for(aval if isinstance(aval, ShapedArray) else
                          ShapedArray.exact(aval.shape, aval.dtype), device, committed)
                 for aval in lowered.out_avals]
    out_tree = lowered.out_tree
    if len(out_specs) == 1:
        spec = out_specs[0]

        def run_flat(leaves):
            return [Array(spec, [execute(buffers(leaves))[0]])]
    else:
        def run_flat(leaves):
            return [Array(s, [o]) for s, o in zip(out_specs, execute(buffers(leaves)))]

    if out_tree.kind is None:  # one array out
        def runner(leaves):
            return Array(spec, [execute(buffers(leaves))[0]])
    else:
        def runner(leaves):
            return tree_unflatten(out_tree, run_flat(leaves))
    runner.run_flat = run_flat
    return runner


def _positional_params(fun) -> list[str] | None:
    """Names of ``fun``'s positional parameters (None if they cannot be known)."""
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        return None
    names = []
    for p in sig.parameters.values():
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            break  # *args: no names past here
    return names


def _argnums_and_argnames(jf: JitFunction, fun, argnums, argnames, what: str):
    """Validated ``(argnums, argnames)`` as JAX infers them: each also implies the
    other through the signature (a static positional parameter passed by keyword
    is still static)."""
    label = f"{what}_argnums"
    if argnums is None:
        argnums = ()
    elif isinstance(argnums, int):
        argnums = (argnums,)
    argnums = tuple(argnums)
    for i in argnums:
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            raise TypeError(f"hlox.jit({jf.name}): {label} must be ints, got {i!r}")
    argnums = tuple(sorted(set(int(i) for i in argnums)))
    if argnames is None:
        argnames = ()
    elif isinstance(argnames, str):
        argnames = (argnames,)
    argnames = tuple(argnames)
    for n in argnames:
        if not isinstance(n, str):
            raise TypeError(f"hlox.jit({jf.name}): {what}_argnames must be strings, got {n!r}")
    try:
        sig = inspect.signature(fun)
    except (TypeError, ValueError):
        return argnums, argnames
    params = sig.parameters
    positional = [n for n, p in params.items()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    has_varargs = any(p.kind == p.VAR_POSITIONAL for p in params.values())
    has_varkw = any(p.kind == p.VAR_KEYWORD for p in params.values())
    if not has_varargs:
        for i in argnums:
            if i >= len(positional) or i < -len(positional):
                raise ValueError(f"hlox.jit({jf.name}): {label}={argnums}, but the function "
                                 f"only accepts {len(positional)} positional arguments")
    if not has_varkw:
        unknown = sorted(set(argnames) - set(params))
        if unknown:
            raise ValueError(f"hlox.jit({jf.name}): {what}_argnames names {unknown}, which "
                             f"the function does not take")
    # Infer the counterpart from the signature.
    named = set(argnames)
    for i in argnums:
        if 0 <= i < len(positional) and \
                params[positional[i]].kind == inspect.Parameter.POSITIONAL_OR_KEYWORD:
            named.add(positional[i])
    nums = set(argnums)
    for n in argnames:
        if n in positional:
            nums.add(positional.index(n))
    return tuple(sorted(nums)), tuple(sorted(named))


def jit(fun: Callable | None = None, *, static_argnums: int | Sequence[int] | None = None,
        static_argnames: str | Iterable[str] | None = None,
        donate_argnums: int | Sequence[int] | None = None,
        donate_argnames: str | Iterable[str] | None = None,
        backend: str | None = None, keep_unused: bool = False, inline: bool = False,
        in_shardings=None, out_shardings=None):
    """Compiles ``fun`` on first call per input signature (JAX's ``jax.jit``).

    ``static_argnums``/``static_argnames``: arguments that are Python values
    baked into the trace (hashable; a new value retraces). Either implies the
    other through ``fun``'s signature, as in JAX.
    ``donate_argnums``/``donate_argnames``: validated as JAX does, recorded on
    ``Lowered.donate_argnums``. On the CPU backend donation is a no-op: results
    always get new buffers and a donated array stays valid and unchanged.
    ``backend``: a name from ``hlox.backends.list()``; default
    ``hlox.config.backend`` (``$HLOX_BACKEND``, else ``cpu``) when called.
    ``in_shardings``/``out_shardings``: how the arguments/results are split over a mesh:
    a sharding (``NamedSharding``; a ``PartitionSpec`` inside ``with mesh:``) for all, or
    a pytree prefix of the positional arguments/the results with ``None`` where
    propagation decides. Sharded Array arguments bring their own (they must agree).
    A program over a mesh of N > 1 devices is partitioned and runs on all of them.
    ``keep_unused``, ``inline``: accepted for compatibility (unused arguments
    are always kept; a jit inside a trace is always inlined).

    Usable as ``@jit``, ``@jit(static_argnums=...)`` and
    ``functools.partial(jit, static_argnums=...)``.
    """
    options = dict(static_argnums=static_argnums, static_argnames=static_argnames,
                   donate_argnums=donate_argnums, donate_argnames=donate_argnames,
                   backend=backend, in_shardings=in_shardings, out_shardings=out_shardings)
    if fun is None:
        return lambda f: JitFunction(f, **options)
    return JitFunction(fun, **options)


# Eager evaluation (EvalTrace, eager control flow) compiles through jit: this layer sits
# above core, so it installs itself there.
core.set_eager_compiler(lambda fun, name: JitFunction(fun, name=name))
