"""The registered ``interpreter`` backend: the numpy reference interpreter
(:mod:`hlox.backends.interpreter`) behind the backend protocol.

It runs ``@main`` op by op on the host, on the module after the compile
driver's shared StableHLO stage (CHLO decomposed, Shardy annotations dropped)
with its fusion regions inlined back (:data:`PIPELINE`).
It offers as many devices as the ``cpu`` backend (``jax_num_cpu_devices``); a
per-device program of N partitions runs on N of them
(``executable.execute_sharded``), one thread each.
"""

from __future__ import annotations

from mlir import ir

from hlox.backends.base import BackendError, CompileOptions, Device, HostBuffers, host_devices


# Fusion regions (hlox-fuse) mean nothing op by op: their ops, inlined.
PIPELINE: list[str] = ["hlox-inline-fusions"]


class InterpreterBackend(HostBuffers):
    name = "interpreter"
    platform = "interpreter"

    def devices(self) -> list[Device]:
        """``jax_num_cpu_devices`` devices (default 1), made once, as the cpu backend's."""
        devices = self.__dict__.get("_devices")
        if devices is None:
            from hlox.config import config

            devices = self._devices = host_devices(self.name, self.platform,
                                                   config.use_num_cpu_devices())
        return devices

    def pipeline(self) -> list[str]:
        return list(PIPELINE)

    def compile(self, module, options: CompileOptions | None = None):
        from hlox.backends import compiler, interpreter

        if isinstance(module, ir.Module):  # (text has not been through the shared stage)
            with module.context:
                compiler.runner_for(options or CompileOptions(), self.name).run(module, PIPELINE)
        executable = interpreter.compile(module, "main")
        processes = executable.num_replicas * executable.num_partitions
        if options is not None and options.devices and len(options.devices) != processes:
            raise BackendError(f"interpreter: the program runs on {processes} device(s) "
                               f"(mhlo.num_replicas x mhlo.num_partitions) but "
                               f"{len(options.devices)} were assigned to it")
        return executable
