"""custom_call, rng, infeed/outfeed (collectives and process ids: ``collectives``)."""

from __future__ import annotations

import numpy as np

from . import attributes
from .registry import register

# custom_call targets the interpreter knows: name -> rule(args, step).
# JAX's sharding annotations are identities on one device.
KNOWN_CUSTOM_CALLS = {
    "Sharding": lambda step, args: list(args),
    "SPMDFullToShardShape": lambda step, args: list(args),
    "SPMDShardToFullShape": lambda step, args: list(args),
    "annotate_device_placement": lambda step, args: list(args),
}


def _lapack_config(step) -> dict:
    """mhlo.backend_config = {uplo = 76 : ui8, ...} -> {"uplo": "L", ...}."""
    config = step.attr("mhlo.backend_config")
    if config is None:
        return {}
    out = {}
    for part in str(config).strip("{}").split(","):
        if "=" in part:
            key, value = (p.strip() for p in part.split("="))
            out[key] = chr(int(value.split(":")[0]))
    return out


def _potrf(step, args):
    """JAX's LAPACK Cholesky: (factor in the uplo triangle, the other
    triangle left as it was; info = 0, or > 0 where not positive definite)."""
    from .linalg_ops import cholesky_factor

    a = np.asarray(args[0])
    lower = _lapack_config(step).get("uplo", "L") == "L"
    factor, ok = cholesky_factor(a, lower)
    keep = np.tril(np.ones(a.shape[-2:], bool)) if lower else np.triu(np.ones(a.shape[-2:], bool))
    out = np.where(keep, factor, a)
    return [out, np.where(ok, 0, 1).astype(np.int32)]


def _trsm(step, args):
    from .linalg_ops import solve_triangular

    c = _lapack_config(step)
    transpose = {"N": "NO_TRANSPOSE", "T": "TRANSPOSE", "C": "ADJOINT"}[c.get("trans_x", "N")]
    return [solve_triangular(args[0], args[1], c.get("side", "L") == "L", c.get("uplo", "L") == "L",
                             c.get("diag", "N") == "U", transpose)]


for _p in "sdcz":
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}potrf_ffi"] = _potrf
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}trsm_ffi"] = _trsm


@register("stablehlo.custom_call")
def custom_call(ev, step, env, args):
    target = attributes.scalar(step.attr("call_target_name"))
    rule = KNOWN_CUSTOM_CALLS.get(target)
    if rule is None:
        raise NotImplementedError(f"interpreter: custom_call target '{target}' is not supported")
    return rule(step, args)


@register("stablehlo.rng")
def rng(ev, step, env, args):
    """Implementation-defined numbers: numpy's generator with a fixed seed."""
    a, b, shape = args
    shape = tuple(int(v) for v in np.asarray(shape).reshape(-1))
    gen = np.random.default_rng(0)
    dist = attributes.enum(step.attr("rng_distribution"))
    t = step.result_types[0].dtype
    if dist == "NORMAL":
        return [gen.normal(float(a), float(b), shape)]
    if t.kind in "iu":
        return [gen.integers(int(a), int(b), shape)]
    return [gen.uniform(float(a), float(b), shape)]


@register("stablehlo.infeed", "stablehlo.outfeed", "stablehlo.send", "stablehlo.recv")
def host_transfer(ev, step, env, args):
    raise NotImplementedError(f"interpreter: {step.name} (host transfers) is not supported")
