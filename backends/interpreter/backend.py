"""The registered ``interpreter`` backend: the numpy reference interpreter
(:mod:`hlox.backends.interpreter`) behind the backend protocol.

It runs ``@main`` op by op on the host, on the module after the compile
driver's shared StableHLO stage (CHLO decomposed, Shardy annotations dropped).
"""

from __future__ import annotations

from hlox.backends.base import CompileOptions, Device, HostBuffers, host_devices


class InterpreterBackend(HostBuffers):
    name = "interpreter"
    platform = "interpreter"

    def devices(self) -> list[Device]:
        devices = self.__dict__.get("_devices")
        if devices is None:
            devices = self._devices = host_devices(self.name, self.platform)
        return devices

    def compile(self, module, options: CompileOptions | None = None):
        from hlox.backends import interpreter

        return interpreter.compile(module, "main")
