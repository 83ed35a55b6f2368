"""hlox's global settings.

``config.dump_dir``: where the backend writes the IR after every stage
(``<dump_dir>/<function>/NNN_<pass>.mlir``). Defaults to the environment
variable ``HLOX_DUMP_DIR``; ``None`` (unset) writes nothing.

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


config = Config()
