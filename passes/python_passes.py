"""Passes written in Python, registered beside the C++ ones.

MLIR's global pass registry only knows C++ passes. A Python pass is a callable
``run(op, pass_)`` added to a PassManager with ``PassManager.add(callable)``;
this registry gives each one a pipeline name so that ``hlox-opt --NAME`` and
hlox's own pipelines can use it like any other pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class PythonPass:
    argument: str  # the pipeline name, e.g. "hlox-import-mhlo-sharding"
    run: Callable  # run(op: ir.Operation, pass_: ExternalPass) -> None
    description: str
    op_name: str = ""  # anchor op ("" = any operation)


_PASSES: dict[str, PythonPass] = {}


def register(argument: str, description: str, op_name: str = ""):
    """Decorator: registers ``run(op, pass_)`` as the Python pass ``argument``."""

    def wrap(run: Callable) -> Callable:
        if argument in _PASSES:
            raise ValueError(f"a Python pass named {argument!r} is already registered")
        _PASSES[argument] = PythonPass(argument, run, description, op_name)
        return run

    return wrap


def lookup(argument: str) -> PythonPass | None:
    return _PASSES.get(argument)


def all_passes() -> dict[str, PythonPass]:
    return dict(_PASSES)
