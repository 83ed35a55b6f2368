"""``hlox.ops``: jax.ops's segment reductions (see hlox.frontend.libraries.segment_ops)."""

from hlox.frontend.libraries.segment_ops import *  # noqa: F401,F403
from hlox.frontend.libraries.segment_ops import __all__  # noqa: F401
