"""bfloat16 contractions on bf16 dot-product instructions (for hlox-cpu-vectorize-contractions).

Two kinds of kernel take a contraction whose two factors are bf16 values
(accumulated in f32), both fed pairs of consecutive K elements:

- ``"amx"``: AMX-BF16's ``tdpbf16ps``, a 16 x 16 f32 tile += a 16 x 32 bf16
  tile times a 16 x (16 x 2) one (512 products an instruction); register
  tiles of 32 x 32 outputs (four C tiles, two A and two B tiles: AMX's
  eight tile registers), written by :mod:`.amx_tiles` after bufferization;
- ``"dot"``: AVX512-BF16's ``vdpbf16ps``, 16 f32 lanes += the two products
  of each lane's bf16 pair; 8 x 32 register tiles of
  ``x86vector.avx512.dot``, written here (:func:`vectorize_tiles`).

``"fma"`` is the f32 path (factors widened while packing, f32 FMAs).
Measured on this project's Xeon (Sapphire Rapids class): vdpbf16ps retires
about one a cycle where f32 FMAs retire three (a register-only loop: 0.7-1.0
G/s against 3.0-3.4 G/s), so it computes fewer products a second than the
FMA path (1024^3: 66 ms against 45); XLA's CPU bf16 dot runs YNNPACK's
AMX kernel (perf: ``ynn::dot_bf16_bf16_fp32_..._amxbf16``). The host gets
``"amx"`` where it has AMX-BF16 (and Linux grants the process its tile
state), for the contractions where it pays (:meth:`PairedK.pays`), and
``"fma"`` otherwise; ``"dot"`` only where a module pins it. float16 stays
on the f32 path: AVX512-FP16's FMAs accumulate in f16 (no f32-accumulating
dot), and this CPU has no AMX-FP16.

Packing (:class:`PairedK`, through :func:`contraction_packing.pack`):

- A' = [batch, M', K'] bf16, K' = K zero-padded to whole pairs (2; AMX: 32,
  a tile row);
- B' = [batch, N'/NR, K'/2, 2 NR] bf16, the VNNI layout: panel row ``k2``
  holds, for each of the NR columns, B[2 k2, n] then B[2 k2 + 1, n];
- ``C'[b, m, p, r] += A'[b, m, k2, j] * B'[b, p, k2, 2 r + j]`` (A' seen
  as [batch, M', K'/2, 2]), loops (b, m, p, r, k2, j): the kernel generic,
  tiled as the f32 kernel is (tasks of MC rows x one panel, K blocks,
  register tiles of MR rows; dot: k2 steps of one pair, C hoisted into
  vector registers across them; AMX: the whole K block, unrolled).

Numerics: both instructions treat bf16 denormal inputs as zero and flush
denormal f32 results (whatever MXCSR says), rounding to nearest even, as
XLA's CPU bf16 dot does (tests/python/backends/test_cpu_bf16_dot.py checks
them against it on denormals).

The module attribute ``hlox.cpu_bf16_kernel`` ("amx", "dot" or "fma") pins
the choice, for every bf16 contraction the kernel takes (the lit tests check
each path's IR on any host); a module pinning a kernel its host cannot run
is refused before it is compiled.
"""

from __future__ import annotations

import functools
import math

from mlir import ir
from mlir.dialects import arith, linalg, tensor, vector
from mlir.dialects.transform import interpreter

from hlox.backends.cpu.passes import contraction_packing

ATTRIBUTE = "hlox.cpu_bf16_kernel"
KERNELS = ("amx", "dot", "fma")
# The generic of one register tile, marked by the tiling script for
# vectorize_tiles (dot) or amx_tiles (AMX, after bufferization).
TILE = "hlox.bf16_dot_tile"
AMX_TILE = "hlox.bf16_amx_tile"
LANES = 16  # f32 lanes of a zmm register: one dot instruction's outputs
# Rows of an AMX kernel's task (the f32 kernel's 64 re-read all of B per 64
# rows: from L3 at 2048 x 2048, 256 MB of B a product; 256 rows: 64 MB, and
# a 256-row block of A up to K = 2048 (1 MB of bf16) still fits L2).
AMX_TASK_ROWS = 256
DOT_TASK_ROWS = 64  # vdpbf16ps kernels: the f32 kernels' blocks before contraction_blocks
K_BLOCK = 256  # a cache block of the packed kernel's K (pairs of bf16)
AMX_MIN_PRODUCTS = 128 ** 3  # see PairedK.pays


def _features() -> list[str]:
    from hlox.backends.cpu import llvm_c

    return llvm_c.host()["features"].split(",")


