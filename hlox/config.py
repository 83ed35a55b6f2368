"""hlox's global settings.

``config.dump_dir``: where the backend writes the IR after every stage
(``<dump_dir>/<function>/NNN_<pass>.mlir``). Defaults to the environment
variable ``HLOX_DUMP_DIR``; ``None`` (unset) writes nothing.
"""

from __future__ import annotations

import os

_UNSET = object()


class Config:
    def __init__(self):
        self._dump_dir = _UNSET

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


config = Config()
