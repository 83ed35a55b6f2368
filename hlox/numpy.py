"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy)."""

from hlox.frontend.numpy import *  # noqa: F401,F403
from hlox.frontend.numpy import __all__  # noqa: F401
from hlox.frontend.numpy.array_methods import results_as_arrays as _results_as_arrays

# Every function returns hlox Arrays where it computed NumPy arrays, as jax.numpy does.
for _name in __all__:
    if type(globals()[_name]) is type(_results_as_arrays):
        globals()[_name] = _results_as_arrays(globals()[_name])
del _name


def _namespace(name: str, module):
    """``module``'s public functions returning Arrays, as the module ``name`` (importable:
    ``import hlox.numpy.fft`` finds it in sys.modules)."""
    import sys
    import types

    namespace = types.ModuleType(name, module.__doc__)
    for attr in module.__all__:
        value = getattr(module, attr)
        setattr(namespace, attr, _results_as_arrays(value) if callable(value) else value)
    namespace.__all__ = list(module.__all__)
    sys.modules[name] = namespace
    return namespace


from hlox.frontend.numpy import fft as _fft  # noqa: E402

fft = _namespace("hlox.numpy.fft", _fft)
