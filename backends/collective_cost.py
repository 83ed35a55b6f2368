"""Bytes a per-device (partitioned) program's collectives move, per device.

For ``Compiled.cost_analysis()`` of SPMD programs: each collective counts the
bytes one device sends under the usual bandwidth-optimal (ring) algorithms,
with ``B`` the bytes of the op's operand on one device and ``k`` its group's
size:

- ``all_reduce``: ``2 (k-1)/k B`` (reduce-scatter then all-gather);
- ``all_gather``: ``(k-1) B`` (every other member's chunk passes through);
- ``reduce_scatter``, ``all_to_all``: ``(k-1)/k B``;
- ``collective_permute``: ``B`` when some device sends to another, else 0;
- ``collective_broadcast``: ``B``.

Every op is counted once where it appears: a loop body's collectives count
once, not once per iteration (the trip count is not known statically).
"""

from __future__ import annotations

from hlox.backends.cost_analysis import _bytes, _cast

_KINDS = ("all_reduce", "all_gather", "reduce_scatter", "all_to_all", "collective_permute",
          "collective_broadcast")


def _group_size(op, devices: int) -> int:
    from mlir import ir

    if "replica_groups" not in op.attributes:
        return devices
    shape = ir.ShapedType(op.attributes["replica_groups"].type).shape
    return shape[1] if len(shape) == 2 and shape[1] > 0 else devices


def _sends_elsewhere(op) -> bool:
    from mlir import ir

    pairs = ir.DenseIntElementsAttr(op.attributes["source_target_pairs"])
    values = [pairs[i] for i in range(len(pairs))]
    return any(s != t for s, t in zip(values[0::2], values[1::2]))


def _op_bytes(op, kind: str, devices: int) -> float:
    b = sum(_bytes(v.type) for v in op.operands)
    if kind == "collective_permute":
        return float(b) if _sends_elsewhere(op) else 0.0
    if kind == "collective_broadcast":
        return float(b)
    k = _group_size(op, devices)
    if kind == "all_reduce":
        return 2.0 * (k - 1) / k * b
    if kind == "all_gather":
        return float((k - 1) * b)
    return (k - 1) / k * b


def _devices(module) -> int:
    from mlir import ir

    n = 1
    for key in ("mhlo.num_partitions", "mhlo.num_replicas"):
        if key in module.operation.attributes:
            attr = _cast(ir.IntegerAttr, module.operation.attributes[key])
            n *= attr.value if attr is not None else 1
    return n


def analyze(module) -> dict:
    """``{"collective bytes": total, "collective bytes <op>": ..., "collectives": count}``
    (floats, per device) for a StableHLO module (text or ``ir.Module``); only the
    kinds of collective the module has appear."""
    from mlir import ir

    from hlox.backends.base import parse_module

    if isinstance(module, (str, bytes)):
        module = parse_module(module.decode() if isinstance(module, bytes) else module)
    devices = _devices(module)
    totals: dict[str, float] = {"collective bytes": 0.0, "collectives": 0.0}

    def visit(op):
        kind = op.name.partition(".")[2]
        if op.name.startswith("stablehlo.") and kind in _KINDS:
            moved = _op_bytes(op, kind, devices)
            totals["collective bytes"] += moved
            totals["collectives"] += 1
            key = f"collective bytes {kind}"
            totals[key] = totals.get(key, 0.0) + moved
        return ir.WalkResult.ADVANCE

    with module.context:
        module.operation.walk(visit)
    return totals
