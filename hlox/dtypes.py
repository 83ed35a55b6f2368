"""``hlox.dtypes`` (``jax.dtypes``): the extended dtypes of typed PRNG keys.

``jnp.issubdtype(k.dtype, hlox.dtypes.prng_key)`` is true for a typed key array
(``hlox.random.key``).
"""

from hlox.frontend.core.dtypes import extended, prng_key
from hlox.frontend.numpy.extras import issubdtype

__all__ = ["extended", "prng_key", "issubdtype"]
