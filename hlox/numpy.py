"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy_api)."""

from hlox.frontend.numpy_api import *  # noqa: F401,F403
from hlox.frontend.numpy_api import __all__  # noqa: F401
