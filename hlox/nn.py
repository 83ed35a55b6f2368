"""``hlox.nn``: jax.nn's activations and helpers (see hlox.frontend.nn)."""

from hlox.frontend.nn import *  # noqa: F401,F403
from hlox.frontend.nn import __all__  # noqa: F401
