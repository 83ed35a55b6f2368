"""Contractions in one canonical, packed form (for hlox-cpu-vectorize-contractions).

A float contraction ``linalg.generic`` — ``C[...] += X * Y`` where ``X`` is
computed from the inputs of one side (the A side: batch, M and K dims) and
``Y`` from the other (the B side: batch, K and N dims), in any operand
layout, with elementwise prologues fused into its body (``p / sum`` in
attention), bf16/f16 operands — becomes the BLIS structure's packing steps
and one canonical kernel:

- A' = [batch, M', K] (row-major, rows zero-padded to a multiple of the
  register tile): the A-side prologue evaluated once per element (not once
  per output), converted to the accumulation type (f32 for bf16/f16);
- B' = [batch, N'/NR, K, NR]: B in column panels NR wide, so that the
  micro-kernel reads one contiguous panel (no cache-set conflicts at large
  power-of-two strides), zero-padded to whole panels;
- C' = [batch, M', N'/NR, NR] (plain row-major [batch, M', N']) accumulated in
  f32/f64 by ``C'[b, m, p, r] += A'[b, m, k] * B'[b, p, k, r]`` — the generic
  this module returns, which the pass tiles into cache blocks and register
  tiles;
- C = C' sliced to [batch, M, N], reshaped to the original dims and, where
  the layout or the element type differs, permuted/rounded by one generic.

The packing copies cost O(size of the operands); the kernel O(M N K).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mlir import ir
from mlir.dialects import arith, linalg, tensor

ACCUMULATE = {"f32": "f32", "f64": "f64", "bf16": "f32", "f16": "f32"}
# Register tile (rows of A x panel width of B) per vector width and
# accumulation type: C's tile is 2 vectors wide, and its rows fill half the
# vector registers, leaving room for B's row and A's broadcast: 8 rows of
# AVX-512's 32 zmm, 4 of AVX2's 16 ymm (an 8 x 32 float32 tile there is 32
# ymm accumulators: spilled at every step, 2.5x slower).
REGISTER_TILES = {512: {"f32": (8, 32), "f64": (8, 16)},
                  256: {"f32": (4, 16), "f64": (4, 8)}}


def vector_bits(module: ir.Operation) -> int:
    """The vector width the contraction kernels are tiled for: the module's
    ``hlox.cpu_vector_bits`` (256 or 512) where set (the lit tests pin it),
    else 512 where the host has AVX-512 and 256 otherwise."""
    if "hlox.cpu_vector_bits" in module.attributes:
        bits = ir.IntegerAttr(module.attributes["hlox.cpu_vector_bits"]).value
        if bits not in REGISTER_TILES:
            raise ValueError(f"hlox.cpu_vector_bits = {bits}: expected one of "
                             f"{sorted(REGISTER_TILES)}")
        return bits
    return host_vector_bits()


def host_vector_bits() -> int:
    from hlox.backends.cpu import llvm_c

    return 512 if "+avx512f" in llvm_c.host()["features"].split(",") else 256


MIN_FLOPS = 2 * 32 ** 3  # below this, packing costs more than it saves
# Each element of packed B serves M rows: with fewer (an RNN step's batch of
# 8), copying B costs more than it saves (and repeats in a loop body).
MIN_ROWS = 32


@dataclass
class Packed:
    kernel: ir.Operation  # the canonical generic C' += A' * B'
    mr: int  # register tile rows
    nr: int  # panel width
    sizes: dict  # "batch", "m", "n", "k": padded sizes of the kernel's loops
    # An implicit-GEMM convolution's kernel (None: the canonical GEMM): the
    # tile sizes of its task loops (scf.forall) and of its window loops.
    task_tiles: list[int] | None = None
    window_tiles: list[int] | None = None
    dot: str | None = None  # a bf16_dot kernel's kind (its "k": K pairs)


def plain_dims(map_attr) -> list[int] | None:
    """The loop dims an indexing map reads, one per result; None if a result
    is not a plain loop dim or a dim repeats (a diagonal)."""
    amap = ir.AffineMapAttr(map_attr).value
    dims = []
    for expr in amap.results:
        try:
            dims.append(ir.AffineDimExpr(expr).position)
        except ValueError:
            return None
    return dims if len(set(dims)) == len(dims) else None


def _used_dims(map_attr) -> set[int]:
    """The loop dims an indexing map reads (also through sums such as a
    convolution's ``h + kh``)."""
    amap = ir.AffineMapAttr(map_attr).value
    n = amap.n_dims
    used = set()
    for d in range(n):
        zeroed = ir.AffineMap.get(n, 0, [ir.AffineConstantExpr.get(0) if i == d
                                         else ir.AffineDimExpr.get(i) for i in range(n)])
        if any(e.compose(zeroed) != e for e in amap.results):
            used.add(d)
    return used


def _owner_op(value):
    """The body op defining ``value``, or None for a block argument."""
    if isinstance(value.owner, ir.Block):
        return None
    return value.owner


def _slice(value, body_ops) -> tuple[list, set[int]]:
    """The body ops computing ``value`` (in body order) and the block-argument
    numbers it reads."""
    needed, args, stack = set(), set(), [value]
    while stack:
        v = stack.pop()
        op = _owner_op(v)
        if op is None:
            if isinstance(v.owner, ir.Block):
                args.add(ir.BlockArgument(v).arg_number)
            continue
        key = body_ops.index(op) if op in body_ops else None
        if key is None or key in needed:
            continue  # defined outside the generic (a constant), or seen
        needed.add(key)
        stack.extend(op.operands)
    return [body_ops[i] for i in sorted(needed)], args


def _float_width(type_) -> int | None:
    name = str(type_)
    return {"f16": 16, "bf16": 16, "f32": 32, "f64": 64}.get(name)


@dataclass
class _Analysis:
    sides: tuple  # (A side, B side): (value, ops, input numbers, dims set)
    batch: list[int]
    m: list[int]
    n: list[int]
    k: list[int]
    acc: str


def analyze(op) -> _Analysis | None:
    """The batch/M/N/K split of a float contraction generic, or None."""
    if op.name != "linalg.generic" or len(op.results) != 1:
        return None
    n_in = len(op.operands) - 1
    types = [v.type for v in op.operands]
    if any(not isinstance(t, ir.RankedTensorType) or not t.has_static_shape for t in types):
        return None
    out_elt = str(types[-1].element_type)
    acc = ACCUMULATE.get(out_elt)
    if acc is None or n_in < 2:
        return None
    map_attrs = list(ir.ArrayAttr(op.attributes["indexing_maps"]))
    maps = [plain_dims(m) for m in map_attrs]
    n_loops = ir.AffineMapAttr(map_attrs[-1]).value.n_dims
    if maps[-1] is None or set(_loop_sizes(op)) != set(range(n_loops)):
        return None  # the output's map not a permutation, or a loop's size not known
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    reductions = {i for i, it in enumerate(iterators) if "reduction" in it}
    out_dims = set(maps[-1])
    if not reductions or reductions & out_dims or \
            out_dims | reductions != set(range(len(iterators))):
        return None
    block = op.regions[0].blocks[0]
    body = [o.operation for o in block.operations]
    terminator = body[-1]
    if terminator.name != "linalg.yield" or len(terminator.operands) != 1:
        return None
    add = _owner_op(terminator.operands[0])
    acc_arg = block.arguments[n_in]
    if add is None or add.name != "arith.addf":
        return None
    a0, a1 = add.operands
    product = a1 if a0 == acc_arg else a0 if a1 == acc_arg else None
    if product is None or len(list(acc_arg.uses)) != 1:
        return None
    mul = _owner_op(product)
    if mul is None or mul.name != "arith.mulf":
        return None
    sides = []
    for factor in mul.operands:
        ops, args = _slice(factor, body)
        if n_in in args:  # a factor reading the accumulator
            return None
        if _float_width(factor.type) is None or \
                _float_width(factor.type) > _float_width(ir.Type.parse(acc)):
            return None
        dims = set()
        for a in args:
            dims |= _used_dims(map_attrs[a])
        sides.append((factor, ops, args, dims))
    (_, _, _, da), (_, _, _, db) = sides
    batch = [d for d in maps[-1] if d in da and d in db]
    m = [d for d in maps[-1] if d in da and d not in db]
    n = [d for d in maps[-1] if d in db and d not in da]
    k = sorted(reductions)
    if len(batch) + len(m) + len(n) != len(out_dims) or \
            any(d not in da or d not in db for d in k):
        return None
    # The B side holds the output's contiguous dim, when one side does.
    if maps[-1] and maps[-1][-1] in m:
        sides = sides[::-1]
        m, n = n, m
    # K in the order of A's first input's layout (a convolution's window
    # dims, then channels): the im2col copy then runs along contiguous memory.
    first = min(sides[0][2])
    k.sort(key=lambda d: _first_result_reading(map_attrs[first], d))
    return _Analysis(tuple(sides), batch, m, n, k, acc)


def _first_result_reading(map_attr, dim: int) -> int:
    """The position of the first result of ``map_attr`` that reads loop ``dim``
    (past the end if none does)."""
    amap = ir.AffineMapAttr(map_attr).value
    for i, expr in enumerate(amap.results):
        if _used_dims(ir.AffineMapAttr.get(ir.AffineMap.get(amap.n_dims, 0, [expr]))) & {dim}:
            return i
    return len(amap.results)


def _size(shape_of, dims) -> int:
    return math.prod(shape_of[d] for d in dims)


def _map(num_dims: int, results: list[int]) -> ir.Attribute:
    return ir.AffineMapAttr.get(ir.AffineMap.get(
        num_dims, 0, [ir.AffineExpr.get_dim(d) for d in results]))


def _iterators(kinds: list[str]) -> ir.ArrayAttr:
    return ir.ArrayAttr.get([ir.Attribute.parse(f"#linalg.iterator_type<{k}>") for k in kinds])


def _generic(inputs, in_maps, init, out_map, kinds, body):
    """A linalg.generic; ``body(block_args)`` emits its ops and returns the yielded value."""
    op = linalg.GenericOp([init.type], inputs, [init], ir.ArrayAttr.get(in_maps + [out_map]),
                          _iterators(kinds))
    block = op.regions[0].blocks.append(
        *[ir.RankedTensorType(v.type).element_type for v in [*inputs, init]])
    with ir.InsertionPoint(block):
        linalg.YieldOp([body(list(block.arguments))])
    return op.results[0]


def _convert(value, to: ir.Type):
    if value.type == to:
        return value
    if _float_width(value.type) < _float_width(to):
        return arith.extf(to, value)
    return arith.truncf(to, value)


def _zeros(shape, elt):
    empty = tensor.EmptyOp(shape, elt).result
    zero = arith.ConstantOp(elt, 0.0).result
    return linalg.fill(zero, outs=[empty])


def _pack_side(op, side, order, acc_type, padded_shape, panel=None):
    """The side's factor evaluated over its dims in ``order`` (grouped as
    batch, rows, columns), converted to ``acc_type``, as [batch, rows, cols]
    zero-padded to ``padded_shape``. With ``panel = (n, width)`` (columns
    ``order[2] == [n]``, a multiple of ``width``): straight into column
    panels [batch, cols / width, rows, width] instead."""
    factor, ops, args, _ = side
    shape_of = _loop_sizes(op)
    if panel is not None:
        n, width = panel
        # Loops: batch..., panel, rows..., lane; n = panel * width + lane.
        order = [order[0], ["panel"], order[1], ["lane"]]
        shape_of = dict(shape_of, panel=shape_of[n] // width, lane=width)
    loops = [d for group in order for d in group]
    map_attrs = list(ir.ArrayAttr(op.attributes["indexing_maps"]))
    position = {d: i for i, d in enumerate(loops)}
    args = sorted(args)
    inputs = [op.operands[a] for a in args]
    # Each input's map over the packing loops: the op's map composed with the
    # renumbering of its dims (those of the other side do not occur).
    def dim_expr(d):
        if d in position:
            return ir.AffineDimExpr.get(position[d])
        if panel is not None and d == panel[0]:
            return ir.AffineExpr.get_add(
                ir.AffineExpr.get_mul(ir.AffineDimExpr.get(position["panel"]),
                                      ir.AffineConstantExpr.get(panel[1])),
                ir.AffineDimExpr.get(position["lane"]))
        return ir.AffineConstantExpr.get(0)

    n_op_loops = ir.AffineMapAttr(map_attrs[-1]).value.n_dims
    renumber = ir.AffineMap.get(len(loops), 0, [dim_expr(d) for d in range(n_op_loops)])
    in_maps = [ir.AffineMapAttr.get(ir.AffineMap.get(len(loops), 0, [
        e.compose(renumber) for e in ir.AffineMapAttr(map_attrs[a]).value.results]))
        for a in args]
    kinds = ["parallel"] * len(loops)
    out = tensor.EmptyOp([shape_of[d] for d in loops], acc_type).result
    block = op.regions[0].blocks[0]

    def body(block_args):
        mapping = {block.arguments[a]: block_args[i] for i, a in enumerate(args)}
        for old in ops:
            new = old.clone()
            for i, operand in enumerate(new.operands):
                if operand in mapping:
                    new.operands[i] = mapping[operand]
            for r_old, r_new in zip(old.results, new.results):
                mapping[r_old] = r_new
        return _convert(mapping.get(factor, factor), acc_type)

    packed = _generic(inputs, in_maps, out, _map(len(loops), list(range(len(loops)))),
                      kinds, body)
    sizes = [_size(shape_of, group) for group in order]
    packed = _reshape(packed, _group_positions(order), sizes)
    return _pad(packed, sizes, padded_shape, acc_type)


def _group_positions(order):
    out, start = [], 0
    for group in order:
        out.append(list(range(start, start + len(group))))
        start += len(group)
    return out


def _reshape(value, groups, sizes):
    """``value``'s consecutive dim ``groups`` collapsed to one dim each, of
    ``sizes``; only the first group (batch) may be empty: a unit dim."""
    elt = ir.RankedTensorType(value.type).element_type
    nonempty = [g for g in groups if g]
    if any(len(g) != 1 for g in nonempty):
        value = tensor.CollapseShapeOp(
            ir.RankedTensorType.get([s for g, s in zip(groups, sizes) if g], elt), value,
            _reassociation(nonempty)).result
    if not groups[0]:
        rest = len(groups) - 1
        value = tensor.ExpandShapeOp(
            ir.RankedTensorType.get(sizes, elt), value,
            _reassociation([[0, 1]] + [[i + 1] for i in range(1, rest)]), [], sizes).result
    return value


def _reassociation(groups):
    i64 = ir.IntegerType.get_signless(64)
    return ir.ArrayAttr.get([ir.ArrayAttr.get([ir.IntegerAttr.get(i64, d) for d in g])
                             for g in groups])


def _pad(value, sizes, padded, elt):
    if list(sizes) == list(padded):
        return value
    dest = _zeros(padded, elt)
    rank = len(sizes)
    return tensor.InsertSliceOp(value, dest, [], [], [], [0] * rank, list(sizes),
                                [1] * rank).result


def _loop_sizes(op) -> dict[int, int]:
    """Loop dim -> size, from the operands whose map has it as a plain result."""
    sizes = {}
    for value, map_attr in zip(op.operands, ir.ArrayAttr(op.attributes["indexing_maps"])):
        amap = ir.AffineMapAttr(map_attr).value
        for expr, s in zip(amap.results, ir.RankedTensorType(value.type).shape):
            try:
                sizes[ir.AffineDimExpr(expr).position] = s
            except ValueError:
                pass
    return sizes


def _fill_constant(init):
    """The constant a fill-like init tensor holds, or None."""
    op = _owner_op(init)
    if op is None:
        return None
    if op.name == "linalg.fill":
        source = _owner_op(op.operands[0])
    elif op.name == "linalg.generic" and len(op.operands) == 1:
        yielded = op.regions[0].blocks[0].operations[0].operation
        if yielded.name != "linalg.yield":
            return None
        source = _owner_op(yielded.operands[0])
    else:
        return None
    if source is None or source.name != "arith.constant":
        return None
    attr = source.attributes["value"]
    return ir.FloatAttr(attr).value if isinstance(attr, ir.FloatAttr) else None


def pack(op, tag: str, tiles: dict, dot=None) -> Packed | None:
    """Rewrites contraction generic ``op`` into packing ops around a canonical
    kernel generic carrying attribute ``tag``, with register tiles ``tiles``
    (one entry of REGISTER_TILES); None (``op`` untouched) if it is not a
    contraction this handles. ``dot`` (a :class:`.bf16_dot.PairedK`), where
    it takes the factors and pays for the sizes: the operands packed for a
    dot-product kernel."""
    info = analyze(op)
    if info is None:
        return None
    shape_of = _loop_sizes(op)
    bt, mt, nt, kt = (_size(shape_of, g) for g in (info.batch, info.m, info.n, info.k))
    if 2 * bt * mt * nt * kt < MIN_FLOPS or nt < 8 or mt < MIN_ROWS:
        return None
    implicit = _pack_implicit_convolution(op, tag, info, shape_of, tiles)
    if implicit is not None:
        return implicit
    if dot is not None:
        sides = dot.sides(info.sides, info.acc) if dot.pays(bt, mt, nt, kt) else None
        if sides is None:
            dot = None
        else:
            info.sides = sides
    acc_type = ir.Type.parse(info.acc)
    # Operands in the accumulation type, or as the dot kernel takes them
    # (K padded to whole pairs or tiles).
    operand_type, k_multiple, lanes = (acc_type, 1, 8) if dot is None else \
        (dot.operand_type, dot.k_multiple, dot.lanes)
    kp = -(-kt // k_multiple) * k_multiple
    mr, nr = tiles[info.acc] if dot is None else dot.tile
    mr = min(mr, mt)
    if nt < nr:  # one panel as wide as N, rounded up to a vector
        nr = -(-nt // lanes) * lanes
    mp, np_ = -(-mt // mr) * mr, -(-nt // nr) * nr
    panels = np_ // nr
    out_type = ir.RankedTensorType(op.results[0].type)
    out_elt = out_type.element_type
    maps = [plain_dims(m) for m in ir.ArrayAttr(op.attributes["indexing_maps"])]
    with ir.InsertionPoint(op), op.location:
        a = _pack_side(op, info.sides[0], [info.batch, info.m, info.k], operand_type,
                       [bt, mp, kp])
        if len(info.n) == 1 and np_ == nt:  # B read straight into its panels
            b = _pack_side(op, info.sides[1], [info.batch, info.k, info.n], operand_type,
                           [bt, panels, kp, nr], panel=(info.n[0], nr))
        else:  # [batch, K, N'], then cut into panels
            b = _pack_side(op, info.sides[1], [info.batch, info.k, info.n], operand_type,
                           [bt, kp, np_])
            b = tensor.ExpandShapeOp(ir.RankedTensorType.get([bt, kp, panels, nr], operand_type),
                                     b, _reassociation([[0], [1], [2, 3]]), [],
                                     [bt, kp, panels, nr]).result
            panel_init = tensor.EmptyOp([bt, panels, kp, nr], operand_type).result
            b = _generic([b], [_map(4, [0, 2, 1, 3])], panel_init, _map(4, [0, 1, 2, 3]),
                         ["parallel"] * 4, lambda args: args[0])
        c_shape = [bt, mp, panels, nr]
        constant = _fill_constant(op.operands[-1])
        if constant is not None:
            empty = tensor.EmptyOp(c_shape, acc_type).result
            c = linalg.fill(arith.ConstantOp(acc_type, constant).result, outs=[empty])
        else:
            c = _init_from(op.operands[-1], maps[-1], info, shape_of, acc_type,
                           [bt, mp, np_])
            c = tensor.ExpandShapeOp(ir.RankedTensorType.get(c_shape, acc_type), c,
                                     _reassociation([[0], [1], [2, 3]]), [], c_shape).result
        if dot is not None:
            kernel = dot.kernel(a, b, c)
        else:
            # C'[b, m, p, r] += A'[b, m, k] * B'[b, p, k, r]; loops (b, m, p, r, k).
            kernel = linalg.GenericOp(
                [c.type], [a, b], [c],
                ir.ArrayAttr.get([_map(5, [0, 1, 4]), _map(5, [0, 2, 4, 3]),
                                  _map(5, [0, 1, 2, 3])]),
                _iterators(["parallel"] * 4 + ["reduction"]))
            block = kernel.regions[0].blocks.append(acc_type, acc_type, acc_type)
            with ir.InsertionPoint(block):
                x, y, z = block.arguments
                linalg.YieldOp([arith.addf(z, arith.mulf(x, y))])
        kernel.operation.attributes[tag] = ir.UnitAttr.get()
        c = tensor.CollapseShapeOp(ir.RankedTensorType.get([bt, mp, np_], acc_type),
                                   kernel.results[0], _reassociation([[0], [1], [2, 3]])).result
        if (mp, np_) != (mt, nt):
            c = tensor.ExtractSliceOp(ir.RankedTensorType.get([bt, mt, nt], acc_type), c,
                                      [], [], [], [0, 0, 0], [bt, mt, nt], [1, 1, 1]).result
        result = _unpack(c, info, shape_of, maps[-1], out_type, out_elt)
    op.results[0].replace_all_uses_with(result)
    op.erase()
    return Packed(kernel.operation, mr, nr,
                  {"batch": bt, "m": mp, "n": np_, "k": kp if dot is None else kp // 2},
                  dot=None if dot is None else dot.kind)


def _expand(value, groups_sizes, elt):
    """[batch, M, N] -> the loop dims of each group (an empty batch group: the unit dim dropped)."""
    full = [s for sizes in groups_sizes for s in sizes]
    if not groups_sizes[0]:
        shape = list(ir.RankedTensorType(value.type).shape)
        value = tensor.CollapseShapeOp(ir.RankedTensorType.get(shape[1:], elt), value,
                                       _reassociation([[0, 1], [2]])).result
        groups_sizes = groups_sizes[1:]
    if all(len(g) == 1 for g in groups_sizes):
        return value
    return tensor.ExpandShapeOp(ir.RankedTensorType.get(full, elt), value,
                                _reassociation(_group_positions(groups_sizes)), [],
                                full).result


def _unpack(c, info, shape_of, out_map, out_type, out_elt):
    """[batch, M, N] in the accumulation type -> the original result."""
    groups = [info.batch, info.m, info.n]
    loops = [d for g in groups for d in g]
    acc_type = ir.RankedTensorType(c.type).element_type
    c = _expand(c, [[shape_of[d] for d in g] for g in groups], acc_type)
    if out_map == loops and acc_type == out_elt:
        return c
    position = {d: i for i, d in enumerate(loops)}
    init = tensor.EmptyOp(list(out_type.shape), out_elt).result
    rank = len(loops)
    return _generic([c], [_map(rank, [position[d] for d in loops])], init,
                    _map(rank, [position[d] for d in out_map]), ["parallel"] * rank,
                    lambda args: _convert(args[0], out_elt))


def _init_from(init, out_map, info, shape_of, acc_type, padded):
    """The op's init tensor as [batch, M', N'] in the accumulation type."""
    groups = [info.batch, info.m, info.n]
    loops = [d for g in groups for d in g]
    position = {d: i for i, d in enumerate(loops)}
    rank = len(loops)
    empty = tensor.EmptyOp([shape_of[d] for d in loops], acc_type).result
    value = _generic([init], [_map(rank, [position[d] for d in out_map])], empty,
                     _map(rank, list(range(rank))), ["parallel"] * rank,
                     lambda args: _convert(args[0], acc_type))
    sizes = [_size(shape_of, g) for g in groups]
    value = _reshape(value, _group_positions(groups), sizes)
    return _pad(value, sizes, padded, acc_type)


def _window_pairs(op, info) -> dict | None:
    """For a convolution whose input (side A, read as is) indexes
    ``out_dim + window_dim`` or plain dims, with the channels (the last K
    dim) its contiguous dim: {window dim: output dim}; otherwise None."""
    _, ops, args, _ = info.sides[0]
    if ops or len(args) != 1:
        return None
    amap = ir.AffineMapAttr(list(ir.ArrayAttr(op.attributes["indexing_maps"]))[min(args)]).value
    pairs = {}
    for expr in amap.results:
        try:
            ir.AffineDimExpr(expr)
            continue
        except ValueError:
            pass
        try:
            add = ir.AffineAddExpr(expr)
            lhs, rhs = ir.AffineDimExpr(add.lhs).position, ir.AffineDimExpr(add.rhs).position
        except ValueError:
            return None  # strided or dilated: im2col
        out, window = (lhs, rhs) if lhs in info.m else (rhs, lhs)
        if out not in info.m or window not in info.k:
            return None
        pairs[window] = out
    try:
        channels = ir.AffineDimExpr(amap.results[-1]).position
    except ValueError:
        return None
    if not pairs or channels != info.k[-1]:
        return None
    return pairs


def _pack_implicit_convolution(op, tag, info, shape_of, tiles) -> Packed | None:
    """A stride-1 NHWC-style float convolution as an implicit GEMM: no im2col
    copy; the kernel reads the input where it is, one window offset (kh, kw)
    at a time, and the filter from column panels [N/NR, KH, KW, C, NR]:
    ``O[n, h, w, p, r] += X[n, h + kh, w + kw, c] * W'[p, kh, kw, c, r]``,
    one task per (n, h, panel), register tiles of MR consecutive w. None if
    ``op`` is not such a convolution (im2col then)."""
    out_type = ir.RankedTensorType(op.results[0].type)
    acc_type = ir.Type.parse(info.acc)
    maps = [plain_dims(m) for m in ir.ArrayAttr(op.attributes["indexing_maps"])]
    out_map = maps[-1]
    if info.batch or out_type.element_type != acc_type or len(info.n) != 1 or \
            out_map[-1] != info.n[0] or _window_pairs(op, info) is None:
        return None
    mr, nr = tiles[info.acc]
    width = shape_of[info.m[-1]] if info.m[-1] == out_map[-2] else 0
    mr = _largest_divisor_at_most(width, mr)
    nt = shape_of[info.n[0]]
    if nt < nr:
        nr = nt  # one panel (a whole number of vectors, or im2col)
    if mr < 4 or nt % nr or nr % 8:
        return None
    panels = nt // nr
    kt = _size(shape_of, info.k)
    # Kernel loops: the output's dims with N split into (panel, lane), then K.
    n_dim = info.n[0]
    loops = [d for d in out_map if d != n_dim] + ["panel", "lane"] + list(info.k)
    position = {d: i for i, d in enumerate(loops)}
    n_loops = len(loops)
    op_loops = ir.AffineMapAttr(list(ir.ArrayAttr(op.attributes["indexing_maps"]))[-1]).value.n_dims
    renumber = ir.AffineMap.get(n_loops, 0, [
        ir.AffineDimExpr.get(position[d]) if d in position else ir.AffineConstantExpr.get(0)
        for d in range(op_loops)])
    a_input = min(info.sides[0][2])
    a_map = ir.AffineMapAttr(list(ir.ArrayAttr(op.attributes["indexing_maps"]))[a_input]).value
    a_map = ir.AffineMap.get(n_loops, 0, [e.compose(renumber) for e in a_map.results])
    k_sizes = [shape_of[d] for d in info.k]
    out_shape = list(out_type.shape)
    c_shape = out_shape[:-1] + [panels, nr]
    with ir.InsertionPoint(op), op.location:
        b = _pack_side(op, info.sides[1], [[], info.k, info.n], acc_type, [1, panels, kt, nr],
                       panel=(n_dim, nr))
        b = tensor.CollapseShapeOp(ir.RankedTensorType.get([panels, kt, nr], acc_type), b,
                                   _reassociation([[0, 1], [2], [3]])).result
        b_shape = [panels] + k_sizes + [nr]
        b = tensor.ExpandShapeOp(ir.RankedTensorType.get(b_shape, acc_type), b,
                                 _reassociation([[0], list(range(1, 1 + len(k_sizes))),
                                                 [1 + len(k_sizes)]]), [], b_shape).result
        rank = len(out_shape)
        c = tensor.ExpandShapeOp(ir.RankedTensorType.get(c_shape, acc_type), op.operands[-1],
                                 _reassociation([[i] for i in range(rank - 1)]
                                                + [[rank - 1, rank]]), [], c_shape).result
        kinds = ["parallel"] * (rank + 1) + ["reduction"] * len(info.k)
        kernel = linalg.GenericOp(
            [c.type], [op.operands[a_input], b], [c],
            ir.ArrayAttr.get([ir.AffineMapAttr.get(a_map),
                              _map(n_loops, [position["panel"]] + [position[d] for d in info.k]
                                   + [position["lane"]]),
                              _map(n_loops, list(range(rank + 1)))]),
            _iterators(kinds))
        block = kernel.regions[0].blocks.append(acc_type, acc_type, acc_type)
        with ir.InsertionPoint(block):
            x, y, z = block.arguments
            linalg.YieldOp([arith.addf(z, arith.mulf(x, y))])
        kernel.operation.attributes[tag] = ir.UnitAttr.get()
        result = tensor.CollapseShapeOp(out_type, kernel.results[0],
                                        _reassociation([[i] for i in range(rank - 1)]
                                                       + [[rank - 1, rank]])).result
    op.results[0].replace_all_uses_with(result)
    op.erase()
    # Tasks: every output dim but the last M one (w) and the lane; window
    # loops: every K dim but the channels.
    task_tiles = [0 if d in (info.m[-1], "lane") or d in info.k else 1 for d in loops]
    window_tiles = [1 if d in info.k[:-1] else 0 for d in loops]
    return Packed(kernel.operation, mr, nr, {"batch": 1, "m": width, "n": nt,
                                             "k": shape_of[info.k[-1]]},
                  task_tiles, window_tiles)


def _largest_divisor_at_most(n: int, limit: int) -> int:
    return max((d for d in range(1, min(n, limit) + 1) if n % d == 0), default=1)
