"""Ahead-of-time compilation for the ``cpu`` backend: object code in, object code out.

:func:`serialize` compiles the final LLVM-dialect module of a compiled
function to a relocatable object file (:func:`llvm_c.codegen`) and packs it
with the signature (:mod:`hlox.backends.artifact`). :func:`load` links such an
object with ORC (no tracing, no MLIR pass, no LLVM optimization) and returns a
:class:`ObjectExecutable`, which calls ``_mlir_ciface_main`` with the same
prebuilt memref descriptors as :class:`hlox.backends.cpu.backend.CpuExecutable`
(:mod:`hlox.backends.cpu.invoke`): arguments first, then one new buffer per result.
"""

from __future__ import annotations

import ctypes
import functools
import struct

import numpy as np

from hlox.backends import artifact
from hlox.backends.cpu import invoke as cpu_invoke, llvm_c
from hlox.backends.artifact import ArtifactError

ENTRY = "_mlir_ciface_main"


@functools.lru_cache(maxsize=None)
def _load_runtime() -> None:
    """The runtime libraries, global, so that ORC's process generator finds their symbols."""
    from hlox.backends.cpu.backend import runtime_libraries

    for path in runtime_libraries():
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)


def imports_of(object_code: bytes) -> list[str] | None:
    """The undefined symbols of an ELF64 little-endian object (None for other formats).

    Read from the object itself, not the IR: code generation adds calls of its
    own (``expf`` for ``llvm.exp``, ``__truncsfhf2`` for f16 ...).
    """
    if object_code[:4] != b"\x7fELF" or object_code[4:6] != b"\x02\x01":
        return None
    shoff, = struct.unpack_from("<Q", object_code, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", object_code, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", object_code, shoff + i * shentsize)
                for i in range(shnum)]
    names = set()
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 2:  # SHT_SYMTAB
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize or 24):
            name_at, _, _, shndx = struct.unpack_from("<IBBH", object_code, at)
            if shndx == 0 and name_at:  # SHN_UNDEF
                end = object_code.index(b"\0", strtab + name_at)
                names.add(object_code[strtab + name_at:end].decode())
    return sorted(names)


def _ensure_symbols(imports) -> None:
    """Loads the runtime libraries unless the process already has every import.

    (``libmlir_c_runner_utils`` pulls in ``libMLIR.so``: ~0.1 s that most code,
    which calls only libc/libm, does not need.)
    """
    if imports is not None and not (isinstance(imports, list) and
                                    all(isinstance(n, str) for n in imports)):
        raise ArtifactError(f"hlox artifact has a malformed imports list {imports!r}")
    process = ctypes.CDLL(None)
    if imports is None or not all(hasattr(process, name) for name in imports):
        _load_runtime()


def _specs(values, what: str):
    try:
        return [(tuple(int(d) for d in v["shape"]), artifact.dtype_from_name(v["dtype"]))
                for v in values]
    except (KeyError, TypeError, ValueError) as error:
        raise ArtifactError(f"hlox artifact has a malformed {what} signature: {error}") from None


class ObjectExecutable:
    """``executable(*arrays) -> tuple``: a loaded artifact's ``@main``."""

    stages: dict = {}
    dump_dir = None

    def __init__(self, header: dict, object_code: bytes):
        self.header = header
        self.in_specs = _specs(header.get("inputs", []), "input")
        self.out_specs = _specs(header.get("outputs", []), "output")
        self.object_code = object_code
        _ensure_symbols(header.get("imports"))
        try:
            self._object = llvm_c.LoadedObject(object_code, header.get("name", "main"))
            address = self._object.lookup(ENTRY)
        except llvm_c.LLVMError as error:
            raise ArtifactError(f"hlox artifact object code does not link here: {error}") \
                from None
        self._invoker = cpu_invoke.Invoker(address, self._object,
                                           [shape for shape, _ in self.in_specs],
                                           self.out_specs, packed=False)

    def __call__(self, *arrays) -> tuple:
        if len(arrays) != len(self.in_specs):
            raise TypeError(f"{self.header.get('name', 'main')}: takes {len(self.in_specs)} "
                            f"arrays, got {len(arrays)}")
        args = []
        for i, (array, (shape, dtype)) in enumerate(zip(arrays, self.in_specs)):
            # (Not np.ascontiguousarray: it turns a 0-d array into shape (1,).)
            array = np.asarray(array, dtype=dtype, order="C")
            if array.shape != shape:
                raise TypeError(f"{self.header.get('name', 'main')}: argument {i} has shape "
                                f"{array.shape}, the artifact was compiled for {shape}")
            args.append(array)
        return tuple(self._invoker(args))

    def unchecked_call(self, arrays) -> list:
        """``@main`` on arrays the caller has checked (``hlox.jit``'s fast path, also for
        executables the persistent cache loads)."""
        return self._invoker(arrays)


