"""hlox-import-mhlo-sharding (Python pass): GSPMD shardings written in Shardy's terms.

JAX with Shardy off (``jax_use_shardy_partitioner=False``) and XLA's own
tools mark shardings with ``mhlo.sharding`` strings (read by
``hlox.dialects.mhlo_sharding``). hlox's one sharding model is Shardy's, as
JAX emits it with Shardy on; this pass rewrites the strings into it:

- a module-level ``sdy.mesh @mesh`` that expresses every tiled sharding
  (``hlox.passes.gspmd_mesh``; ``device_ids`` when devices are not row-major),
  plus ``sdy.mesh @maximal_mesh_<d> = <[], device_ids=[d]>`` per maximal device;
- on ``func.func`` arguments and results: ``sdy.sharding = #sdy.sharding<...>``;
- on other ops: ``sdy.sharding = #sdy.sharding_per_value<[...]>`` (one per
  result; a tuple sharding gives one entry per result);
- ``stablehlo.custom_call @Sharding`` becomes ``sdy.sharding_constraint``
  (its ``unspecified_dims=[...]`` become open dimensions, ``{?}``);
- JAX's shard_map (``@SPMDFullToShardShape`` ... ``call`` ...
  ``@SPMDShardToFullShape``, see :class:`_ShardMap`) becomes the
  ``sdy.manual_computation`` over every mesh axis that JAX writes with Shardy on.

``mhlo.num_partitions`` stays. What Shardy cannot say exactly is an error on
the op, never a different sharding: ``{manual}`` outside that shard_map
pattern, manual subgroups (a shard_map manual over some axes only), a
sharding whose rank is not its tensor's, and shardings that need different
meshes.
"""

from __future__ import annotations

import re

from mlir import ir

from hlox.dialects import mhlo_sharding
from hlox.dialects.mhlo_sharding import HloSharding, ShardingError
from hlox.passes.gspmd_mesh import IncompatibleSharding, Mesh, deduce_mesh
from hlox.passes.python_passes import register

HLO_KEY = "mhlo.sharding"
SDY_KEY = "sdy.sharding"
MESH = "mesh"
_SHARD_MAP_CALLS = ("SPMDFullToShardShape", "SPMDShardToFullShape")


class _Site:
    """One ``mhlo.sharding`` string: on an op, or on one argument/result of a function."""

    def __init__(self, op: ir.Operation, text: str, types: list[ir.Type], where: str = "",
                 index: int = -1):
        self.op, self.text, self.types, self.where, self.index = op, text, types, where, index
        self.shardings: list[HloSharding] = []
        self.open_dims: set[int] = set()
        # In a shard_map: "in" (its operands' sharding), "manual" (the manual
        # side), "out" (its results' sharding); None elsewhere.
        self.role: str | None = None


def _rank(type_: ir.Type) -> int | None:
    try:
        return ir.RankedTensorType(type_).rank
    except ValueError:
        return None


def _custom_call_target(op: ir.Operation) -> str | None:
    if op.name != "stablehlo.custom_call" or "call_target_name" not in op.attributes:
        return None
    return ir.StringAttr(op.attributes["call_target_name"]).value


def _collect(module: ir.Operation) -> list[_Site]:
    sites = []

    def from_dicts(fn: ir.Operation, name: str, types: list[ir.Type]):
        if name not in fn.attributes:
            return
        for i, (d, t) in enumerate(zip(ir.ArrayAttr(fn.attributes[name]), types)):
            entries = ir.DictAttr(d)
            if HLO_KEY in entries:
                sites.append(_Site(fn, ir.StringAttr(entries[HLO_KEY]).value, [t], name, i))

    def visit(op: ir.Operation):
        if op.name == "func.func":
            fn_type = ir.FunctionType(ir.TypeAttr(op.attributes["function_type"]).value)
            from_dicts(op, "arg_attrs", list(fn_type.inputs))
            from_dicts(op, "res_attrs", list(fn_type.results))
        if HLO_KEY in op.attributes:
            sites.append(_Site(op, ir.StringAttr(op.attributes[HLO_KEY]).value,
                               [r.type for r in op.results]))
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)  # program order, for the errors
    return sites


def _users(value: ir.Value) -> list[ir.Operation]:
    return [use.owner.operation for use in value.uses]


def _producer(value: ir.Value) -> ir.Operation | None:
    owner = value.owner
    return None if isinstance(owner, ir.Block) else owner.operation


