"""A compiled ``@main`` of the ``cuda`` backend: kernel modules and a launch plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from hlox.backends.cuda import target as target_lib

# The stages named after what they hold (the passes' own stages come first).
NAMED_STAGES = ("ptx", "ptxas", "launch-plan")


@dataclasses.dataclass
class KernelModule:
    """One ``gpu.module``: its PTX, its cubin (empty without ptxas) and ptxas's report."""

    name: str
    ptx: str
    cubin: bytes
    report: str

    def resources(self) -> list:
        return target_lib.parse_resources(self.report)


class CudaExecutable:
    """``execute(buffers)`` replays the launch plan on the device's stream
    (:mod:`.runtime`: needs the CUDA driver). ``stages``: :data:`NAMED_STAGES`."""

    def __init__(self, arch: str, modules: list, plan, in_specs, out_specs,
                 pass_stages: Mapping | None = None):
        self.arch = arch
        self.modules = list(modules)
        self.plan = plan
        self.in_specs = list(in_specs)
        self.out_specs = list(out_specs)
        self.pass_stages = pass_stages or {}
        self.stages = {"ptx": self.ptx(), "ptxas": self.resource_report(),
                       "launch-plan": plan.text()}
        self._loaded = {}  # device id -> runtime.LoadedProgram

    def ptx(self) -> str:
        return "".join(f"// ---- module {m.name}\n{m.ptx}" for m in self.modules)

    def resources(self) -> list:
        """Every kernel's :class:`~.target.KernelResources` (empty without ptxas)."""
        return [r for m in self.modules for r in m.resources()]

    def resource_report(self) -> str:
        if self.modules and not any(m.cubin for m in self.modules):
            return "ptxas not found: PTX only (the driver JIT-compiles it)\n"
        return "".join(r.line() + "\n" for r in self.resources())

    def stage_text(self, stage: str) -> str:
        if stage in self.stages:
            return self.stages[stage]
        if stage in self.pass_stages:
            return self.pass_stages[stage]
        raise ValueError(f"unknown stage {stage!r}; stages: "
                         f"{', '.join(list(self.pass_stages) + list(NAMED_STAGES))}")

    def execute(self, buffers: list, device=None) -> list:
        """The results' device buffers for ``buffers`` (device buffers of ``in_specs``)."""
        from hlox.backends.cuda import runtime

        driver = runtime.driver()
        device = device if device is not None else driver.device_of(buffers)
        # (An artifact's function is called with host arrays: they are put on the device.)
        buffers = [b if isinstance(b, runtime.DeviceBuffer) else driver.to_device(b, device)
                   for b in buffers]
        program = self._loaded.get(device.id)
        if program is None:
            program = self._loaded[device.id] = driver.load(self, device)
        return program.run(buffers)
