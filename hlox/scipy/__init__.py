"""``hlox.scipy``: the parts of jax.scipy hlox has (``hlox.scipy.special``, ``hlox.scipy.linalg``)."""

from hlox.scipy import linalg, special  # noqa: F401
