"""What the ``cuda`` backend compiles for: the architecture, its PTX version, ptxas.

The architecture comes from ``hlox.config.cuda_arch`` (``HLOX_CUDA_ARCH``, default
``sm_80``) and must be one of :data:`ARCHS`. Each has the PTX ISA version hlox
asks LLVM for: LLVM's NVPTX back end stops the whole process (``report_fatal_error``)
when the PTX version is older than the architecture needs (the
``gpu-lower-to-nvvm-pipeline`` default, PTX 6.0, for sm_80 does), so the
version is never left to a default and an unknown architecture is refused here,
before any pass sees it.

``ptxas`` (the CUDA toolkit's, on ``PATH``, or ``$CUDA_HOME/bin``) assembles the PTX
into a cubin for the architecture and reports each kernel's registers, shared
memory and spills (``ptxas -v``): :func:`assemble`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import tempfile

# Architecture -> the PTX ISA version it is compiled with: the oldest that LLVM
# 22's NVPTX back end accepts for it (checked: each assembles with ptxas 13.0).
# ptxas 13 dropped architectures before sm_75.
ARCHS: dict[str, int] = {
    "sm_75": 63, "sm_80": 70, "sm_86": 71, "sm_87": 74, "sm_89": 78,
    "sm_90": 78, "sm_90a": 80, "sm_100": 86, "sm_100a": 86, "sm_103": 88,
    "sm_120": 87, "sm_121": 88,
}


class TargetError(ValueError):
    """An architecture hlox cannot compile for, or a missing/failing ptxas."""


def arch(name: str | None = None) -> str:
    """``name`` (default: ``hlox.config.cuda_arch``), checked against :data:`ARCHS`."""
    if name is None:
        from hlox.config import config

        name = config.cuda_arch
    if name not in ARCHS:
        raise TargetError(f"cuda: unknown GPU architecture {name!r} (HLOX_CUDA_ARCH or "
                          f"hlox.config.cuda_arch); known: {', '.join(ARCHS)}")
    return name


def ptx_version(name: str) -> str:
    """``"8.0"`` for PTX ISA 80."""
    version = ARCHS[arch(name)]
    return f"{version // 10}.{version % 10}"


def attach_target_pass(name: str, opt_level: int = 3) -> str:
    """The ``nvvm-attach-target`` element for ``name``, with its PTX version spelled out."""
    return f"nvvm-attach-target{{chip={arch(name)} features=+ptx{ARCHS[name]} O={opt_level}}}"


def ptxas_path() -> str | None:
    found = shutil.which("ptxas")
    if found:
        return found
    home = os.environ.get("CUDA_HOME") or os.environ.get("CUDA_PATH") or "/usr/local/cuda"
    candidate = os.path.join(home, "bin", "ptxas")
    return candidate if os.access(candidate, os.X_OK) else None


def ptxas_version() -> str:
    path = ptxas_path()
    if path is None:
        return "none"
    run = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "unknown"


@dataclasses.dataclass(frozen=True)
class KernelResources:
    """What ``ptxas -v`` reports for one kernel."""

    name: str
    registers: int = 0
    shared_bytes: int = 0
    stack_bytes: int = 0
    spill_stores: int = 0
    spill_loads: int = 0

    def line(self) -> str:
        return (f"{self.name}: {self.registers} registers, {self.shared_bytes} bytes shared, "
                f"{self.stack_bytes} bytes stack, {self.spill_stores} bytes spill stores, "
                f"{self.spill_loads} bytes spill loads")


_FUNCTION = re.compile(r"Compiling entry function '([^']+)'")
_NUMBERS = {
    "registers": re.compile(r"Used (\d+) registers"),
    "shared_bytes": re.compile(r"(\d+) bytes smem"),
    "stack_bytes": re.compile(r"(\d+) bytes stack frame"),
    "spill_stores": re.compile(r"(\d+) bytes spill stores"),
    "spill_loads": re.compile(r"(\d+) bytes spill loads"),
}


def parse_resources(report: str) -> list[KernelResources]:
    """Per-kernel resources from ``ptxas -v``'s report."""
    kernels, current = [], None
    for line in report.splitlines():
        match = _FUNCTION.search(line)
        if match:
            current = {"name": match.group(1)}
            kernels.append(current)
            continue
        if current is None:
            continue
        for key, pattern in _NUMBERS.items():
            found = pattern.search(line)
            if found:
                current[key] = int(found.group(1))
    return [KernelResources(**k) for k in kernels]


def assemble(ptx: str, name: str) -> tuple[bytes, str]:
    """``(cubin, ptxas -v report)`` for PTX ``ptx`` on architecture ``name``."""
    path = ptxas_path()
    if path is None:
        raise TargetError("cuda: ptxas not found (on PATH or in $CUDA_HOME/bin): it assembles "
                          "the PTX into a cubin")
    with tempfile.TemporaryDirectory(prefix="hlox-ptxas-") as folder:
        source, cubin = os.path.join(folder, "kernels.ptx"), os.path.join(folder, "kernels.cubin")
        with open(source, "w", encoding="utf-8") as f:
            f.write(ptx)
        run = subprocess.run([path, "-v", f"-arch={arch(name)}", source, "-o", cubin],
                             capture_output=True, text=True, check=False)
        if run.returncode != 0:
            raise TargetError(f"cuda: ptxas failed for {name}:\n{run.stderr.strip()}")
        with open(cubin, "rb") as f:
            return f.read(), run.stderr
