"""The compile driver every backend shares: a StableHLO module in, an executable out.

    executable, stages = compiler.compile(module, backend, CompileOptions(name="f"))

``module`` is the ``ir.Module`` the frontend built (no print/parse on the way)
or StableHLO text (parsed once, here). The driver

1. verifies the module (the MLIR bindings are built with assertions: invalid IR
   reaching a pass could abort the process) and derives ``@main``'s signature,
   once, from its function type;
2. looks the program up in the compile cache (:mod:`hlox.backends.compile_cache`:
   in memory, and on disk for backends that serialize);
3. runs the shared StableHLO stage (:data:`SHARED_PIPELINE`: Shardy annotations
   dropped on one device, CHLO as StableHLO, ops grouped into ``hlox.fusion``
   regions by ``hlox-fuse``; for a program over N > 1 devices
   :data:`hlox.backends.spmd.SPMD_PIPELINE`: propagation and partitioning into the
   per-device program, whose layout :func:`hlox.backends.spmd.read_signature`
   reads for the frontend) once for every backend;
4. hands the module to ``backend.compile(module, options)``, which runs its own
   passes through ``options.runner`` (:class:`StageRunner`) and returns an
   executable over its own buffers.

Every pass, shared or the backend's, runs through one :class:`StageRunner`:
it verifies before every pass (the module first, then MLIR's verifier after
each pass), numbers the stages, writes ``NNN_<pass>.mlir`` into the dump folder
(``HLOX_DUMP_DIR``), keeps a failing pass's input as ``NNN_<pass>.FAILED.mlir``
and raises a :class:`CompilationError` naming the stage and the user's Python
lines (the frontend's locations). Without a dump folder nothing is printed while
compiling: the IR of every stage is made when first read, by running the
passes again on a copy of the input (they are deterministic).

The runner also times every stage (``timings``: stage name -> seconds, passes
and the backend's own steps such as LLVM code generation); the frontend's
``Compiled.compile_stats()`` returns them, and ``HLOX_TIMINGS=1`` prints them
to stderr after each compilation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import sys
import time
from collections import OrderedDict
from collections.abc import Mapping

from mlir import ir

from hlox.backends import compile_cache, spmd
from hlox.backends import get as backend_named
from hlox.backends.base import (BackendError, CompileOptions, main_signature, module_text,
                                parse_module)
from hlox.backends.dumps import StageDumps
from hlox.config import config
from hlox.dialects import first_malformed
from hlox.passes import diagnostics
from hlox.passes import pipeline as pipeline_lib

# The shared StableHLO stage, run before any backend's own passes.
SHARED_PIPELINE: list[str] = [
    # Shardy annotations (JAX prints them for any sharding, even on one
    # device): identities and attributes on one device, so they go first.
    # (A program over several devices takes spmd.SPMD_PIPELINE instead:
    # propagation and partitioning.)
    "hlox-drop-sdy",
    # CHLO ops (erf, lgamma, top_k, ...) that JAX emits, as StableHLO.
    "hlox-chlo-legalize-to-stablehlo",
    # hlox's fusion pass: hlox.fusion regions, one kernel each on cpu; the
    # other backends run hlox-inline-fusions first.
    "hlox-fuse",
    # (Not hlox-stablehlo-canonicalize yet: its rewrite driver moves constants out of
    # sort/reduce bodies, which the linalg lowering needs self-contained.)
]


class CompilationError(BackendError):
    """A stage failed (``stage``: its name); the message names it, the function and,
    through the frontend's locations, the user's lines."""

    def __init__(self, message: str, stage: str | None = None):
        super().__init__(message)
        self.stage = stage


def pass_name(element: str) -> str:
    """``"one-shot-bufferize{...}"`` -> ``"one-shot-bufferize"``."""
    return re.split(r"[{(]", element, maxsplit=1)[0].strip()


def format_diagnostics(error: ir.MLIRError) -> str:
    """An MLIR error's diagnostics, one per line, at the user's Python lines."""
    return diagnostics.format_diagnostics(error, diagnostics.source_location,
                                          indent="  ") or f"  {error}"


class _KeyedStages(Mapping):
    """Stage names known up front, in order; each text looked up when read."""

    def __init__(self, keys):
        self._keys = list(keys)

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __reversed__(self):
        return reversed(self._keys)


class LazyStages(_KeyedStages):
    """Stage name -> IR text, made all at once by ``make_texts()`` when first read.

    Printing a large module after each of ~40 passes costs more than running
    them, and most compilations never read a stage; the names are known up front.
    """

    def __init__(self, keys: list[str], make_texts):
        super().__init__(keys)
        self._make_texts = make_texts
        self._texts = None

    def __getitem__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        if self._texts is None:
            self._texts = self._make_texts()
        return self._texts[key]


# Programs of fewer StableHLO ops than this (in their functions' bodies) are compiled
# without MLIR's multithreading.
MULTITHREADED_PASSES_MIN_OPS = 1000


def top_level_ops(module: ir.Module) -> int:
    """The operations in the bodies of ``module``'s functions (not nested deeper)."""
    return sum(len(block.operations) for function in module.body.operations
               for region in function.regions for block in region.blocks)


