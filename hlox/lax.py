"""``hlox.lax``: jax.lax's primitives and control flow (see hlox.frontend.lax.base).

A module of its own (not an alias of hlox.frontend.lax.base) so that ``import hlox.lax`` and
``from hlox.lax import cond`` work as with jax, and ``dir(hlox.lax)`` lists only the API.
"""

from hlox.frontend.lax.base import *  # noqa: F401,F403
from hlox.frontend.lax.base import __all__  # noqa: F401
# jax.lax.map (frontend.lax serves it by __getattr__; here it may shadow the builtin).
from hlox.frontend.transforms.control_flow import map  # noqa: F401,A004
