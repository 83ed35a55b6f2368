"""hlox-drop-sdy (Python pass): Shardy annotations removed for one device.

JAX prints Shardy's ``sdy`` dialect into StableHLO whenever a program has
shardings (even a one-device Mesh) and on LAPACK custom calls. None of it
changes what the program computes on one device, so the single-device CPU
pipeline drops it before lowering:

- ``sdy.sharding_constraint`` / ``sdy.reshard`` are the identity on values;
- ``sdy.manual_computation`` (``shard_map``) is inlined when every manual axis
  has size 1 (the local shards are then the whole tensors); a larger manual
  axis is an error on the op, since the body computes on per-device shards;
- ``sdy.mesh`` ops and ``sdy.*`` attributes (``sdy.sharding`` on arguments,
  results and ops, ``sdy.sharding_rule`` on custom calls) are erased.
"""

from __future__ import annotations

import re

from mlir import ir

from hlox.passes.python_passes import register

_IDENTITY_OPS = ("sdy.sharding_constraint", "sdy.reshard")


def _is_sdy(name: str) -> bool:
    return name.startswith("sdy.")


def _drop_sdy_entries(op: ir.Operation, name: str) -> None:
    """Removes ``sdy.*`` entries from each dictionary of ``arg_attrs``/``res_attrs``."""
    if name not in op.attributes:
        return
    dicts = []
    for d in ir.ArrayAttr(op.attributes[name]):
        entries = {na.name: na.attr for na in ir.DictAttr(d) if not _is_sdy(na.name)}
        dicts.append(ir.DictAttr.get(entries))
    op.attributes[name] = ir.ArrayAttr.get(dicts)


# A mesh axis as Shardy prints it: "name"=size (only meshes print `=`).
_MESH_AXIS = re.compile(r'"((?:[^"\\]|\\.)*)"=(\d+)')


def _mesh_texts(module: ir.Operation) -> list[str]:
    """The printed ``#sdy.mesh`` of each ``sdy.mesh`` op of the module."""
    texts = []

    def visit(op: ir.Operation):
        if op.name == "sdy.mesh":
            texts.append(str(op.attributes["mesh"]))
        return ir.WalkResult.ADVANCE

    module.walk(visit)
    return texts


def _manual_axis_sizes(op: ir.Operation, mesh_texts: list[str]) -> dict[str, int]:
    """Each manual axis's largest size over the module's meshes and the
    meshes inlined in the op's shardings."""
    # #sdy<manual_axes{"x", "y"}>
    axes = set(re.findall(r'"((?:[^"\\]|\\.)*)"', str(op.attributes["manual_axes"])))
    texts = mesh_texts + [str(op.attributes["in_shardings"]), str(op.attributes["out_shardings"])]
    sizes = {}
    for text in texts:
        for name, size in _MESH_AXIS.findall(text):
            if name in axes:
                sizes[name] = max(sizes.get(name, 1), int(size))
    return sizes


def _inline_manual_computation(op: ir.Operation) -> None:
    block = op.regions[0].blocks[0]
    for argument, operand in zip(block.arguments, op.operands):
        argument.replace_all_uses_with(operand)
    terminator = None
    for inner in list(block.operations):
        if inner.operation.name == "sdy.return":
            terminator = inner.operation
            break
        inner.operation.move_before(op)
    for result, value in zip(op.results, terminator.operands):
        result.replace_all_uses_with(value)
    op.erase()


@register("hlox-drop-sdy",
          "Drop Shardy (sdy) sharding ops and attributes for a single-device program")
def drop_sdy(module, pass_):
    mesh_texts = _mesh_texts(module)
    identities, manuals, meshes_ops, errors = [], [], [], []

    def visit(inner: ir.Operation):
        name = inner.name
        if name in _IDENTITY_OPS:
            identities.append(inner)
        elif name == "sdy.manual_computation":
            manuals.append(inner)
        elif name == "sdy.mesh":
            meshes_ops.append(inner)
        if name == "func.func":
            _drop_sdy_entries(inner, "arg_attrs")
            _drop_sdy_entries(inner, "res_attrs")
        for attr in [name for name in inner.attributes if _is_sdy(name)]:  # keys
            del inner.attributes[attr]
        return ir.WalkResult.ADVANCE

    module.walk(visit)
    for op in identities:
        op.results[0].replace_all_uses_with(op.operands[0])
        op.erase()
    # Innermost first: a nested manual_computation is inlined into its parent's
    # body before that body is moved out.
    for op in reversed(manuals):
        big = {a: s for a, s in _manual_axis_sizes(op, mesh_texts).items() if s != 1}
        if big:
            axes = ", ".join(f"{a!r} has size {s}" for a, s in big.items())
            errors.append((op, f"manual axis {axes}: the body computes on per-device "
                               "shards, and this backend runs on one device"))
            continue
        _inline_manual_computation(op)
    for op in meshes_ops:
        op.erase()
    for op, message in errors:
        op.location.emit_error(f"'sdy.manual_computation' op: {message}")
    if errors:
        pass_.signal_pass_failure()