class StageRunner:
    """Runs the passes of one compilation, one at a time, and keeps their stages.

    ``run(module, passes)`` runs pipeline elements (C++ or Python passes, with
    options); ``write(name, text)`` records a stage that is not a pass (LLVM IR,
    assembly, what an external compiler got); ``stages()`` maps every pass's name
    (``name#N`` when a pass runs again) to the IR after it.
    """

    def __init__(self, function: str = "main", backend: str = "", dump_root: str | None = None):
        self.function = function
        self.backend = backend
        self.dumps = StageDumps(dump_root, function)
        self.index = 0
        self._keys: list[str] = []
        self._elements: list[str] = []
        self._texts: OrderedDict[str, str] | None = OrderedDict() if self.keep else None
        self._last_text: str | None = None  # the current IR, when dumping
        self._input = None  # a copy of the module before its first pass (to print stages later)
        self._verified = False
        # element -> its PassManager, built once per compilation: a pass runs
        # several times (canonicalize), and building one (parsing the element,
        # a pass's own set-up such as canonicalize's pattern set) costs more
        # than running it on a small program.
        self._pass_managers: dict[str, tuple[ir.Context, object]] = {}
        self.timings: OrderedDict[str, float] = OrderedDict()  # stage -> seconds

    @contextlib.contextmanager
    def timed(self, stage: str):
        """Adds the seconds spent inside to ``timings[stage]`` (a backend's own steps)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - start

    @property
    def keep(self) -> bool:
        """Whether the IR of every stage is printed as it is made (a dump folder is set)."""
        return self.dumps.dir is not None

    def _who(self) -> str:
        return f"hlox {self.backend} backend" if self.backend else "hlox"

    def verify(self, module: ir.Module) -> None:
        """Raises :class:`CompilationError` (keeping the input) unless ``module`` verifies."""
        with self.timed("verify"):
            self._verify(module)

    def _verify(self, module: ir.Module) -> None:
        try:
            module.operation.verify()
        except ir.MLIRError as error:
            self.dumps.write(0, "stablehlo", module_text(module), failed=True)
            raise CompilationError(f"{self._who()}: the StableHLO of '{self.function}' does not "
                                   f"verify:\n{format_diagnostics(error)}", "stablehlo") from None
        problem = first_malformed(module.operation)
        if problem:  # verifies, but a pass would abort the process on it
            self.dumps.write(0, "stablehlo", module_text(module), failed=True)
            raise CompilationError(f"{self._who()}: the StableHLO of '{self.function}' is "
                                   f"malformed: {problem}", "stablehlo")
        self._verified = True

    def begin(self, module: ir.Module) -> None:
        """Verifies the input (unless done) and records it as stage 000 ``stablehlo``."""
        if not self._verified:
            self.verify(module)
        # A small program's passes run on this thread: handing its few functions to
        # MLIR's thread pool (passes on functions, verification after each pass)
        # cost more than the work (~10% of softmax's passes, on CPU and wall-clock).
        module.context.enable_multithreading(
            top_level_ops(module) >= MULTITHREADED_PASSES_MIN_OPS)
        if self.keep:
            self._last_text = str(module)
            self.dumps.write(0, "stablehlo", self._last_text)
        else:
            with self.timed("copy-input"), module.context:
                self._input = module.operation.clone()

    def run(self, module: ir.Module, elements: list[str]) -> None:
        """Runs ``elements`` in order on ``module`` (verified after each by MLIR)."""
        if self._input is None and self._last_text is None:
            self.begin(module)
        with module.context, ir.Location.unknown():  # (Python passes build IR: a context)
            self._run(module, elements)

    def _run(self, module: ir.Module, elements: list[str]) -> None:
        context = module.context
        for element in elements:
            self.index += 1
            name = pass_name(element)
            start = time.perf_counter()
            try:
                pm = self._pass_manager(element, context)
            except pipeline_lib.PipelineError as error:
                raise CompilationError(f"{self._who()}: stage {self.index:03d} '{name}': "
                                       f"{error}", name) from None
            try:
                pm.run(module.operation)
            except ir.MLIRError as error:
                raise self._pass_failed(name, format_diagnostics(error)) from None
            except Exception as error:  # noqa: BLE001  (a Python pass raised)
                raise self._pass_failed(name, f"  {type(error).__name__}: {error}") from error
            key = name if name not in self._keys else f"{name}#{self.index}"
            self.timings[key] = time.perf_counter() - start
            self._keys.append(key)
            self._elements.append(element)
            if self.keep:
                self._last_text = self._texts[key] = str(module)
                self.dumps.write(self.index, name, self._last_text)

    def _pass_manager(self, element: str, context: ir.Context):
        built = self._pass_managers.get(element)
        if built is None or built[0] is not context:
            built = self._pass_managers[element] = (context, pipeline_lib.build([element],
                                                                                context))
        return built[1]

    def _pass_failed(self, name: str, detail: str) -> CompilationError:
        """The error for the pass now running; its input is kept as ``.FAILED``."""
        path = self.dumps.write(self.index, name, self._last_text or "", failed=True)
        kept = f"\n  its input IR is in {path}" if path else \
            "\n  (set HLOX_DUMP_DIR to keep the IR of every stage)"
        return CompilationError(f"{self._who()}: stage {self.index:03d} '{name}' failed on "
                                f"'{self.function}':\n{detail}{kept}", name)

    def write(self, name: str, text: str, *, failed: bool = False,
              suffix: str = ".mlir") -> str | None:
        """Records a non-pass stage as the next numbered dump file; its path, if any."""
        self.index += 1
        return self.dumps.write(self.index, name, text, failed=failed, suffix=suffix)

    def failure(self, name: str, detail: str) -> CompilationError:
        """The error for a non-pass stage (named ``name``) that failed."""
        return CompilationError(f"{self._who()}: stage '{name}' failed on '{self.function}':"
                                f"\n  {detail}", name)

    def stages(self) -> Mapping:
        """Pass name -> the IR after it (printed when first read without a dump folder)."""
        if self.keep:
            return OrderedDict(self._texts)
        return LazyStages(self._keys, self._replay)

    def _replay(self) -> "OrderedDict[str, str]":
        texts: OrderedDict[str, str] = OrderedDict()
        with self._input.context, ir.Location.unknown():
            op = self._input.clone()
            for key, element in zip(self._keys, self._elements):
                pipeline_lib.build([element], op.context).run(op)
                texts[key] = str(op)
        return texts


def runner_for(options: CompileOptions, backend: str) -> StageRunner:
    """The driver's runner in ``options``, or a new one (a backend called directly)."""
    if options.runner is not None:
        return options.runner
    return StageRunner(options.name, backend, config.dump_dir)