@functools.cache
def host_runs(kind: str) -> bool:
    """Whether this host (and process) can run ``kind``'s instructions."""
    if kind == "dot":
        return "+avx512bf16" in _features()
    if kind == "amx":
        from hlox.backends.cpu.passes import amx_tiles

        return {"+amx-bf16", "+amx-tile"} <= set(_features()) and \
            amx_tiles.request_tile_state()
    return True


def kernel(module: ir.Operation) -> str:
    """The bf16 contraction kernel of ``module``: its ``hlox.cpu_bf16_kernel``
    where set, else "amx" where the host runs it (and the module is not pinned
    to AVX2's vector width), else "fma"."""
    if ATTRIBUTE in module.attributes:
        kind = ir.StringAttr(module.attributes[ATTRIBUTE]).value
        if kind not in KERNELS:
            raise ValueError(f"{ATTRIBUTE} = {kind!r}: expected one of {', '.join(KERNELS)}")
        return kind
    if contraction_packing.vector_bits(module) == 512 and host_runs("amx"):
        return "amx"
    return "fma"


def check_host(module: ir.Operation) -> None:
    """Refuses (ValueError) a module whose bf16 kernel this host cannot run."""
    kind = kernel(module)
    if not host_runs(kind):
        what = {"amx": "AMX-BF16 (tdpbf16ps, with the process's tile state)",
                "dot": "AVX512-BF16 (vdpbf16ps)"}[kind]
        raise ValueError(f'{ATTRIBUTE} = "{kind}": this CPU has no {what}, so these bf16 '
                         f"kernels cannot run here")


def packing(module: ir.Operation) -> "PairedK | None":
    """The packing of ``module``'s bf16 contractions (None: the f32 kernel)."""
    kind = kernel(module)
    return None if kind == "fma" else PairedK(kind, pinned=ATTRIBUTE in module.attributes)


