"""MLIR diagnostics as compilers print them: `where: error: message`."""

from __future__ import annotations

import re
from typing import Callable

from mlir import ir


def format_diagnostics(error: ir.MLIRError, where: Callable[[ir.Location], str],
                       indent: str = "") -> str:
    """One line per error diagnostic and note of `error`, each located by
    `where(location)`; "" when the error carries no diagnostics."""
    lines = []
    for diag in error.error_diagnostics:
        lines.append(f"{indent}{where(diag.location)}: error: {diag.message}")
        for note in diag.notes:
            lines.append(f"{indent}{where(note.location)}: note: {note.message}")
    return "\n".join(lines)


_FILE_LOC = re.compile(r'"([^"]+)":(\d+):(\d+)')
_NAME_LOC = re.compile(r'^loc\("([^"]+)"')


def source_location(location: ir.Location) -> str:
    """``file:line (op name)`` of a location the frontend gave an op (its Python
    source line, the primitive's name), or the location as MLIR prints it."""
    text = str(location)
    file_loc = _FILE_LOC.search(text)
    name = _NAME_LOC.match(text)
    parts = []
    if file_loc:
        parts.append(f"{file_loc.group(1)}:{file_loc.group(2)}")
    if name and (not file_loc or name.group(1) != file_loc.group(1)):
        parts.append(f"({name.group(1)})")
    return " ".join(parts) or text
