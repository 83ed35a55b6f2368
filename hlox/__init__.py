"""hlox: an MLIR-based compiler for numerical Python.

Trace NumPy-style functions to StableHLO, read the IR after every stage, and
run it on a backend of your choice. This module only re-exports the public API,
lazily (PEP 562): ``import hlox.passes.opt_main`` (what ``hlox-opt`` runs) loads
the dialects and passes without the frontend; ``hlox.jit`` loads the frontend
on first use.
"""

import importlib

from hlox.config import config, enable_x64

__version__ = "0.1.0"

# public name -> the module that defines it
_ATTRIBUTES = {
    **dict.fromkeys(["Array", "device_put", "device_get", "make_array_from_callback",
                     "make_array_from_process_local_data"], "hlox.frontend.core.array"),
    **dict.fromkeys(["Sharding", "SingleDeviceSharding", "NamedSharding", "P", "make_mesh"],
                    "hlox.frontend.core.sharding"),
    **dict.fromkeys(["jit", "Lowered", "Compiled", "compile_stablehlo"],
                    "hlox.frontend.staging.jit"),
    **dict.fromkeys(["grad", "value_and_grad", "vjp", "jvp", "linearize", "stop_gradient"],
                    "hlox.frontend.transforms.ad"),
    **dict.fromkeys(["jacfwd", "jacrev", "hessian"], "hlox.frontend.transforms.jacobians"),
    "vmap": "hlox.frontend.transforms.batching",
    **dict.fromkeys(["checkpoint", "checkpoint_policies", "remat"],
                    "hlox.frontend.transforms.checkpoint"),
    **dict.fromkeys(["custom_jvp", "custom_vjp"], "hlox.frontend.transforms.custom_derivatives"),
    "make_jaxpr": "hlox.frontend.staging.make_jaxpr",
    "shard_map": "hlox.frontend.transforms.shard_map",
    "eval_shape": "hlox.frontend.staging.eval_shape",
    "ShapeDtypeStruct": "hlox.frontend.core.shape_dtype_struct",
    "block_until_ready": "hlox.frontend.core.debug",
    **dict.fromkeys(["devices", "local_devices", "device_count", "local_device_count",
                     "process_index", "process_count"], "hlox.backends"),
    "Device": "hlox.backends.base",
    **dict.fromkeys(["deserialize", "ArtifactError"], "hlox.backends.aot"),
}
# public submodules (``hlox.numpy``, ...), loaded on first access
_SUBMODULES = ["lax", "numpy", "nn", "scipy", "random", "tree", "tree_util", "errors",
               "backends", "ad_checkpoint", "dtypes", "sharding", "debug", "distributed", "ops"]

__all__ = ["jit", "Lowered", "Compiled", "Array", "Device", "Sharding", "SingleDeviceSharding",
           "device_put", "device_get", "devices", "local_devices", "device_count",
           "local_device_count", "process_index", "process_count", "config", "enable_x64",
           "lax", "numpy", "nn", "scipy", "random", "tree", "tree_util", "errors", "backends", "compile_stablehlo",
           "deserialize", "ArtifactError", "grad", "value_and_grad", "vjp", "jvp", "linearize",
           "jacfwd", "jacrev", "hessian", "vmap", "stop_gradient", "custom_jvp", "custom_vjp",
           "checkpoint", "checkpoint_policies", "remat", "ad_checkpoint", "dtypes", "make_jaxpr",
           "NamedSharding", "P", "make_mesh", "make_array_from_callback",
           "make_array_from_process_local_data", "sharding", "debug", "shard_map", "distributed",
           "eval_shape", "ShapeDtypeStruct", "block_until_ready", "ops"]


def __getattr__(name: str):
    if name in _ATTRIBUTES:
        value = getattr(importlib.import_module(_ATTRIBUTES[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"hlox.{name}")
    else:
        raise AttributeError(f"module 'hlox' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
