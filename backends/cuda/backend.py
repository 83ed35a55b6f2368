"""The ``cuda`` backend: StableHLO -> linalg -> parallel loops -> GPU kernels ->
NVVM -> PTX -> cubin, and a launch plan for the host side.

It receives the module after the compile driver's shared StableHLO stage and
runs :data:`PIPELINE` through the driver's runner (every stage dumped), then,
outside MLIR: ``ptxas`` assembles each kernel module's PTX into a cubin for the
target architecture (:mod:`.target`; its ``-v`` report, registers, shared memory
and spills per kernel, is the stage ``ptxas``) and :mod:`.launch_plan` reads the
host side of ``@main``. The executable's stages add ``ptx``, ``ptxas`` and
``launch-plan`` to the passes' (``as_text("ptx")``).

Compiling needs no GPU (cross-compilation: the architecture comes from
``hlox.config.cuda_arch`` / ``HLOX_CUDA_ARCH``, default sm_80); running needs the
CUDA driver (:mod:`.runtime`). Without one the backend has no devices and calling
a compiled function raises "no CUDA driver found".
"""

from __future__ import annotations

from hlox.backends import compiler
from hlox.backends.base import BackendError, CompileOptions, Device, main_signature
from hlox.backends.cpu.passes import results_in_place  # noqa: F401  (a generic buffer pass)
from hlox.backends.cuda import pass_provider  # noqa: F401  (registers hlox-cuda-*)
from hlox.backends.cuda import target as target_lib
from hlox.backends.cuda.executable import CudaExecutable, KernelModule

# Before the target's element (nvvm-attach-target, added per architecture).
LOWERING: list[str] = [
    # The shared stage's fusion regions inlined back: this backend maps every
    # loop nest to kernels itself.
    "hlox-inline-fusions",
    # StableHLO the linalg lowering has no pattern for, in terms it has (as on cpu).
    "hlox-stablehlo-composite-to-call",
    "hlox-stablehlo-fold-tuples",
    "hlox-stablehlo-resolve-shape-operands",
    "hlox-stablehlo-expand-complex",
    # quantized tensors as their storage integers (dequantize -> op -> quantize).
    "hlox-stablehlo-lower-quantized",
    "hlox-stablehlo-expand-triangular-solve",
    "hlox-stablehlo-legalize-to-linalg",
    # JAX's private functions inlined (a kernel cannot call a host function; in
    # linalg, since the stablehlo dialect has no inliner interface).
    "inline",
    "symbol-dce",
    # Named ops as generics, so that broadcasts fuse into their consumers: one
    # kernel per fused elementwise nest.
    "linalg-generalize-named-ops",
    "linalg-fuse-elementwise-ops",
    "canonicalize",
    "cse",
    # The caller's buffers are read-only: bufferization copies instead of writing them.
    "hlox-readonly-arguments",
    "one-shot-bufferize{bufferize-function-boundaries allow-return-allocs-from-loops "
    "function-boundary-type-conversion=identity-layout-map}",
    "canonicalize",
    "buffer-results-to-out-params{modify-public-functions}",
    "canonicalize",
    # Results computed straight into the caller's buffers (no temporary + copy kernel).
    "hlox-cpu-results-in-place",
    "hlox-cuda-copies-to-linalg",
    # Row reductions (the contiguous last dimension): one warp per output element.
    "hlox-cuda-warp-reductions",
    # Matmuls: one thread per 4x4 result tile, its sums in registers.
    "hlox-cuda-register-tiles",
    # Parallel dimensions as scf.parallel, reductions as scf.for inside them.
    "convert-linalg-to-parallel-loops",
    # Bools and int4/int2 are bytes in memory (NumPy's layout; LLVM's lowering
    # of memref loads and stores needs whole bytes).
    "hlox-widen-sub-byte-memrefs",
    "canonicalize",
    # Each top-level loop nest a kernel (blocks x threads, coalesced); the rest
    # one-thread kernels (hlox.backends.cuda.passes).
    "hlox-cuda-map-to-gpu",
    "convert-parallel-loops-to-gpu",
    "canonicalize",
    # Constants into the kernels (divisions by a constant extent become multiplications).
    "gpu-launch-sink-index-computations",
    "gpu-kernel-outlining",
    "lower-affine",
    "convert-scf-to-cf",
]

# After nvvm-attach-target: the kernels to NVVM, then PTX (in process, LLVM's NVPTX).
TO_PTX: list[str] = [
    "gpu.module(expand-strided-metadata, lower-affine, convert-complex-to-standard, "
    "arith-emulate-unsupported-floats{source-types=bf16,f16 target-type=f32}, "
    "convert-gpu-to-nvvm, convert-math-to-llvm, canonicalize, cse, "
    "reconcile-unrealized-casts)",
    "gpu-module-to-binary{format=isa}",
]


def pipeline_for(arch: str) -> list[str]:
    """The passes for architecture ``arch`` (checked: an unknown one is an error here)."""
    return LOWERING + [target_lib.attach_target_pass(arch)] + TO_PTX


