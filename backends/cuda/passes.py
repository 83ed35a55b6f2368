"""The ``cuda`` backend's Python passes: buffers to GPU launches.

After bufferization and ``convert-linalg-to-parallel-loops`` a public function is
a sequence of host-side allocations and views and loop nests over buffers.

- ``hlox-cuda-copies-to-linalg``: ``memref.copy`` as ``linalg.copy`` (device
  code has no ``memrefCopy``; the linalg copy becomes a parallel loop).
- ``hlox-cuda-map-to-gpu``: every top-level ``scf.parallel`` becomes one kernel:
  its iteration space linearized (row-major, so that consecutive threads touch
  consecutive elements: coalesced), split into blocks of :data:`BLOCK` threads
  (``block_x``/``thread_x`` mappings, a bounds check when the count does not
  divide). Work that is not a parallel loop (a full reduction's loop, a while
  loop, a sort) runs as a one-thread kernel: correct, not fast. Parallel loops
  nested in a kernel run sequentially inside it. Afterwards the host code holds
  only constants, allocations, views and loops that ``convert-parallel-loops-to-gpu``
  turns into launches.
"""

from __future__ import annotations

import math

from mlir import ir
from mlir.dialects import arith, linalg, scf

from hlox.passes.python_passes import register

BLOCK = 256  # threads per block of an elementwise kernel

# Host-side ops: they run on the host (views compute descriptors, allocations are
# device buffers the launch plan makes); everything else must run in a kernel.
_HOST_OPS = {"arith.constant", "memref.alloc", "memref.get_global", "memref.subview",
             "memref.expand_shape", "memref.collapse_shape", "memref.reinterpret_cast",
             "memref.cast", "memref.view"}


class GpuMappingError(ValueError):
    """A function whose host code this backend cannot place."""


def _ops(block: ir.Block) -> list:
    return [op.operation for op in block.operations]


def _walk(op: ir.Operation, out: list, name: str) -> list:
    for region in op.regions:
        for block in region.blocks:
            for inner in block.operations:
                inner = inner.operation
                if inner.name == name:
                    out.append(inner)
                _walk(inner, out, name)
    return out


def _functions(module: ir.Operation) -> list:
    return [op for op in _ops(module.regions[0].blocks[0])
            if op.name == "func.func" and len(op.regions[0].blocks)]


@register("hlox-cuda-copies-to-linalg", "memref.copy as linalg.copy (kernels have no memrefCopy)")
def copies_to_linalg(module: ir.Operation, pass_) -> None:
    for copy in _walk(module, [], "memref.copy"):
        source, target = copy.operands
        with ir.InsertionPoint(copy), copy.location:
            linalg.copy(source, outs=[target])
        copy.erase()


def _mapping(processor: str, rank: int = 1) -> ir.Attribute:
    one = f"#gpu.loop_dim_map<processor = {processor}, map = (d0) -> (d0), bound = (d0) -> (d0)>"
    return ir.ArrayAttr.get([ir.Attribute.parse(one)] * rank)


def _index(value: int) -> ir.Value:
    return arith.constant(ir.IndexType.get(), value)


def _static(value: ir.Value):
    """The integer a constant index value holds, else None."""
    owner = value.owner
    if isinstance(owner, ir.OpView):
        owner = owner.operation
    if isinstance(owner, ir.Operation) and owner.name == "arith.constant":
        return ir.IntegerAttr(owner.attributes["value"]).value
    return None


def _loop(lower: ir.Value, upper: ir.Value, processor: str):
    """A one-dimensional scf.parallel mapped to ``processor``; its body block."""
    loop = scf.ParallelOp([], [lower], [upper], [_index(1)], [])
    loop.operation.attributes["mapping"] = _mapping(processor)
    body = loop.regions[0].blocks.append(ir.IndexType.get())
    with ir.InsertionPoint(body):
        scf.ReduceOp([], 0)
    return loop, body


def _terminator(block: ir.Block) -> ir.Operation:
    return _ops(block)[-1]


