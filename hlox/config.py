"""hlox's global settings.

``config.dump_dir``: where the backend writes the IR after every stage
(``<dump_dir>/<function>/NNN_<pass>.mlir``). Defaults to the environment
variable ``HLOX_DUMP_DIR``; ``None`` (unset) writes nothing.

``config.cache_dir``: an opt-in persistent compilation cache (artifacts keyed
by module fingerprint, options, hlox and LLVM versions). Defaults to the
environment variable ``HLOX_CACHE_DIR``; ``None`` (unset) keeps no cache on disk.

``config.update(name, value)`` sets any of them, as ``jax.config.update`` does.

``config.backend``: the backend ``hlox.jit`` compiles for when none is given
(``hlox.backends.list()`` names them). Defaults to the environment variable
``HLOX_BACKEND``, else ``"cpu"``.
"""

from __future__ import annotations

import os

_UNSET = object()


class Config:
    def __init__(self):
        self._dump_dir = _UNSET
        self._backend = _UNSET
        self._cache_dir = _UNSET

    _NAMES = ("backend", "dump_dir", "cache_dir")

    def update(self, name: str, value) -> None:
        """Sets option ``name`` (``"dump_dir"``, ``"cache_dir"``, ``"backend"``;
        a ``hlox_`` prefix is accepted as JAX's ``jax_`` one is)."""
        key = name[len("hlox_"):] if name.startswith("hlox_") else name
        if key not in self._NAMES:
            raise AttributeError(f"hlox.config has no option {name!r}; options: "
                                 f"{', '.join(self._NAMES)}")
        setattr(self, key, value)

    @property
    def cache_dir(self) -> str | None:
        if self._cache_dir is _UNSET:
            return os.environ.get("HLOX_CACHE_DIR") or None
        return self._cache_dir

    @cache_dir.setter
    def cache_dir(self, value: str | os.PathLike | None) -> None:
        self._cache_dir = None if value is None else os.fspath(value)

    @property
    def backend(self) -> str:
        if self._backend is _UNSET:
            return os.environ.get("HLOX_BACKEND") or "cpu"
        return self._backend

    @backend.setter
    def backend(self, value: str | None) -> None:
        self._backend = _UNSET if value is None else str(value)

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


config = Config()
