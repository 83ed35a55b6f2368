"""hlox-cuda-register-tiles (Python pass): a contraction as one thread per 4x4 tile
of its result, the tile's sums in registers.

``convert-linalg-to-parallel-loops`` gives a matmul one thread per result element:
every multiply-add needs two loads (one for each operand), so the load units, not the
FMA units, bound it. This pass rewrites a top-level ``linalg.generic`` on buffers with
parallel loops ``(batch..., i, j)`` and one reduction ``k`` last, two inputs, one
reading ``i`` (and not ``j``), the other ``j`` (and not ``i``), a result indexed
``(batch..., i, j)`` of static shape with ``i`` and ``j`` multiples of 4, and a payload
ending in ``add(acc, f(a, b))``:

    thread t of the linearized (batch, i / 4, j / 4) tiles (consecutive threads:
    consecutive j tiles) keeps 16 partial sums; for each k it loads 4 values of each
    operand and does 16 multiply-adds (f cloned per element), then adds the sums to the
    result's initial values.

Four multiply-adds per load instead of one half. It runs before
``convert-linalg-to-parallel-loops``; the loops it makes are mapped to blocks x
threads like any other (:mod:`.passes`).
"""

from __future__ import annotations

import math

from mlir import ir
from mlir.dialects import arith, memref, scf

from hlox.backends.cuda.passes import _index, _ops
from hlox.backends.cuda.warp_reductions import _dims
from hlox.passes.python_passes import register

TILE = 4
_ADDS = {"arith.addf": 0.0, "arith.addi": 0}


def _match(op: ir.Operation):
    if op.name != "linalg.generic" or len(op.results) or len(op.operands) != 3:
        return None
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    rank = len(iterators)
    if rank < 3 or "reduction" not in iterators[-1] or \
            any("reduction" in it for it in iterators[:-1]):
        return None
    maps = [_dims(a) for a in ir.ArrayAttr(op.attributes["indexing_maps"])]
    if any(m is None for m in maps) or maps[2] != list(range(rank - 1)):
        return None
    i, j, k = rank - 3, rank - 2, rank - 1
    kinds = []
    for dims in maps[:2]:
        if (i in dims) == (j in dims):
            return None
        kinds.append("i" if i in dims else "j")
    if sorted(kinds) != ["i", "j"]:
        return None
    extents = [None] * rank
    for value, dims in zip(op.operands, maps):
        t = ir.MemRefType(value.type)
        if not t.has_static_shape:
            return None
        for position, d in enumerate(dims):
            extents[d] = t.shape[position]
    if None in extents or extents[i] % TILE or extents[j] % TILE or extents[k] == 0:
        return None
    body = op.regions[0].blocks[0]
    ops = _ops(body)
    if any(o.name == "linalg.index" for o in ops):
        return None
    combiner = ops[-1].operands[0].owner
    combiner = combiner.operation if isinstance(combiner, ir.OpView) else combiner
    acc = body.arguments[2]
    if not isinstance(combiner, ir.Operation) or combiner.name not in _ADDS or \
            acc not in list(combiner.operands) or sum(1 for _ in acc.uses) != 1:
        return None
    value = combiner.operands[1] if combiner.operands[0] == acc else combiner.operands[0]
    if value == acc:
        return None
    return maps, kinds, extents, combiner, value, ops[:-2]


def _identity(name: str, t: ir.Type) -> ir.Value:
    if isinstance(t, ir.IntegerType):
        return arith.constant(t, 0)
    return arith.constant(t, 0.0)


def _rewrite(op: ir.Operation) -> bool:
    match = _match(op)
    if match is None:
        return False
    maps, kinds, extents, combiner, value, payload = match
    rank = len(extents)
    i, j, k = rank - 3, rank - 2, rank - 1
    ins, out = list(op.operands[:2]), op.operands[2]
    body = op.regions[0].blocks[0]
    acc_type = body.arguments[2].type
    tiles = extents[:i] + [extents[i] // TILE, extents[j] // TILE]
    with ir.InsertionPoint(op), op.location:
        zero, one = _index(0), _index(1)
        loop = scf.ParallelOp([], [zero] * len(tiles), [_index(n) for n in tiles],
                              [one] * len(tiles), [])
        loop_body = loop.regions[0].blocks.append(*[ir.IndexType.get()] * len(tiles))
        with ir.InsertionPoint(loop_body):
            scf.ReduceOp([], 0)
    with ir.InsertionPoint(_ops(loop_body)[-1]), op.location:
        ivs = list(loop_body.arguments)
        rows = [arith.addi(arith.muli(ivs[i], _index(TILE)), _index(r)) for r in range(TILE)]
        cols = [arith.addi(arith.muli(ivs[j], _index(TILE)), _index(c)) for c in range(TILE)]
        inits = [_identity(combiner.name, acc_type) for _ in range(TILE * TILE)]
        reduction = scf.ForOp(_index(0), _index(extents[k]), one, inits)
        with ir.InsertionPoint(reduction.body):
            kk = reduction.induction_variable
            loaded = []
            for source, dims, kind in zip(ins, maps[:2], kinds):
                values = []
                for t in range(TILE):
                    point = ivs[:i] + [rows[t] if kind == "i" else None,
                                       cols[t] if kind == "j" else None, kk]
                    values.append(memref.load(source, [point[d] for d in dims]))
                loaded.append(values)
            sums = []
            for r in range(TILE):
                for c in range(TILE):
                    mapping = {}
                    for arg, kind, values in zip(body.arguments, kinds, loaded):
                        mapping[arg] = values[r] if kind == "i" else values[c]
                    for original in payload:
                        clone = original.clone()
                        for n, operand in enumerate(clone.operands):
                            if operand in mapping:
                                clone.operands[n] = mapping[operand]
                        for old, new in zip(original.results, clone.results):
                            mapping[old] = new
                    term = mapping.get(value, value)
                    partial = reduction.inner_iter_args[r * TILE + c]
                    sums.append(ir.Operation.create(combiner.name, results=[acc_type],
                                                    operands=[partial, term]).result)
            scf.YieldOp(sums)
        for r in range(TILE):
            for c in range(TILE):
                index = ivs[:i] + [rows[r], cols[c]]
                initial = memref.load(out, index)
                total = ir.Operation.create(combiner.name, results=[acc_type],
                                            operands=[initial, reduction.results[r * TILE + c]])
                memref.store(total.result, out, index)
    op.erase()
    return True


@register("hlox-cuda-register-tiles",
          "contractions as one thread per 4x4 result tile, its sums in registers")
def register_tiles(module: ir.Operation, pass_) -> None:
    for fn in _ops(module.regions[0].blocks[0]):
        if fn.name != "func.func" or not len(fn.regions[0].blocks):
            continue
        for op in _ops(fn.regions[0].blocks[0]):
            _rewrite(op)
