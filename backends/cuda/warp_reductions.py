"""hlox-cuda-warp-reductions (Python pass): a reduction over the contiguous last
dimension as one warp per output element.

``convert-linalg-to-parallel-loops`` gives a reduction one thread per output
element, each walking its row alone: threads of a warp then read addresses a row
apart (uncoalesced) and a 4096-long row is 4096 dependent steps. This pass
rewrites a top-level ``linalg.generic`` on buffers whose last loop is its only
reduction (contiguous in every input that reads along it) and whose payload ends in
a combiner with an identity (add, mul, max, min, and, or, xor; f32 or i32):

    scf.parallel (block) {block_x}, scf.parallel (thread) {thread_x}: 8 warps a block
      warp w of block b reduces row b * 8 + w (rows past the end: clamped, not stored)
      lane l folds the row's elements l, l + 32, ... (consecutive lanes: consecutive
        addresses) into a partial, starting from the combiner's identity
      five butterfly steps (gpu.shuffle xor 16, 8, 4, 2, 1) combine the 32 partials
      lane 0 combines the result with the output's initial value and stores it

Floating-point sums are reassociated (as XLA does on GPUs). Anything else is left to
the generic path. Runs after bufferization, before ``convert-linalg-to-parallel-loops``.
"""

from __future__ import annotations

import math

from mlir import ir
from mlir.dialects import arith, gpu, memref, scf

from hlox.backends.cuda.passes import _index, _mapping, _ops, _terminator
from hlox.passes.python_passes import register

WARP = 32
WARPS_PER_BLOCK = 8
MIN_LENGTH = 32  # shorter rows: the generic path


def _float_identity(name: str, t):
    values = {"arith.addf": 0.0, "arith.mulf": 1.0, "arith.maximumf": -math.inf,
              "arith.maxnumf": -math.inf, "arith.minimumf": math.inf,
              "arith.minnumf": math.inf}
    return None if name not in values else arith.constant(t, values[name])


def _int_identity(name: str, t):
    width = ir.IntegerType(t).width
    values = {"arith.addi": 0, "arith.muli": 1, "arith.ori": 0, "arith.xori": 0,
              "arith.andi": -1, "arith.maxsi": -(1 << (width - 1)),
              "arith.minsi": (1 << (width - 1)) - 1, "arith.maxui": 0, "arith.minui": -1}
    return None if name not in values else arith.constant(t, values[name])


def _dims(attr: ir.Attribute):
    """The dimension positions of an indexing map's results (None if any is not a dim)."""
    results = ir.AffineMapAttr(attr).value.results
    dims = []
    for e in results:
        if not isinstance(e, ir.AffineDimExpr):
            try:
                e = ir.AffineDimExpr(e)
            except (TypeError, ValueError):
                return None
        dims.append(e.position)
    return dims


def _match(op: ir.Operation):
    """``(ins, out, in_dims, out_dims, extents, combiner, value)`` or None."""
    if op.name != "linalg.generic" or len(op.results):
        return None
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    rank = len(iterators)
    if rank < 1 or "reduction" not in iterators[-1] or \
            any("reduction" in it for it in iterators[:-1]):
        return None
    maps = [_dims(a) for a in ir.ArrayAttr(op.attributes["indexing_maps"])]
    if any(m is None for m in maps):
        return None
    operands = list(op.operands)
    ins, out = operands[:-1], operands[-1]
    out_type = ir.MemRefType(out.type)
    if maps[-1] != list(range(rank - 1)) or not out_type.has_static_shape:
        return None
    element = out_type.element_type
    if not (isinstance(element, ir.F32Type) or
            (isinstance(element, ir.IntegerType) and element.width == 32)):
        return None
    extents = [None] * rank
    for value, dims in zip(operands, maps):
        t = ir.MemRefType(value.type)
        if not t.has_static_shape:
            return None
        for position, d in enumerate(dims):
            extents[d] = t.shape[position]
        if (rank - 1) in dims[:-1]:  # reads along the reduction, not contiguously
            return None
    if None in extents or extents[-1] < MIN_LENGTH:
        return None
    body = op.regions[0].blocks[0]
    if any(o.name == "linalg.index" for o in _ops(body)):
        return None
    yielded = _ops(body)[-1].operands[0]
    combiner = yielded.owner
    combiner = combiner.operation if isinstance(combiner, ir.OpView) else combiner
    if not isinstance(combiner, ir.Operation) or len(combiner.operands) != 2:
        return None
    acc = body.arguments[len(ins)]
    a, b = combiner.operands
    value = b if a == acc else a if b == acc else None
    if value is None or value == acc or sum(1 for _ in acc.uses) != 1:
        return None
    return ins, out, maps[:-1], maps[-1], extents, combiner.name, value


