"""hlox: an MLIR-based compiler for numerical Python.

Trace NumPy-style functions to StableHLO, read the IR after every stage, and
run it on a backend of your choice. This module only re-exports the public API.
"""

__version__ = "0.1.0"

from hlox.config import config, enable_x64
from hlox import lax
from hlox.frontend.array import Array
from hlox.frontend.jit import Compiled, Lowered, compile_stablehlo, jit
from hlox.frontend.ad import (grad, hessian, jacfwd, jacrev, jvp, linearize, stop_gradient,
                              value_and_grad, vjp)
from hlox.frontend.batching import vmap
from hlox.frontend.checkpoint import checkpoint, checkpoint_policies, remat
from hlox.frontend.custom_derivatives import custom_jvp, custom_vjp
from hlox.frontend.make_jaxpr import make_jaxpr
from hlox import ad_checkpoint, backends, dtypes, errors, nn, numpy, random, scipy, tree, tree_util
from hlox.backends.aot import ArtifactError, deserialize

__all__ = ["jit", "Lowered", "Compiled", "Array", "config", "enable_x64", "lax", "numpy", "nn",
           "scipy",
           "random", "tree", "tree_util", "errors", "backends", "compile_stablehlo",
           "deserialize", "ArtifactError", "grad", "value_and_grad", "vjp", "jvp", "linearize",
           "jacfwd", "jacrev", "hessian", "vmap", "stop_gradient", "custom_jvp", "custom_vjp",
           "checkpoint", "checkpoint_policies", "remat", "ad_checkpoint", "dtypes", "make_jaxpr"]
