"""``hlox.lax``: jax.lax's primitives and control flow (see hlox.frontend.lax).

A module of its own (not an alias of hlox.frontend.lax) so that ``import hlox.lax`` and
``from hlox.lax import cond`` work as with jax, and ``dir(hlox.lax)`` lists only the API.
"""

from hlox.frontend.lax import *  # noqa: F401,F403
from hlox.frontend.transforms.control_flow import *  # noqa: F401,F403  (with map: jax.lax.map)
from hlox.frontend.transforms.reduce import reduce  # noqa: F401
from hlox.frontend import lax as _lax
from hlox.frontend.transforms import control_flow as _control_flow

from hlox._namespace import namespace as _namespace
from hlox.frontend.libraries import linalg as _linalg

linalg = _namespace("hlox.lax.linalg", _linalg)

__all__ = sorted(_lax.__all__ + _control_flow.__all__ + ["reduce", "linalg"])
