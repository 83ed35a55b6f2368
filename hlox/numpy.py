"""``hlox.numpy``: NumPy's API on hlox arrays (see hlox.frontend.numpy)."""

from hlox.frontend.numpy import *  # noqa: F401,F403
from hlox.frontend.numpy import __all__  # noqa: F401
