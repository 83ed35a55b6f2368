"""``with_sharding_constraint``: pins how a traced value is split over a mesh.

Emitted as Shardy's ``sdy.sharding_constraint`` (what JAX emits): propagation
keeps the given sharding for that value (it wins over what flows into it) and the
partitioner reshards to it. Outside a trace it is ``device_put`` (JAX's too).
JVP, transpose and batching constrain the tangent, the cotangent and the batched
value alike (the batch dimension unsharded).
"""

from __future__ import annotations


from hlox._pytree import broadcast_prefix, tree_flatten, tree_unflatten
from hlox.frontend.core import array as array_lib
from hlox.frontend.core.emit import sharding_attr
from hlox.frontend.core.sharding import NamedSharding, PartitionSpec, current_mesh
from hlox.frontend.core.tracing import EvalTrace, Primitive, current_trace, get_aval

__all__ = ["with_sharding_constraint"]

sharding_constraint_p = Primitive("sharding_constraint")


def with_sharding_constraint(x, shardings):
    """``x`` (a pytree) with each leaf constrained to its sharding (a NamedSharding, or
    a PartitionSpec inside ``with mesh:``; a pytree prefix of ``x``)."""
    leaves, tree = tree_flatten(x)
    try:
        per_leaf = broadcast_prefix(shardings, x, is_leaf=_is_sharding_leaf)
    except ValueError as error:
        raise ValueError(f"with_sharding_constraint: the shardings do not match the value's "
                         f"structure: {error}") from None
    out = []
    for leaf, sharding in zip(leaves, per_leaf):
        if sharding is None:
            out.append(leaf)
            continue
        sharding = _named(sharding)
        if isinstance(current_trace(), EvalTrace):
            out.append(array_lib.device_put(leaf, sharding))
            continue
        ndim = len(get_aval(leaf).shape)
        if len(sharding.spec) > ndim:
            raise ValueError(f"with_sharding_constraint: {sharding!r} is only valid for values "
                             f"of rank at least {len(sharding.spec)}, but was applied to a value "
                             f"of rank {ndim}.")
        out.append(sharding_constraint_p.bind(leaf, sharding=sharding))
    return tree_unflatten(tree, out)


def _is_sharding_leaf(s) -> bool:
    return s is None or isinstance(s, (NamedSharding, PartitionSpec))


def _named(sharding) -> NamedSharding:
    if isinstance(sharding, NamedSharding):
        return sharding
    if isinstance(sharding, PartitionSpec):
        mesh = current_mesh()
        if mesh is None:
            raise ValueError(f"with_sharding_constraint: the PartitionSpec {sharding!r} needs a "
                             f"mesh: pass NamedSharding(mesh, spec), or call it inside "
                             f"`with mesh:`")
        return NamedSharding(mesh, sharding)
    raise TypeError(f"with_sharding_constraint: expected a NamedSharding or a PartitionSpec, "
                    f"got {type(sharding).__name__} {sharding!r}")


@sharding_constraint_p.def_abstract_eval
def _abstract_eval(x, *, sharding):
    return x


@sharding_constraint_p.def_lowering
def _lower(ctx, x, *, sharding):
    attr = sharding_attr(sharding, len(ctx.avals_in[0].shape))
    return ctx.op("sdy.sharding_constraint", [x], {"sharding": attr})


@sharding_constraint_p.def_jvp
def _jvp(primals, tangents, *, sharding):
    (x,), (t,) = primals, tangents
    out = sharding_constraint_p.bind(x, sharding=sharding)
    return out, None if t is None else sharding_constraint_p.bind(t, sharding=sharding)


@sharding_constraint_p.def_transpose
def _transpose(ct, x, *, sharding):
    return [sharding_constraint_p.bind(ct, sharding=sharding)]


@sharding_constraint_p.def_batching
def _batching(values, dims, *, sharding):
    spec = PartitionSpec(None, *sharding.spec)  # the batch dimension (in front) unsharded
    return sharding_constraint_p.bind(values[0], sharding=NamedSharding(sharding.mesh, spec)), 0


def _traced_put(x, sharding):
    return sharding_constraint_p.bind(x, sharding=sharding)


array_lib.traced_put = _traced_put
