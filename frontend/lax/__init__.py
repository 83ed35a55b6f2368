"""The primitives of ``hlox.lax``: ``base`` (arithmetic, comparisons, select, convert,
broadcast/reshape/transpose, reduce_sum, dot_general, and the helpers the others share)
and one module per family (complex parts and fft included; prefix_scan: associative_scan
and cumlogsumexp; optimization_barrier and reduce_precision in ``barrier``). This package re-exports their public API; ``hlox.lax`` adds
control flow and the generic ``reduce`` (hlox.frontend.transforms), which take functions.
"""

from hlox.frontend.lax.base import *  # noqa: F401,F403
from hlox.frontend.lax.math import *  # noqa: F401,F403
from hlox.frontend.lax.reductions import *  # noqa: F401,F403
from hlox.frontend.lax.bits import *  # noqa: F401,F403
from hlox.frontend.lax.sorting import *  # noqa: F401,F403
from hlox.frontend.lax.structural import *  # noqa: F401,F403
from hlox.frontend.lax.convolution import *  # noqa: F401,F403
from hlox.frontend.lax.sharding_constraint import *  # noqa: F401,F403
from hlox.frontend.lax.collectives import *  # noqa: F401,F403
from hlox.frontend.lax.complex_parts import *  # noqa: F401,F403
from hlox.frontend.lax.fourier import *  # noqa: F401,F403
from hlox.frontend.lax.prefix_scan import *  # noqa: F401,F403
from hlox.frontend.lax.barrier import *  # noqa: F401,F403
from hlox.frontend.lax import (barrier, base, bits, collectives, complex_parts, convolution,
                               fourier, math, prefix_scan, reductions, sharding_constraint,
                               sorting, structural)

__all__ = sorted(name for module in (base, math, reductions, bits, sorting, structural,
                                     convolution, sharding_constraint, collectives,
                                     complex_parts, fourier, prefix_scan, barrier)
                 for name in module.__all__)
