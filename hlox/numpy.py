"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy_api)."""

from hlox.frontend.numpy_api import *  # noqa: F401,F403
from hlox.frontend.numpy_api import __all__  # noqa: F401
from hlox.frontend.numpy_shape import *  # noqa: F401,F403,E402
from hlox.frontend import numpy_shape as _shape  # noqa: E402
__all__ = sorted(set(__all__) | set(_shape.__all__))  # noqa: F405
