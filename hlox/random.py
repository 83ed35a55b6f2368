"""``hlox.random``: JAX's threefry2x32 PRNG, bit for bit (see hlox.frontend.libraries.random)."""

from hlox.frontend.libraries.random import *  # noqa: F401,F403
from hlox.frontend.libraries.random import __all__  # noqa: F401
