"""Collectives over named mesh axes, inside ``shard_map`` (``jax.lax.psum`` ...).

A collective names mesh axes; :data:`axis_env` (pushed by ``shard_map`` while it
traces its body) gives their sizes and the mesh. Each becomes the StableHLO
collective JAX emits, over PARTITION ids (row-major positions in the mesh) with
``channel_handle`` type 1 and ``use_global_device_ids``: ``psum``/``pmax``/``pmin`` ->
``all_reduce``, ``all_gather`` -> ``all_gather``, ``psum_scatter`` ->
``reduce_scatter``, ``ppermute`` -> ``collective_permute``, ``all_to_all`` ->
``all_to_all``, ``axis_index`` -> ``partition_id`` arithmetic. A group holds the
devices that differ only along the named axes, ordered row-major over those axes
in the order given.

Differentiation follows JAX's ``check_vma=False`` rules (``shard_map`` scales the
cotangents of replicated values to match): psum is its own transpose, all_gather and
psum_scatter transpose into each other, ppermute into the inverse permutation,
all_to_all into the swapped one. Batching (``vmap`` inside ``shard_map``) moves the
positional dimensions past the batch dimension.
"""

from __future__ import annotations

import math

import numpy as np
from mlir import ir

from hlox.frontend.core.emit import dense_attr, require_op, tensor_type
from hlox.frontend.core.tracing import (EvalTrace, Primitive, ShapedArray, Tracer, current_trace,
                                        get_aval)
from hlox.frontend.lax import base as lax
from hlox.frontend.lax.structural import expand_dims, squeeze

__all__ = ["psum", "pmean", "pmax", "pmin", "all_gather", "psum_scatter", "ppermute",
           "all_to_all", "axis_index", "axis_size"]


class AxisEnv:
    """The named axes in scope: the mesh of the enclosing ``shard_map`` and its manual
    axes."""

    def __init__(self, mesh, manual_axes: tuple):
        self.mesh = mesh
        self.manual_axes = tuple(manual_axes)


axis_env: list[AxisEnv] = []


def _resolve(axis_name, what: str) -> tuple[tuple, object]:
    """``(axes, mesh)`` for an axis name or tuple of names, or a clear error."""
    axes = (axis_name,) if not isinstance(axis_name, (tuple, list)) else tuple(axis_name)
    if not axis_env:
        raise NameError(f"{what}: unbound axis name {axes[0]!r}: collectives run inside "
                        f"hlox.shard_map, over the axes of its mesh")
    env = axis_env[-1]
    for a in axes:
        if not isinstance(a, str):
            raise TypeError(f"{what}: axis names are strings, got {a!r}")
        if a not in env.manual_axes:
            known = ", ".join(repr(n) for n in env.manual_axes)
            raise NameError(f"{what}: unbound axis name {a!r}; the enclosing shard_map's axes "
                            f"are {known}")
    if len(set(axes)) != len(axes):
        raise ValueError(f"{what}: axis {axes} names an axis twice")
    return axes, env.mesh


def _size(mesh, axes) -> int:
    return math.prod(mesh.shape[a] for a in axes)


def axis_size(axis_name) -> int:
    """The number of devices along ``axis_name`` (a name or a tuple of names)."""
    axes, mesh = _resolve(axis_name, "axis_size")
    return _size(mesh, axes)


def groups(mesh, axes) -> np.ndarray:
    """Partition ids grouped along ``axes``: one row per position of the other axes, each
    row row-major over ``axes`` in the order given."""
    names = mesh.axis_names
    ids = np.arange(mesh.size).reshape(mesh.devices.shape)
    order = [i for i, n in enumerate(names) if n not in axes] + [names.index(a) for a in axes]
    return ids.transpose(order).reshape(-1, _size(mesh, axes))


def _i64_dense(values: np.ndarray) -> ir.DenseElementsAttr:
    values = np.ascontiguousarray(values, dtype=np.int64)
    return ir.DenseElementsAttr.get(values, type=ir.RankedTensorType.get(
        list(values.shape), ir.IntegerType.get_signless(64)))


def _collective_attrs(mesh, axes, *, global_ids: bool = True) -> dict:
    attrs = {"replica_groups": _i64_dense(groups(mesh, axes)),
             "channel_handle": ir.Attribute.parse("#stablehlo.channel_handle<handle = 1, "
                                                  "type = 1>")}
    if global_ids:
        attrs["use_global_device_ids"] = ir.UnitAttr.get()
    return attrs