def _linearize(loop: ir.Operation) -> None:
    """``loop`` (an N-d scf.parallel) as blocks x threads over its row-major index."""
    rank = len(loop.regions[0].blocks[0].arguments)
    lowers, uppers, steps = (list(loop.operands[i * rank:(i + 1) * rank]) for i in range(3))
    with ir.InsertionPoint(loop), loop.location:
        counts, static = [], []
        for lb, ub, st in zip(lowers, uppers, steps):
            s = [_static(v) for v in (lb, ub, st)]
            if None not in s:
                n = max(0, -(-(s[1] - s[0]) // s[2]))
                counts.append(_index(n))
                static.append(n)
            else:
                span = arith.subi(ub, lb)
                counts.append(arith.ceildivui(span, st))
                static.append(None)
        known = None if None in static else math.prod(static)
        if known == 0:  # nothing to compute (an empty array): no kernel
            loop.erase()
            return
        if known is not None:
            total = _index(known)
        else:
            total = counts[0]
            for c in counts[1:]:
                total = arith.muli(total, c)
        threads = BLOCK if known is None else max(1, min(BLOCK, known))
        blocks = (_index(-(-known // threads)) if known is not None
                  else arith.ceildivui(total, _index(threads)))
        outer, outer_body = _loop(_index(0), blocks, "block_x")
    with ir.InsertionPoint(_terminator(outer_body)), loop.location:
        inner, inner_body = _loop(_index(0), _index(threads), "thread_x")
    with ir.InsertionPoint(_terminator(inner_body)), loop.location:
        linear = arith.addi(arith.muli(outer_body.arguments[0], _index(threads)),
                            inner_body.arguments[0])
        target = inner_body
        if known is None or known % threads:
            inside = arith.cmpi(arith.CmpIPredicate.ult, linear, total)
            guard = scf.IfOp(inside)
            target = guard.then_block
            with ir.InsertionPoint(target):
                scf.YieldOp([])
    with ir.InsertionPoint(_terminator(target)), loop.location:
        ivs = [None] * rank
        rest = linear
        for d in reversed(range(rank)):
            position = arith.remui(rest, counts[d]) if d else rest
            if d:
                rest = arith.divui(rest, counts[d])
            step, lower = _static(steps[d]), _static(lowers[d])
            value = position if step == 1 else arith.muli(position, steps[d])
            ivs[d] = value if lower == 0 else arith.addi(value, lowers[d])
    body = loop.regions[0].blocks[0]
    for arg, iv in zip(body.arguments, ivs):
        arg.replace_all_uses_with(iv)
    end = _terminator(target)
    for op in _ops(body)[:-1]:
        op.move_before(end)
    loop.erase()


def _operands(op: ir.Operation) -> list:
    """The values ``op`` and the ops nested in it use."""
    values, stack = [], [op]
    while stack:
        current = stack.pop()
        values.extend(current.operands)
        for region in current.regions:
            for block in region.blocks:
                stack.extend(_ops(block))
    return values


def _parallel_to_for(loop: ir.Operation) -> None:
    """A (nested) scf.parallel without results as a nest of scf.for (sequential)."""
    if len(loop.results):
        raise GpuMappingError(f"cuda: a parallel loop with reductions inside a kernel "
                              f"(at {loop.location}) is not supported yet")
    body = loop.regions[0].blocks[0]
    rank = len(body.arguments)
    bounds = [list(loop.operands[i * rank:(i + 1) * rank]) for i in range(3)]
    point, ivs = loop, []
    for d in range(rank):
        with ir.InsertionPoint(point), loop.location:
            nested = scf.ForOp(bounds[0][d], bounds[1][d], bounds[2][d])
            with ir.InsertionPoint(nested.body):
                point = scf.YieldOp([]).operation
        ivs.append(nested.induction_variable)
    for arg, iv in zip(body.arguments, ivs):
        arg.replace_all_uses_with(iv)
    for op in _ops(body)[:-1]:
        op.move_before(point)
    loop.erase()


def _serial_ranges(ops: list) -> list:
    """``[start, end]`` index ranges of ``ops`` that must run in one-thread kernels:
    ops that are neither host ops nor top-level parallel loops, merged with every
    later op that uses a value they compute (with everything in between)."""
    ranges: list = []
    owner: dict = {}  # value -> index of the range that computes it
    for i, op in enumerate(ops):
        if op.name == "func.return":
            continue
        used = {owner[v] for v in _operands(op) if v in owner}
        if used:
            k = min(used)
            ranges[k][1] = i
            del ranges[k + 1:]
            for value, r in owner.items():
                if r > k:
                    owner[value] = k
        elif op.name in _HOST_OPS or (op.name == "scf.parallel" and not len(op.results)):
            continue
        elif ranges and all(o.name in _HOST_OPS for o in ops[ranges[-1][1] + 1:i]):
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
        for result in op.results:
            owner[result] = len(ranges) - 1
    return ranges


def _wrap_serial(ops: list, start: int, end: int) -> None:
    """``ops[start..end]`` as one one-thread kernel; host ops among them that use
    nothing computed there stay on the host, before it."""
    members = ops[start:end + 1]
    computed = {r for op in members for r in op.results}
    inside = []
    for op in members:
        if op.name in _HOST_OPS and not any(v in computed for v in _operands(op)):
            op.move_before(members[0])
            computed.difference_update(op.results)
        else:
            inside.append(op)
    later = {v for op in ops[end + 1:] for v in _operands(op)}
    escaping = [op for op in inside if any(r in later for r in op.results)]
    if escaping:
        raise GpuMappingError(f"cuda: {escaping[0].name} computes a value the host needs "
                              f"(at {escaping[0].location}): host-side control values are "
                              f"not supported yet")
    with ir.InsertionPoint(inside[0]), inside[0].location:
        _, body = _loop(_index(0), _index(1), "block_x")
    end_op = _terminator(body)
    for op in inside:
        op.move_before(end_op)


def _owns_its_elements(loop: ir.Operation) -> bool:
    """Whether every iteration of ``loop`` (an scf.parallel) reads and writes only the
    elements its own indices name in the buffers it writes: each access of a written
    buffer is indexed by exactly the loop's induction variables (or constants)."""
    ivs = list(loop.regions[0].blocks[0].arguments)
    accesses = _walk(loop, [], "memref.store") + _walk(loop, [], "memref.load")
    written = {op.operands[1] for op in accesses if op.name == "memref.store"}
    for op in accesses:
        memref, indices = ((op.operands[1], list(op.operands[2:])) if op.name == "memref.store"
                           else (op.operands[0], list(op.operands[1:])))
        if memref not in written:
            continue
        plain = [i for i in indices if i in ivs]
        if len(plain) != len(ivs) or any(i not in ivs and _static(i) is None
                                         for i in indices):
            return False
    return True


def _interchange(fn_block: ir.Block) -> None:
    """A top-level ``scf.for`` whose body is one ``scf.parallel`` (a reduction over an
    outer dimension: linalg's loops for a column sum) becomes the parallel loop around
    the sequential one: one thread per output element, coalesced, instead of one
    thread for the whole nest. Only when each parallel iteration owns its elements."""
    for op in _ops(fn_block):
        if op.name != "scf.for" or len(op.results):
            continue
        body = _ops(op.regions[0].blocks[0])
        if len(body) != 2 or body[0].name != "scf.parallel" or len(body[0].results):
            continue
        loop = body[0]
        if any(_defined_inside(v, op) for v in loop.operands) or not _owns_its_elements(loop):
            continue
        loop.move_before(op)
        inner = loop.regions[0].blocks[0]
        op.move_before(_terminator(inner))
        end = _terminator(op.regions[0].blocks[0])
        for moved in _ops(inner)[:-2]:
            moved.move_before(end)


def _defined_inside(value: ir.Value, op: ir.Operation) -> bool:
    owner = value.owner
    if isinstance(owner, ir.Block):
        parent = owner.owner
    else:
        parent = owner.operation if isinstance(owner, ir.OpView) else owner
    while parent is not None:
        parent = parent.operation if isinstance(parent, ir.OpView) else parent
        if parent == op:
            return True
        parent = parent.parent
    return False


def _map_function(fn: ir.Operation) -> None:
    blocks = list(fn.regions[0].blocks)
    if len(blocks) != 1:
        raise GpuMappingError("cuda: a function body with several blocks (unstructured "
                              "control flow) cannot be mapped to kernels")
    for op in _ops(blocks[0]):
        if op.name == "memref.dealloc":  # the launch plan frees temporaries after the call
            op.erase()
    _interchange(blocks[0])
    ops = _ops(blocks[0])
    for start, end in reversed(_serial_ranges(ops)):
        _wrap_serial(ops, start, end)
    for op in _ops(blocks[0]):
        if op.name == "scf.parallel" and "mapping" not in op.attributes:
            _linearize(op)
    nested = [loop for loop in _walk(fn, [], "scf.parallel") if "mapping" not in loop.attributes]
    for loop in reversed(nested):  # inner loops first: sequential in their kernel
        _parallel_to_for(loop)


@register("hlox-cuda-map-to-gpu",
          "top-level loops of public functions as blocks x threads (or one-thread) kernels")
def map_to_gpu(module: ir.Operation, pass_) -> None:
    for fn in _functions(module):
        _map_function(fn)
