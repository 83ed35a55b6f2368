"""hlox: an MLIR-based compiler for numerical Python.

Trace NumPy-style functions to StableHLO, read the IR after every stage, and
run it on a backend of your choice. This module only re-exports the public API.
"""

__version__ = "0.1.0"

from hlox.config import config, enable_x64
from hlox import lax
from hlox.frontend.core.array import Array, device_get, device_put
from hlox.frontend.numpy import array_methods as _array_methods  # noqa: F401 (Array's methods)
from hlox.frontend.core.sharding import Sharding, SingleDeviceSharding
from hlox.frontend.staging.jit import Compiled, Lowered, jit
from hlox.frontend.transforms.ad import (grad, hessian, jacfwd, jacrev, jvp, linearize,
                                         stop_gradient, value_and_grad, vjp)
from hlox.frontend.transforms.batching import vmap
from hlox.frontend.transforms.checkpoint import checkpoint, checkpoint_policies, remat
from hlox.frontend.transforms.custom_derivatives import custom_jvp, custom_vjp
from hlox.frontend.staging.make_jaxpr import make_jaxpr
from hlox import ad_checkpoint, backends, dtypes, errors, nn, numpy, random, scipy, tree, tree_util
from hlox.backends import (compile_stablehlo, device_count, devices, local_device_count,
                           local_devices, process_count, process_index)
from hlox.backends.base import Device
from hlox.backends.aot import ArtifactError, deserialize

__all__ = ["jit", "Lowered", "Compiled", "Array", "Device", "Sharding", "SingleDeviceSharding",
           "device_put", "device_get", "devices", "local_devices", "device_count",
           "local_device_count", "process_index", "process_count", "config", "enable_x64", "lax", "numpy", "nn",
           "scipy",
           "random", "tree", "tree_util", "errors", "backends", "compile_stablehlo",
           "deserialize", "ArtifactError", "grad", "value_and_grad", "vjp", "jvp", "linearize",
           "jacfwd", "jacrev", "hessian", "vmap", "stop_gradient", "custom_jvp", "custom_vjp",
           "checkpoint", "checkpoint_policies", "remat", "ad_checkpoint", "dtypes", "make_jaxpr"]