class _ShardMap:
    """JAX's shard_map lowered with Shardy off::

        %s = custom_call @Sharding(%x) {S_in}     %l = custom_call @SPMDFullToShardShape(%s) {manual}
        %r = call @shmap_body(%l, ...)
        %m = custom_call @Sharding(%r) {manual}   %y = custom_call @SPMDShardToFullShape(%m) {S_out}

    is ``sdy.manual_computation(%x) in_shardings=[S_in] out_shardings=[S_out]``
    over every mesh axis, whose body calls @shmap_body."""

    def __init__(self, call: ir.Operation, ins: list[ir.Operation], outs: list[ir.Operation]):
        self.call = call
        self.full_to_shard = ins  # one per call operand
        self.in_constraints = [_producer(f.operands[0]) for f in ins]
        self.manual = [_users(r)[0] for r in call.results]
        self.shard_to_full = outs  # one per call result
        # A constraint that only feeds the shard_map goes (its sharding is the
        # operand's in_sharding); one with other users stays, as sdy.sharding_constraint.
        self.absorbed = [len(_users(c.results[0])) == 1 for c in self.in_constraints]
        self.operands = [c.operands[0] if alone else c.results[0]
                         for c, alone in zip(self.in_constraints, self.absorbed)]


def _shard_maps(module: ir.Operation) -> list[_ShardMap]:
    """Every call whose operands and results follow _ShardMap's pattern exactly."""
    found = []

    def only_user(value: ir.Value, target: str) -> ir.Operation | None:
        users = _users(value)
        return users[0] if len(users) == 1 and _custom_call_target(users[0]) == target else None

    def visit(op: ir.Operation):
        if op.name != "func.call" or not len(op.operands) or not len(op.results):
            return ir.WalkResult.ADVANCE
        ins = [_producer(v) for v in op.operands]
        if not all(f is not None and _custom_call_target(f) == "SPMDFullToShardShape"
                   and len(_users(f.results[0])) == 1 for f in ins):
            return ir.WalkResult.ADVANCE
        if not all(_producer(f.operands[0]) is not None
                   and _custom_call_target(_producer(f.operands[0])) == "Sharding" for f in ins):
            return ir.WalkResult.ADVANCE
        manual = [only_user(r, "Sharding") for r in op.results]
        outs = [m and only_user(m.results[0], "SPMDShardToFullShape") for m in manual]
        if all(outs):
            found.append(_ShardMap(op, ins, outs))
        return ir.WalkResult.ADVANCE

    module.walk(visit)
    return found


def _read(site: _Site) -> None:
    """Parses the site's string and checks it against its values' types."""
    target = _custom_call_target(site.op) if not site.where else None
    if target in _SHARD_MAP_CALLS and site.role is None:
        raise ShardingError(f"@{target} is not part of a shard_map that hlox recognizes "
                            "(Sharding -> SPMDFullToShardShape -> call -> Sharding -> "
                            "SPMDShardToFullShape)")
    parsed = mhlo_sharding.parse(site.text)
    if isinstance(parsed, list):
        if len(parsed) != len(site.types):
            raise ShardingError(f"tuple sharding {site.text!r} has {len(parsed)} entries for "
                                f"{len(site.types)} values")
    else:
        parsed = [parsed] * len(site.types)
    if site.role == "manual":
        if any(s.kind != "manual" for s in parsed):
            raise ShardingError(f"{site.text!r} inside a shard_map: expected {{manual}}")
        parsed = []  # nothing to import: the manual_computation says it
    for s, t in zip(parsed, site.types):
        if s.kind == "manual":
            raise ShardingError(f"{site.text!r}: a manual sharding outside an "
                                "sdy.manual_computation has no Shardy form")
        rank = _rank(t)
        if s.kind == "tiled" and rank is not None and len(s.tiles) != rank:
            raise ShardingError(f"sharding {site.text!r} has {len(s.tiles)} dimensions, "
                                f"the tensor {rank}")
    site.shardings = parsed
    if target == "Sharding" and "backend_config" in site.op.attributes:
        config = ir.StringAttr(site.op.attributes["backend_config"]).value
        m = re.fullmatch(r"\s*unspecified_dims=\[([\d,\s]*)\]\s*", config)
        if m:
            site.open_dims = {int(d) for d in m.group(1).split(",") if d.strip()}


def _axis_name(i: int) -> str:
    return f"axis_{i}"


def _mesh_attr(mesh: Mesh) -> ir.Attribute:
    axes = ", ".join(f'"{_axis_name(i)}"={n}' for i, n in enumerate(mesh.sizes))
    ids = "" if mesh.device_ids is None else f", device_ids=[{', '.join(map(str, mesh.device_ids))}]"
    return ir.Attribute.parse(f"#sdy.mesh<[{axes}]{ids}>")


