"""What a backend is: the :class:`Backend` and :class:`Executable` protocols.

A backend receives our StableHLO module (an ``ir.Module``) after the shared
StableHLO stage of the compile driver (:mod:`hlox.backends.compiler`) and
returns an :class:`Executable` for one of its :class:`Device`\\ s, over its own
buffers: ``executable.execute(buffers)`` runs ``@main`` on buffers already on
that device (``to_device``) and returns the results' buffers (``from_device``
copies one to the host). Everything past StableHLO (its own pass pipeline, code
generation, a runtime) is the backend's business; its MLIR passes run through
``options.runner`` (verification, stage dumps and errors that name the stage and
the user's line, as for the shared stage).

Required: ``name``, ``platform``, ``devices()``, ``compile(module, options)``,
``to_device(array, device)``, ``from_device(buffer)``.
Optional hooks (looked up with ``getattr``): ``pipeline()`` (the passes it
runs, part of the compile cache's key), ``serialize(executable, name, extra)
-> bytes`` and ``deserialize(header, payload) -> Executable`` (ahead-of-time
artifacts, see :mod:`hlox.backends.aot`), ``cache_target() -> str`` (what
else its on-disk cache entries depend on: compiler version, host CPU).

Helpers shared by backends: :func:`module_text` (text of a module in the form
a consumer wants) and :func:`main_signature` (the argument and result types of
``@main`` as shapes and numpy dtypes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol, Sequence, runtime_checkable

import numpy as np


class BackendError(RuntimeError):
    """A backend failed; the message names the backend and the stage."""


class Device:
    """One device of a backend (JAX's ``jax.Device``): immutable and hashable.

    ``platform``: the kind of hardware (``'cpu'``); ``id``: its number, unique among
    its backend's devices; ``process_index``: the process that drives it (0: hlox
    runs in one process); ``backend``: the registry name of the backend that owns
    it (``hlox.backends.get(device.backend)``); ``device_kind``: a description of
    the hardware. Backends make their devices once and hand out the same objects.
    """

    __slots__ = ("platform", "id", "process_index", "backend", "device_kind", "_hash")

    def __init__(self, platform: str, id: int, backend: str,  # noqa: A002 (JAX's name)
                 process_index: int = 0, device_kind: str | None = None):
        set_ = object.__setattr__
        set_(self, "platform", str(platform))
        set_(self, "id", int(id))
        set_(self, "process_index", int(process_index))
        set_(self, "backend", str(backend))
        set_(self, "device_kind", device_kind or str(platform))
        # Computed once: devices are hashed on every jit call that takes an Array.
        set_(self, "_hash", hash((self.backend, self.id)))

    def __setattr__(self, name, value):
        raise AttributeError(f"{self!r} is immutable")

    def __eq__(self, other):
        return self is other or (isinstance(other, Device) and self.backend == other.backend
                                 and self.id == other.id)

    def __hash__(self):
        return self._hash

    def __reduce__(self):
        return (Device, (self.platform, self.id, self.backend, self.process_index,
                         self.device_kind))

    def __repr__(self) -> str:
        return f"{self.platform.capitalize()}Device(id={self.id})"

    def describe(self) -> str:
        """Repr plus the backend: how error messages name a device."""
        return f"{self!r} of backend {self.backend!r}"


def host_devices(backend: str, platform: str, count: int = 1) -> list[Device]:
    """``count`` devices of a backend whose device memory is the host's."""
    return [Device(platform, i, backend) for i in range(count)]


@dataclass(frozen=True)
class MemoryStats:
    """What an executable's buffers take, with the names of JAX's
    ``Compiled.memory_analysis()`` (``CompiledMemoryStats``). ``temp_size_in_bytes``
    is an upper bound: every temporary of the program as if all were live at once,
    except where the backend placed them by liveness (the cpu backend's arena);
    ``dynamic_temporaries`` counts those whose size is known only at run time (not
    in the total)."""
    argument_size_in_bytes: int
    output_size_in_bytes: int
    temp_size_in_bytes: int
    generated_code_size_in_bytes: int
    alias_size_in_bytes: int = 0
    dynamic_temporaries: int = 0


class TensorSpec(NamedTuple):
    """The shape and dtype of an argument or result (unpacks as ``shape, dtype``)."""

    shape: tuple
    dtype: np.dtype

    def str_short(self) -> str:
        """``f32[3,4]``, as the frontend's abstract values print."""
        dtype = np.dtype(self.dtype)
        short = {"bool": "bool", "bfloat16": "bf16"}.get(dtype.name,
                                                         f"{dtype.kind}{dtype.itemsize * 8}")
        return f"{short}[{','.join(map(str, self.shape))}]"


@dataclass
class CompileOptions:
    """What the compile driver tells a backend besides the module.

    ``name``: the user's function name (dump folders, messages).
    ``device``: the :class:`Device` to run on (None: the backend's first).
    ``devices``: for a program of N > 1 partitions (an SPMD per-device program),
    the device assignment: partition p runs on ``devices[p]`` (``device`` is then
    ``devices[0]``; ``()``: one device).
    ``extra``: backend-specific options, by name.
    ``runner``: the driver's :class:`~hlox.backends.compiler.StageRunner` (None when
    a backend is called directly: ``compiler.runner_for`` makes one).
    ``signature``: ``(in_specs, out_specs)`` of ``@main`` (the driver derives it once).
    """

    name: str = "main"
    device: Device | None = None
    devices: tuple = ()
    extra: dict = field(default_factory=dict)
    runner: Any = None
    signature: tuple | None = None


