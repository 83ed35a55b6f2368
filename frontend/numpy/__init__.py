"""``hlox.numpy``: NumPy's API over the lax primitives. This package re-exports it
(``__all__``); its modules: base (conversion, promotion, broadcasting, arithmetic), bits
(bitwise ops, shifts, sort), math (ufuncs, reductions), shape_ops (creation, shapes,
linear algebra), extras (constants, dtype helpers, logaddexp, bincount), complex_ops
(real, imag, conj, angle), fft (the ``hlox.numpy.fft`` namespace), indexing
(``x[idx]``, ``.at[...]``), compare/selection (isclose, select, ...),
construction (meshgrid, diag, kron), searching (searchsorted, interp), signal (convolve),
statistics (quantile, median, cov), set_ops (unique), gufunc (vectorize), and
array_methods (which attaches operators and methods to
the core layer's Tracer and Array).
"""

from hlox.frontend.numpy.base import *  # noqa: F401,F403
from hlox.frontend.numpy.bits import *  # noqa: F401,F403
from hlox.frontend.numpy.math import *  # noqa: F401,F403
from hlox.frontend.numpy.shape_ops import *  # noqa: F401,F403
from hlox.frontend.numpy.extras import *  # noqa: F401,F403
from hlox.frontend.numpy.complex_ops import *  # noqa: F401,F403
from hlox.frontend.numpy.compare import *  # noqa: F401,F403
from hlox.frontend.numpy.construction import *  # noqa: F401,F403
from hlox.frontend.numpy.searching import *  # noqa: F401,F403
from hlox.frontend.numpy.selection import *  # noqa: F401,F403
from hlox.frontend.numpy.signal import *  # noqa: F401,F403
from hlox.frontend.numpy.statistics import *  # noqa: F401,F403
from hlox.frontend.numpy.set_ops import *  # noqa: F401,F403
from hlox.frontend.numpy.gufunc import *  # noqa: F401,F403
from hlox.frontend.numpy import (array_methods, base, bits, compare, complex_ops,  # noqa: F401
                                 construction, extras, fft, gufunc, math, searching,
                                 selection, set_ops, shape_ops, signal, statistics)

__all__ = sorted(set(base.__all__) | set(bits.__all__) | set(math.__all__)
                 | set(shape_ops.__all__) | set(extras.__all__) | set(complex_ops.__all__)
                 | {n for m in (compare, construction, searching, selection, signal, statistics,
                              set_ops, gufunc) for n in m.__all__}
                 | {"fft"})
