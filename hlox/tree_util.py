"""``hlox.tree_util``: pytrees, as ``jax.tree_util`` (see hlox.frontend.tree_util)."""

from hlox.frontend.tree_util import *  # noqa: F401,F403
from hlox.frontend.tree_util import __all__  # noqa: F401