class Stages(_KeyedStages):
    """The stages of a compilation: the passes it ran (``passes``), then the
    executable's own (its ``stages``, e.g. the cpu backend's ``asm``); ``timings``:
    the seconds each stage took (:attr:`StageRunner.timings`)."""

    def __init__(self, passes: Mapping, executable, timings: Mapping | None = None):
        self.passes = passes
        self.timings = dict(timings or {})
        self._own = getattr(executable, "stages", None) or {}
        super().__init__(list(passes) + [k for k in self._own if k not in passes])

    def __getitem__(self, key):
        if key in self.passes:
            return self.passes[key]
        if key in self._own:
            return self._own[key]
        raise KeyError(key)


def as_module(module) -> ir.Module:
    """StableHLO text, our ``ir.Module``, or another MLIR binding's module (jaxlib's,
    read through its generic text) as a verified module in a new hlox context."""
    if isinstance(module, ir.Module):
        return module
    return parse_module(module_text(module))


def compile(module, backend=None, options: CompileOptions | None = None):  # noqa: A001
    """``(executable, stages)`` for ``module`` on ``backend`` (a name, a backend
    object, or None for ``hlox.config.backend``). ``module`` is consumed: the
    passes rewrite it in place."""
    if backend is None or isinstance(backend, str):
        backend = backend_named(backend)
    options = options or CompileOptions()
    module = as_module(module)
    start = time.perf_counter()
    runner = StageRunner(options.name, backend.name, config.dump_dir)
    runner.verify(module)  # before anything reads it
    signature = main_signature(module)
    partitions = spmd.num_partitions(module)
    shared = SHARED_PIPELINE if partitions <= 1 else spmd.SPMD_PIPELINE
    after_layout = [] if partitions <= 1 else spmd.SPMD_AFTER_LAYOUT
    if partitions > 1:
        devices = _spmd_devices(backend, options, partitions)
        options = dataclasses.replace(options, devices=devices, device=devices[0])
    options = dataclasses.replace(options, runner=runner, signature=signature)
    shared_and_own = list(shared) + after_layout + list(_backend_pipeline(backend))

    def compile_fn():
        nonlocal options
        runner.begin(module)
        runner.run(module, shared)
        layout = None
        if partitions > 1:
            layout = spmd.read_signature(module, signature)
            runner.run(module, spmd.SPMD_AFTER_LAYOUT)
            options = dataclasses.replace(options, signature=main_signature(module))
        executable = backend.compile(module, options)
        if layout is not None:
            if not callable(getattr(executable, "execute_sharded", None)):
                raise BackendError(f"backend {backend.name!r} cannot run a program over "
                                   f"{partitions} devices: its executable has no "
                                   f"execute_sharded(per-device buffers)")
            executable = spmd.SpmdExecutable(executable, layout, options.devices)
        elif not callable(getattr(executable, "execute", None)):
            raise BackendError(f"backend {backend.name!r} returned {type(executable).__name__}, "
                               f"which has no execute(buffers) (see hlox.backends.base)")
        runner.timings["total"] = time.perf_counter() - start
        if _print_timings():
            report_timings(options.name, backend.name, runner.timings)
        return executable, Stages(runner.stages(), executable, runner.timings)

    if compile_cache.bypassed():
        return compile_fn()
    with runner.timed("fingerprint"):
        fp = compile_cache.fingerprint(str(module), [backend.name] + shared_and_own,
                                       {"device": getattr(options.device, "id", options.device),
                                        "devices": [d.id for d in options.devices],
                                        "extra": options.extra})
    return compile_cache.lookup_or_compile(
        fp, options.name, compile_fn,
        serialize_fn=lambda result: _serialize(backend, result[0], options.name, fp),
        load_fn=lambda data: (_load(data, fp), {}),
        # (SPMD programs stay in the memory cache: artifacts hold one device's program)
        target=_target(backend) if partitions <= 1 else None, owner=backend)


