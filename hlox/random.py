"""``hlox.random``: JAX's threefry2x32 PRNG, bit for bit (see hlox.frontend.random)."""

from hlox.frontend.random import *  # noqa: F401,F403
from hlox.frontend.random import __all__  # noqa: F401
