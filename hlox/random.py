"""``hlox.random``: JAX's threefry2x32 PRNG, bit for bit (see hlox.frontend.libraries.random
and hlox.frontend.libraries.random_distributions)."""

from hlox.frontend.libraries.random import *  # noqa: F401,F403
from hlox.frontend.libraries.random_distributions import *  # noqa: F401,F403
from hlox.frontend.libraries import random as _random, random_distributions as _more

__all__ = _random.__all__ + _more.__all__
