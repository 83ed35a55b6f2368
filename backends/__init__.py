"""hlox's backends and their registry.

A backend (see :mod:`hlox.backends.base` for the protocol) turns a StableHLO
module, after the shared stage of the compile driver (:mod:`hlox.backends.compiler`),
into an executable over its own buffers::

    hlox.backends.list()                 # ['cpu', 'interpreter', 'pjrt', ...]
    hlox.backends.get("pjrt")            # the backend object
    hlox.backends.register(my_backend)   # add one at run time
    hlox.jit(f, backend="pjrt")          # or HLOX_BACKEND=pjrt, or hlox.config.backend

Built in: ``cpu`` (our pass pipeline, LLVM, ORC), ``interpreter``
(the numpy reference interpreter), ``cuda`` (NVIDIA GPUs: PTX and cubin, compiled
without a GPU, run through the CUDA driver) and ``pjrt`` (XLA through jaxlib, listed when
jaxlib is installed). Installed packages add backends through the
``hlox.backends`` entry-point group::

    [project.entry-points."hlox.backends"]
    cpu-variant = "hlox_example_backend:CpuVariantBackend"

The entry point's object is a backend, or a class/factory called with no
arguments to make one. Plugins are discovered at first use; one that fails to
load gives one warning naming it and its error, and the others keep working.
"""

from __future__ import annotations

import builtins
import importlib
import importlib.util
import warnings
from importlib import metadata

from hlox.backends.base import Backend, BackendError, CompileOptions, Executable  # noqa: F401

ENTRY_POINT_GROUP = "hlox.backends"

# Built-in backends: name -> (module:attribute of a factory, module that must exist).
_BUILTIN = {
    "cpu": ("hlox.backends.cpu.backend:CpuBackend", "mlir"),
    "interpreter": ("hlox.backends.interpreter.backend:InterpreterBackend",
                    "hlox.backends.interpreter"),
    "pjrt": ("hlox.backends.pjrt:PjrtBackend", "jaxlib"),
    # Always listed: it cross-compiles without a GPU (devices only with a CUDA driver).
    "cuda": ("hlox.backends.cuda.backend:CudaBackend", "mlir"),
}

_backends: dict = {}      # name -> backend object
_lazy: dict = {}          # name -> (description, loader) not yet loaded
_failed: dict = {}        # plugin name -> error text (warned once)
_discovered = False


class UnknownBackendError(ValueError):
    """No backend has this name; the message lists the available ones."""


def _import_spec(spec: str):
    module, _, attr = spec.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split(".") if attr else []:
        obj = getattr(obj, part)
    return obj


