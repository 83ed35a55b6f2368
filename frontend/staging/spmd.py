"""jit over a mesh: argument shardings, the program's devices, the per-device call.

A jitted function's arguments get shardings from ``in_shardings`` (a pytree prefix
of the positional arguments; ``None``: propagation decides) and from the sharded
Arrays it is given (JAX's rule: they must agree); its results from ``out_shardings``.
A program whose mesh spans N > 1 devices compiles for those devices (the compile
driver partitions it, :mod:`hlox.backends.spmd`) and runs through
:func:`make_runner`: each global argument sliced into per-device buffers as the
partitioned program's signature says (a sharded Array already laid out that way hands
over its buffers), ``execute_sharded``, and the per-device results assembled into
sharded Arrays. Under ``hlox.distributed`` (several processes) each process hands over
and gets back its own devices' buffers only.
"""

from __future__ import annotations

import numpy as np

from hlox._pytree import broadcast_prefix, tree_flatten, tree_unflatten
from hlox.frontend.core.array import Array, backend_of, spec_for
from hlox.frontend.core.sharding import (Mesh, NamedSharding, PartitionSpec, Sharding,
                                         current_mesh)
from hlox.frontend.core.tracing import Graph, ShapedArray, get_aval


def _is_sharding_leaf(x) -> bool:
    return x is None or isinstance(x, (Sharding, PartitionSpec))


def _named(sharding, what: str):
    if sharding is None or isinstance(sharding, Sharding):
        return sharding
    if isinstance(sharding, PartitionSpec):
        mesh = current_mesh()
        if mesh is None:
            raise ValueError(f"{what}: the PartitionSpec {sharding!r} needs a mesh: pass "
                             f"NamedSharding(mesh, spec), or jit inside `with mesh:`")
        return NamedSharding(mesh, sharding)
    raise TypeError(f"{what}: expected a Sharding, a PartitionSpec or None, got "
                    f"{type(sharding).__name__} {sharding!r}")


def per_leaf(shardings, tree, count: int, what: str) -> list:
    """``shardings`` (one for all, or a pytree prefix of ``tree``) per leaf of ``tree``."""
    if shardings is None:
        return [None] * count
    if _is_sharding_leaf(shardings):
        return [_named(shardings, what)] * count
    try:
        out = broadcast_prefix(shardings, tree, is_leaf=_is_sharding_leaf)
    except ValueError as error:
        raise ValueError(f"{what} does not match the structure it applies to: {error}") from None
    return [_named(s, what) for s in out]


def check_rank(sharding, aval, what: str) -> None:
    spec = getattr(sharding, "spec", None)
    if spec is not None and len(spec) > len(aval.shape):
        raise ValueError(f"{what} is {sharding!r}, which is only valid for values of rank at "
                         f"least {len(spec)}, but the value is {aval.str_short()}")
    if spec is not None:
        sharding._dims(aval.shape)  # JAX's error when a dimension does not divide


def arg_shardings(name: str, in_shardings, dynamic: tuple, leaves: list, leaf_name) -> tuple:
    """Per flat argument: its NamedSharding (explicit, or a sharded Array's) or None."""
    n_positional = len(tree_flatten(dynamic)[0])
    explicit = per_leaf(in_shardings, dynamic, n_positional, f"{name}: in_shardings")
    explicit += [None] * (len(leaves) - len(explicit))
    out = []
    for i, (leaf, given) in enumerate(zip(leaves, explicit)):
        own = None
        if type(leaf) is Array and isinstance(leaf._spec.sharding, NamedSharding) and \
                leaf._spec.committed:
            own = leaf._spec.sharding
        if given is not None and own is not None and given != own:
            raise ValueError(f"{name}: argument {leaf_name(i)} ({get_aval(leaf).str_short()}): "
                             f"sharding passed to jit does not match the sharding on the "
                             f"respective arg. Got jit sharding: {given!r},\narg sharding: "
                             f"{own!r}")
        sharding = given if given is not None else own
        if isinstance(sharding, NamedSharding):
            check_rank(sharding, get_aval(leaf), f"{name}: the sharding of argument "
                                                 f"{leaf_name(i)}")
        out.append(sharding if isinstance(sharding, NamedSharding) else None)
    return tuple(out)


def graph_mesh(graph: Graph, shardings) -> Mesh | None:
    """The mesh a traced program runs over: its arguments'/results' shardings', else
    that of a constraint or shard_map inside (emission checks they are one mesh)."""
    for s in shardings:
        if isinstance(s, NamedSharding):
            return s.mesh
    return _mesh_in(graph)


def _mesh_in(graph: Graph) -> Mesh | None:
    for eqn in graph.eqns:
        for value in eqn.params.values():
            if isinstance(value, Mesh):
                return value
            if isinstance(value, NamedSharding):
                return value.mesh
            subgraphs = [value] if isinstance(value, Graph) else \
                [g for g in value if isinstance(g, Graph)] if isinstance(value, tuple) else []
            for g in subgraphs:
                mesh = _mesh_in(g)
                if mesh is not None:
                    return mesh
    return None


