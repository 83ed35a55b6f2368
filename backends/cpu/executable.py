"""A compiled ``@main`` of the ``cpu`` backend: ``execute(buffers)`` and its stages."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from mlir import ir

from hlox.backends.base import MemoryStats
from hlox.backends.cpu import invoke

# The stages named after what they hold (the passes' own stages come first).
NAMED_STAGES = ("linalg", "llvm", "llvm-ir", "asm")

# A constant in the object code holding its own signature (:func:`signature_bytes`):
# an artifact's loader checks the header against it, so a header that lies about
# shapes or dtypes (and would make the code write past a buffer) is refused.
SIGNATURE_SYMBOL = "hlox_signature"


def spec_bytes(spec) -> int:
    """Bytes of one buffer of ``spec``'s shape and dtype."""
    return int(np.prod(spec[0], dtype=np.int64)) * np.dtype(spec[1]).itemsize


def signature_bytes(in_specs, out_specs) -> bytes:
    """``@main``'s argument and result types as the object code records them."""
    def spec(s):
        return f"{np.dtype(s[1]).name}[{','.join(str(int(d)) for d in s[0])}]"
    return ("(" + ";".join(map(spec, in_specs)) + ")->(" +
            ";".join(map(spec, out_specs)) + ")").encode("ascii")


def machine_code(module: ir.Module, in_specs, out_specs):
    """The object code (``llvm_c.CodeGen``) of a module after the pipeline, carrying
    its signature (:data:`SIGNATURE_SYMBOL`)."""
    from hlox.backends.cpu import llvm_c

    return llvm_c.codegen(module, constants={
        SIGNATURE_SYMBOL: signature_bytes(in_specs, out_specs)})


