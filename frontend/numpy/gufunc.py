"""hlox.numpy's ``vectorize``: NumPy's generalized-ufunc broadcasting over ``vmap``.

The loop dimensions of all arguments (those left of each argument's core dimensions,
which ``signature`` names) broadcast together and are flattened into one axis that a
single ``vmap`` maps over; the results get the loop shape back.
"""

from __future__ import annotations

import functools
import math
import re

from hlox._pytree import tree_flatten, tree_unflatten
from hlox.frontend.core.tracing import get_aval
from hlox.frontend.numpy import shape_ops as so
from hlox.frontend.numpy.base import _check_arraylike, reshape
from hlox.frontend.transforms.batching import vmap

__all__ = ["vectorize"]

_DIMS = r"\((?:\w+(?:,\s*\w+)*)?\)"
_SIGNATURE = re.compile(rf"^\s*{_DIMS}(?:\s*,\s*{_DIMS})*\s*->\s*{_DIMS}(?:\s*,\s*{_DIMS})*\s*$")


def _parse_signature(signature: str):
    if not _SIGNATURE.match(signature):
        raise ValueError(f"hlox.numpy.vectorize: not a valid gufunc signature: {signature!r}")
    ins, outs = signature.split("->")
    parse = lambda side: [tuple(re.findall(r"\w+", group))  # noqa: E731
                          for group in re.findall(r"\(([^)]*)\)", side)]
    return parse(ins), parse(outs)


def vectorize(pyfunc, *, excluded=frozenset(), signature: str | None = None):
    """``pyfunc`` made to broadcast over its arguments' leading dimensions
    (``jax.numpy.vectorize``): ``excluded`` names positional indices or keyword names
    passed through unchanged; ``signature`` (``"(n),(n)->()"``) its core dimensions."""
    core_in, core_out = _parse_signature(signature) if signature is not None else (None, None)

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        fixed_kw = {k: v for k, v in kwargs.items() if k in excluded}
        mapped_kw = {k: v for k, v in kwargs.items() if k not in excluded}
        if mapped_kw:
            raise NotImplementedError(
                f"hlox.numpy.vectorize: keyword arguments are not vectorized; name "
                f"{sorted(mapped_kw)} in excluded= or pass them positionally")
        positions = [i for i in range(len(args)) if i not in excluded]
        arrays = [so.asarray(args[i]) for i in positions]
        for a in arrays:
            _check_arraylike("vectorize", a)
        cores = core_in if core_in is not None else [()] * len(arrays)
        if len(cores) != len(arrays):
            raise TypeError(f"hlox.numpy.vectorize: signature {signature!r} takes "
                            f"{len(cores)} arrays, got {len(arrays)}")
        sizes: dict[str, int] = {}
        loops = []
        for i, (a, core) in enumerate(zip(arrays, cores)):
            shape = get_aval(a).shape
            if len(shape) < len(core):
                raise ValueError(f"hlox.numpy.vectorize: argument {positions[i]} has shape "
                                 f"{shape}, fewer dimensions than its core {core}")
            for name, d in zip(core, shape[len(shape) - len(core):]):
                if sizes.setdefault(name, d) != d:
                    raise ValueError(f"hlox.numpy.vectorize: inconsistent size for core "
                                     f"dimension {name!r}: {sizes[name]} vs {d}")
            loops.append(shape[:len(shape) - len(core)])
        loop = so.broadcast_shapes(*loops) if loops else ()
        count = math.prod(loop)
        flat = [reshape(so.broadcast_to(a, loop + get_aval(a).shape[len(l):]),
                        (count,) + get_aval(a).shape[len(l):])
                for a, l in zip(arrays, loops)]

        def call(*mapped):
            full = list(args)
            for i, m in zip(positions, mapped):
                full[i] = m
            return pyfunc(*full, **fixed_kw)

        out = vmap(call, axis_size=count)(*flat) if flat else call()
        if not flat:
            return out
        leaves, tree = tree_flatten(out)
        leaves = [reshape(x, tuple(loop) + tuple(get_aval(x).shape[1:])) for x in leaves]
        if core_out is not None and len(core_out) != len(leaves):
            raise ValueError(f"hlox.numpy.vectorize: signature {signature!r} has "
                             f"{len(core_out)} outputs, the function returned {len(leaves)}")
        return tree_unflatten(tree, leaves)

    return wrapped
