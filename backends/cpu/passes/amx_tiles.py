"""hlox-cpu-amx-tiles (Python pass): the bf16 AMX register tiles as tile instructions.

hlox-cpu-vectorize-contractions leaves each register tile of an "amx" bf16
kernel (:mod:`.bf16_dot`) a marked ``linalg.generic``: C [32, 32] f32 +=
A [32, KC, 2] bf16 pairs times B [KC, 64] bf16 (VNNI: column n's pair at
2 n, 2 n + 1). After bufferization its operands are memref views, which
AMX's tile loads take; this pass writes it as four 16 x 16 C tiles loaded
once, then per 16 pairs of the K block two A tiles (16 rows x 32 bf16) and
two B tiles (16 pair rows x 16 columns x 2), four ``amx.tile_mulf``
(``tdpbf16ps``), and the C tiles stored: eight tile registers, unrolled over
the block, so that no tile value crosses a loop (LLVM configures the tiles
of straight-line code itself).

A generic of any other shape is left as it is (the loops lowering it
compute it, slowly).
"""

from __future__ import annotations

import ctypes
import platform

from mlir import ir
from mlir.dialects import arith, memref

from hlox.backends.cpu.passes import bf16_dot, contraction_packing
from hlox.passes.python_passes import register

ROWS = 16  # rows of every tile
PAIRS = 16  # K pairs of an A tile's row (64 bytes), and B tile rows


def request_tile_state() -> bool:
    """Asks Linux for this process's AMX tile data state (``arch_prctl
    ARCH_REQ_XCOMP_PERM``, XFEATURE_XTILEDATA), without which the first tile
    instruction kills the process; whether it was granted."""
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        return False
    sys_arch_prctl, arch_req_xcomp_perm, xfeature_xtiledata = 158, 0x1023, 18
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.syscall(sys_arch_prctl, arch_req_xcomp_perm, xfeature_xtiledata) == 0


def _segments(*sizes: int) -> ir.Attribute:
    """Operand group sizes (base, indices, [value,] no explicit stride)."""
    return ir.DenseI32ArrayAttr.get(list(sizes))


def _tile(shape: str) -> ir.Type:
    return ir.Type.parse(f"!amx.tile<{shape}>")


def _shape(value) -> list[int]:
    return list(ir.MemRefType(value.type).shape)


def _pairs_as_columns(a):
    """A's [rows, KC, 2] view as [rows, 2 KC] (its last two dims are contiguous)."""
    t = ir.MemRefType(a.type)
    rows, kc, _ = t.shape
    strides, offset = t.get_strides_and_offset()
    layout = ir.StridedLayoutAttr.get(offset, [strides[0], 1])
    result = ir.MemRefType.get([rows, 2 * kc], t.element_type, layout, t.memory_space)
    return memref.CollapseShapeOp(result, a, contraction_packing._reassociation([[0], [1, 2]])
                                  ).result


def _tiles(op) -> None:
    a, b, c = op.operands
    (rows, kc, _), (_, width), (_, cols) = _shape(a), _shape(b), _shape(c)
    constants = {}

    def index(i):
        if i not in constants:
            constants[i] = arith.ConstantOp(ir.IndexType.get(), i).result
        return constants[i]

    a = _pairs_as_columns(a)

    def load(base, row, col, shape):
        return ir.Operation.create("amx.tile_load", results=[_tile(shape)],
                                   operands=[base, index(row), index(col)],
                                   attributes={"operandSegmentSizes": _segments(1, 2, 0)}
                                   ).result

    c_rows, c_cols = range(0, rows, ROWS), range(0, cols, ROWS)
    acc = {(i, j): load(c, i, j, f"{ROWS}x{ROWS}xf32") for i in c_rows for j in c_cols}
    for k in range(0, kc, PAIRS):
        a_tiles = {i: load(a, i, 2 * k, f"{ROWS}x{2 * PAIRS}xbf16") for i in c_rows}
        b_tiles = {j: load(b, k, 2 * j, f"{PAIRS}x{2 * ROWS}xbf16") for j in c_cols}
        for (i, j), tile in acc.items():
            acc[i, j] = ir.Operation.create(
                "amx.tile_mulf", results=[tile.type],
                operands=[a_tiles[i], b_tiles[j], tile]).result
    for (i, j), tile in acc.items():
        ir.Operation.create("amx.tile_store", operands=[c, index(i), index(j), tile],
                            attributes={"operandSegmentSizes": _segments(1, 2, 1, 0)})
    op.erase()


def _fits(op) -> bool:
    """Whether ``op`` is a register tile of whole tiles on memrefs."""
    if len(op.operands) != 3 or op.results or \
            any(not isinstance(v.type, ir.MemRefType) for v in op.operands):
        return False
    (rows, kc, pair), (kb, width), (c_rows, cols) = (_shape(v) for v in op.operands)
    return pair == 2 and kb == kc and width == 2 * cols and c_rows == rows and \
        rows % ROWS == 0 and cols % ROWS == 0 and kc % PAIRS == 0


@register("hlox-cpu-amx-tiles",
          "the bf16 AMX kernels' register tiles (marked linalg.generics on "
          "memrefs) as AMX tile loads, tdpbf16ps and stores")
def amx_tiles(module: ir.Operation, pass_) -> None:
    for op in bf16_dot.marked(module, bf16_dot.AMX_TILE):
        if _fits(op):
            with ir.InsertionPoint(op), op.location:
                _tiles(op)
