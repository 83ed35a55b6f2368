"""``hlox.scipy``: the parts of jax.scipy hlox has (``hlox.scipy.special``)."""

from hlox.scipy import special  # noqa: F401