def _instantiate(obj):
    """A backend from an entry point's object: the object itself, or what calling it makes."""
    if isinstance(obj, type) or (callable(obj) and not hasattr(obj, "compile")):
        obj = obj()
    missing = [a for a in ("name", "compile") if not hasattr(obj, a)]
    if missing:
        raise TypeError(f"{obj!r} is not an hlox backend (no {', '.join(missing)})")
    return obj


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _discover() -> None:
    """Built-ins and installed plugins, once, lazily (nothing imported yet)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    for name, (spec, needs) in _BUILTIN.items():
        if name not in _backends and _module_exists(needs):
            _lazy.setdefault(name, (spec, lambda spec=spec: _instantiate(_import_spec(spec))))
    if "pjrt" in _lazy:  # PJRT plugins named in PJRT_NAMES_AND_LIBRARY_PATHS, as JAX
        from hlox.backends import pjrt

        try:
            plugins = pjrt.env_plugins()
        except ValueError as error:
            warnings.warn(f"hlox: {error}", RuntimeWarning, stacklevel=3)
            plugins = {}
        for plugin, path in plugins.items():
            _lazy.setdefault(f"pjrt-{plugin}", (
                f"PJRT plugin {plugin!r} ({path})",
                lambda plugin=plugin, path=path: pjrt.load_plugin(plugin, path, register=False)))
    try:
        eps = metadata.entry_points(group=ENTRY_POINT_GROUP)
    except Exception as error:  # noqa: BLE001  (broken metadata must not break hlox)
        warnings.warn(f"hlox: could not read the '{ENTRY_POINT_GROUP}' entry points: {error}",
                      RuntimeWarning, stacklevel=3)
        eps = []
    for ep in eps:
        if ep.name in _backends or ep.name in _failed:
            continue
        _lazy[ep.name] = (f"plugin {ep.name!r} ({ep.value})",
                          lambda ep=ep: _instantiate(ep.load()))
    # Plugins are loaded now so that list() shows what works, and a broken
    # one warns at first use rather than when it is first asked for.
    for name in builtins.list(_lazy):
        if not _lazy[name][0].startswith("plugin"):
            continue
        _load(name)


def _load(name: str):
    description, loader = _lazy.pop(name)
    try:
        backend = loader()
    except Exception as error:  # noqa: BLE001  (any plugin error becomes one warning)
        _failed[name] = f"{type(error).__name__}: {error}"
        warnings.warn(f"hlox: backend {description} failed to load and is skipped: "
                      f"{type(error).__name__}: {error}", RuntimeWarning, stacklevel=4)
        return None
    _backends[name] = backend
    return backend


def list() -> builtins.list[str]:  # noqa: A001  (hlox.backends.list(), as the issue asks)
    """Names of the available backends (built-in, registered, installed plugins)."""
    _discover()
    return sorted(set(_backends) | set(_lazy))


def get(name: str | None = None):
    """The backend called ``name`` (default: :func:`default_backend`)."""
    _discover()
    name = name or default_backend()
    if name in _backends:
        return _backends[name]
    if name in _lazy:
        backend = _load(name)
        if backend is not None:
            return backend
    why = f" (it failed to load: {_failed[name]})" if name in _failed else ""
    raise UnknownBackendError(f"unknown hlox backend {name!r}{why}; available: "
                              f"{', '.join(list()) or '(none)'}")


def register(backend, name: str | None = None, *, replace: bool = False):
    """Adds ``backend`` (an object following :class:`Backend`) under its ``name``."""
    backend = _instantiate(backend)
    name = name or backend.name
    _discover()
    if not replace and (name in _backends):
        raise ValueError(f"an hlox backend named {name!r} is already registered "
                         f"(pass replace=True to replace it)")
    _lazy.pop(name, None)
    _failed.pop(name, None)
    _backends[name] = backend
    return backend


def unregister(name: str) -> None:
    _backends.pop(name, None)
    _lazy.pop(name, None)


def devices(backend: str | None = None) -> builtins.list:
    """The devices of ``backend`` (default: :func:`default_backend`), as ``jax.devices``."""
    return builtins.list(get(backend).devices())


def local_devices(process_index: int | None = None, backend: str | None = None
                  ) -> builtins.list:
    """The devices process ``process_index`` drives (default: this process's)."""
    index = process_index if process_index is not None else globals()["process_index"]()
    return [d for d in devices(backend) if d.process_index == index]


def device_count(backend: str | None = None) -> int:
    return len(devices(backend))


def local_device_count(backend: str | None = None) -> int:
    return len(local_devices(backend=backend))


def process_index(backend: str | None = None) -> int:
    """This process's index among an ``mpiexec`` launch's (see :mod:`.distributed`)."""
    from hlox.backends import distributed

    return distributed.process_index()


def process_count(backend: str | None = None) -> int:
    from hlox.backends import distributed

    return distributed.process_count()


def default_backend() -> str:
    """``hlox.config.backend`` (default: ``$HLOX_BACKEND``, else ``cpu``)."""
    from hlox.config import config

    return config.backend


def reset() -> None:
    """Forgets every loaded backend and plugin failure (discovery runs again). For tests."""
    global _discovered
    _backends.clear()
    _lazy.clear()
    _failed.clear()
    _discovered = False