def _combine(name: str, x: ir.Value, y: ir.Value) -> ir.Value:
    return ir.Operation.create(name, results=[x.type], operands=[x, y]).result


def _rewrite(op: ir.Operation) -> bool:
    match = _match(op)
    if match is None:
        return False
    ins, out, in_dims, out_dims, extents, combiner, value = match
    element = ir.MemRefType(out.type).element_type
    rows = math.prod(extents[:-1])
    length = extents[-1]
    threads = WARP * WARPS_PER_BLOCK
    body = op.regions[0].blocks[0]
    with ir.InsertionPoint(op), op.location:
        identity = (_float_identity if isinstance(element, ir.F32Type) else _int_identity)(
            combiner, element)
        if identity is None:
            return False
        blocks = scf.ParallelOp([], [_index(0)], [_index(-(-rows // WARPS_PER_BLOCK))],
                                [_index(1)], [])
        blocks.operation.attributes["mapping"] = _mapping("block_x")
        block_body = blocks.regions[0].blocks.append(ir.IndexType.get())
        with ir.InsertionPoint(block_body):
            scf.ReduceOp([], 0)
    with ir.InsertionPoint(_terminator(block_body)), op.location:
        lanes = scf.ParallelOp([], [_index(0)], [_index(threads)], [_index(1)], [])
        lanes.operation.attributes["mapping"] = _mapping("thread_x")
        lane_body = lanes.regions[0].blocks.append(ir.IndexType.get())
        with ir.InsertionPoint(lane_body):
            scf.ReduceOp([], 0)
    with ir.InsertionPoint(_terminator(lane_body)), op.location:
        t = lane_body.arguments[0]
        lane = arith.remui(t, _index(WARP))
        row = arith.addi(arith.muli(block_body.arguments[0], _index(WARPS_PER_BLOCK)),
                         arith.divui(t, _index(WARP)))
        valid = arith.cmpi(arith.CmpIPredicate.ult, row, _index(rows))
        clamped = arith.select(valid, row, _index(0))
        ivs, rest = [None] * (len(extents) - 1), clamped
        for d in reversed(range(len(ivs))):
            ivs[d] = arith.remui(rest, _index(extents[d])) if d else rest
            if d:
                rest = arith.divui(rest, _index(extents[d]))
        loop = scf.ForOp(lane, _index(length), _index(WARP), [identity])
        with ir.InsertionPoint(loop.body):
            k = loop.induction_variable
            full = ivs + [k]
            for arg, source, dims in zip(body.arguments, ins, in_dims):
                loaded = memref.load(source, [full[d] for d in dims])
                arg.replace_all_uses_with(loaded)
                if value == arg:  # the payload is the element itself (a plain sum)
                    value = loaded
            yield_op = scf.YieldOp([loop.inner_iter_args[0]])
        for moved in _ops(body)[:-2]:  # the payload, without the combiner and yield
            moved.move_before(yield_op)
        with ir.InsertionPoint(yield_op):
            folded = _combine(combiner, loop.inner_iter_args[0], value)
        yield_op.operation.operands[0] = folded
        partial = loop.results[0]
        for offset in (16, 8, 4, 2, 1):
            i32 = ir.IntegerType.get_signless(32)
            shuffled = gpu.ShuffleOp(partial, arith.constant(i32, offset),
                                     arith.constant(i32, WARP), gpu.ShuffleMode.XOR).results[0]
            partial = _combine(combiner, partial, shuffled)
        first = arith.cmpi(arith.CmpIPredicate.eq, lane, _index(0))
        store = scf.IfOp(arith.andi(valid, first))
        with ir.InsertionPoint(store.then_block):
            indices = [ivs[d] for d in out_dims]
            initial = memref.load(out, indices)
            memref.store(_combine(combiner, initial, partial), out, indices)
            scf.YieldOp([])
    for dead in reversed(_ops(body)):  # linalg.yield, then the combiner: users first
        dead.erase()
    op.erase()
    return True


@register("hlox-cuda-warp-reductions",
          "reductions over the contiguous last dimension as one warp per output element")
def warp_reductions(module: ir.Operation, pass_) -> None:
    for fn in _ops(module.regions[0].blocks[0]):
        if fn.name != "func.func" or not len(fn.regions[0].blocks):
            continue
        for op in _ops(fn.regions[0].blocks[0]):
            _rewrite(op)