def _check_traced(what: str) -> None:
    if isinstance(current_trace(), EvalTrace):
        raise NameError(f"{what}: collectives run inside hlox.shard_map (under jit), not "
                        f"eagerly")


def _axis_params(axis_name, what):
    _check_traced(what)
    axes, mesh = _resolve(axis_name, what)
    return {"axes": axes, "mesh": mesh}


# ---------------------------------------------------------------------------
# all_reduce: psum, pmax, pmin
# ---------------------------------------------------------------------------

def _make_all_reduce(name: str, combine_op: str) -> Primitive:
    prim = Primitive(name)

    @prim.def_abstract_eval
    def _abstract_eval(x, *, axes, mesh):
        return x

    @prim.def_lowering
    def _lower(ctx, x, *, axes, mesh):
        require_op("stablehlo.all_reduce", name)
        (aval,) = ctx.avals_in
        op = ir.Operation.create("stablehlo.all_reduce", results=[tensor_type(aval)],
                                 operands=[x], attributes=_collective_attrs(mesh, axes),
                                 regions=1)
        scalar = tensor_type(ShapedArray((), aval.dtype))
        body = op.regions[0].blocks.append(scalar, scalar)
        with ir.InsertionPoint(body):
            if aval.dtype == np.bool_ and combine_op != "stablehlo.add":
                op_name = "stablehlo.or" if combine_op == "stablehlo.maximum" else "stablehlo.and"
            else:
                op_name = combine_op
            out = ir.Operation.create(op_name, results=[scalar], operands=list(body.arguments))
            ir.Operation.create("stablehlo.return", operands=[out.result])
        return list(op.results)

    @prim.def_batching
    def _batching(values, dims, *, axes, mesh):
        return prim.bind(values[0], axes=axes, mesh=mesh), 0

    return prim


psum_p = _make_all_reduce("psum", "stablehlo.add")
pmax_p = _make_all_reduce("pmax", "stablehlo.maximum")
pmin_p = _make_all_reduce("pmin", "stablehlo.minimum")


@psum_p.def_jvp
def _psum_jvp(primals, tangents, *, axes, mesh):
    out = psum_p.bind(primals[0], axes=axes, mesh=mesh)
    return out, None if tangents[0] is None else psum_p.bind(tangents[0], axes=axes, mesh=mesh)


@psum_p.def_transpose
def _psum_transpose(ct, x, *, axes, mesh):
    return [psum_p.bind(ct, axes=axes, mesh=mesh)]


def _tree_map(fun, x):
    from hlox._pytree import tree_map

    return tree_map(fun, x)


def _reduce(prim, what: str, x, axis_name, constant):
    params = _axis_params(axis_name, what)
    n = _size(params["mesh"], params["axes"])

    def one(leaf):
        if not isinstance(leaf, Tracer):  # the same value on every device
            return constant(np.asarray(leaf), n)
        return prim.bind(leaf, **params)

    return _tree_map(one, x)


def psum(x, axis_name):
    """The sum of ``x`` (a pytree) over the devices along ``axis_name`` (a name or a
    tuple of names); a constant is multiplied by their number (``psum(1, 'i')`` is the
    axis size)."""
    return _reduce(psum_p, "psum", x, axis_name, lambda v, n: v * n)


def pmean(x, axis_name):
    """The mean of ``x`` over the devices along ``axis_name``."""
    params = _axis_params(axis_name, "pmean")
    n = _size(params["mesh"], params["axes"])

    def one(leaf):
        if not isinstance(leaf, Tracer):
            return np.asarray(leaf)
        total = psum_p.bind(leaf, **params)
        aval = get_aval(total)
        return lax.div(total, lax.broadcast_in_dim(np.asarray(n, aval.dtype), aval.shape, ()))

    return _tree_map(one, x)


def pmax(x, axis_name):
    """The maximum of ``x`` over the devices along ``axis_name``."""
    return _reduce(pmax_p, "pmax", x, axis_name, lambda v, n: v)


def pmin(x, axis_name):
    """The minimum of ``x`` over the devices along ``axis_name``."""
    return _reduce(pmin_p, "pmin", x, axis_name, lambda v, n: v)


# ---------------------------------------------------------------------------
# all_gather / psum_scatter (reduce_scatter)
# ---------------------------------------------------------------------------

all_gather_p = Primitive("all_gather")
reduce_scatter_p = Primitive("reduce_scatter")


