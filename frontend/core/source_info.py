"""Source locations: errors, warnings and IR name the user's line, not hlox's."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

# hlox's own source folders (the repository's, in an editable install).
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_HLOX_DIRS = tuple(os.path.join(_ROOT, d) + os.sep
                   for d in ("frontend", "hlox", "backends", "passes", "dialects"))


@dataclass(frozen=True)
class SourceInfo:
    """Where the user's code called into hlox: file, line and function."""

    file: str
    line: int
    function: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} (in {self.function})"


def is_hlox_file(filename: str) -> bool:
    path = os.path.abspath(filename)
    if any(path.startswith(d) for d in _HLOX_DIRS):
        return True
    # hlox installed as a package (not editable): anything under .../hlox/
    return f"{os.sep}hlox{os.sep}" in path and "site-packages" in path


def user_source_info() -> SourceInfo | None:
    """The innermost stack frame outside hlox (the user's line)."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not is_hlox_file(filename) and not filename.startswith("<frozen"):
            return SourceInfo(filename, frame.f_lineno, frame.f_code.co_name)
        frame = frame.f_back
    return None