def header_for(name: str, in_specs, out_specs, target: dict, extra: dict | None = None) -> dict:
    header = {
        "backend": "cpu",
        "name": name,
        "hlox_version": artifact.hlox_version(),
        "llvm_version": llvm_c.llvm_version(),
        "target": target,
        "entry": ENTRY,
        "inputs": [artifact.spec_to_json(s.shape, s.dtype) for s in in_specs],
        "outputs": [artifact.spec_to_json(s.shape, s.dtype) for s in out_specs],
    }
    header.update(extra or {})
    return header


def serialize(executable, name: str, extra: dict | None = None) -> bytes:
    """Artifact bytes for a :class:`hlox.backends.cpu.adapter.CpuExecutable`."""
    if isinstance(executable, ObjectExecutable):  # loaded from an artifact: same code
        header = dict(executable.header, name=name)
        header.update(extra or {})
        return artifact.pack(header, executable.object_code)
    inner = executable.inner
    code = object_code(inner)
    extra = dict(extra or {}, imports=imports_of(code.object))
    return artifact.pack(header_for(name, executable.in_specs, inner.out_avals, code.target,
                                    extra), code.object)


def object_code(inner) -> llvm_c.CodeGen:
    """The (cached) machine code of a :class:`hlox.backends.cpu.backend.CpuExecutable`."""
    code = getattr(inner, "_codegen", None)
    if code is None:
        with inner._context:
            code = llvm_c.codegen(inner._module)
        inner._codegen = code
    return code


def check_target(target: dict) -> None:
    """Refuses object code for another triple, or needing CPU features this host lacks."""
    here = llvm_c.host()
    if not isinstance(target, dict) or target.get("triple") != here["triple"]:
        theirs = target.get("triple") if isinstance(target, dict) else target
        raise ArtifactError(f"hlox artifact was compiled for {theirs!r}, this host is "
                            f"{here['triple']!r}")
    have = {f[1:] for f in here["features"].split(",") if f.startswith("+")}
    need = {f[1:] for f in str(target.get("features", "")).split(",") if f.startswith("+")}
    missing = sorted(need - have)
    if missing:
        raise ArtifactError(f"hlox artifact was compiled for CPU {target.get('cpu')!r}; this "
                            f"CPU ({here['cpu']}) lacks {', '.join(missing[:8])}"
                            f"{' ...' if len(missing) > 8 else ''}")


def load(header: dict, payload: bytes) -> ObjectExecutable:
    """An executable from a checked artifact's header and object code."""
    artifact.check_versions(header, llvm_c.llvm_version())
    check_target(header.get("target"))
    if header.get("entry") != ENTRY:
        raise ArtifactError(f"hlox artifact entry point {header.get('entry')!r} is not {ENTRY!r}")
    return ObjectExecutable(header, payload)


def stage_text(inner, stage: str) -> str:
    """The IR of a named stage of a :class:`hlox.backends.cpu.backend.CpuExecutable`.

    ``"linalg"``: the last stage before bufferization; ``"llvm"``: MLIR's LLVM
    dialect after the whole pipeline; ``"llvm-ir"``: the optimized LLVM IR;
    ``"asm"``: the host assembly (the same code an artifact holds).
    """
    if stage in ("llvm-ir", "asm"):
        code = object_code(inner)
        return code.llvm_ir if stage == "llvm-ir" else code.asm
    names = list(inner.stages)
    if not names:
        raise ValueError("the executable kept no stages")
    if stage == "llvm":
        return inner.stages[names[-1]]
    if stage == "linalg":
        before = names[0]
        for name in names:
            if "bufferize" in name:
                return inner.stages[before]
            before = name
        raise ValueError("the cpu pipeline has no bufferization pass to stop before")
    raise ValueError(f"unknown stage {stage!r}; use linalg, llvm, llvm-ir or asm")
