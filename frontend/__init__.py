"""hlox's frontend: tracing, primitives, emission to StableHLO, jit, the NumPy API.

Subpackages by layer, bottom to top (see README "What is where"):

    core        abstract values, Primitive (+ rule registries), Graph, traces, dtypes,
                hlox.Array, emission of a Graph to StableHLO
    lax         the primitives (hlox.lax), one module per family
    transforms  ad, jacobians, batching (vmap), control flow, checkpoint,
                custom derivatives, closed subgraphs
    staging     jit, Lowered/Compiled, make_jaxpr
    numpy       hlox.numpy: promotion/broadcasting, ufuncs, shape ops, indexing
    libraries   hlox.nn, hlox.random (+ typed keys), hlox.scipy.special, test_util
"""

from hlox.frontend.core.tracing import Graph, Primitive, ShapedArray
from hlox.frontend.staging.jit import Compiled, JitFunction, Lowered, jit

__all__ = ["jit", "Lowered", "Compiled", "JitFunction", "Graph", "Primitive", "ShapedArray"]
