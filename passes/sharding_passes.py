"""hlox-import-sharding / hlox-export-sharding (Python passes).

Import turns JAX's ``mhlo.sharding`` strings into ``hlox.sharding``
attributes holding ``#hlox.sharding<...>`` (an array of them for a tuple
sharding on a multi-result op): on ``func.func`` arguments and results
(``arg_attrs``/``res_attrs``) and on any op that carries one, such as
``stablehlo.custom_call @Sharding``. Export does the reverse. A string hlox
cannot read, or a sharding whose rank does not match its tensor, is an error
on that op.

Import also reads Shardy's ``sdy.sharding`` attributes (``#sdy.sharding`` on
arguments and results, ``#sdy.sharding_per_value`` on ops; see
``hlox.dialects.sdy_sharding``), resolving their ``@mesh`` references
against the module's ``sdy.mesh`` ops; export writes ``mhlo.sharding``.
"""

from __future__ import annotations

from mlir import ir

from hlox.dialects import sdy_sharding
from hlox.dialects.sharding import Sharding, ShardingError, tuple_to_hlo
from hlox.passes.python_passes import register

HLO_KEY = "mhlo.sharding"
HLOX_KEY = "hlox.sharding"
SDY_KEY = "sdy.sharding"


def _rank(type_: ir.Type) -> int | None:
    try:
        return ir.RankedTensorType(type_).rank
    except ValueError:
        return None


def _import_value(text: str, types: list[ir.Type]) -> ir.Attribute:
    sharding = Sharding.from_hlo(text, rank=_rank(types[0]) if len(types) == 1 else None)
    if isinstance(sharding, list):
        if len(sharding) != len(types):
            raise ShardingError(f"tuple sharding {text!r} has {len(sharding)} entries "
                                f"for {len(types)} values")
        for s, t in zip(sharding, types):
            _check_rank(s, t, text)
        return ir.ArrayAttr.get([ir.Attribute.parse(s.to_attr()) for s in sharding])
    if len(types) == 1:
        _check_rank(sharding, types[0], text)
    return ir.Attribute.parse(sharding.to_attr())


def _check_rank(sharding: Sharding, type_: ir.Type, text: str) -> None:
    rank = _rank(type_)
    if sharding.kind == "mesh" and rank is not None and len(sharding.dims) != rank:
        raise ShardingError(f"sharding {text!r} has {len(sharding.dims)} dimensions "
                            f"for a tensor of rank {rank}")


def _import_sdy(attr: ir.Attribute, types: list[ir.Type], meshes: dict[str, str]) -> ir.Attribute:
    text = str(attr)
    if text.startswith("#sdy.sharding_per_value"):
        shardings = [sdy_sharding.from_sdy(s, meshes) for s in sdy_sharding.split_shardings(text)]
        if len(shardings) != len(types):
            raise ShardingError(f"{text!r} has {len(shardings)} shardings for {len(types)} values")
    else:
        shardings = [sdy_sharding.from_sdy(text, meshes)]
    for s, t in zip(shardings, types):
        _check_rank(s, t, text)
    attrs = [ir.Attribute.parse(s.to_attr()) for s in shardings]
    return attrs[0] if len(attrs) == 1 else ir.ArrayAttr.get(attrs)


def _sdy_meshes(op: ir.Operation) -> dict[str, str]:
    """``sdy.mesh`` symbol name -> its printed ``#sdy.mesh`` attribute."""
    meshes = {}

    def visit(inner: ir.Operation):
        if inner.name == "sdy.mesh":
            meshes[ir.StringAttr(inner.attributes["sym_name"]).value] = str(inner.attributes["mesh"])
        return ir.WalkResult.ADVANCE

    op.walk(visit)
    return meshes


def _export_value(attr: ir.Attribute) -> ir.Attribute:
    if isinstance(attr, ir.ArrayAttr):
        shardings = [Sharding.from_attr(str(a)) for a in ir.ArrayAttr(attr)]
        return ir.StringAttr.get(tuple_to_hlo(shardings))
    return ir.StringAttr.get(Sharding.from_attr(str(attr)).to_hlo())


def _rewrite_dicts(op: ir.Operation, name: str, types: list[ir.Type], convert) -> None:
    """Applies ``convert`` to each entry of ``arg_attrs``/``res_attrs``."""
    if name not in op.attributes:
        return
    dicts = ir.ArrayAttr(op.attributes[name])
    out, changed = [], False
    for d, t in zip(dicts, types):
        entries = {na.name: na.attr for na in ir.DictAttr(d)}
        new = convert(entries, t)
        changed |= new is not None
        out.append(ir.DictAttr.get(new if new is not None else entries))
    if changed:
        op.attributes[name] = ir.ArrayAttr.get(out)


def _run(op: ir.Operation, pass_, importing: bool) -> None:
    src, dst = (HLO_KEY, HLOX_KEY) if importing else (HLOX_KEY, HLO_KEY)
    meshes = _sdy_meshes(op) if importing else {}
    errors = []

    def convert_value(value: ir.Attribute, types: list[ir.Type]) -> ir.Attribute:
        if importing:
            return _import_value(ir.StringAttr(value).value, types)
        return _export_value(value)

    def convert_entries(entries: dict, type_: ir.Type):
        if importing and SDY_KEY in entries:
            entries[dst] = _import_sdy(entries.pop(SDY_KEY), [type_], meshes)
            return entries
        if src not in entries:
            return None
        value = entries.pop(src)
        entries[dst] = convert_value(value, [type_])
        return entries

    def visit(inner: ir.Operation):
        try:
            if inner.name == "func.func":
                fn_type = ir.FunctionType(ir.TypeAttr(inner.attributes["function_type"]).value)
                _rewrite_dicts(inner, "arg_attrs", list(fn_type.inputs), convert_entries)
                _rewrite_dicts(inner, "res_attrs", list(fn_type.results), convert_entries)
            if src in inner.attributes:
                value = inner.attributes[src]
                types = [r.type for r in inner.results]
                new = convert_value(value, types)
                del inner.attributes[src]
                inner.attributes[dst] = new
            elif importing and SDY_KEY in inner.attributes:
                new = _import_sdy(inner.attributes[SDY_KEY], [r.type for r in inner.results], meshes)
                del inner.attributes[SDY_KEY]
                inner.attributes[dst] = new
        except (ShardingError, ValueError, TypeError) as error:
            errors.append((inner, str(error)))
        return ir.WalkResult.ADVANCE

    op.walk(visit)
    for inner, message in errors:
        inner.location.emit_error(
            f"'{inner.name}' op: {'import' if importing else 'export'} of sharding failed: {message}")
    if errors:
        pass_.signal_pass_failure()


@register("hlox-import-sharding",
          "Convert mhlo.sharding strings (func args/results, ops) into #hlox.sharding attributes")
def import_sharding(op, pass_):
    _run(op, pass_, importing=True)


@register("hlox-export-sharding",
          "Convert #hlox.sharding attributes back into mhlo.sharding strings")
def export_sharding(op, pass_):
    _run(op, pass_, importing=False)
