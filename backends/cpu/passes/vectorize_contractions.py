"""hlox-cpu-vectorize-contractions (Python pass): packed, register-tiled contractions.

Float contractions of any layout, batch and element type (bf16/f16
accumulate in f32) are first put in one packed canonical form by
:mod:`.contraction_packing` (A in rows, B in contiguous column panels, C
accumulated in f32/f64); that kernel is tiled the way BLIS does: cache
blocks of C over the thread pool (``scf.forall``: batch x row blocks x groups
of column panels, sized by :mod:`.contraction_blocks`), a panel loop and a K
block loop inside, and register tiles of ``MR x NR`` outputs
kept in vector registers across the K block, each K step one broadcast of A
per row times the panel's row of B (``vector.fma``). What packing declines
(small, integer, complex, ...) goes through the plain path below.

Lowered naively, a matmul is three scalar loops that reload and store the
output element at every step of the reduction. This pass rewrites each
matmul-shaped ``linalg.generic`` (on tensors, before bufferization) the way
BLAS kernels are written:

1. cache tiles (``CACHE_TILE`` for M, N, K) keep the working set in L1/L2;
   the M x N tiles form an ``scf.forall`` (independent outputs: after
   bufferization ``scf-forall-to-parallel`` makes it an scf.parallel, which
   hlox-cpu-outline-loops runs on the thread pool), K a loop inside;
2. register tiles of outputs (``contraction_packing.REGISTER_TILES``: 8
   rows x 32 floats, sixteen AVX-512 accumulators; 4 x 16 with AVX2) with K
   stepped one at a time;
3. each register tile is vectorized into a ``vector.contract`` and lowered to
   outer products (a broadcast of A times a row of B, ``vector.fma``);
4. the accumulator's read/write is hoisted out of the K loop, so the inner
   loop only loads A and B.

It is driven by transform-dialect scripts applied with MLIR's transform
interpreter, one per distinct script (contractions of the same shape share
one: a ``transform.foreach`` over them). Sizes that do not divide a dimension
shrink to a divisor, so every tile is full and static (no masks). Anything
that is not a float ``C += A * B`` contraction with static shapes (integer
matmuls, convolutions, reductions) is left to the scalar path.
"""

from __future__ import annotations

from mlir import ir
from mlir.dialects.transform import interpreter

from hlox.backends.cpu.passes import bf16_dot, contraction_blocks, contraction_packing
from hlox.passes.python_passes import register

TAG = "hlox.vectorize_contraction"
PACKED_TAG = "hlox.packed_contraction"
CACHE_TILE = {"m": 64, "n": 256, "k": 256}
FLOAT_TYPES = ("f32", "f64")


def _largest_divisor(n: int, limit: int, multiple_of: int = 1) -> int:
    """The largest d <= limit dividing n (a multiple of ``multiple_of`` if one exists)."""
    best = 1
    for d in range(min(n, limit), 0, -1):
        if n % d == 0:
            if d % multiple_of == 0:
                return d
            best = max(best, d)
    return best


def _same_pair(values, x, y) -> bool:
    u, v = values
    return (u == x and v == y) or (u == y and v == x)


def _body_is_multiply_add(op) -> bool:
    """Whether the body is ``out + in0 * in1`` (either operand order)."""
    block = op.regions[0].blocks[0]
    if [o.operation.name for o in block.operations] != \
            ["arith.mulf", "arith.addf", "linalg.yield"]:
        return False
    mul, add, _ = [o.operation for o in block.operations]
    a, b, acc = block.arguments
    return _same_pair(mul.operands, a, b) and _same_pair(add.operands, mul.results[0], acc)


def contraction_tiles(op, tiles: dict) -> tuple[list[int], list[int], list[int]] | None:
    """(cache tile sizes, register tile sizes, loop interchange) for a
    matmul-shaped generic, in its loop order, with register tiles at most
    ``tiles`` (one entry of REGISTER_TILES); None if ``op`` is not one."""
    if op.name != "linalg.generic" or len(op.operands) != 3 or len(op.results) != 1:
        return None
    iterators = [str(a) for a in ir.ArrayAttr(op.attributes["iterator_types"])]
    reductions = [i for i, it in enumerate(iterators) if "reduction" in it]
    if len(iterators) != 3 or len(reductions) != 1:
        return None
    types = [v.type if isinstance(v.type, ir.RankedTensorType) else None
             for v in op.operands]
    if None in types or any(not t.has_static_shape for t in types):
        return None
    if any(str(t.element_type) != str(types[0].element_type) for t in types) or \
            str(types[0].element_type) not in FLOAT_TYPES:
        return None
    maps = [contraction_packing.plain_dims(m)
            for m in ir.ArrayAttr(op.attributes["indexing_maps"])]
    if None in maps or any(len(m) != 2 for m in maps) or not _body_is_multiply_add(op):
        return None
    a, b, c = maps
    (k,) = reductions
    if k not in a or k not in b or k in c:
        return None
    m, n = c  # output rows, output columns (the contiguous one)
    if m not in a or n not in b or m == n:
        return None
    out_shape = types[2].shape
    size = {m: out_shape[0], n: out_shape[1],
            k: types[0].shape[a.index(k)]}
    if min(size.values()) == 0:
        return None
    reg_m, reg_n = tiles[str(types[0].element_type)]
    reg = {m: _largest_divisor(size[m], reg_m), n: _largest_divisor(size[n], reg_n, 8), k: 1}
    cache = {m: _largest_divisor(size[m], CACHE_TILE["m"], reg[m]),
             n: _largest_divisor(size[n], CACHE_TILE["n"], reg[n]),
             k: _largest_divisor(size[k], CACHE_TILE["k"])}
    if cache[k] < 32:  # K has no good divisor (a prime, say): one K panel
        cache[k] = size[k]
    return [cache[d] for d in range(3)], [reg[d] for d in range(3)], [m, n, k]


