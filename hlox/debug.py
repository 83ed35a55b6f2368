"""``hlox.debug``: ``print`` (jax.debug.print; see hlox.frontend.core.debug)."""

from hlox.frontend.core.debug import print  # noqa: F401,A004

__all__ = ["print"]
