"""hlox's frontend: tracing, primitives, emission to StableHLO, jit, the NumPy API.

    core          abstract values, Primitive (+ rule registries), Graph, traces, errors
    lax           the base primitives and the helpers the lax_* modules share;
                  re-exports them all (hlox.lax's API is its __all__)
    lax_math, lax_reductions, lax_bits, lax_sort, lax_structural, lax_conv
                  primitive families, each primitive with all its rules
    control_flow  cond, switch, while_loop, fori_loop, scan, map (subgraphs: closed graphs)
    checkpoint    checkpoint/remat
    emit          Graph -> func.func @main of StableHLO ops
    jit           hlox.jit, Lowered, Compiled
    make_jaxpr    make_jaxpr
    ad            jvp, linearize, vjp, grad, value_and_grad, jacfwd, jacrev, hessian
    batching      vmap
    custom_derivatives  custom_jvp, custom_vjp
    numpy_api, numpy_math, numpy_shape, numpy_bits, indexing, array
                  hlox.numpy: promotion/broadcasting, ufuncs and reductions, shape ops and
                  linear algebra, bitwise ops and sort, x[idx] and .at[...], hlox.Array
    nn, scipy_special, random   hlox.nn, hlox.scipy.special, hlox.random
    dtypes        dtypes, JAX's promotion lattice and 64-bit (x64) mode
    test_util     check_grads (finite differences)
    tree_util     pytrees
"""

from hlox.frontend import lax, numpy_api, tree_util
from hlox.frontend.core import Graph, Primitive, ShapedArray
from hlox.frontend.jit import Compiled, JitFunction, Lowered, jit

__all__ = ["jit", "Lowered", "Compiled", "JitFunction", "Graph", "Primitive", "ShapedArray",
           "lax", "numpy_api", "tree_util"]
