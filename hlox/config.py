"""hlox's global settings.

``config.dump_dir``: where the backend writes the IR after every stage
(``<dump_dir>/<function>/NNN_<pass>.mlir``). Defaults to the environment
variable ``HLOX_DUMP_DIR``; ``None`` (unset) writes nothing.

``config.cache_dir``: an opt-in persistent compilation cache (artifacts keyed
by module fingerprint, options, hlox and LLVM versions). Defaults to the
environment variable ``HLOX_CACHE_DIR``; ``None`` (unset) keeps no cache on disk.

``config.artifact_key``: a secret that signs artifacts and disk-cache entries
(HMAC-SHA256) when they are written and is required to load them. Defaults to the
environment variable ``HLOX_ARTIFACT_KEY``; ``None`` (unset): unsigned (a checksum only).

``config.update(name, value)`` sets any of them, as ``jax.config.update`` does.

``config.jax_num_cpu_devices``: how many devices the ``cpu`` and ``interpreter`` backends offer (default 1,
or the environment variable ``JAX_NUM_CPU_DEVICES``). As in JAX it can only be set before
the backend makes its devices (its first use); changing it later raises.

``config.backend``: the backend ``hlox.jit`` compiles for when none is given
(``hlox.backends.list()`` names them). Defaults to the environment variable
``HLOX_BACKEND``, else ``"cpu"``.

``config.cuda_arch``: the NVIDIA architecture the ``cuda`` backend compiles for
(``"sm_80"``, ``"sm_90a"``, ...; :data:`hlox.backends.cuda.target.ARCHS` lists them). Defaults
to the environment variable ``HLOX_CUDA_ARCH``, else ``"sm_80"``; checked when it is used.

``config.jax_enable_x64``: JAX's 64-bit mode (see :mod:`hlox.frontend.core.dtypes`). Off by
default, as in JAX: 64-bit values and dtypes become 32-bit where they enter hlox. Turned on
by ``config.update("jax_enable_x64", True)``, the environment variable ``JAX_ENABLE_X64``
(or ``HLOX_ENABLE_X64``) set to a true value, or, for a block of code in this thread,
``with hlox.enable_x64():``.
"""

from __future__ import annotations

import contextlib
import os
import threading

_UNSET = object()


class _ThreadState(threading.local):
    x64 = None  # enable_x64() blocks: this thread's override (None: the global setting)


