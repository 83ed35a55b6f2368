"""Public submodules made from a frontend module (``hlox.numpy.fft``, ``hlox.lax.linalg``...)."""

from __future__ import annotations

import sys
import types


def namespace(name: str, module) -> types.ModuleType:
    """``module``'s public names as the module ``name``, its functions returning hlox Arrays
    (as jax.numpy's do); registered in sys.modules, so ``import name`` finds it."""
    from hlox.frontend.numpy.array_methods import results_as_arrays

    out = types.ModuleType(name, module.__doc__)
    for attr in module.__all__:
        value = getattr(module, attr)
        setattr(out, attr, results_as_arrays(value) if isinstance(value, types.FunctionType)
                else value)
    out.__all__ = list(module.__all__)
    sys.modules[name] = out
    return out