@all_gather_p.def_abstract_eval
def _all_gather_abstract_eval(x, *, axes, mesh, axis):
    shape = list(x.shape)
    shape[axis] *= _size(mesh, axes)
    return x.update(shape=tuple(shape))


@all_gather_p.def_lowering
def _all_gather_lower(ctx, x, *, axes, mesh, axis):
    require_op("stablehlo.all_gather", "all_gather")
    attrs = _collective_attrs(mesh, axes)
    attrs["all_gather_dim"] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64), axis)
    return ctx.op("stablehlo.all_gather", [x], attrs)


@all_gather_p.def_jvp
def _all_gather_jvp(primals, tangents, **params):
    out = all_gather_p.bind(primals[0], **params)
    return out, None if tangents[0] is None else all_gather_p.bind(tangents[0], **params)


@all_gather_p.def_transpose
def _all_gather_transpose(ct, x, *, axes, mesh, axis):
    return [reduce_scatter_p.bind(ct, axes=axes, mesh=mesh, scatter_dimension=axis)]


@all_gather_p.def_batching
def _all_gather_batching(values, dims, *, axes, mesh, axis):
    return all_gather_p.bind(values[0], axes=axes, mesh=mesh, axis=axis + 1), 0


@reduce_scatter_p.def_abstract_eval
def _reduce_scatter_abstract_eval(x, *, axes, mesh, scatter_dimension):
    n = _size(mesh, axes)
    shape = list(x.shape)
    if shape[scatter_dimension] % n:
        raise ValueError(f"psum_scatter: dimension {scatter_dimension} of {x.str_short()} "
                         f"(size {shape[scatter_dimension]}) must be a multiple of the axis "
                         f"size {n} of {axes}")
    shape[scatter_dimension] //= n
    return x.update(shape=tuple(shape))


@reduce_scatter_p.def_lowering
def _reduce_scatter_lower(ctx, x, *, axes, mesh, scatter_dimension):
    require_op("stablehlo.reduce_scatter", "psum_scatter")
    (aval,) = ctx.avals_in
    attrs = _collective_attrs(mesh, axes)
    attrs["scatter_dimension"] = ir.IntegerAttr.get(ir.IntegerType.get_signless(64),
                                                    scatter_dimension)
    op = ir.Operation.create("stablehlo.reduce_scatter", results=[tensor_type(ctx.avals_out[0])],
                             operands=[x], attributes=attrs, regions=1)
    scalar = tensor_type(ShapedArray((), aval.dtype))
    body = op.regions[0].blocks.append(scalar, scalar)
    with ir.InsertionPoint(body):
        out = ir.Operation.create("stablehlo.add", results=[scalar], operands=list(body.arguments))
        ir.Operation.create("stablehlo.return", operands=[out.result])
    return list(op.results)


@reduce_scatter_p.def_jvp
def _reduce_scatter_jvp(primals, tangents, **params):
    out = reduce_scatter_p.bind(primals[0], **params)
    return out, None if tangents[0] is None else reduce_scatter_p.bind(tangents[0], **params)


@reduce_scatter_p.def_transpose
def _reduce_scatter_transpose(ct, x, *, axes, mesh, scatter_dimension):
    return [all_gather_p.bind(ct, axes=axes, mesh=mesh, axis=scatter_dimension)]


@reduce_scatter_p.def_batching
def _reduce_scatter_batching(values, dims, *, axes, mesh, scatter_dimension):
    return reduce_scatter_p.bind(values[0], axes=axes, mesh=mesh,
                                 scatter_dimension=scatter_dimension + 1), 0


def _positional(axis: int, ndim: int, what: str) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"{what}: axis {axis} is out of range for a value of rank {ndim}")
    return axis % ndim


def all_gather(x, axis_name, *, axis: int = 0, tiled: bool = False, axis_index_groups=None):
    """Every device's ``x`` along ``axis_name``, stacked in a new dimension ``axis``
    (``tiled``: concatenated along ``axis``)."""
    if axis_index_groups is not None:
        raise NotImplementedError("all_gather: axis_index_groups is not supported")
    params = _axis_params(axis_name, "all_gather")

    def one(leaf):
        ndim = len(get_aval(leaf).shape)
        if tiled:
            return all_gather_p.bind(leaf, axis=_positional(axis, max(ndim, 1), "all_gather"),
                                     **params)
        d = _positional(axis, ndim + 1, "all_gather")
        return all_gather_p.bind(expand_dims(leaf, (d,)), axis=d, **params)

    return _tree_map(one, x)