class Config:
    def __init__(self):
        self._dump_dir = _UNSET
        self._backend = _UNSET
        self._cache_dir = _UNSET
        self._artifact_key = _UNSET
        self._enable_x64 = _UNSET
        self._cuda_arch = _UNSET
        self._num_cpu_devices = _UNSET
        self._num_cpu_devices_used = False
        self._local = _ThreadState()

    _NAMES = ("backend", "dump_dir", "cache_dir", "artifact_key", "enable_x64",
              "num_cpu_devices", "cuda_arch")

    def update(self, name: str, value) -> None:
        """Sets option ``name`` (``"dump_dir"``, ``"cache_dir"``, ``"artifact_key"``,
        ``"backend"``, ``"enable_x64"``, ``"num_cpu_devices"``, ``"cuda_arch"``; a ``hlox_`` or ``jax_`` prefix is accepted, as in
        ``update("jax_enable_x64", True)``)."""
        key = name
        for prefix in ("hlox_", "jax_"):
            if key.startswith(prefix):
                key = key[len(prefix):]
        if key not in self._NAMES:
            raise AttributeError(f"hlox.config has no option {name!r}; options: "
                                 f"{', '.join(self._NAMES)}")
        setattr(self, {"enable_x64": "jax_enable_x64",
                       "num_cpu_devices": "jax_num_cpu_devices"}.get(key, key), value)

    @property
    def jax_num_cpu_devices(self) -> int:
        if self._num_cpu_devices is _UNSET:
            value = os.environ.get("JAX_NUM_CPU_DEVICES") or os.environ.get(
                "HLOX_NUM_CPU_DEVICES") or "1"
            try:
                count = int(value)
            except ValueError:
                raise ValueError(f"JAX_NUM_CPU_DEVICES={value!r} is not an integer") from None
            if count < 1:
                raise ValueError(f"JAX_NUM_CPU_DEVICES={value!r}: need at least one device")
            return count
        return self._num_cpu_devices

    @jax_num_cpu_devices.setter
    def jax_num_cpu_devices(self, value) -> None:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or value < 1):
            raise ValueError(f"hlox.config: jax_num_cpu_devices must be an int >= 1, "
                             f"got {value!r}")
        if self._num_cpu_devices_used and value != self.jax_num_cpu_devices:
            raise RuntimeError("jax_num_cpu_devices config should be updated before backends "
                               "are initialized (the cpu backend has already made its devices)")
        self._num_cpu_devices = _UNSET if value is None else value

    def use_num_cpu_devices(self) -> int:
        """``jax_num_cpu_devices``, read by the cpu backend when it makes its devices;
        from then on it cannot change."""
        count = self.jax_num_cpu_devices
        self._num_cpu_devices_used = True
        return count

    @property
    def jax_enable_x64(self) -> bool:
        local = self._local.x64
        if local is not None:
            return local
        if self._enable_x64 is _UNSET:  # the environment, read once (a hot path: every jit call)
            self._enable_x64 = _env_flag("HLOX_ENABLE_X64", _env_flag("JAX_ENABLE_X64", False))
        return self._enable_x64

    @jax_enable_x64.setter
    def jax_enable_x64(self, value) -> None:
        """``True``/``False``; ``None``: back to the environment's setting."""
        if value is not None and value not in (True, False):  # ("false" would be truthy)
            raise TypeError(f"hlox.config: jax_enable_x64 must be True or False, got {value!r}")
        self._enable_x64 = _UNSET if value is None else bool(value)

    @property
    def cache_dir(self) -> str | None:
        if self._cache_dir is _UNSET:
            return os.environ.get("HLOX_CACHE_DIR") or None
        return self._cache_dir

    @cache_dir.setter
    def cache_dir(self, value: str | os.PathLike | None) -> None:
        self._cache_dir = None if value is None else os.fspath(value)

    @property
    def artifact_key(self) -> bytes | None:
        if self._artifact_key is _UNSET:
            key = os.environ.get("HLOX_ARTIFACT_KEY")
            return key.encode("utf-8") if key else None
        return self._artifact_key

    @artifact_key.setter
    def artifact_key(self, value: str | bytes | None) -> None:
        if value is not None and not isinstance(value, (str, bytes)):
            raise TypeError(f"hlox.config: artifact_key must be str or bytes, got "
                            f"{type(value).__name__}")
        if value is not None and not value:
            raise ValueError("hlox.config: artifact_key must not be empty (None: unsigned)")
        self._artifact_key = value.encode("utf-8") if isinstance(value, str) else value

    @property
    def backend(self) -> str:
        if self._backend is _UNSET:
            return os.environ.get("HLOX_BACKEND") or "cpu"
        return self._backend

    @backend.setter
    def backend(self, value: str | None) -> None:
        self._backend = _UNSET if value is None else str(value)

    @property
    def cuda_arch(self) -> str:
        if self._cuda_arch is _UNSET:
            return os.environ.get("HLOX_CUDA_ARCH") or "sm_80"
        return self._cuda_arch

    @cuda_arch.setter
    def cuda_arch(self, value: str | None) -> None:
        self._cuda_arch = _UNSET if value is None else str(value)

    @property
    def dump_dir(self) -> str | None:
        if self._dump_dir is _UNSET:
            return os.environ.get("HLOX_DUMP_DIR") or None
        return self._dump_dir

    @dump_dir.setter
    def dump_dir(self, value: str | os.PathLike | None) -> None:
        self._dump_dir = None if value is None else os.fspath(value)

    def reset(self) -> None:
        """Back to the defaults (the environment)."""
        self._dump_dir = _UNSET
        self._backend = _UNSET
        self._cache_dir = _UNSET
        self._artifact_key = _UNSET
        self._enable_x64 = _UNSET
        self._cuda_arch = _UNSET


_TRUE = ("1", "true", "t", "yes", "y", "on")
_FALSE = ("0", "false", "f", "no", "n", "off", "")


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"hlox.config: environment variable {name}={value!r} is not a boolean "
                     f"(use one of {', '.join(_TRUE[:2] + _FALSE[:2])})")


config = Config()


@contextlib.contextmanager
def enable_x64(new_val: bool = True):
    """``with hlox.enable_x64():`` runs the block in JAX's 64-bit mode (``False``: with it
    off), in this thread only; the previous mode comes back on exit, even on an exception
    (``jax.enable_x64``)."""
    previous = config._local.x64
    config._local.x64 = bool(new_val)
    try:
        yield
    finally:
        config._local.x64 = previous
