"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy_api and numpy_math)."""

from hlox.frontend.numpy_api import *  # noqa: F401,F403
from hlox.frontend.numpy_math import *  # noqa: F401,F403
from hlox.frontend import numpy_api as _api, numpy_math as _math

__all__ = _api.__all__ + [n for n in _math.__all__ if n not in _api.__all__]
