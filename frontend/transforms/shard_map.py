"""``hlox.shard_map``: a function written for one device's shard, run on every device.

``shard_map(f, mesh=, in_specs=, out_specs=)`` splits each argument as its spec says
(a :class:`PartitionSpec`, matched to the arguments as a pytree prefix), traces ``f``
on the LOCAL shapes with the mesh's axes in scope for the collectives
(:mod:`hlox.frontend.lax.collectives`), and puts the local results together as
``out_specs`` says. It is one primitive, ``shard_map``, whose body is a closed graph;
it is emitted as Shardy's ``sdy.manual_computation`` (what JAX emits), whose body the
partitioner keeps as it is.

Values the body closes over enter replicated (spec ``P()``). ``axis_names``: the
manual axes (default all of the mesh's). ``check_vma`` (default True) checks, as
JAX does, that an output whose spec leaves out a manual axis is shown to be the same
along it (it went through a ``psum``/``pmax``/``pmin`` over that axis, or does not
depend on values split over it). Differentiation follows JAX's ``check_vma=False``
rules: the cotangent of an output replicated over some manual axes is divided by
their size, and that of an input replicated over some is summed over them
(``psum``), so gradients equal JAX's either way.
"""

from __future__ import annotations

import functools
import inspect
import math
from typing import Callable

import numpy as np
from mlir import ir

from hlox._pytree import (broadcast_prefix, keystr, tree_flatten, tree_flatten_with_path,
                          tree_unflatten)
from hlox.frontend.core import tracing as core
from hlox.frontend.core.emit import emit_graph, mesh_symbol, require_op, tensor_type
from hlox.frontend.core.sharding import Mesh, PartitionSpec, UNCONSTRAINED, current_mesh
from hlox.frontend.core.tracing import Primitive, get_aval
from hlox.frontend.lax import base as lax
from hlox.frontend.lax.collectives import AxisEnv, axis_env, psum_p
from hlox.frontend.transforms.control_flow import impl_by_jit
from hlox.frontend.transforms.closed_graphs import (make_graph, nonzero_tangent, trace_closed,
                                                    zeros)
from hlox.frontend.transforms.subgraphs import (backward_pass, batch_graph, jvp_graph,
                                                prune_graph, split_primal)

__all__ = ["shard_map"]

shard_map_p = Primitive("shard_map", multiple_results=True)
impl_by_jit(shard_map_p)  # eagerly: compiled alone, over its mesh


def shard_map(f: Callable | None = None, /, *, out_specs, in_specs=None, mesh: Mesh | None = None,
              axis_names=frozenset(), check_vma: bool = True, check_rep=None,
              auto=frozenset()):
    """``f`` mapped over the shards of its arguments on every device of ``mesh`` (JAX's
    ``jax.shard_map``). ``in_specs``/``out_specs``: PartitionSpecs, pytree prefixes of
    the arguments / results. ``mesh``: default the one of ``with mesh:``."""
    if f is None:
        return lambda g: shard_map(g, out_specs=out_specs, in_specs=in_specs, mesh=mesh,
                                   axis_names=axis_names, check_vma=check_vma)
    if not callable(f):
        raise TypeError(f"shard_map requires a callable, got {type(f).__name__}")
    name = getattr(f, "__name__", "fn")

    @functools.wraps(f)
    def mapped(*args):
        the_mesh = mesh if mesh is not None else current_mesh()
        if the_mesh is None:
            raise ValueError(f"shard_map applied to the function '{name}' needs a mesh: pass "
                             f"mesh=, or call it inside `with mesh:`")
        if not isinstance(the_mesh, Mesh):
            raise TypeError(f"shard_map: mesh must be a hlox.sharding.Mesh, got "
                            f"{type(the_mesh).__name__}")
        manual = tuple(a for a in the_mesh.axis_names if not axis_names or a in axis_names)
        unknown = [a for a in (axis_names or ()) if a not in the_mesh.shape]
        if unknown:
            raise ValueError(f"shard_map: axis_names names {unknown[0]!r}, which the mesh "
                             f"{the_mesh} lacks")
        leaves, in_tree = tree_flatten(args)
        if in_specs is None:
            raise ValueError(f"shard_map applied to the function '{name}': in_specs is "
                             f"required")
        try:
            specs = broadcast_prefix(in_specs if isinstance(in_specs, tuple) or len(args) != 1
                                     else (in_specs,), args, is_leaf=_is_spec)
        except ValueError as error:
            raise ValueError(f"shard_map applied to the function '{name}': in_specs do not "
                             f"match the arguments' structure: {error}") from None
        in_dims = []
        params = _parameter_names(f)
        for (path, leaf), spec in zip(tree_flatten_with_path(args)[0], specs):
            aval = get_aval(leaf)
            where = f"args{keystr(path)}"
            i = path[0].idx
            if i < len(params):
                where = f"the passed {where}, where args[{i}] is bound to {name}'s parameter " \
                        f"'{params[i]}',"
            in_dims.append(_spec_dims(spec, aval, the_mesh, manual, name, "in_specs", where))
        local_avals = [_local_aval(get_aval(x), d, the_mesh) for x, d in zip(leaves, in_dims)]
        out_tree_box = []

        def body(*local):
            outs = f(*tree_unflatten(in_tree, list(local)))
            flat, out_tree = tree_flatten(outs)
            out_tree_box.append((out_tree, outs))
            return flat

        axis_env.append(AxisEnv(the_mesh, manual))
        try:
            graph, captured, _ = trace_closed(body, local_avals)
        finally:
            axis_env.pop()
        out_tree, outs = out_tree_box[0]
        try:
            out_spec_leaves = broadcast_prefix(out_specs, outs, is_leaf=_is_spec)
        except ValueError as error:
            raise ValueError(f"shard_map applied to the function '{name}': out_specs do not "
                             f"match the outputs' structure: {error}") from None
        out_dims = tuple(_spec_dims(spec, aval, the_mesh, manual, name, "out_specs",
                                    f"{name}(*args)", local=True)
                         for spec, aval in zip(out_spec_leaves, graph.out_avals))
        captured_dims = tuple(((),) * len(get_aval(c).shape) for c in captured)
        if check_vma:
            _check_replication(graph, captured_dims + tuple(in_dims), out_dims, out_spec_leaves,
                               manual, the_mesh, name)
        outs = shard_map_p.bind(*captured, *leaves, graph=graph, mesh=the_mesh,
                                in_specs=captured_dims + tuple(in_dims), out_specs=out_dims,
                                manual_axes=manual, check_vma=bool(check_vma))
        return tree_unflatten(out_tree, outs)

    return mapped


