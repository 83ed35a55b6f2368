"""Cache blocks of the packed contraction kernel: which tasks share its work.

The kernel (see :mod:`.contraction_packing`) runs as tasks of the thread pool
over (batch, blocks of MC rows, groups of panels); inside a task each panel
of B is read once, down the whole K, by every register tile of the row block
(K blocks of ``KC``), so the task's A block (MC rows x K) is read again for
each panel and must stay in L2, while B streams from memory once per row
block. Memory traffic is then about ``|A| x groups + |B| x M / MC``: the row
block is the largest whose A block fits ``A_BLOCK_BYTES`` and still leaves
``MIN_TASKS`` tasks (64-row blocks of a 2048 x 2048 matmul read B from memory
32 times; with two threads that is more than this machine's bandwidth). Where
that leaves too few tasks (M of a few hundred rows: an MLP's batch), one
block holds every row (A read once per group, B once in all) and the tasks
split the panels instead; where all of A is too large for L2 there, the K
blocks go outside the panel loop, so that a K block of A is what L2 keeps
(and the task's C block, reread per K block).
"""

from __future__ import annotations

from dataclasses import dataclass

# An A block of MC rows x K (f32) read from L2 once per panel: half of a 2 MiB
# L2, leaving room for the B panel streaming through and C.
A_BLOCK_BYTES = 1 << 20
# Tasks per kernel: the pool splits the first dimension with more than one
# task into up to 4 x threads chunks (runtime/threads.cpp); 8 lets two
# threads balance when the OS runs one of them late.
MIN_TASKS = 8
# Row blocks no smaller (in rows) than this to get more tasks: smaller blocks
# read B more often than splitting the panels costs.
MIN_ROWS = 64
KC = 256  # K block: a 256 x 32 float32 B block (32 KiB) stays in L1


@dataclass
class Blocks:
    mc: int  # rows per task (a multiple of the register tile's)
    panels: int  # panels per task (a divisor of the panel count)
    kc: int  # K per block inside a task
    # The K blocks outside the task's panel loop (A's K block, not its whole
    # K, reused across the panels; C's block reread per K block, from L2).
    k_outer: bool = False


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def blocks(batch: int, m: int, panels: int, k: int, mr: int, element_bytes: int) -> Blocks:
    """The blocks of a kernel of ``batch`` x (``m`` rows, a multiple of
    ``mr``) x (``panels`` panels) with reduction size ``k``."""
    kc = max((d for d in _divisors(k) if d <= KC), default=k)
    if kc < 32:  # K has no good divisor (a prime, say): one K block
        kc = k
    tiles = m // mr  # register tiles of rows
    fits = [d for d in _divisors(tiles) if d * mr * k * element_bytes <= A_BLOCK_BYTES] or [1]
    groups = next((g for g in _divisors(panels) if g >= MIN_TASKS), panels)
    if batch > 1:  # the pool splits the batch (the first dim of more than one task)
        return Blocks(max(fits) * mr, panels, kc)
    if row_blocks := [d for d in fits if tiles // d >= MIN_TASKS and d * mr >= MIN_ROWS]:
        return Blocks(max(row_blocks) * mr, panels, kc)
    if tiles in fits:  # one row block: the tasks split the panels
        return Blocks(m, panels // groups, kc)
    if m * kc * element_bytes <= A_BLOCK_BYTES and groups > tiles // max(fits):
        # All of A too large for L2, its K blocks not: one row block, the
        # tasks split the panels (more tasks than MIN_ROWS blocks, and B is
        # read once instead of once per row block), K blocks outside.
        return Blocks(m, panels // groups, kc, k_outer=True)
    # A too large for few tasks: blocks of MIN_ROWS (fewer where A's K is long)
    return Blocks(max(d for d in fits if d * mr <= max(MIN_ROWS, mr)) * mr, panels, kc)
