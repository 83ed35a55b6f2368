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

__all__ = sorted(set(_api.__all__) | set(_math.__all__) | set(_shape.__all__)
                 | set(_extras.__all__))