def _parameter_names(f) -> list[str]:
    try:
        return [p.name for p in inspect.signature(f).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _jax_type(aval) -> str:
    """``float32[8,4]``, as JAX's shard_map errors write a type."""
    return f"{aval.dtype.name}[{','.join(map(str, aval.shape))}]"


def _is_spec(x) -> bool:
    return x is None or isinstance(x, PartitionSpec)


def _spec_dims(spec, aval, mesh, manual, name, what, value_name, local=False) -> tuple:
    """Per dimension of ``aval``, the manual axes ``spec`` splits it over; JAX's errors."""
    if spec is None:
        spec = PartitionSpec()
    if not isinstance(spec, PartitionSpec):
        raise TypeError(f"shard_map applied to the function '{name}': {what} entries must be "
                        f"PartitionSpecs, got {type(spec).__name__} {spec!r}")
    ndim = len(aval.shape)
    if len(spec) > ndim:
        kind = "output" if what == "out_specs" else "input"
        raise ValueError(
            f"shard_map applied to the function '{name}' was given an {what} entry which is "
            f"too long to be compatible with the corresponding {kind} value from the "
            f"function:\n\n{what} is {spec!r} which has length {len(spec)}, but {value_name} "
            f"has shape {_jax_type(aval)}, which has rank {ndim} (and {ndim} < {len(spec)})")
    dims = spec.axes(ndim)
    for d in dims:
        if d is UNCONSTRAINED:
            raise ValueError(f"shard_map: {what} may not use P.UNCONSTRAINED ({spec!r})")
        for a in d:
            if a not in manual:
                raise ValueError(f"shard_map {what} argument must refer to an axis marked as "
                                 f"manual ({set(manual)}), but:\n\n  {what} refers to {a!r}"
                                 f"\n\nCheck the {what} values passed to shard_map.")
    flat = [a for d in dims for a in d]
    if len(set(flat)) != len(flat):
        raise ValueError(f"shard_map: {what} entry {spec!r} names a mesh axis twice")
    if not local:
        for i, (size, d) in enumerate(zip(aval.shape, dims)):
            k = math.prod(mesh.shape[a] for a in d)
            if size % k:
                raise ValueError(
                    f"shard_map applied to the function '{name}' was given argument arrays "
                    f"with axis sizes that are not evenly divisible by the corresponding mesh "
                    f"axis sizes: {value_name} of shape {aval.str_short()} has dimension {i} "
                    f"of size {size}, split by {what} {spec!r} over {d} of total size {k}")
    return tuple(tuple(d) for d in dims)


# How each collective changes the manual axes a value varies over (JAX's "vma"; as in
# JAX, all_gather's result is still taken to vary).
_VARYING_RULES = {
    "psum": lambda v, axes: v - set(axes), "pmax": lambda v, axes: v - set(axes),
    "pmin": lambda v, axes: v - set(axes), "all_gather": lambda v, axes: v | set(axes),
    "reduce_scatter": lambda v, axes: v | set(axes), "ppermute": lambda v, axes: v | set(axes),
    "all_to_all": lambda v, axes: v | set(axes), "axis_index": lambda v, axes: set(axes),
}


def _check_replication(graph, in_dims, out_dims, out_specs, manual, mesh, name) -> None:
    """JAX's ``check_vma``: an output whose spec leaves out a manual axis must be the same
    on every device along it, which the body must show (a ``psum``/``pmax``/``pmin`` over
    it, or no dependence on values split over it)."""
    varying = {v: {a for d in dims for a in d} for v, dims in zip(graph.invars, in_dims)}

    def of(v):
        return varying.get(v, set())

    for eqn in graph.eqns:
        rule = _VARYING_RULES.get(eqn.primitive.name)
        union = set().union(*(of(v) for v in eqn.inputs)) if eqn.inputs else set()
        out = rule(union, eqn.params["axes"]) if rule is not None and "axes" in eqn.params \
            else union
        for v in eqn.outputs:
            varying[v] = out
    problems = []
    for i, (v, dims, spec) in enumerate(zip(graph.outvars, out_dims, out_specs)):
        replicated = [a for a in manual if a not in {x for d in dims for x in d}]
        wrong = [a for a in replicated if a in of(v)]
        if wrong:
            known = [a for a in replicated if a not in of(v)]
            inferred = (f"could only infer replication over {', '.join(map(repr, known))}"
                        if known else "could not infer replication over any axes")
            problems.append(f"* out_specs[{i}] is {spec or PartitionSpec()!r} which implies that "
                            f"the corresponding output value is replicated across mesh axis "
                            f"{', '.join(map(repr, replicated))}, but {inferred}")
    if problems:
        raise ValueError(
            f"shard_map applied to the function '{name}' was given out_specs which require "
            f"replication which can't be statically inferred given the mesh:\n\nThe mesh "
            f"given has shape {mesh.axis_sizes} with corresponding axis names "
            f"{mesh.axis_names}.\n\n" + "\n\n".join(problems) + "\n\nCheck if these "
            f"output values are meant to be replicated over those mesh axes. If not, consider "
            f"revising the corresponding out_specs entries. If so, consider disabling the check "
            f"by passing the check_vma=False argument to `hlox.shard_map`.")


def _factor(mesh, dims) -> list[int]:
    return [math.prod(mesh.shape[a] for a in d) for d in dims]


def _local_aval(aval, dims, mesh):
    return aval.update(shape=tuple(s // k for s, k in zip(aval.shape, _factor(mesh, dims))))


def _global_aval(aval, dims, mesh):
    return aval.update(shape=tuple(s * k for s, k in zip(aval.shape, _factor(mesh, dims))))


@shard_map_p.def_abstract_eval
def _abstract_eval(*avals, graph, mesh, in_specs, out_specs, manual_axes, check_vma):
    return [_global_aval(a, d, mesh) for a, d in zip(graph.out_avals, out_specs)]


def _per_value(mesh, specs) -> ir.Attribute:
    symbol = mesh_symbol(mesh)
    entries = []
    for dims in specs:
        body = ", ".join("{" + ", ".join(f'"{a}"' for a in d) + "}" for d in dims)
        entries.append(f"<@{symbol}, [{body}]>")
    return ir.Attribute.parse(f"#sdy.sharding_per_value<[{', '.join(entries)}]>")


@shard_map_p.def_lowering
def _lower(ctx, *args, graph, mesh, in_specs, out_specs, manual_axes, check_vma):
    require_op("sdy.manual_computation", "shard_map")
    names = ", ".join(f'"{a}"' for a in manual_axes)
    op = ir.Operation.create(
        "sdy.manual_computation", results=[tensor_type(a) for a in ctx.avals_out],
        operands=list(args),
        attributes={"in_shardings": _per_value(mesh, in_specs),
                    "out_shardings": _per_value(mesh, out_specs),
                    "manual_axes": ir.Attribute.parse(f"#sdy<manual_axes{{{names}}}>")},
        regions=1)
    block = op.regions[0].blocks.append(*[tensor_type(a) for a in graph.in_avals])
    with ir.InsertionPoint(block):
        outs = emit_graph(graph, list(block.arguments))
        ir.Operation.create("sdy.return", operands=outs)
    return list(op.results)


def _bind(args, graph, params, in_specs, out_specs):
    return shard_map_p.bind(*args, graph=graph, **dict(params, in_specs=tuple(in_specs),
                                                         out_specs=tuple(out_specs)))


@shard_map_p.def_jvp
def _jvp(primals, tangents, *, graph, **params):
    in_specs, out_specs = params["in_specs"], params["out_specs"]
    nonzero = [nonzero_tangent(t, get_aval(p)) for t, p in zip(tangents, primals)]
    n_out = len(graph.outvars)
    if not any(nonzero):
        return shard_map_p.bind(*primals, graph=graph, **params), [None] * n_out
    jvp, out_nz = jvp_graph(graph, nonzero)
    nz_tangents = [t for t, nz in zip(tangents, nonzero) if nz]
    tangent_in_specs = list(in_specs) + [s for s, nz in zip(in_specs, nonzero) if nz]
    tangent_out_specs = [s for s, nz in zip(out_specs, out_nz) if nz]
    if split_primal():  # reverse mode: primal outputs from an equation without tangents
        out = shard_map_p.bind(*primals, graph=graph, **params)
        tangent = prune_graph(jvp, [True] * len(jvp.invars), jvp.outvars[n_out:])
        tangent_outs = _bind(list(primals) + nz_tangents, tangent, params, tangent_in_specs,
                             tangent_out_specs)
    else:
        full = _bind(list(primals) + nz_tangents, jvp, params, tangent_in_specs,
                     list(out_specs) + tangent_out_specs)
        out, tangent_outs = full[:n_out], full[n_out:]
    it = iter(tangent_outs)
    return out, [next(it) if nz else None for nz in out_nz]


def _unmentioned(manual_axes, dims) -> tuple:
    used = {a for d in dims for a in d}
    return tuple(a for a in manual_axes if a not in used)


@shard_map_p.def_transpose
def _transpose(cts, *args, graph, **params):
    mesh, manual = params["mesh"], params["manual_axes"]
    in_specs, out_specs = params["in_specs"], params["out_specs"]
    # An output replicated over some manual axes: each device's copy carries 1/size of
    # its cotangent (JAX's check_vma=False rule).
    scaled = []
    for ct, dims in zip(cts, out_specs):
        if ct is None:
            scaled.append(None)
            continue
        n = math.prod(mesh.shape[a] for a in _unmentioned(manual, dims))
        if n != 1:
            aval = get_aval(ct)
            ct = lax.div(ct, lax.broadcast_in_dim(_scalar(n, aval.dtype), aval.shape, ()))
        scaled.append(ct)
    linear = [core.is_undefined_primal(a) for a in args]
    known = [a for a, lin in zip(args, linear) if not lin]
    known_specs = [s for s, lin in zip(in_specs, linear) if not lin]
    ct_mask = [c is not None for c in scaled]
    ct_specs = [s for s, m in zip(out_specs, ct_mask) if m]
    lin_specs = [s for s, lin in zip(in_specs, linear) if lin]
    local_in = graph.in_avals
    known_avals = [a for a, lin in zip(local_in, linear) if not lin]
    ct_avals = [a for a, m in zip(graph.out_avals, ct_mask) if m]
    lin_avals = [a for a, lin in zip(local_in, linear) if lin]
    nk = len(known_avals)

    def body(*xs):
        known_it, cts_it = iter(xs[:nk]), iter(xs[nk:])
        body_args = [core.UndefinedPrimal(a) if lin else next(known_it)
                     for a, lin in zip(local_in, linear)]
        res = backward_pass(graph, body_args, [next(cts_it) if m else None for m in ct_mask])
        out = []
        for r, aval, dims in zip(res, lin_avals, lin_specs):
            axes = _unmentioned(manual, dims)
            if r is None:
                r = zeros(aval)
            elif axes:  # an input replicated over `axes`: its cotangent sums over them
                r = psum_p.bind(r, axes=axes, mesh=mesh)
            out.append(r)
        return out

    t_graph = make_graph(body, known_avals + ct_avals)
    outs = _bind(known + [c for c in scaled if c is not None], t_graph, params,
                 known_specs + ct_specs, lin_specs)
    it = iter(outs)
    return [next(it) if lin else None for lin in linear]


def _scalar(value, dtype):
    return np.asarray(value, dtype)


@shard_map_p.def_batching
def _batching(values, dims, *, graph, **params):
    size = next(get_aval(v).shape[0] for v, d in zip(values, dims) if d is not None)
    b_graph, out_dims = batch_graph(graph, dims, size)
    in_specs = [((),) + s if d is not None else s for s, d in zip(params["in_specs"], dims)]
    out_specs = [((),) + s if d is not None else s for s, d in zip(params["out_specs"], out_dims)]
    outs = _bind(values, b_graph, params, in_specs, out_specs)
    return outs, out_dims