def _sharding_body(s: HloSharding, rank: int, dims: list[list[int]] | None,
                   open_dims: set[int]) -> str:
    """``@mesh, [{"axis_0"}, {}]`` for one value (``dims``: mesh axes per dimension)."""
    if s.kind == "maximal":
        return f"@maximal_mesh_{s.device}, []"
    parts = []
    for d in range(rank):
        names = [f'"{_axis_name(a)}"' for a in (dims[d] if dims else [])]
        if d in open_dims:
            names.append("?")
        parts.append("{" + ", ".join(names) + "}")
    return f"@{MESH}, [{', '.join(parts)}]"


def _num_partitions(module: ir.Operation) -> int | None:
    if "mhlo.num_partitions" not in module.attributes:
        return None
    return ir.IntegerAttr(module.attributes["mhlo.num_partitions"]).value


def _set_entry(fn: ir.Operation, name: str, index: int, attr: ir.Attribute) -> None:
    dicts = list(ir.ArrayAttr(fn.attributes[name]))
    entries = {na.name: na.attr for na in ir.DictAttr(dicts[index]) if na.name != HLO_KEY}
    entries[SDY_KEY] = attr
    dicts[index] = ir.DictAttr.get(entries)
    fn.attributes[name] = ir.ArrayAttr.get(dicts)


def _constrain(op: ir.Operation, attr: ir.Attribute) -> None:
    """custom_call @Sharding(%x) -> sdy.sharding_constraint %x."""
    with ir.InsertionPoint(op), op.location:
        new = ir.Operation.create("sdy.sharding_constraint", results=[op.results[0].type],
                                  operands=[op.operands[0]], attributes={"sharding": attr})
    op.results[0].replace_all_uses_with(new.results[0])
    op.erase()


def _manual_computation(sm: _ShardMap, ins: list[str], outs: list[str], axes: int) -> None:
    """Replaces the shard_map's custom calls with an sdy.manual_computation
    (``ins``/``outs``: the sharding bodies) whose body is the call."""
    per_value = lambda bodies: ir.Attribute.parse(  # noqa: E731
        "#sdy.sharding_per_value<[" + ", ".join(f"<{b}>" for b in bodies) + "]>")
    names = ", ".join(f'"{_axis_name(i)}"' for i in range(axes))
    with ir.InsertionPoint(sm.call), sm.call.location:
        op = ir.Operation.create(
            "sdy.manual_computation", results=[k.results[0].type for k in sm.shard_to_full],
            operands=sm.operands, regions=1,
            attributes={"in_shardings": per_value(ins), "out_shardings": per_value(outs),
                        "manual_axes": ir.Attribute.parse(f"#sdy<manual_axes{{{names}}}>")})
    local = [f.results[0].type for f in sm.full_to_shard]
    block = ir.Block.create_at_start(op.regions[0], local, [sm.call.location] * len(local))
    for f, arg in zip(sm.full_to_shard, block.arguments):
        sm.call.replace_uses_of_with(f.results[0], arg)
    with ir.InsertionPoint(block), sm.call.location:
        terminator = ir.Operation.create("sdy.return", operands=list(sm.call.results))
    sm.call.move_before(terminator)
    for m, k, result in zip(sm.manual, sm.shard_to_full, op.results):
        k.results[0].replace_all_uses_with(result)
        k.erase()
        m.erase()
    for f, c, alone in zip(sm.full_to_shard, sm.in_constraints, sm.absorbed):
        f.erase()
        if alone:
            c.erase()


def _where(site: _Site) -> str:
    if not site.where:
        return ""
    return f"{'argument' if site.where == 'arg_attrs' else 'result'} #{site.index}: "


def _fail(pass_, errors: list[tuple[ir.Operation, str]]) -> None:
    for op, message in errors:
        op.location.emit_error(f"'{op.name}' op: cannot import its mhlo.sharding: {message}")
    pass_.signal_pass_failure()


