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


def _batched(a, rule):
    """``rule(matrix) -> tuple of arrays`` over the leading batch dimensions of ``a``."""
    a = np.asarray(a)
    batch = a.shape[:-2]
    outs = None
    for index in np.ndindex(*batch):
        results = rule(a[index])
        if outs is None:
            outs = [np.empty(batch + np.shape(r), np.asarray(r).dtype) for r in results]
        for out, r in zip(outs, results):
            out[index] = r
    return outs


def _lapack(prefix: str, name: str):
    from scipy.linalg import lapack

    return getattr(lapack, prefix + name)


def _getrf(prefix):
    """LU with partial pivoting: (LU, 1-based pivots, info), as LAPACK gives them."""
    def rule(step, args):
        a = np.asarray(args[0])
        if 0 in a.shape[-2:]:
            k = min(a.shape[-2:])
            return [a.copy(), np.ones(a.shape[:-2] + (k,), np.int32),
                    np.zeros(a.shape[:-2], np.int32)]
        def one(m):
            lu, piv, info = _lapack(prefix, "getrf")(m)
            return lu, (piv + 1).astype(np.int32), np.int32(info)
        return _batched(a, one)
    return rule


def _geqrf(prefix):
    def rule(step, args):
        def one(m):
            qr, tau, _, _ = _lapack(prefix, "geqrf")(m)
            return qr, tau
        return _batched(args[0], one)
    return rule


def _orgqr(prefix):
    name = "ungqr" if prefix in "cz" else "orgqr"

    def rule(step, args):
        a, tau = np.asarray(args[0]), np.asarray(args[1])
        out = np.empty_like(a)
        for index in np.ndindex(*a.shape[:-2]):
            out[index] = _lapack(prefix, name)(a[index], tau[index])[0]
        return [out]
    return rule


def _syevd(prefix):
    name = "heevd" if prefix in "cz" else "syevd"

    def rule(step, args):
        c = _lapack_config(step)
        vectors, lower = c.get("mode", "V") == "V", c.get("uplo", "L") == "L"
        def one(m):
            w, v, info = _lapack(prefix, name)(m, compute_v=int(vectors), lower=int(lower))
            return (v if vectors else m), w, np.int32(info)
        return _batched(args[0], one)
    return rule


def _gesdd(prefix):
    def rule(step, args):
        mode = _lapack_config(step).get("mode", "A")
        a = np.asarray(args[0])
        m, n = a.shape[-2:]
        k = min(m, n)
        u_shape, vt_shape = ((m, k), (k, n)) if mode == "S" else ((m, m), (n, n))
        def one(x):
            if k == 0:
                return x, np.zeros(0, x.real.dtype), np.zeros(u_shape, x.dtype), \
                    np.zeros(vt_shape, x.dtype), np.int32(0)
            u, s, vt, info = _lapack(prefix, "gesdd")(x, compute_uv=int(mode != "N"),
                                                      full_matrices=int(mode == "A"))
            if mode == "N":
                u, vt = np.zeros(u_shape, x.dtype), np.zeros(vt_shape, x.dtype)
            return x, s, u, vt, np.int32(info)
        return _batched(a, one)
    return rule


for _p in "sdcz":
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}potrf_ffi"] = _potrf
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}trsm_ffi"] = _trsm
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}getrf_ffi"] = _getrf(_p)
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}geqrf_ffi"] = _geqrf(_p)
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}{'ungqr' if _p in 'cz' else 'orgqr'}_ffi"] = _orgqr(_p)
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}{'heevd' if _p in 'cz' else 'syevd'}_ffi"] = _syevd(_p)
    KNOWN_CUSTOM_CALLS[f"lapack_{_p}gesdd_ffi"] = _gesdd(_p)


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