# Each script below is the transformation of one contraction (%op, in the
# body of a ``transform.foreach`` over every contraction sharing the script,
# which yields the forall around it and its K loops). The function-wide
# pattern sets and hoisting run once after the loop, on every function
# holding one: run per contraction, they made the pass O(contractions x
# function size) (the GPT training step: 7 s).
_SCRIPT_FRAME = """
module attributes {{transform.with_named_sequence}} {{
  transform.named_sequence @__transform_main(%root: !transform.any_op {{transform.readonly}}) {{
    %ops = transform.structured.match attributes{{{tag}}} in %root
        : (!transform.any_op) -> !transform.any_op
    %foralls, %kloops = transform.foreach %ops : !transform.any_op
        -> !transform.any_op, !transform.any_op {{
    ^bb0(%op: !transform.any_op):
{body}    }}
    %func = transform.get_parent_op %foralls {{op_name = "func.func", deduplicate}}
        : (!transform.any_op) -> !transform.any_op
    transform.apply_patterns to %func {{
      transform.apply_patterns.vector.reduction_to_contract
      transform.apply_patterns.vector.transfer_permutation_patterns
      transform.apply_patterns.canonicalization
    }} : !transform.any_op
    transform.apply_patterns to %func {{
      transform.apply_patterns.vector.lower_contraction lowering_strategy = "outerproduct"
      transform.apply_patterns.vector.lower_outerproduct
      transform.apply_patterns.canonicalization
    }} : !transform.any_op
{hoist}    transform.yield
  }}
}}
"""

# The K loop of a register tile carries C in vector registers. (Only when it
# runs more than once: canonicalization folds a one-trip loop, and its
# handle with it.)
_HOIST = """    transform.loop.hoist_loop_invariant_subsets %kloops : !transform.any_op
"""

# The packed kernels' loops are found in the function (a one-task forall is
# folded away by the patterns, and its handle with it).
_HOIST_IN_FUNCTIONS = """    transform.foreach %func : !transform.any_op {
    ^bb0(%f: !transform.any_op):
      %loops = transform.structured.match ops{["scf.for"]} in %f
          : (!transform.any_op) -> !transform.any_op
      transform.loop.hoist_loop_invariant_subsets %loops : !transform.any_op
    }
"""

_SCRIPT = """      %tiles, %forall = transform.structured.tile_using_forall %op tile_sizes {cache_mn}
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
      %cache, %l1 = transform.structured.tile_using_for %tiles tile_sizes {cache_k}
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
      %regs, %l2:3 = transform.structured.tile_using_for %cache tile_sizes {reg}
          interchange = {order}
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op, !transform.any_op)
      transform.structured.vectorize %regs : !transform.any_op
      transform.yield %forall, %l2#2 : !transform.any_op, !transform.any_op
"""


def _run(module_op, tag: str, body: str, hoist: str) -> None:
    """Applies ``body`` to every op tagged ``tag``, then the function-wide steps."""
    script = _SCRIPT_FRAME.format(tag=tag, body=body, hoist=hoist)
    transform_module = ir.Module.parse(script)
    entry = transform_module.body.operations[0]
    try:
        interpreter.apply_named_sequence(module_op, entry, transform_module)
    except ValueError:
        # A transform that does not apply leaves valid IR (the group's
        # contractions from the failing one on untransformed, that one perhaps
        # tiled); the scalar path lowers them. Speed, not correctness.
        pass


def _script(tiles) -> tuple[str, str]:
    """(foreach body, hoisting) of a plain contraction."""
    cache, reg, order = tiles
    # The K loop (last in `order`) is innermost, so its accumulator hoists.
    hoist = _HOIST if cache[order[2]] > 1 else ""
    k = order[2]
    cache_mn = [0 if d == k else size for d, size in enumerate(cache)]
    cache_k = [size if d == k else 0 for d, size in enumerate(cache)]
    return _SCRIPT.format(cache_mn=cache_mn, cache_k=cache_k, reg=reg, order=order), hoist


