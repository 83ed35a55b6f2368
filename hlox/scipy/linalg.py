"""``hlox.scipy.linalg``: cholesky, cho_factor, cho_solve, solve_triangular, lu, lu_factor,
lu_solve, expm (see hlox.frontend.libraries.scipy_linalg)."""

from hlox.frontend.libraries import scipy_linalg as _impl
from hlox.frontend.numpy.array_methods import results_as_arrays as _results_as_arrays

__all__ = list(_impl.__all__)
# Every function returns hlox Arrays, as jax.scipy.linalg's do.
globals().update({_name: _results_as_arrays(getattr(_impl, _name)) for _name in __all__})
