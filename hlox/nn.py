"""``hlox.nn``: jax.nn's activations and helpers (see hlox.frontend.libraries.nn),
``dot_product_attention`` and the ``initializers`` namespace."""

from hlox.frontend.libraries.nn import *  # noqa: F401,F403
from hlox.frontend.libraries.attention import dot_product_attention  # noqa: F401
from hlox.frontend.libraries import initializers  # noqa: F401
from hlox.frontend.libraries import nn as _nn

__all__ = _nn.__all__ + ["dot_product_attention", "initializers"]
