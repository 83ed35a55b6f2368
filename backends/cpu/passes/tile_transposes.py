"""hlox-cpu-tile-transposes (Python pass): transposing copies in cache-sized tiles.

An elementwise ``linalg.generic`` whose input's contiguous dim is not the
output's (a transpose, or the im2col copy packing a convolution's filter
gradient: ``P[kh, kw, c, n, y, x] = X[n, y + kh, x + kw, c]``) lowers to
loops that write the output contiguously and read the input at a stride: each
element read is a cache line of its own, and by the time the loop comes back
to that line's other elements it has been evicted. (The convnet training
step spent over half its time in four such copies.) This pass tiles the two
dims into ``TILE x TILE`` blocks (an ``scf.forall`` over the blocks, which
hlox-cpu-outline-loops runs on the thread pool): a block reads ``TILE`` cache
lines and writes ``TILE``, all reused from L1. Any other dim is tiled by 1.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects.transform import interpreter

from hlox.passes.python_passes import register

TAG = "hlox.tile_transpose"
TILE_BYTES = 64  # one cache line: a tile is TILE lines read and TILE written
MIN_TILE = 8  # a dim without a divisor this large is left alone
MIN_ELEMENTS = 1 << 15  # smaller copies stay in L1/L2 anyway

_SCRIPT = """
module attributes {{transform.with_named_sequence}} {{
  transform.named_sequence @__transform_main(%root: !transform.any_op {{transform.readonly}}) {{
    %ops = transform.structured.match attributes{{{tag}}} in %root
        : (!transform.any_op) -> !transform.any_op
    transform.foreach %ops : !transform.any_op {{
    ^bb0(%op: !transform.any_op):
      %tiles, %forall = transform.structured.tile_using_forall %op tile_sizes {sizes}
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    }}
    transform.yield
  }}
}}
"""


def _dim(expr) -> int | None:
    try:
        return ir.AffineDimExpr(expr).position
    except ValueError:
        return None


def _reads(amap, dim: int) -> bool:
    """Whether a result of ``amap`` depends on loop ``dim`` (also through sums)."""
    n = amap.n_dims
    zeroed = ir.AffineMap.get(n, 0, [ir.AffineConstantExpr.get(0) if d == dim
                                     else ir.AffineDimExpr.get(d) for d in range(n)])
    return any(e.compose(zeroed) != e for e in amap.results)


def _largest_divisor(n: int, limit: int) -> int:
    return max(d for d in range(1, min(n, limit) + 1) if n % d == 0)


def tile_sizes(op) -> list[int] | None:
    """The forall tile sizes of a transposing elementwise generic (1 for every
    dim but the input's and the output's contiguous ones), or None."""
    if op.name != "linalg.generic" or len(op.results) != 1:
        return None
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    if any("parallel" not in it for it in iterators):
        return None
    types = [v.type for v in op.operands]
    if any(not isinstance(t, ir.RankedTensorType) or not t.has_static_shape for t in types):
        return None
    maps = [ir.AffineMapAttr(m).value for m in ir.ArrayAttr(op.attributes["indexing_maps"])]
    out_map, out_type = maps[-1], ir.RankedTensorType(types[-1])
    if not out_map.results or any(_dim(e) is None for e in out_map.results):
        return None
    inner_out = _dim(out_map.results[-1])
    size = {_dim(e): s for e, s in zip(out_map.results, out_type.shape)}
    if len(size) != len(iterators) or out_type.rank == 0:
        return None
    bits = getattr(out_type.element_type, "width", 64)  # index: 64 bits
    tile = TILE_BYTES * 8 // max(8, bits)
    for amap, t in zip(maps[:-1], types[:-1]):
        t = ir.RankedTensorType(t)
        if not amap.results or t.rank == 0:
            continue
        inner_in = _dim(amap.results[-1])
        if inner_in is None or inner_in == inner_out or not _reads(amap, inner_out):
            continue  # contiguous (or broadcast) along the output's rows
        if _elements(t) < MIN_ELEMENTS:
            continue
        sizes = [1] * len(iterators)
        for d in (inner_in, inner_out):
            sizes[d] = _largest_divisor(size[d], tile)
            if sizes[d] < MIN_TILE:
                return None
        return sizes
    return None


def _elements(t) -> int:
    n = 1
    for s in t.shape:
        n *= s
    return n


@register("hlox-cpu-tile-transposes",
          "tile elementwise linalg.generics that read their input across its "
          "contiguous dim (transposes, im2col copies) into cache-line blocks")
def tile_transposes(module: ir.Operation, pass_) -> None:
    # Tag first (one tag per distinct tile sizes): a script rewrites the IR
    # around its op, so Python handles to other ops would not survive it.
    tags: dict[str, str] = {}

    def visit(op):
        op = op.operation
        sizes = tile_sizes(op)
        if sizes is not None:
            tag = tags.setdefault(str(sizes), f"{TAG}_{len(tags)}")
            op.attributes[tag] = ir.UnitAttr.get()
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)
    for sizes, tag in tags.items():
        script = ir.Module.parse(_SCRIPT.format(tag=tag, sizes=sizes))
        try:
            interpreter.apply_named_sequence(module, script.body.operations[0], script)
        except ValueError:
            pass  # left untiled (valid IR, the plain loops): speed, not correctness

    def untag(op):
        for tag in tags.values():
            if tag in op.operation.attributes:
                del op.operation.attributes[tag]
        return ir.WalkResult.ADVANCE

    if tags:
        module.walk(untag, ir.WalkOrder.PRE_ORDER)
