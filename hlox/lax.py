"""``hlox.lax``: jax.lax's primitives and control flow (see hlox.frontend.lax).

A module of its own (not an alias of hlox.frontend.lax) so that ``import hlox.lax`` and
``from hlox.lax import cond`` work as with jax, and ``dir(hlox.lax)`` lists only the API.
"""

from hlox.frontend.lax import *  # noqa: F401,F403
from hlox.frontend.lax import __all__  # noqa: F401
# jax.lax.map (frontend.lax serves it by __getattr__; here it may shadow the builtin).
from hlox.frontend.control_flow import map  # noqa: F401,A004
