"""hlox's backends: turn a StableHLO module into something that runs.

A backend is an object with ``name`` and
``compile(stablehlo_text, function_name, in_avals, out_avals) -> Executable``,
where an Executable has ``execute(list[np.ndarray]) -> list[np.ndarray]`` and
``stages`` (an ordered dict: stage name -> IR text). Built-in: ``cpu``.
Other packages add backends through the ``hlox.backends`` entry-point group
(``name = "module:attribute"``).
"""

from __future__ import annotations

import importlib
from importlib import metadata

_BUILTIN = {"cpu": "hlox.backends.cpu:backend"}
_loaded: dict = {}


def _load(spec: str):
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def available_backends() -> list[str]:
    names = set(_BUILTIN)
    names.update(ep.name for ep in metadata.entry_points(group="hlox.backends"))
    return sorted(names)


def get_backend(name: str = "cpu"):
    """The backend called ``name`` (built-in or from an entry point)."""
    if name not in _loaded:
        if name in _BUILTIN:
            _loaded[name] = _load(_BUILTIN[name])
        else:
            found = [ep for ep in metadata.entry_points(group="hlox.backends") if ep.name == name]
            if not found:
                raise ValueError(f"unknown hlox backend {name!r}; available: "
                                 f"{', '.join(available_backends())}")
            _loaded[name] = found[0].load()
    return _loaded[name]
