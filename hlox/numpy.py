"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy)."""

from hlox.frontend.numpy import *  # noqa: F401,F403
from hlox.frontend.numpy import __all__  # noqa: F401
from hlox.frontend.numpy.array_methods import results_as_arrays as _results_as_arrays

# Every function returns hlox Arrays where it computed NumPy arrays, as jax.numpy does.
for _name in __all__:
    if type(globals()[_name]) is type(_results_as_arrays):
        globals()[_name] = _results_as_arrays(globals()[_name])
del _name


from hlox._namespace import namespace as _namespace  # noqa: E402
from hlox.frontend.numpy import fft as _fft  # noqa: E402
from hlox.frontend.libraries import numpy_linalg as _numpy_linalg  # noqa: E402

fft = _namespace("hlox.numpy.fft", _fft)
linalg = _namespace("hlox.numpy.linalg", _numpy_linalg)