@runtime_checkable
class Executable(Protocol):
    """A compiled ``@main``: ``execute(buffers) -> list of buffers`` (buffers on its
    device, of exactly ``in_specs``' shapes and dtypes: the caller checked).
    Optional: ``stages`` (stage name -> IR text) and ``stage_text(name)``."""

    in_specs: Sequence[TensorSpec]
    out_specs: Sequence[TensorSpec]

    def execute(self, buffers: list) -> list: ...


@runtime_checkable
class Backend(Protocol):
    name: str
    platform: str

    def devices(self) -> Sequence[Any]: ...

    def compile(self, module, options: CompileOptions) -> Executable: ...

    def to_device(self, array: np.ndarray, device: Device) -> Any: ...

    def from_device(self, buffer: Any) -> np.ndarray: ...


class HostBuffers:
    """``to_device``/``from_device`` for backends whose device memory is host memory.

    A buffer is a C-contiguous numpy array that nothing writes after ``to_device``
    made it (executables never write their arguments): ``to_device`` copies (the
    caller may go on changing its array), ``from_device`` gives a read-only view
    (zero-copy, as ``np.asarray`` of a JAX CPU array).
    """

    def to_device(self, array, device=None):
        # (Not np.ascontiguousarray: it turns a 0-d array into shape (1,).)
        return np.array(array, order="C", copy=True)

    def from_device(self, buffer):
        view = buffer.view()
        view.flags.writeable = False
        return view


# ---------------------------------------------------------------------------
# Module helpers
# ---------------------------------------------------------------------------


def module_text(module, *, generic: bool = False, debug_info: bool = False) -> str:
    """``module`` (an ``ir.Module``/``ir.Operation`` or text) as text.

    With ``generic=True`` the text is re-printed in MLIR's generic form (text
    is parsed in a new hlox context first), which parsers that do not know our
    custom assembly (XLA's) read.
    """
    from mlir import ir

    if isinstance(module, (str, bytes)):
        text = module.decode() if isinstance(module, bytes) else module
        if not generic:
            return text
        module = parse_module(text)
    if isinstance(module, (ir.Module, ir.Operation)):
        op = module.operation if isinstance(module, ir.Module) else module
        return op.get_asm(print_generic_op_form=generic, enable_debug_info=debug_info)
    # A module of another copy of the MLIR bindings (e.g. jaxlib's, from
    # ``jax.jit(f).lower(x).compiler_ir("stablehlo")``): its generic form.
    op = getattr(module, "operation", module)
    if not hasattr(op, "get_asm"):
        raise TypeError(f"expected StableHLO text or an MLIR module, got {type(module).__name__}")
    return op.get_asm(print_generic_op_form=True, enable_debug_info=debug_info)


def parse_module(text: str, context=None):
    """Parses and verifies StableHLO text in a new hlox context (errors are exceptions)."""
    from mlir import ir

    from hlox.dialects import make_context, malformed_text

    if text.lstrip().startswith("HloModule"):
        raise BackendError("this is XLA HLO text, not StableHLO: print the program with "
                           "jax.jit(f).lower(...).as_text() (its default dialect, 'stablehlo')")
    problem = malformed_text(text)
    if problem:  # MLIR's parser would abort the process on it
        raise BackendError(f"the StableHLO module is malformed: {problem}")
    context = context or make_context()
    with context, ir.Location.unknown():
        try:
            module = ir.Module.parse(text)
            module.operation.verify()
        except ir.MLIRError as error:
            raise BackendError(f"the StableHLO module does not parse/verify: {error}") from None
    return module


def main_signature(module) -> tuple[list[TensorSpec], list[TensorSpec]]:
    """Argument and result types of the public ``@main`` of ``module`` (text or ir)."""
    from mlir import ir

    from hlox.backends.interpreter.attributes import dtype_of

    if isinstance(module, (str, bytes)):
        module = parse_module(module_text(module))
    body = module.body if isinstance(module, ir.Module) else module.regions[0].blocks[0]
    for op in body.operations:
        if op.operation.name == "func.func" and \
                ir.StringAttr(op.attributes["sym_name"]).value == "main":
            ftype = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)

            def spec(t):
                if "!quant." in str(t):  # no array type holds them (their storage does)
                    raise BackendError(
                        f"@main takes or returns the quantized type {t}: quantized arrays "
                        f"are not supported; pass and return their storage integers "
                        f"(stablehlo.bitcast_convert)")
                if isinstance(t, ir.RankedTensorType):
                    return TensorSpec(tuple(t.shape), dtype_of(t.element_type))
                return TensorSpec((), dtype_of(t))

            return [spec(t) for t in ftype.inputs], [spec(t) for t in ftype.results]
    raise BackendError("the module has no func.func @main")