def psum_scatter(x, axis_name, *, scatter_dimension: int = 0, axis_index_groups=None,
                 tiled: bool = False):
    """``psum`` of ``x`` whose dimension ``scatter_dimension`` is then split among the
    devices (``tiled=False``: its size must be the axis size, and it is removed)."""
    if axis_index_groups is not None:
        raise NotImplementedError("psum_scatter: axis_index_groups is not supported")
    params = _axis_params(axis_name, "psum_scatter")
    n = _size(params["mesh"], params["axes"])

    def one(leaf):
        shape = get_aval(leaf).shape
        d = _positional(scatter_dimension, len(shape), "psum_scatter")
        if not tiled and shape[d] != n:
            raise ValueError(f"psum_scatter: with tiled=False dimension {d} (size {shape[d]}) "
                             f"must equal the axis size {n} of {params['axes']}")
        out = reduce_scatter_p.bind(leaf, scatter_dimension=d, **params)
        return out if tiled else squeeze(out, (d,))

    return _tree_map(one, x)


# ---------------------------------------------------------------------------
# ppermute (collective_permute), all_to_all
# ---------------------------------------------------------------------------

ppermute_p = Primitive("ppermute")


@ppermute_p.def_abstract_eval
def _ppermute_abstract_eval(x, *, axes, mesh, perm):
    return x


@ppermute_p.def_lowering
def _ppermute_lower(ctx, x, *, axes, mesh, perm):
    require_op("stablehlo.collective_permute", "ppermute")
    pairs = [(int(row[s]), int(row[t])) for row in groups(mesh, axes) for s, t in perm]
    attrs = {"source_target_pairs": _i64_dense(np.array(pairs, np.int64).reshape(-1, 2)),
             "channel_handle": ir.Attribute.parse("#stablehlo.channel_handle<handle = 1, "
                                                  "type = 1>")}
    return ctx.op("stablehlo.collective_permute", [x], attrs)


@ppermute_p.def_jvp
def _ppermute_jvp(primals, tangents, **params):
    out = ppermute_p.bind(primals[0], **params)
    return out, None if tangents[0] is None else ppermute_p.bind(tangents[0], **params)


@ppermute_p.def_transpose
def _ppermute_transpose(ct, x, *, axes, mesh, perm):
    return [ppermute_p.bind(ct, axes=axes, mesh=mesh, perm=tuple((t, s) for s, t in perm))]


@ppermute_p.def_batching
def _ppermute_batching(values, dims, **params):
    return ppermute_p.bind(values[0], **params), 0


def ppermute(x, axis_name, perm):
    """``x`` sent from device ``s`` to device ``t`` (indices along ``axis_name``) for each
    ``(s, t)`` in ``perm``; a device no pair sends to gets zeros."""
    params = _axis_params(axis_name, "ppermute")
    n = _size(params["mesh"], params["axes"])
    perm = tuple((int(s), int(t)) for s, t in perm)
    sources, targets = [s for s, _ in perm], [t for _, t in perm]
    if len(set(sources)) != len(sources) or len(set(targets)) != len(targets):
        raise ValueError(f"ppermute: perm {perm} sends from or to a device twice")
    bad = [i for i in sources + targets if not 0 <= i < n]
    if bad:
        raise ValueError(f"ppermute: perm {perm} names device {bad[0]}, outside the axis "
                         f"{params['axes']} of size {n}")
    return _tree_map(lambda leaf: ppermute_p.bind(leaf, perm=perm, **params), x)


all_to_all_p = Primitive("all_to_all")


@all_to_all_p.def_abstract_eval
def _all_to_all_abstract_eval(x, *, axes, mesh, split_axis, concat_axis):
    n = _size(mesh, axes)
    shape = list(x.shape)
    if shape[split_axis] % n:
        raise ValueError(f"all_to_all: dimension {split_axis} of {x.str_short()} (size "
                         f"{shape[split_axis]}) must be a multiple of the axis size {n}")
    shape[split_axis] //= n
    shape[concat_axis] *= n
    return x.update(shape=tuple(shape))