# One task of the thread pool per (batch, block of MC rows, group of panels
# of NR columns; contraction_blocks): a loop over the task's panels, where
# it has several, then the unit batch and panel dims are folded away inside
# it, leaving a 2-D block that is tiled like a plain matmul (K blocks, then
# register tiles with K innermost, whose C tile is then hoisted into vector
# registers).
_PACKED_SCRIPT = """{fill}      %tiles, %forall = transform.structured.tile_using_forall %op tile_sizes [1, {mc}, {panels}, 0, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
{fuse_fill}{panel_loop}{inner}"""

# A C' that starts as a constant (a matmul's zeros) is filled by each task,
# block by block, just before its K loops read it (in cache), instead of by
# a pass over all of C' in memory before the kernel.
_FILL = """      %fill = transform.get_producer_of_operand %op[2] : (!transform.any_op) -> !transform.any_op
"""
_FUSE_FILL = """      %task_fill, %forall_f = transform.structured.fuse_into_containing_op %fill into %forall
          : (!transform.any_op, !transform.any_op) -> (!transform.any_op, !transform.any_op)
"""

# Where each task has B panels of its own (one row block), it packs them
# itself, into a buffer that stays in its cache for the kernel, instead of
# one copy of all of B through memory before the kernel. (The packing
# generic, or the one under the reshape adding a unit batch dim, which
# bubbling the task's slice up through the reshape lets it reach.)
_B_PACKING = """      %bpack = transform.get_producer_of_operand %op[1] : (!transform.any_op) -> !transform.any_op
"""
_B_PACKING_RESHAPED = """      %bshape = transform.get_producer_of_operand %op[1] : (!transform.any_op) -> !transform.any_op
      %bpack = transform.get_producer_of_operand %bshape[0] : (!transform.any_op) -> !transform.any_op
"""
_FUSE_B = """      transform.apply_patterns to %forall {
        transform.apply_patterns.tensor.bubble_up_extract_slice
      } : !transform.any_op
      %task_b, %forall_b = transform.structured.fuse_into_containing_op %bpack into %forall
          : (!transform.any_op, !transform.any_op) -> (!transform.any_op, !transform.any_op)
"""

_PANEL_LOOP = """      %panel, %pl = transform.structured.tile_using_for {target} tile_sizes [0, 0, 1, 0, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
"""

# K blocks around the panel loop (contraction_blocks.Blocks.k_outer); the
# K block loop of _PACKED_INNER then runs once.
_K_BLOCK_LOOP = """      %kblock, %kl = transform.structured.tile_using_for %tiles tile_sizes [0, 0, 0, 0, {kc}]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
"""

# The 2-D block left in %forall with its unit dims folded: K blocks, then
# register tiles.
_PACKED_INNER = """      transform.apply_patterns to %forall {{
        transform.apply_patterns.linalg.fold_unit_extent_dims_via_slices
        transform.apply_patterns.canonicalization
      }} : !transform.any_op
      %inner = transform.structured.match ops{{["linalg.generic"]}} in %forall
          : (!transform.any_op) -> !transform.any_op
      %cache, %l1 = transform.structured.tile_using_for %inner tile_sizes [0, 0, {kc}]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
      %regs, %l2:2 = transform.structured.tile_using_for %cache tile_sizes [{mr}, 0, 1]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
      transform.structured.vectorize %regs : !transform.any_op
{fuse_b}      transform.yield {forall}, %l2#1 : !transform.any_op, !transform.any_op
"""

# An implicit-GEMM convolution: one task per (n, h, panel), a loop per
# window offset (kh, kw) inside; with those unit dims folded away, the block
# left is the (w, lane, channels) matmul, tiled as above.
_CONVOLUTION_SCRIPT = """      %tiles, %forall = transform.structured.tile_using_forall %op tile_sizes {task_tiles}
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
      %window, %wl:{windows} = transform.structured.tile_using_for %tiles tile_sizes {window_tiles}
          : (!transform.any_op) -> (!transform.any_op{window_types})
"""