def _print_timings() -> bool:
    import os

    return os.environ.get("HLOX_TIMINGS", "") not in ("", "0")


def report_timings(name: str, backend: str, timings: Mapping, file=None) -> None:
    """Prints ``timings`` (stage -> seconds), slowest first, and their total."""
    file = file or sys.stderr
    total = timings.get("total", sum(timings.values()))
    print(f"hlox: compiled '{name}' on {backend} in {total:.3f} s", file=file)
    stages = sorted(((s, t) for s, t in timings.items() if s != "total"), key=lambda x: -x[1])
    for stage, seconds in stages:
        if seconds >= 0.0005:
            print(f"  {seconds:8.3f} s  {100 * seconds / max(total, 1e-9):5.1f}%  {stage}",
                  file=file)


def _spmd_devices(backend, options: CompileOptions, partitions: int) -> tuple:
    """The device assignment of a program over ``partitions`` devices: the given one
    (which must have that many devices of ``backend``), else the backend's first."""
    devices = tuple(options.devices or ())
    if not devices:
        available = list(backend.devices())
        if len(available) < partitions:
            hint = (" (hlox.config.update('jax_num_cpu_devices', N) before first use, or "
                    "JAX_NUM_CPU_DEVICES=N, gives the cpu backend N devices)"
                    if backend.name == "cpu" else "")
            raise BackendError(f"the program runs on {partitions} devices (its mesh), but "
                               f"backend {backend.name!r} has {len(available)}{hint}")
        devices = tuple(available[:partitions])
    if len(devices) != partitions:
        raise BackendError(f"the program runs on {partitions} devices (its mesh), but "
                           f"{len(devices)} devices were assigned to it")
    return devices


def _backend_pipeline(backend) -> list[str]:
    pipeline = getattr(backend, "pipeline", None)
    return list(pipeline()) if callable(pipeline) else []


def _target(backend) -> str | None:
    """What the disk cache keys on besides the program (None: no disk cache)."""
    hook = getattr(backend, "cache_target", None)
    return hook() if callable(hook) and hasattr(backend, "deserialize") else None


# A cache entry's header names the program it was compiled from: an entry found under
# another program's name (copied, renamed, or a hash collision) is refused, not run.
_FINGERPRINT = "cache_fingerprint"


def _serialize(backend, executable, name: str, fp: str) -> bytes:
    from hlox.backends import aot

    return aot.serialize_executable(backend, executable, name, {_FINGERPRINT: fp})


def _load(data: bytes, fp: str):
    from hlox.backends import aot

    return aot.load_executable(data, expect={_FINGERPRINT: fp})[0]
