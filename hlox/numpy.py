"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy.base, numpy_math,
numpy_shape, and numpy_bits, re-exported by numpy_api)."""

from hlox.frontend.numpy.base import *  # noqa: F401,F403
from hlox.frontend.numpy.math import *  # noqa: F401,F403
from hlox.frontend.numpy.shape import *  # noqa: F401,F403
from hlox.frontend.numpy.extras import *  # noqa: F401,F403
from hlox.frontend.numpy import base as _api
from hlox.frontend.numpy import math as _math
from hlox.frontend.numpy import shape as _shape
from hlox.frontend.numpy import extras as _extras
from hlox.frontend.numpy.array_methods import results_as_arrays as _results_as_arrays

__all__ = sorted(set(_api.__all__) | set(_math.__all__) | set(_shape.__all__)
                 | set(_extras.__all__))

# Every function returns hlox Arrays where it computed NumPy arrays, as jax.numpy does.
for _name in __all__:
    if type(globals()[_name]) is type(_results_as_arrays):
        globals()[_name] = _results_as_arrays(globals()[_name])
del _name
