"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy_api, numpy_math,
numpy_shape, and numpy_bits, re-exported by numpy_api)."""

from hlox.frontend.numpy_api import *  # noqa: F401,F403
from hlox.frontend.numpy_math import *  # noqa: F401,F403
from hlox.frontend.numpy_shape import *  # noqa: F401,F403
from hlox.frontend.numpy_extras import *  # noqa: F401,F403
from hlox.frontend import numpy_api as _api, numpy_math as _math, numpy_shape as _shape
from hlox.frontend import numpy_extras as _extras

__all__ = sorted(set(_api.__all__) | set(_math.__all__) | set(_shape.__all__)
                 | set(_extras.__all__))
