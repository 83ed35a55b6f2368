"""Passes written in Python, registered beside the C++ ones.

MLIR's global pass registry only knows C++ passes. A Python pass is a callable
``run(op, pass_)`` added to a PassManager with ``PassManager.add(callable)``;
this registry gives each one a pipeline name so that ``hlox-opt --NAME`` and
hlox's own pipelines can use it like any other pass.

Passes that belong to a backend live in its package (``hlox.backends.cpu.passes``)
and register when it is imported; :func:`load_providers` imports every module
named in the ``hlox.passes`` entry-point group, so that ``hlox-opt`` offers
them without this package importing a backend.
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


def unregister(argument: str) -> None:
    """Forgets the Python pass ``argument`` (for tests that register their own)."""
    _PASSES.pop(argument, None)


def lookup(argument: str) -> PythonPass | None:
    return _PASSES.get(argument)


def all_passes() -> dict[str, PythonPass]:
    return dict(_PASSES)


PROVIDER_GROUP = "hlox.passes"


def load_providers() -> None:
    """Imports the modules of the ``hlox.passes`` entry points (each registers its
    passes); one that fails to import gives a warning naming it."""
    import warnings
    from importlib import metadata

    for ep in metadata.entry_points(group=PROVIDER_GROUP):
        try:
            ep.load()
        except Exception as error:  # noqa: BLE001  (a broken provider must not break the rest)
            warnings.warn(f"hlox: pass provider {ep.name!r} ({ep.value}) failed to load: "
                          f"{type(error).__name__}: {error}", RuntimeWarning, stacklevel=2)