class CpuExecutable:
    """Runs ``@main`` (linked object code, or an ExecutionEngine's) on C-contiguous
    arrays of its argument types.

    ``stages``: the named stages (:data:`NAMED_STAGES`) of this compilation:
    ``linalg`` (the last stage before bufferization), ``llvm`` (MLIR's LLVM
    dialect after the whole pipeline), ``llvm-ir`` (the optimized LLVM IR) and
    ``asm`` (the host assembly: the code an artifact holds), each made when
    first read.
    """

    def __init__(self, engine, module: ir.Module, in_specs, out_specs,
                 pass_stages: Mapping, codegen=None, num_partitions: int = 1,
                 entry: int | None = None, packed: bool = True):
        self._engine = engine
        self._module = module  # the engine's module (its context stays alive with it)
        self.in_specs = list(in_specs)
        self.out_specs = list(out_specs)
        self.pass_stages = pass_stages
        self._codegen = codegen
        self.stages = _NamedStages(self)
        self.num_partitions = num_partitions
        # The entry point: the packed wrapper of an ExecutionEngine (``packed``), else
        # ``_mlir_ciface_main`` of object code linked by ORC (``engine`` is then the
        # llvm_c.LoadedObject).
        self._entry = entry
        self._packed = packed
        self._invoker = None

    def execute(self, buffers: list[np.ndarray]) -> list[np.ndarray]:
        """``@main`` on checked buffers (exact shapes and dtypes, C-contiguous): new arrays."""
        if self._invoker is None:  # prebuilt memref descriptors (the per-call fast path)
            self._invoker = invoke.Invoker(self._entry_point(), self._engine,
                                           [s.shape for s in self.in_specs], self.out_specs,
                                           packed=self._packed)
        return self._invoker(buffers)

    def _entry_point(self) -> int:
        if self._entry is None:
            self._entry = invoke.packed_entry_point(self._engine)
        return self._entry

    def execute_sharded(self, per_device) -> list[list[np.ndarray]]:
        """Runs the per-device program once per partition, all at once:
        ``per_device[p]`` are partition p's (checked) buffers; returns each
        partition's results (after ``hlox.distributed.initialize()``: this
        process's partitions only, ``first = process_index * local_count``).
        One thread per partition (ctypes releases the GIL); collectives meet in
        libhlox_cpu_runtime.so; a failure in any partition is raised here
        (:class:`~hlox.backends.cpu.native_runtime.CollectiveError`)."""
        from hlox.backends import distributed
        from hlox.backends.cpu import native_runtime

        per_device = list(per_device)
        world = None
        local = self.num_partitions
        if distributed.is_initialized():  # this process's partitions only
            processes = distributed.process_count()
            if self.num_partitions % processes:
                raise ValueError(f"this program's {self.num_partitions} partitions do not "
                                 f"split evenly over {processes} processes")
            local = self.num_partitions // processes
            world = (self.num_partitions, distributed.process_index() * local,
                     distributed.make_transport(native_runtime.timeout()))
        if len(per_device) != local:
            raise ValueError(f"this program runs on {self.num_partitions} partition(s)"
                             f"{f', {local} in this process' if world else ''}, "
                             f"got arguments for {len(per_device)}")
        if not self._packed:
            # One partition, linked as object code (no packed entry point): its
            # collectives are identities, so it runs as an ordinary call.
            return [self.execute(buffers) for buffers in per_device]
        if self._invoker is None:
            self._invoker = invoke.Invoker(self._entry_point(), self._engine,
                                           [s.shape for s in self.in_specs], self.out_specs,
                                           packed=self._packed)
        calls = [self._invoker.prepared(buffers) for buffers in per_device]
        try:
            native_runtime.run_partitions([(entry, argument) for entry, argument, _, _ in calls],
                                          world)
        except native_runtime.CollectiveError as error:
            cause = distributed.last_failure()
            if cause:
                raise native_runtime.CollectiveError(f"{error} ({cause})") from None
            raise
        return [outs for _, _, outs, _ in calls]

    def memory_analysis(self) -> MemoryStats | None:
        """Argument, result and temporary bytes (the attributes hlox-cpu-pack-allocations
        left on the module: the arenas plus the other temporaries), and the size of
        the machine code (made by this call if it was not yet); None when the
        pipeline had no hlox-cpu-pack-allocations."""
        with self._module.context:
            attributes = self._module.operation.attributes
            if "hlox.temp_bytes" not in attributes:
                return None  # a pipeline without that pass: unknown
            temporaries, dynamic = (ir.IntegerAttr(attributes[name]).value
                                    for name in ("hlox.temp_bytes", "hlox.dynamic_temps"))
        return MemoryStats(
            argument_size_in_bytes=sum(spec_bytes(s) for s in self.in_specs),
            output_size_in_bytes=sum(spec_bytes(s) for s in self.out_specs),
            temp_size_in_bytes=temporaries,
            generated_code_size_in_bytes=len(self.object_code().object),
            dynamic_temporaries=dynamic)

    def object_code(self):
        """The machine code (``llvm_c.CodeGen``) of the final module, made once."""
        if self._codegen is None:
            with self._module.context:
                self._codegen = machine_code(self._module, self.in_specs, self.out_specs)
        return self._codegen

    def stage_text(self, stage: str) -> str:
        """The IR of a named stage (:data:`NAMED_STAGES`) or of a pass."""
        if stage in ("llvm-ir", "asm"):
            code = self.object_code()
            return code.llvm_ir if stage == "llvm-ir" else code.asm
        names = list(self.pass_stages)
        if stage in ("llvm", "linalg") and not names:
            raise ValueError("the executable kept no stages")
        if stage == "llvm":
            return self.pass_stages[names[-1]]
        if stage == "linalg":
            before = names[0]
            for name in names:
                if "bufferize" in name:
                    return self.pass_stages[before]
                before = name
            raise ValueError("the cpu pipeline has no bufferization pass to stop before")
        if stage in self.pass_stages:
            return self.pass_stages[stage]
        raise ValueError(f"unknown stage {stage!r}; stages: "
                         f"{', '.join(list(self.pass_stages) + list(NAMED_STAGES))}")


class _NamedStages(Mapping):
    """``stage name -> text`` for :data:`NAMED_STAGES`, printed when read."""

    def __init__(self, executable: CpuExecutable):
        self._executable = executable

    def __getitem__(self, key: str) -> str:
        if key not in NAMED_STAGES:
            raise KeyError(key)
        return self._executable.stage_text(key)

    def __iter__(self):
        return iter(NAMED_STAGES)

    def __len__(self) -> int:
        return len(NAMED_STAGES)
