"""Build PassManagers from pass names, C++ and Python alike.

A pipeline here is a list of elements such as ``"canonicalize"``,
``"convert-linalg-to-loops"`` or ``"hlox-stablehlo-legalize-to-linalg{x=1}"``.
C++ passes come from MLIR's registry (upstream's and ours); names registered in
:mod:`hlox.passes.python_passes` run the Python callable. Passes anchored on
``func.func`` are nested under it automatically, as ``mlir-opt`` does.
"""

from __future__ import annotations

import functools
import re

from mlir import ir
from mlir.passmanager import PassManager

from hlox.passes import python_passes

# `name`, `name{options}` or an explicitly nested `op-name(elements)`.
_NAME = re.compile(r"^([A-Za-z0-9_.\-]+)(\{.*\}|\(.*\))?$", re.S)


class PipelineError(ValueError):
    """A pipeline element that does not name a registered pass."""


@functools.lru_cache(maxsize=1)
def _probe_context() -> ir.Context:
    return ir.Context()


@functools.lru_cache(maxsize=1024)
def _nested_element(element: str) -> str:
    """`element` as it must appear under builtin.module (nested if needed). The
    registry is global, so the answer holds in every context: it is found once,
    in a context of this module's own (a new one per element cost ~5 ms each)."""
    first_error = None
    for candidate in (element, f"func.func({element})"):
        try:
            PassManager.parse(f"builtin.module({candidate})", context=_probe_context())
            return candidate
        except ValueError as error:
            first_error = first_error or error
    raise PipelineError(f"unknown or invalid pass {element!r}: {first_error}")


def build(elements: list[str], context: ir.Context) -> PassManager:
    """A PassManager on builtin.module running ``elements`` in order."""
    pm = PassManager("builtin.module", context=context)
    for element in elements:
        match = _NAME.match(element.strip())
        if match is None:
            raise PipelineError(f"malformed pipeline element {element!r}")
        py = python_passes.lookup(match.group(1))
        if py is not None:
            if match.group(2):  # options or nesting
                raise PipelineError(f"Python pass {py.argument!r} takes no options")
            pm.add(py.run, name=py.argument, argument=py.argument,
                   description=py.description, op_name=py.op_name)
        else:
            pm.add(_nested_element(element.strip()))
    return pm


def split_pipeline(text: str) -> list[str]:
    """Splits ``"a,b{x=1,y=2},func.func(c)"`` at top-level commas."""
    elements, depth, current = [], 0, []
    for char in text:
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        if char == "," and depth == 0:
            elements.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        elements.append("".join(current).strip())
    return elements