def program_devices(lowered, backend_obj, device) -> tuple:
    """The device assignment of ``lowered``'s program if its mesh spans several devices
    (partition p on ``devices[p]``), else ``()`` (one device; for a StableHLO module the
    compile driver picks the backend's first N)."""
    mesh = lowered.mesh
    if mesh is None or mesh.size <= 1:
        return ()
    devices = mesh._flat_devices
    if device is not None and device not in devices:
        raise ValueError(f"{lowered.name}: compile(device={device!r}) for a program over the "
                         f"mesh {mesh}, whose devices are {list(devices)}")
    if backend_obj is not None and devices[0].backend != backend_obj.name:
        raise ValueError(f"{lowered.name}: the program's mesh {mesh} holds devices of backend "
                         f"{devices[0].backend!r}, not {backend_obj.name!r}")
    return devices


def _spec_of(dims) -> PartitionSpec:
    return PartitionSpec(*(None if not d else d[0] if len(d) == 1 else tuple(d) for d in dims))


def layout(lowered, executable) -> tuple[Mesh, list, list]:
    """``(mesh, in_shardings, out_shardings)`` of a compiled SPMD program, from the
    partitioned program's signature (the frontend's Mesh when it is the same)."""
    signature = executable.signature
    devices = executable.devices
    names = tuple(n for n, _ in signature.axes)
    sizes = tuple(s for _, s in signature.axes)
    mesh = lowered.mesh
    if mesh is None or mesh._flat_devices != tuple(devices) or mesh.axis_names != names or \
            mesh.axis_sizes != sizes:
        grid = np.empty(len(devices), dtype=object)
        grid[:] = list(devices)
        mesh = Mesh(grid.reshape(sizes), names)
    ins = [NamedSharding(mesh, _spec_of(d)) for d in signature.in_dims]
    outs = [NamedSharding(mesh, _spec_of(d)) for d in signature.out_dims]
    return mesh, ins, outs


def check_arguments(name: str, mesh: Mesh, leaves, leaf_name) -> None:
    """A committed Array must live on the program's mesh (JAX's rule)."""
    devices = set(mesh._flat_devices)
    for i, leaf in enumerate(leaves):
        if type(leaf) is not Array or not leaf._spec.committed:
            continue
        sharding = leaf._spec.sharding
        if isinstance(sharding, NamedSharding) and sharding.mesh != mesh:
            raise ValueError(f"{name}: argument {leaf_name(i)} is sharded over the mesh "
                             f"{sharding.mesh} (devices "
                             f"{[d.id for d in sharding._device_assignment]}), but the function "
                             f"was compiled for the mesh {mesh} (devices "
                             f"{[d.id for d in mesh._flat_devices]}); move it with "
                             f"hlox.device_put(x, NamedSharding(mesh, spec))")
        if not isinstance(sharding, NamedSharding) and leaf._spec.device not in devices:
            raise ValueError(f"{name}: argument {leaf_name(i)} is committed to "
                             f"{leaf._spec.device.describe()}, which is not in the program's "
                             f"mesh {mesh}")


def make_runner(lowered, executable, leaves):
    """``runner(leaves) -> results`` (and ``runner.run_flat``) for an SPMD executable."""
    mesh, in_shardings, out_shardings = layout(lowered, executable)
    # This process's partitions (all of them unless hlox.distributed joined several).
    devices = list(NamedSharding(mesh, PartitionSpec())._addressable_assignment)
    dtypes = [np.dtype(a.dtype) for a in executable.in_specs]
    to_device = [backend_of(d).to_device for d in devices]
    index_maps = [s.devices_indices_map(tuple(a.shape))
                  for s, a in zip(in_shardings, executable.in_specs)]
    out_specs = [spec_for(aval if isinstance(aval, ShapedArray) else
                          ShapedArray.exact(aval.shape, aval.dtype), s, True)
                 for aval, s in zip(lowered.out_avals, out_shardings)]
    execute = executable.execute_sharded
    n = len(devices)

    def run_flat(leaves):
        per_device = [[] for _ in range(n)]
        for leaf, sharding, dtype, index in zip(leaves, in_shardings, dtypes, index_maps):
            if type(leaf) is Array and leaf._spec.sharding == sharding and leaf.dtype == dtype:
                buffers = leaf._buffers
            else:
                value = np.asarray(leaf, dtype)
                buffers = [put(np.ascontiguousarray(value[index[d]]), d)
                           for put, d in zip(to_device, devices)]
            for p in range(n):
                per_device[p].append(buffers[p])
        results = execute(per_device)
        return [Array(spec, [results[p][k] for p in range(n)])
                for k, spec in enumerate(out_specs)]

    out_tree = lowered.out_tree

    def runner(leaves):
        return tree_unflatten(out_tree, run_flat(leaves))

    runner.run_flat = run_flat
    return runner
