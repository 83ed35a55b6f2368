"""Ahead-of-time compilation for the ``cpu`` backend: object code in, object code out.

:func:`serialize` compiles the final LLVM-dialect module of a compiled
function to a relocatable object file (:func:`llvm_c.codegen`) and packs it
with the signature (:mod:`hlox.backends.artifact`). :func:`load` links such an
object with ORC (no tracing, no MLIR pass, no LLVM optimization) and returns a
:class:`ObjectExecutable`, which calls ``_mlir_ciface_main`` with the same
prebuilt memref descriptors as :class:`hlox.backends.cpu.executable.CpuExecutable`
(:mod:`hlox.backends.cpu.invoke`): arguments first, then one new buffer per result.
"""

from __future__ import annotations

import ctypes
import functools
import struct

from hlox.backends import artifact
from hlox.backends.artifact import ArtifactError
from hlox.backends.cpu import invoke, llvm_c
from hlox.backends.cpu.executable import SIGNATURE_SYMBOL, CpuExecutable, signature_bytes

ENTRY = "_mlir_ciface_main"


@functools.lru_cache(maxsize=None)
def _load_runtime() -> None:
    """The runtime libraries, global, so that ORC's process generator finds their symbols."""
    from hlox.backends.cpu.backend import runtime_libraries

    for path in runtime_libraries():
        ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)


def load_runtime_symbols(objects: list[bytes]) -> None:
    """Makes the symbols ``objects`` import resolvable by ORC (the runtime libraries,
    global, and the LAPACK routines handed to the runtime), loading them only if
    the process lacks one."""
    imports: set[str] = set()
    for code in objects:
        names = imports_of(code)
        if names is None:
            return _ensure_symbols(None)
        imports.update(names)
    _ensure_symbols(sorted(imports))


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
    if imports is None or any(name.startswith("hlox_rt_lapack_") for name in imports):
        from hlox.backends.cpu import runtime_library

        try:  # the LAPACK routines are handed over at run time, not linked
            runtime_library.register_lapack()
        except runtime_library.RuntimeLibraryError as error:
            if imports is not None:
                raise ArtifactError(str(error)) from None


class ObjectExecutable:
    """A loaded artifact's ``@main``: ``execute(buffers) -> list`` (it keeps no stages)."""

    def __init__(self, header: dict, object_code: bytes):
        self.header = header
        self.in_specs = artifact.specs_from_json(header.get("inputs", []), "input")
        self.out_specs = artifact.specs_from_json(header.get("outputs", []), "output")
        self.object_file = object_code
        _ensure_symbols(header.get("imports"))
        try:
            self._object = llvm_c.LoadedObject(object_code, header.get("name", "main"))
            address = self._object.lookup(ENTRY)
        except llvm_c.LLVMError as error:
            raise ArtifactError(f"hlox artifact object code does not link here: {error}") \
                from None
        self._check_signature()
        self._invoker = invoke.Invoker(address, self._object,
                                       [shape for shape, _ in self.in_specs],
                                       self.out_specs, packed=False)

    def execute(self, buffers) -> list:
        """``@main`` on checked buffers (exact shapes and dtypes, C-contiguous)."""
        return self._invoker(buffers)

    def _check_signature(self) -> None:
        """The header's inputs/outputs must be the ones compiled into the code."""
        try:
            address = self._object.lookup(SIGNATURE_SYMBOL)
        except llvm_c.LLVMError:
            raise ArtifactError(f"hlox artifact object code has no {SIGNATURE_SYMBOL} "
                                "(it was not made by hlox's cpu backend)") from None
        compiled = ctypes.string_at(address)
        claimed = signature_bytes(self.in_specs, self.out_specs)
        if compiled != claimed:
            raise ArtifactError(f"hlox artifact header does not match its code: the header "
                                f"says {claimed.decode()}, the code was compiled for "
                                f"{compiled.decode('ascii', 'replace')}")


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
    """Artifact bytes for a :class:`CpuExecutable` or a loaded :class:`ObjectExecutable`."""
    if isinstance(executable, ObjectExecutable):  # loaded from an artifact: same code
        header = dict(executable.header, name=name)
        header.update(extra or {})
        return artifact.pack(header, executable.object_file)
    if not isinstance(executable, CpuExecutable):
        raise TypeError(f"the cpu backend cannot serialize a {type(executable).__name__}")
    code = executable.object_code()
    extra = dict(extra or {}, imports=imports_of(code.object))
    return artifact.pack(header_for(name, executable.in_specs, executable.out_specs,
                                    code.target, extra), code.object)


def _tile_state_for(target: dict) -> None:
    """This process's AMX tile state, for object code compiled where AMX-BF16
    kernels were chosen (the first tile instruction kills a process without it)."""
    from hlox.backends.cpu.passes import bf16_dot

    # (check_target has made sure this CPU has the features the code needs.)
    if "+amx-bf16" in str(target.get("features", "")).split(",") and \
            not bf16_dot.host_runs("amx"):
        raise ArtifactError("hlox artifact may use AMX tiles, and Linux did not grant this "
                            "process their state (arch_prctl ARCH_REQ_XCOMP_PERM)")


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
    _tile_state_for(header.get("target"))
    if header.get("entry") != ENTRY:
        raise ArtifactError(f"hlox artifact entry point {header.get('entry')!r} is not {ENTRY!r}")
    return ObjectExecutable(header, payload)