def _bf16_script(packed) -> str:
    """The foreach body of a bf16 dot-product kernel, with its own blocks
    (contraction_blocks models the f32 FMA kernels)."""
    sizes = packed.sizes
    rows = sizes["m"] // packed.mr
    if packed.dot == "amx":  # taller tasks; K blocks of whole tiles (16 pairs), unrolled
        mc = packed.mr * _largest_divisor(rows, bf16_dot.AMX_TASK_ROWS // packed.mr)
        return bf16_dot.script("amx", mc, _largest_divisor(sizes["k"], bf16_dot.K_BLOCK, 16),
                               packed.mr)
    mc = packed.mr * _largest_divisor(rows, max(1, bf16_dot.DOT_TASK_ROWS // packed.mr))
    kc = _largest_divisor(sizes["k"], bf16_dot.K_BLOCK)
    if kc < 32:
        kc = sizes["k"]
    return bf16_dot.script(packed.dot, mc, kc, packed.mr)


def _packed_script(packed) -> str:
    """The foreach body of a packed kernel."""
    sizes = packed.sizes
    if packed.dot:
        return _bf16_script(packed)
    element = ir.RankedTensorType(packed.kernel.results[0].type).element_type  # accumulated
    blocks = contraction_blocks.blocks(sizes["batch"], sizes["m"], sizes["n"] // packed.nr,
                                       sizes["k"], packed.mr, _float_bytes(element))
    if packed.task_tiles is None:
        b_packing = _b_packing(packed.kernel) if blocks.mc == sizes["m"] else ""
        inner = _PACKED_INNER.format(kc=blocks.kc, mr=packed.mr, fuse_b=_FUSE_B if b_packing else "",
                                     forall="%forall_b" if b_packing else "%forall")
        panel_loop = _K_BLOCK_LOOP.format(kc=blocks.kc) if blocks.k_outer else ""
        if blocks.panels > 1:
            panel_loop += _PANEL_LOOP.format(target="%kblock" if blocks.k_outer else "%tiles")
        init = packed.kernel.operands[2].owner
        filled = not isinstance(init, ir.Block) and init.operation.name == "linalg.fill"
        return b_packing + _PACKED_SCRIPT.format(
            mc=blocks.mc, panels=blocks.panels, panel_loop=panel_loop, inner=inner,
            fill=_FILL if filled else "", fuse_fill=_FUSE_FILL if filled else "")
    inner = _PACKED_INNER.format(kc=blocks.kc, mr=packed.mr, fuse_b="", forall="%forall")
    windows = sum(1 for t in packed.window_tiles if t)
    return _CONVOLUTION_SCRIPT.format(
        task_tiles=packed.task_tiles, window_tiles=packed.window_tiles,
        windows=windows, window_types=", !transform.any_op" * windows) + inner


def _b_packing(kernel) -> str:
    """The lines finding the generic that packs the kernel's B (``%bpack``),
    or "" where B' is not made by one."""
    owner = kernel.operands[1].owner
    if isinstance(owner, ir.Block):
        return ""
    if owner.operation.name == "tensor.expand_shape":
        source = owner.operation.operands[0].owner
        if not isinstance(source, ir.Block) and source.operation.name == "linalg.generic":
            return _B_PACKING_RESHAPED
    return _B_PACKING if owner.operation.name == "linalg.generic" else ""


def _float_bytes(element: ir.Type) -> int:
    return {"f32": 4, "f64": 8}[str(element)]


@register("hlox-cpu-vectorize-contractions",
          "tile matmul-shaped linalg.generics (cache + register tiles) and "
          "vectorize them into outer-product FMAs")
def vectorize_contractions(module: ir.Operation, pass_) -> None:
    # Tag every candidate first: a script rewrites the IR around its op, so
    # Python handles to other ops would not survive it; tags do.
    tiles = contraction_packing.REGISTER_TILES[contraction_packing.vector_bits(module)]
    generics = []
    module.walk(lambda op: (generics.append(op.operation)
                            if op.operation.name == "linalg.generic" else None,
                            ir.WalkResult.ADVANCE)[1], ir.WalkOrder.PRE_ORDER)
    # Contractions whose scripts are equal share one tag, so one application
    # transforms them all (script text -> tag).
    packed: dict[str, str] = {}
    dot = bf16_dot.packing(module)
    for op in generics:
        kernel = contraction_packing.pack(op, PACKED_TAG, tiles, dot)
        if kernel is not None:
            del kernel.kernel.attributes[PACKED_TAG]
            tag = packed.setdefault(_packed_script(kernel), f"{PACKED_TAG}_{len(packed)}")
            kernel.kernel.attributes[tag] = ir.UnitAttr.get()
    plain: dict[tuple[str, str], str] = {}

    def visit(op):
        op = op.operation
        if op.name == "linalg.generic":
            sizes = contraction_tiles(op, tiles)
            if sizes is not None:
                tag = plain.setdefault(_script(sizes), f"{TAG}_{len(plain)}")
                op.attributes[tag] = ir.UnitAttr.get()
        return ir.WalkResult.ADVANCE

    module.walk(visit, ir.WalkOrder.PRE_ORDER)
    for (body, hoist), tag in plain.items():
        _run(module, tag, body, hoist)
    for body, tag in packed.items():
        _run(module, tag, body, _HOIST_IN_FUNCTIONS)
    bf16_dot.vectorize_tiles(module)
