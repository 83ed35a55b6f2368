"""MLIR diagnostics as compilers print them: `where: error: message`."""

from __future__ import annotations

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
