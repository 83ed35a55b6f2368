"""``hlox.nn``: jax.nn's activations and helpers (see hlox.frontend.libraries.nn)."""

from hlox.frontend.libraries.nn import *  # noqa: F401,F403
from hlox.frontend.libraries.nn import __all__  # noqa: F401
