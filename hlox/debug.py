"""``hlox.debug``: jax.debug's ``print`` (hlox.frontend.core.debug) and sharding views
(hlox.frontend.libraries.debug)."""

from hlox.frontend.core.debug import print  # noqa: F401,A004
from hlox.frontend.libraries.debug import visualize_array_sharding, visualize_sharding  # noqa: F401

__all__ = ["print", "visualize_array_sharding", "visualize_sharding"]
