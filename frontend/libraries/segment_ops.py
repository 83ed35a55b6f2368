"""``hlox.ops``: segment reductions (``jax.ops.segment_sum``/``max``/``min``/``prod``).

``out[s] = reduce(data[i] for i with segment_ids[i] == s)`` for s < num_segments: one
scatter into an array of the reduction's identity. Ids outside ``[0, num_segments)``
(negative ones included) are dropped, as JAX's default ``mode`` does; an empty segment
holds the identity (0, -inf/+inf or the integer extremes, 1).
"""

from __future__ import annotations

import functools

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Tracer, get_aval
from hlox.frontend import numpy as hnp
from hlox.frontend.staging.jit import jit

__all__ = ["segment_sum", "segment_max", "segment_min", "segment_prod"]


def _identity(kind: str, dtype):
    if kind == "add":
        return 0
    if kind == "mul":
        return 1
    if dtype == np.bool_:
        return kind == "min"
    if dtypes.is_float(dtype):
        return -np.inf if kind == "max" else np.inf
    info = np.iinfo(dtype)
    return info.min if kind == "max" else info.max


@functools.partial(jit, static_argnames=("kind", "num_segments"))
def _segment(data, segment_ids, kind, num_segments):
    dtype = get_aval(data).dtype
    out = hnp.full((num_segments,) + get_aval(data).shape[1:], _identity(kind, dtype), dtype)
    # negative ids are out of range too (not counted from the end)
    ids = hnp.where(segment_ids < 0, num_segments, segment_ids)
    return getattr(out.at[ids], kind)(data, mode="drop")


def _reducer(kind: str, name: str, doc: str):
    def segment_reduce(data, segment_ids, num_segments=None, indices_are_sorted: bool = False,
                       unique_indices: bool = False, bucket_size=None, mode=None):
        if mode not in (None, "drop", "fill"):
            raise NotImplementedError(f"hlox.ops.{name}: mode={mode!r} is not supported "
                                      f"(out-of-range ids are dropped)")
        if bucket_size is not None:
            raise NotImplementedError(f"hlox.ops.{name}: bucket_size is not supported")
        data, segment_ids = hnp.asarray(data), hnp.asarray(segment_ids)
        if not dtypes.is_int(segment_ids.dtype):
            raise TypeError(f"hlox.ops.{name}: segment_ids must be integers, got "
                            f"{segment_ids.dtype}")
        if data.ndim < 1 or segment_ids.shape != data.shape[:1]:
            raise ValueError(f"hlox.ops.{name}: segment_ids must have shape (data.shape[0],) "
                             f"= {data.shape[:1]}, got {segment_ids.shape}")
        if num_segments is None:
            if isinstance(segment_ids, Tracer):
                raise TypeError(f"hlox.ops.{name}: under jit/vmap/grad the number of segments "
                                f"must be static: pass num_segments=")
            num_segments = int(np.max(np.asarray(segment_ids), initial=-1)) + 1
        return _segment(data, segment_ids, kind=kind, num_segments=int(num_segments))

    segment_reduce.__name__ = segment_reduce.__qualname__ = name
    segment_reduce.__doc__ = doc
    return segment_reduce


segment_sum = _reducer("add", "segment_sum", "Sums of ``data``'s rows per segment id (``jax.ops.segment_sum``).")
segment_prod = _reducer("mul", "segment_prod", "Products per segment id (``jax.ops.segment_prod``).")
segment_max = _reducer("max", "segment_max", "Maxima per segment id, ``-inf`` (or the integer minimum) for "
                              "an empty segment (``jax.ops.segment_max``).")
segment_min = _reducer("min", "segment_min", "Minima per segment id, ``+inf`` (or the integer maximum) for "
                              "an empty segment (``jax.ops.segment_min``).")
