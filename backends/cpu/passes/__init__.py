"""The Python passes only the cpu backend runs (``hlox-cpu-*``).

Importing this package registers them with :mod:`hlox.passes.python_passes`;
``hlox-opt`` finds it through the ``hlox.passes`` entry-point group
(pyproject.toml), so that ``hlox.passes`` itself imports no backend.
"""

from hlox.backends.cpu.passes import amx_tiles  # noqa: F401  (hlox-cpu-amx-tiles)
from hlox.backends.cpu.passes import c_interface  # noqa: F401  (hlox-cpu-emit-c-interface)
from hlox.backends.cpu.passes import collectives  # noqa: F401  (hlox-cpu-collectives-to-runtime)
from hlox.backends.cpu.passes import fills_per_writer  # noqa: F401  (hlox-cpu-fills-per-writer)
from hlox.backends.cpu.passes import fft_to_runtime  # noqa: F401  (hlox-cpu-fft-to-runtime)
from hlox.backends.cpu.passes import hoist_loop_buffers  # noqa: F401  (hlox-cpu-hoist-loop-buffers)
from hlox.backends.cpu.passes import lapack_to_runtime  # noqa: F401  (hlox-cpu-lapack-to-runtime)
from hlox.backends.cpu.passes import math_approximations  # noqa: F401  (hlox-cpu-math-approximations)
from hlox.backends.cpu.passes import reciprocal_divisors  # noqa: F401  (hlox-cpu-reciprocal-divisors)
from hlox.backends.cpu.passes import reassociate_reductions  # noqa: F401  (hlox-cpu-reassociate-reductions)
from hlox.backends.cpu.passes import results_in_place  # noqa: F401  (hlox-cpu-results-in-place)
from hlox.backends.cpu.passes import runtime_calls  # noqa: F401  (hlox-cpu-runtime-calls-on-buffers)
from hlox.backends.cpu.passes import vectorize_contractions  # noqa: F401  (hlox-cpu-vectorize-contractions)
from hlox.backends.cpu.passes import tile_transposes  # noqa: F401  (hlox-cpu-tile-transposes)
from hlox.backends.cpu.passes import vectorize_small_loop_bodies  # noqa: F401  (hlox-cpu-vectorize-small-loop-bodies)
from hlox.backends.cpu.passes import vector_width  # noqa: F401  (hlox-cpu-vector-width)
from hlox.backends.cpu.passes import small_floats  # noqa: F401  (hlox-cpu-small-floats)