def _mesh(module: ir.Operation, sites: list[_Site]) -> tuple[Mesh | None, dict, list]:
    """The module's mesh and where each tiled sharding's dimensions go on it
    (by ``id``: one object may stand for several values, a non-tuple sharding
    on a multi-result op), or the errors that say why there is none."""
    tiled = [(site, s) for site in sites for s in site.shardings if s.kind == "tiled"]
    maximal = [(site, s) for site in sites for s in site.shardings if s.kind == "maximal"]
    n = _num_partitions(module)
    if n is None:  # no mhlo.num_partitions: as many devices as the shardings name
        n = tiled[0][1].num_devices if tiled else max((s.device + 1 for _, s in maximal),
                                                      default=1)
    errors = [(site.op, f"{_where(site)}{site.text!r} names device {s.device} of {n}")
              for site, s in maximal if s.device >= n]
    try:
        mesh = deduce_mesh([s for _, s in tiled], n)
    except IncompatibleSharding as error:
        site = tiled[error.index][0]
        return None, {}, errors + [(site.op, _where(site) + str(error))]
    return mesh, {id(s): dims for (_, s), dims in zip(tiled, mesh.dims)}, errors


def _rewrite(sites: list[_Site], shard_maps: list[_ShardMap], mesh: Mesh, axes_of: dict) -> None:
    def body(site: _Site, s: HloSharding, t: ir.Type) -> str:
        return _sharding_body(s, _rank(t) or 0, axes_of.get(id(s)), site.open_dims)

    by_op = {site.op: site for site in sites if not site.where}
    for sm in shard_maps:
        ins = [body(by_op[op], by_op[op].shardings[0], op.results[0].type)
               for op in sm.in_constraints]
        outs = [body(by_op[op], by_op[op].shardings[0], op.results[0].type)
                for op in sm.shard_to_full]
        _manual_computation(sm, ins, outs, len(mesh.sizes))
    for site in sites:
        if site.role is not None:  # done by _manual_computation
            continue
        bodies = [body(site, s, t) for s, t in zip(site.shardings, site.types)]
        if site.where:
            _set_entry(site.op, site.where, site.index,
                       ir.Attribute.parse(f"#sdy.sharding<{bodies[0]}>"))
        elif _custom_call_target(site.op) == "Sharding" and len(bodies) == 1:
            _constrain(site.op, ir.Attribute.parse(f"#sdy.sharding<{bodies[0]}>"))
        else:
            del site.op.attributes[HLO_KEY]
            site.op.attributes[SDY_KEY] = ir.Attribute.parse(
                "#sdy.sharding_per_value<[" + ", ".join(f"<{b}>" for b in bodies) + "]>")


def _add_meshes(module: ir.Operation, sites: list[_Site], mesh: Mesh) -> None:
    """``sdy.mesh @mesh`` (when a sharding names it) and one maximal mesh per device."""
    shardings = [s for site in sites for s in site.shardings]
    meshes = [(MESH, _mesh_attr(mesh))] if any(s.kind != "maximal" for s in shardings) else []
    for device in sorted({s.device for s in shardings if s.kind == "maximal"}):
        meshes.append((f"maximal_mesh_{device}",
                       ir.Attribute.parse(f"#sdy.mesh<[], device_ids=[{device}]>")))
    block = module.regions[0].blocks[0]
    first = block.operations[0] if len(block.operations) else None
    for name, attr in meshes:
        with (ir.InsertionPoint(first) if first is not None else ir.InsertionPoint(block)), \
                module.location:
            ir.Operation.create("sdy.mesh", attributes={"sym_name": ir.StringAttr.get(name),
                                                        "mesh": attr})


@register("hlox-import-mhlo-sharding",
          "Rewrite GSPMD mhlo.sharding strings as Shardy (sdy) meshes and shardings")
def import_mhlo_sharding(module, pass_):
    sites = _collect(module)
    if not sites:
        return
    shard_maps = _shard_maps(module)
    by_op = {site.op: site for site in sites if not site.where}
    for sm in shard_maps:
        absorbed = [c for c, alone in zip(sm.in_constraints, sm.absorbed) if alone]
        for role, ops in (("in", absorbed), ("manual", sm.full_to_shard + sm.manual),
                          ("out", sm.shard_to_full)):
            for op in ops:
                by_op[op].role = role
    errors = []
    for site in sites:
        try:
            _read(site)
        except ShardingError as error:
            errors.append((site.op, _where(site) + str(error)))
    for op in module.regions[0].blocks[0].operations:
        if op.operation.name == "sdy.mesh":
            errors.append((op.operation, "the module has both sdy meshes and mhlo.sharding "
                                         "strings; it must use one or the other"))
            break
    if not errors:
        mesh, axes_of, errors = _mesh(module, sites)
    if errors:
        return _fail(pass_, errors)
    _rewrite(sites, shard_maps, mesh, axes_of)
    _add_meshes(module, sites, mesh)
