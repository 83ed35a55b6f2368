"""``hlox.debug``: jax.debug's sharding views (see hlox.frontend.libraries.debug)."""

from hlox.frontend.libraries.debug import *  # noqa: F401,F403
from hlox.frontend.libraries.debug import __all__  # noqa: F401