class CudaBackend:
    """The registered ``cuda`` backend (always listed; devices only with a driver)."""

    name = "cuda"
    platform = "cuda"

    def __init__(self, arch: str | None = None):
        self._arch = arch  # None: hlox.config.cuda_arch when compiling

    def arch(self) -> str:
        return target_lib.arch(self._arch)

    def pipeline(self) -> list[str]:
        try:
            return pipeline_for(self.arch())
        except target_lib.TargetError as error:
            raise BackendError(str(error)) from None

    def cache_target(self) -> str:
        return "\0".join([self.arch(), target_lib.ptxas_version()])

    def devices(self) -> list[Device]:
        """One device per GPU the CUDA driver sees; none without a driver."""
        from hlox.backends.cuda import runtime

        return runtime.devices(self.name)

    def why_no_devices(self) -> str:
        """Why :meth:`devices` is empty ("no CUDA driver found ..."), or ""."""
        from hlox.backends.cuda import runtime

        try:
            runtime.driver()
        except (runtime.NoDriverError, runtime.CudaError) as error:
            return str(error)
        return ""

    def to_device(self, array, device):
        from hlox.backends.cuda import runtime

        return runtime.driver().to_device(array, device)

    def from_device(self, buffer):
        from hlox.backends.cuda import runtime

        return runtime.driver().from_device(buffer)

    def compile(self, module, options: CompileOptions | None = None) -> CudaExecutable:
        options = options or CompileOptions()
        runner = compiler.runner_for(options, self.name)
        in_specs, out_specs = options.signature or main_signature(module)
        attributes = module.operation.attributes
        if "mhlo.num_partitions" in attributes or options.devices:
            from mlir import ir

            partitions = (ir.IntegerAttr(attributes["mhlo.num_partitions"]).value
                          if "mhlo.num_partitions" in attributes else 1)
            if partitions > 1 or len(options.devices) > 1:
                raise BackendError("cuda: programs over several devices (SPMD) are not "
                                   "supported yet")
        arch = self.arch() if self._arch is None else self._arch
        try:
            passes = pipeline_for(arch)
        except target_lib.TargetError as error:
            raise compiler.CompilationError(str(error), "nvvm-attach-target") from None
        # One thread: a diagnostic that a nested gpu.module pass reports from a worker
        # thread would reach the Python diagnostic handler without the GIL.
        module.context.enable_multithreading(False)
        runner.run(module, passes)
        modules = self._assemble(module, runner, arch)
        plan = self._plan(module, runner, len(in_specs))
        return CudaExecutable(arch, modules, plan, in_specs, out_specs, runner.stages())

    @staticmethod
    def _assemble(module, runner, arch: str) -> list[KernelModule]:
        """Each gpu.binary's PTX through ptxas: cubin and resource report."""
        from mlir import ir
        from mlir.dialects import gpu

        modules = []
        for op in module.body.operations:
            if op.operation.name != "gpu.binary":
                continue
            name = ir.StringAttr(op.operation.attributes["sym_name"]).value
            objects = list(ir.ArrayAttr(op.operation.attributes["objects"]))
            ptx = gpu.ObjectAttr(objects[0]).object.decode("utf-8").rstrip("\0")
            modules.append(KernelModule(name, ptx, b"", ""))
        ptx_text = "".join(f"// ---- module {m.name}\n{m.ptx}" for m in modules)
        runner.write("ptx", ptx_text, suffix=".ptx")
        if target_lib.ptxas_path() is None:
            runner.write("ptxas", "ptxas not found: PTX only (the driver JIT-compiles it)\n",
                         suffix=".txt")
            return modules
        reports = []
        for m in modules:
            try:
                m.cubin, m.report = target_lib.assemble(m.ptx, arch)
            except target_lib.TargetError as error:
                path = runner.write("ptxas", m.ptx, failed=True, suffix=".ptx")
                raise runner.failure("ptxas", f"{error}\n  its input PTX is in {path}") \
                    from None
            reports.append(m.report)
        runner.write("ptxas", "".join(reports), suffix=".txt")
        return modules

    @staticmethod
    def _plan(module, runner, num_inputs: int):
        from hlox.backends.cuda import launch_plan

        try:
            plan = launch_plan.extract(module, num_inputs)
        except launch_plan.PlanError as error:
            raise runner.failure("launch-plan", str(error)) from None
        runner.write("launch-plan", plan.text(), suffix=".txt")
        return plan

    def serialize(self, executable, name: str = "main", extra: dict | None = None) -> bytes:
        """An artifact holding each kernel module's cubin and PTX and the launch plan."""
        from hlox.backends.cuda import aot

        return aot.serialize(executable, name, extra)

    def deserialize(self, header: dict, payload: bytes):
        from hlox.backends.cuda import aot

        return aot.load(header, payload)

    def __repr__(self):
        return f"<hlox backend {self.name!r}>"
