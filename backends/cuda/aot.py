"""Ahead-of-time artifacts of the ``cuda`` backend: cubin + PTX + launch plan.

The payload is the kernel modules' cubins and PTX and the plan's constant data,
one after another; the header (:mod:`hlox.backends.artifact`) names each
section's offset and length, the architecture and the launch plan. Loading needs
no MLIR and no GPU: a loaded executable runs where a CUDA driver is.
"""

from __future__ import annotations

from hlox.backends import artifact
from hlox.backends.artifact import ArtifactError
from hlox.backends.cuda import plan as plan_lib
from hlox.backends.cuda import target as target_lib
from hlox.backends.cuda.executable import CudaExecutable, KernelModule


def _llvm_version() -> str:
    from hlox.backends.cpu import llvm_c

    return llvm_c.llvm_version()


def serialize(executable: CudaExecutable, name: str, extra: dict | None = None) -> bytes:
    if not isinstance(executable, CudaExecutable):
        raise TypeError(f"the cuda backend cannot serialize a {type(executable).__name__}")
    payload, sections = bytearray(), {}

    def add(key: str, data: bytes) -> None:
        sections[key] = [len(payload), len(data)]
        payload.extend(data)

    for m in executable.modules:
        add(f"cubin:{m.name}", m.cubin)
        add(f"ptx:{m.name}", m.ptx.encode("utf-8"))
    for symbol, data in executable.plan.globals.items():
        add(f"global:{symbol}", data)
    header = {
        "backend": "cuda", "name": name, "hlox_version": artifact.hlox_version(),
        "llvm_version": _llvm_version(), "arch": executable.arch,
        "modules": [m.name for m in executable.modules], "sections": sections,
        "plan": executable.plan.to_json(),
        "inputs": [artifact.spec_to_json(s.shape, s.dtype) for s in executable.in_specs],
        "outputs": [artifact.spec_to_json(s.shape, s.dtype) for s in executable.out_specs],
    }
    header.update(extra or {})
    return artifact.pack(header, bytes(payload))


def load(header: dict, payload: bytes) -> CudaExecutable:
    """An executable from a checked artifact (hlox version, architecture, sections, plan).
    No MLIR or LLVM is needed (nor is their version checked: the driver loads the cubin
    or JIT-compiles the PTX), so a machine with a GPU runs artifacts compiled elsewhere."""
    if header.get("hlox_version") != artifact.hlox_version():
        raise ArtifactError(f"hlox artifact was built with hlox version "
                            f"{header.get('hlox_version')!r}, this process has "
                            f"{artifact.hlox_version()!r}: recompile it here")
    arch = header.get("arch")
    if arch not in target_lib.ARCHS:
        raise ArtifactError(f"hlox artifact names an unknown GPU architecture {arch!r}")
    sections = header.get("sections")
    if not isinstance(sections, dict):
        raise ArtifactError("hlox artifact has no sections table")

    def section(key: str) -> bytes:
        where = sections.get(key)
        if not (isinstance(where, list) and len(where) == 2 and
                all(isinstance(v, int) and v >= 0 for v in where) and
                where[0] + where[1] <= len(payload)):
            raise ArtifactError(f"hlox artifact section {key!r} is missing or out of bounds")
        return payload[where[0]:where[0] + where[1]]

    try:
        modules = [KernelModule(n, section(f"ptx:{n}").decode("utf-8"), section(f"cubin:{n}"),
                                "") for n in header.get("modules", [])]
        plan_json = header["plan"]
        names = list(plan_json["globals"])
        plan = plan_lib.from_json(plan_json, {n: section(f"global:{n}") for n in names})
        _check_plan(plan, {m.name for m in modules}, len(header.get("inputs", [])),
                    len(header.get("outputs", [])))
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ArtifactError):
            raise
        raise ArtifactError(f"hlox artifact has a malformed launch plan or module table: "
                            f"{error}") from None
    return CudaExecutable(arch, modules, plan,
                          artifact.specs_from_json(header.get("inputs", []), "input"),
                          artifact.specs_from_json(header.get("outputs", []), "output"))


def _check_plan(plan, modules: set, inputs: int, outputs: int) -> None:
    """Every launch names a loaded module and a known buffer; buffers are in range."""
    for b in plan.buffers:
        kind = b["kind"]
        if kind in ("input", "output"):
            limit = inputs if kind == "input" else outputs
            if not (isinstance(b["index"], int) and 0 <= b["index"] < limit):
                raise ArtifactError(f"hlox artifact plan names {kind} {b['index']!r}")
        elif kind == "global":
            if b["name"] not in plan.globals:
                raise ArtifactError(f"hlox artifact plan names a missing constant {b['name']!r}")
        elif kind != "temp" or not isinstance(b["bytes"], int) or b["bytes"] < 0:
            raise ArtifactError(f"hlox artifact plan has a malformed buffer {b!r}")
    for launch in plan.launches:
        if launch["module"] not in modules:
            raise ArtifactError(f"hlox artifact plan launches from a missing module "
                                f"{launch['module']!r}")
        for a in launch["args"]:
            if "buffer" in a and not (isinstance(a["buffer"], int) and
                                      0 <= a["buffer"] < len(plan.buffers)):
                raise ArtifactError(f"hlox artifact plan names buffer {a['buffer']!r}")