@all_to_all_p.def_lowering
def _all_to_all_lower(ctx, x, *, axes, mesh, split_axis, concat_axis):
    require_op("stablehlo.all_to_all", "all_to_all")
    i64 = ir.IntegerType.get_signless(64)
    attrs = _collective_attrs(mesh, axes, global_ids=False)
    attrs.update(split_dimension=ir.IntegerAttr.get(i64, split_axis),
                 concat_dimension=ir.IntegerAttr.get(i64, concat_axis),
                 split_count=ir.IntegerAttr.get(i64, _size(mesh, axes)))
    return ctx.op("stablehlo.all_to_all", [x], attrs)


@all_to_all_p.def_jvp
def _all_to_all_jvp(primals, tangents, **params):
    out = all_to_all_p.bind(primals[0], **params)
    return out, None if tangents[0] is None else all_to_all_p.bind(tangents[0], **params)


@all_to_all_p.def_transpose
def _all_to_all_transpose(ct, x, *, axes, mesh, split_axis, concat_axis):
    return [all_to_all_p.bind(ct, axes=axes, mesh=mesh, split_axis=concat_axis,
                              concat_axis=split_axis)]


@all_to_all_p.def_batching
def _all_to_all_batching(values, dims, *, axes, mesh, split_axis, concat_axis):
    return all_to_all_p.bind(values[0], axes=axes, mesh=mesh, split_axis=split_axis + 1,
                             concat_axis=concat_axis + 1), 0


def all_to_all(x, axis_name, split_axis: int, concat_axis: int, *, axis_index_groups=None,
               tiled: bool = False):
    """Splits ``split_axis`` into one chunk per device along ``axis_name``, sends chunk
    ``i`` to device ``i`` and concatenates what arrives along ``concat_axis``
    (``tiled=False``: ``split_axis`` has the axis size and is removed, and a new axis
    of that size appears at ``concat_axis``)."""
    if axis_index_groups is not None:
        raise NotImplementedError("all_to_all: axis_index_groups is not supported")
    params = _axis_params(axis_name, "all_to_all")
    n = _size(params["mesh"], params["axes"])

    def one(leaf):
        shape = get_aval(leaf).shape
        s = _positional(split_axis, len(shape), "all_to_all")
        c = _positional(concat_axis, len(shape), "all_to_all")
        if tiled:
            return all_to_all_p.bind(leaf, split_axis=s, concat_axis=c, **params)
        if shape[s] != n:
            raise ValueError(f"all_to_all: with tiled=False dimension {s} (size {shape[s]}) "
                             f"must equal the axis size {n} of {params['axes']}")
        if s < c:
            c += 1  # (concat_axis counts positions after split_axis is removed)
            leaf = expand_dims(leaf, (c,))
        elif s > c:
            leaf = expand_dims(leaf, (c,))
            s += 1
        out = all_to_all_p.bind(leaf, split_axis=s, concat_axis=c, **params)
        return out if s == c else squeeze(out, (s,))

    return _tree_map(one, x)


# ---------------------------------------------------------------------------
# axis_index
# ---------------------------------------------------------------------------

axis_index_p = Primitive("axis_index")


@axis_index_p.def_abstract_eval
def _axis_index_abstract_eval(*, axes, mesh):
    return ShapedArray((), np.int32)


@axis_index_p.def_lowering
def _axis_index_lower(ctx, *, axes, mesh):
    # As JAX: the partition id, divided by the axis's stride, modulo its size.
    require_op("stablehlo.partition_id", "axis_index")
    u32 = ShapedArray((), np.uint32)
    names, sizes = mesh.axis_names, mesh.devices.shape
    pid = ir.Operation.create("stablehlo.partition_id", results=[tensor_type(u32)]).result

    def const(v):
        return ir.Operation.create("stablehlo.constant", results=[tensor_type(u32)],
                                   attributes={"value": dense_attr(np.uint32(v), u32)}).result

    def binary(name, a, b):
        return ir.Operation.create(name, results=[tensor_type(u32)], operands=[a, b]).result

    total = None
    for a in axes:
        i = names.index(a)
        stride = math.prod(sizes[i + 1:])
        index = binary("stablehlo.remainder", binary("stablehlo.divide", pid, const(stride)),
                       const(sizes[i]))
        total = index if total is None else binary(
            "stablehlo.add", binary("stablehlo.multiply", total, const(sizes[i])), index)
    return ctx.op("stablehlo.convert", [total])


@axis_index_p.def_batching
def _axis_index_batching(values, dims, **params):
    return axis_index_p.bind(**params), None


def axis_index(axis_name):
    """This device's index along ``axis_name`` (row-major over a tuple of names)."""
    return axis_index_p.bind(**_axis_params(axis_name, "axis_index"))

