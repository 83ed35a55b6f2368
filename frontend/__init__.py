"""hlox's frontend: tracing, primitives, emission to StableHLO, jit, the NumPy API.

Subpackages by layer, bottom to top; a module imports only from its layer or below
(tests/python/test_import_layers.py checks it):

    core        abstract values, Primitive (+ rule registries), Graph, traces, dtypes,
                hlox.Array, emission of a Graph to StableHLO
    lax         the primitives (hlox.lax), one module per family
    transforms  ad, jacobians, batching (vmap), control flow, the generic reduce,
                checkpoint, custom derivatives, closed subgraphs
    staging     jit, Lowered/Compiled, make_jaxpr
    numpy       hlox.numpy: promotion/broadcasting, ufuncs, shape ops, indexing, and the
                operators and methods of arrays
    libraries   hlox.nn, hlox.random (+ typed keys), hlox.scipy.special, test_util

Two upper layers complete lower ones, so importing any part of the frontend loads them
here first: staging installs eager evaluation (core compiles eager ops through jit) and
numpy attaches the array operators and methods to core's Tracer and Array (and
libraries' typed keys let jit take JAX's typed keys).
"""

from hlox.frontend.staging.jit import Compiled, JitFunction, Lowered, jit
from hlox.frontend import numpy as _numpy  # noqa: F401  (array methods, see above)
from hlox.frontend.libraries import key_array as _key_array  # noqa: F401  (JAX's keys in jit)
from hlox.frontend.core.tracing import Graph, Primitive, ShapedArray

__all__ = ["jit", "Lowered", "Compiled", "JitFunction", "Graph", "Primitive", "ShapedArray"]