class PairedK:
    """The packing of :func:`contraction_packing.pack` for a dot-product
    kernel (``kind`` "dot" or "amx"): bf16 operands, K in pairs, B in VNNI
    panels."""

    operand_type = property(lambda self: ir.BF16Type.get())

    def __init__(self, kind: str, pinned: bool = False):
        self.kind, self.pinned = kind, pinned
        amx = kind == "amx"
        self.k_multiple = 32 if amx else 2  # K padded to whole pairs (AMX: tile rows)
        self.lanes = 32 if amx else LANES  # a panel: two 16-column B tiles, or dot outputs
        # rows x panel width: four 16 x 16 C tiles, or 16 zmm accumulators
        self.tile = (32, 32) if amx else (8, 32)

    def pays(self, batch: int, m: int, n: int, k: int) -> bool:
        """Whether this kernel pays for a batch x M x N x K contraction (always
        where pinned). AMX pads M, N and K to 32; measured here, the f32
        kernel was faster below 128^3 products (64^3: 16 us against 28) or
        where padding more than doubled them (33 x 1000 x 33: 179 us against
        260), AMX from 128^3 on (47 us against 66; 1024^3: 3x)."""
        if self.pinned or self.kind != "amx":
            return True
        products = batch * m * n * k
        padded = batch * math.prod(-(-x // 32) * 32 for x in (m, n, k))
        return products >= AMX_MIN_PRODUCTS and 2 * products >= padded

    @staticmethod
    def sides(sides, acc: str):
        """``contraction_packing``'s (factor, ops, inputs, dims) sides with each
        factor its bf16 value (its widening to f32 left out), or None where a
        factor is not a bf16 value."""
        if acc != "f32":
            return None
        out = []
        for factor, ops, args, dims in sides:
            if str(factor.type) != "bf16":
                widen = None if isinstance(factor.owner, ir.Block) else factor.owner
                if widen is None or widen.name != "arith.extf" or \
                        str(widen.operands[0].type) != "bf16":
                    return None
                factor, ops = widen.operands[0], [o for o in ops if o != widen]
            out.append((factor, ops, args, dims))
        return tuple(out)

    def kernel(self, a, b, c):
        """The kernel generic on A' [batch, M', K'] and B' [batch, panels, K', NR]
        (both bf16, K' even): B' is rearranged into its VNNI panels first."""
        bt, panels, kp, nr = ir.RankedTensorType(b.type).shape
        bf16, f32 = ir.BF16Type.get(), ir.F32Type.get()
        cp = contraction_packing
        pairs = tensor.ExpandShapeOp(ir.RankedTensorType.get([bt, panels, kp // 2, 2, nr], bf16),
                                     b, cp._reassociation([[0], [1], [2, 3], [4]]), [],
                                     [bt, panels, kp // 2, 2, nr]).result
        vnni_shape = [bt, panels, kp // 2, nr, 2]
        vnni = cp._generic([pairs], [cp._map(5, [0, 1, 2, 4, 3])],
                           tensor.EmptyOp(vnni_shape, bf16).result, cp._map(5, list(range(5))),
                           ["parallel"] * 5, lambda args: args[0])
        b = tensor.CollapseShapeOp(ir.RankedTensorType.get([bt, panels, kp // 2, 2 * nr], bf16),
                                   vnni, cp._reassociation([[0], [1], [2], [3, 4]])).result
        bt, mp, _ = ir.RankedTensorType(a.type).shape
        a = tensor.ExpandShapeOp(ir.RankedTensorType.get([bt, mp, kp // 2, 2], bf16), a,
                                 cp._reassociation([[0], [1], [2, 3]]), [],
                                 [bt, mp, kp // 2, 2]).result
        d = [ir.AffineDimExpr.get(i) for i in range(6)]  # b, m, p, r, k2, j
        lane = ir.AffineExpr.get_add(ir.AffineExpr.get_mul(d[3], ir.AffineConstantExpr.get(2)),
                                     d[5])
        maps = [[d[0], d[1], d[4], d[5]], [d[0], d[2], d[4], lane], [d[0], d[1], d[2], d[3]]]
        kernel = linalg.GenericOp(
            [c.type], [a, b], [c],
            ir.ArrayAttr.get([ir.AffineMapAttr.get(ir.AffineMap.get(6, 0, m)) for m in maps]),
            cp._iterators(["parallel"] * 4 + ["reduction"] * 2))
        block = kernel.regions[0].blocks.append(bf16, bf16, f32)
        with ir.InsertionPoint(block):
            x, y, z = block.arguments
            product = arith.mulf(arith.extf(f32, x), arith.extf(f32, y))
            linalg.YieldOp([arith.addf(z, product)])
        return kernel


# One task per (batch, MC rows, panel); with its unit dims folded, the block
# is (m, r, k2, j): K blocks of k2, then MR-row register tiles, k2 innermost.
# The register tiles are marked for vectorize_tiles (no vectorizer here).
_SCRIPT = """      %tiles, %forall = transform.structured.tile_using_forall %op tile_sizes [1, {mc}, 1, 0, 0, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
      transform.apply_patterns to %forall {{
        transform.apply_patterns.linalg.fold_unit_extent_dims_via_slices
        transform.apply_patterns.canonicalization
      }} : !transform.any_op
      %inner = transform.structured.match ops{{["linalg.generic"]}} in %forall
          : (!transform.any_op) -> !transform.any_op
      %cache, %l1 = transform.structured.tile_using_for %inner tile_sizes [0, 0, {kc}, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
{registers}"""

# dot: MR rows x one k2 pair.
_DOT_REGISTERS = """      %regs, %l2:2 = transform.structured.tile_using_for %cache tile_sizes [{mr}, 0, 1, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op)
      transform.annotate %regs "{tile}" : !transform.any_op
      transform.yield %forall, %l2#1 : !transform.any_op, !transform.any_op
"""

# AMX: MR rows x the whole K block (unrolled by amx_tiles: no tile crosses a loop).
_AMX_REGISTERS = """      %regs, %l2 = transform.structured.tile_using_for %cache tile_sizes [{mr}, 0, 0, 0]
          : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
      transform.annotate %regs "{tile}" : !transform.any_op
      transform.yield %forall, %l2 : !transform.any_op, !transform.any_op
"""


def script(kind: str, mc: int, kc: int, mr: int) -> str:
    """The foreach body tiling one ``kind`` kernel (``kc``: k2 pairs per K block)."""
    registers = (_AMX_REGISTERS.format(mr=mr, tile=AMX_TILE) if kind == "amx" else
                 _DOT_REGISTERS.format(mr=mr, tile=TILE))
    return _SCRIPT.format(mc=mc, kc=kc, registers=registers)


# The C tile out of each k2 loop (its slice, then its vectors): in registers
# across the loop, which then only loads A and B.
_HOIST = f"""
module attributes {{transform.with_named_sequence}} {{
  transform.named_sequence @__transform_main(%root: !transform.any_op {{transform.readonly}}) {{
    %loops = transform.structured.match attributes{{{TILE}}} in %root
        : (!transform.any_op) -> !transform.any_op
    transform.loop.hoist_loop_invariant_subsets %loops : !transform.any_op
    transform.yield
  }}
}}
"""


def marked(module: ir.Operation, attribute: str) -> list:
    """The ops of ``module`` carrying ``attribute``."""
    found = []
    module.walk(lambda op: (found.append(op.operation) if attribute in op.operation.attributes
                            else None, ir.WalkResult.ADVANCE)[1], ir.WalkOrder.PRE_ORDER)
    return found


def _fits(op) -> bool:
    """Whether ``op`` is a dot register tile: A [MR, 1, 2], B [1, 2 NR],
    C [MR, NR] tensors, NR whole dot outputs (else its loops compute it)."""
    shapes = [ir.RankedTensorType(v.type).shape if isinstance(v.type, ir.RankedTensorType)
              else None for v in op.operands]
    if len(shapes) != 3 or None in shapes or len(op.results) != 1:
        return False
    a, b, c = shapes
    return len(c) == 2 and a == [c[0], 1, 2] and b == [1, 2 * c[1]] and c[1] % LANES == 0


def vectorize_tiles(module: ir.Operation) -> None:
    """Every marked register tile (A [MR, 2] pairs, B [2 NR], C [MR, NR]) as
    dots, its C tile hoisted out of the k2 loop around it."""
    tiles = [op for op in marked(module, TILE) if _fits(op)]
    if not tiles:
        return
    for op in tiles:
        op.parent.attributes[TILE] = ir.UnitAttr.get()
        with ir.InsertionPoint(op), op.location:
            op.results[0].replace_all_uses_with(_dots(*op.operands, _entry_block(op)))
        op.erase()
    script = ir.Module.parse(_HOIST)
    interpreter.apply_named_sequence(module, script.body.operations[0], script)
    for loop in marked(module, TILE):
        del loop.attributes[TILE]


def _in_bounds(rank: int) -> ir.ArrayAttr:
    return ir.ArrayAttr.get([ir.BoolAttr.get(True)] * rank)


def _entry_block(op) -> ir.Block:
    """The entry block of the function holding ``op``."""
    while op.name != "func.func":
        op = op.parent
    return op.regions[0].blocks[0]


def _dots(a, b, c, entry: ir.Block):
    bf16, f32, i32 = ir.BF16Type.get(), ir.F32Type.get(), ir.IntegerType.get_signless(32)
    a_type = ir.RankedTensorType(a.type)
    rows, nr = ir.RankedTensorType(c.type).shape
    # Constants at the function's entry: C's transfers are then seen to be
    # loop-invariant (their indices and padding defined outside the loops).
    with ir.InsertionPoint.at_block_begin(entry):
        pad_bf16 = arith.ConstantOp(bf16, 0.0).result
        pad_f32 = arith.ConstantOp(f32, 0.0).result
        zero = arith.ConstantOp(ir.IndexType.get(), 0).result

    def index(i):
        if i == 0:
            return zero
        with ir.InsertionPoint.at_block_begin(entry):
            return arith.ConstantOp(ir.IndexType.get(), i).result
    inner = [0] * (a_type.rank - 1)  # A's (unit k2, j) dims after the row

    def read(source, indices, shape, pad):
        rank = ir.RankedTensorType(source.type).rank
        vtype = ir.VectorType.get(shape, ir.RankedTensorType(source.type).element_type)
        permutation = ir.AffineMapAttr.get(ir.AffineMap.get_minor_identity(rank, len(shape)))
        return vector.TransferReadOp(vtype, source, [index(i) for i in indices], permutation,
                                     pad, _in_bounds(len(shape))).result

    # A row's pair (k, k + 1) as one 32-bit word, broadcast to every lane.
    broadcasts = []
    for i in range(rows):
        pair = read(a, [i] + inner, [2], pad_bf16)
        word = vector.BitCastOp(ir.VectorType.get([1], i32), pair).result
        wide = vector.BroadcastOp(ir.VectorType.get([LANES], i32), word).result
        broadcasts.append(vector.BitCastOp(ir.VectorType.get([2 * LANES], bf16), wide).result)
    b_rank = ir.RankedTensorType(b.type).rank
    columns = [read(b, [0] * (b_rank - 1) + [2 * LANES * v], [2 * LANES], pad_bf16)
               for v in range(nr // LANES)]
    # C read and written whole (the loop's one subset, hoisted after it), a
    # row's 16-lane slices taken out of it for the dots.
    row_type = ir.VectorType.get([nr], f32)
    acc_type = ir.VectorType.get([LANES], f32)
    acc = read(c, [0, 0], [rows, nr], pad_f32)
    for i in range(rows):
        row = vector.ExtractOp(acc, [], [i]).result
        for v, column in enumerate(columns):
            part = vector.ExtractStridedSliceOp(acc_type, row, [LANES * v], [LANES], [1]).result
            dot = ir.Operation.create("x86vector.avx512.dot", results=[acc_type],
                                      operands=[part, broadcasts[i], column]).result
            row = vector.InsertStridedSliceOp(dot, row, [LANES * v], [1]).result
        acc = vector.InsertOp(row, acc, [], [i]).result
    at = ir.AffineMapAttr.get(ir.AffineMap.get_minor_identity(2, 2))
    c = vector.TransferWriteOp(c.type, acc, c, [index(0), index(0)], at, _in_bounds(2)).result
    return c
