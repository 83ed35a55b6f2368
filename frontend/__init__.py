"""hlox's frontend: tracing, primitives, emission to StableHLO, jit, the NumPy API.

    core        abstract values, Primitive (+ rule registries), Graph, traces
    lax         the primitives, each with its shape rule and StableHLO emission
    numpy_api   NumPy's API (broadcasting, JAX type promotion) -> hlox.numpy
    emit        Graph -> func.func @main of StableHLO ops
    jit         hlox.jit, Lowered, Compiled
    ad          jvp, linearize, vjp, grad, value_and_grad, jacfwd, jacrev, hessian
    batching    vmap
    custom_derivatives  custom_jvp, custom_vjp
    test_util   check_grads (finite differences)
    tree_util   pytrees
"""

from hlox.frontend import lax, numpy_api, tree_util
from hlox.frontend.core import Graph, Primitive, ShapedArray
from hlox.frontend.jit import Compiled, JitFunction, Lowered, jit

__all__ = ["jit", "Lowered", "Compiled", "JitFunction", "Graph", "Primitive", "ShapedArray",
           "lax", "numpy_api", "tree_util"]
