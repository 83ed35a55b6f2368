"""The ``cpu`` backend behind the :class:`~hlox.backends.base.Backend` protocol.

An adapter over :class:`hlox.backends.cpu.backend.CpuBackend` (the named pass pipeline,
stage dumps, LLVM, ExecutionEngine), which it does not change. A variant with
another pipeline is ``CpuAdapter(pipeline=[...], name="...")`` or a subclass
overriding :meth:`pipeline` (see examples/backend_plugin).
"""

from __future__ import annotations

import numpy as np

from hlox.backends.cpu import backend as cpu
from hlox.backends.base import CompileOptions, HostBuffers, main_signature, module_text


class CpuExecutable:
    """Runs ``@main``: ``executable(*arrays) -> tuple``; ``stages``: IR after each pass."""

    def __init__(self, inner: cpu.CpuExecutable, in_specs):
        self.inner = inner
        self.in_specs = in_specs
        self.stages = inner.stages
        self.dump_dir = inner.dump_dir

    def __call__(self, *arrays) -> tuple:
        if len(arrays) != len(self.in_specs):
            hint = ("; JAX leaves arguments the program never reads out of @main: lower "
                    "with jax.jit(f, keep_unused=True) to keep one per pytree leaf"
                    if len(arrays) > len(self.in_specs) else "")
            raise TypeError(f"@main takes {len(self.in_specs)} arguments, got {len(arrays)}{hint}")
        args = []
        for i, (a, s) in enumerate(zip(arrays, self.in_specs)):
            a = np.asarray(a, dtype=s.dtype, order="C")  # (keeps 0-d arrays 0-d)
            if a.shape != tuple(s.shape):  # compiled code would read out of bounds
                raise TypeError(f"@main argument {i} has shape {a.shape}, "
                                f"expected {tuple(s.shape)}")
            args.append(a)
        return tuple(self.inner.execute(args))

    def unchecked_call(self, arrays) -> list:
        """``@main`` on arrays the caller has checked (C-contiguous, exact shapes and
        dtypes): ``hlox.jit``'s per-call fast path."""
        return self.inner.execute(arrays)

    def stage_text(self, stage: str) -> str:
        """``"linalg"``, ``"llvm"``, ``"llvm-ir"`` or ``"asm"`` (see :mod:`cpu_aot`)."""
        from hlox.backends.cpu import aot as cpu_aot

        return cpu_aot.stage_text(self.inner, stage)


class CpuAdapter(HostBuffers):
    name = "cpu"
    platform = "cpu"

    def __init__(self, pipeline: list[str] | None = None, name: str | None = None):
        if name is not None:
            self.name = name
        self._pipeline = pipeline

    def pipeline(self) -> list[str]:
        """The passes run after StableHLO, in order (default: ``cpu.PIPELINE``)."""
        return list(cpu.PIPELINE if self._pipeline is None else self._pipeline)

    def devices(self) -> list[str]:
        return ["cpu:0"]

    def compile(self, module, options: CompileOptions | None = None) -> CpuExecutable:
        options = options or CompileOptions()
        # With locations, so that a failing stage points at the user's line.
        text = module_text(module, debug_info=True)
        pipeline = self.pipeline()

        def compile_fn():
            ins, outs = main_signature(text)
            inner = cpu.CpuBackend(pipeline).compile(text, options.name, ins, outs)
            return CpuExecutable(inner, ins)

        from hlox.backends import aot, compile_cache
        from hlox.backends.cpu import aot as cpu_aot

        fp = compile_cache.fingerprint(text, pipeline, {"device": options.device,
                                                        "extra": options.extra})
        return compile_cache.lookup_or_compile(
            fp, options.name, compile_fn,
            lambda exe: cpu_aot.serialize(exe, options.name),
            lambda data: aot.load_executable(data)[0])

    def serialize(self, executable: CpuExecutable, name: str = "main",
                  extra: dict | None = None) -> bytes:
        """An ahead-of-time artifact (object code; see :mod:`hlox.backends.cpu.aot`)."""
        from hlox.backends.cpu import aot as cpu_aot

        return cpu_aot.serialize(executable, name, extra)

    def deserialize(self, header: dict, payload: bytes):
        """Links an artifact's object code (checked by :mod:`hlox.backends.artifact`)."""
        from hlox.backends.cpu import aot as cpu_aot

        return cpu_aot.load(header, payload)

    def __repr__(self):
        return f"<hlox backend {self.name!r} ({len(self.pipeline())} passes)>"
