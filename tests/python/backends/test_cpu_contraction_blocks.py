"""The cache blocks of the packed contraction kernel (contraction_blocks):
whole register tiles and panels, an A block within L2, enough tasks for the
pool, B read as few times as those allow. (Numbers: test_cpu_contractions.)"""

from __future__ import annotations

import itertools

import pytest

from hlox.backends.cpu.passes.contraction_blocks import A_BLOCK_BYTES, MIN_TASKS, blocks

SHAPES = list(itertools.product([1, 3, 8], [8, 40, 64, 256, 1024, 2048, 4096],
                                [1, 2, 17, 64, 128], [16, 100, 512, 2048, 8192]))


@pytest.mark.parametrize("mr,element_bytes", [(8, 4), (4, 4), (8, 8), (4, 8)])
def test_blocks_tile_the_kernel(mr, element_bytes):
    for batch, m, panels, k in SHAPES:
        b = blocks(batch, m, panels, k, mr, element_bytes)
        assert m % b.mc == 0 and b.mc % mr == 0 and panels % b.panels == 0 and k % b.kc == 0
        # The A block stays within L2 unless a single register tile is larger.
        assert b.mc == mr or b.mc * (b.kc if b.k_outer else k) * element_bytes <= A_BLOCK_BYTES
        assert not b.k_outer or (batch == 1 and b.mc == m)
        if batch > 1:  # the pool splits the batch: one task's rows, the largest block
            assert b.panels == panels
        elif m * k * element_bytes <= A_BLOCK_BYTES:  # all of A fits: enough tasks
            assert (m // b.mc) * (panels // b.panels) >= min(MIN_TASKS, panels)


def test_large_matmul_reads_b_in_few_row_blocks():
    # 2048 x 2048 float32: 128-row blocks (A block 1 MiB), 16 tasks.
    assert (blocks(1, 2048, 64, 2048, 8, 4).mc, blocks(1, 2048, 64, 2048, 8, 4).panels) == (128, 64)


def test_few_rows_split_the_panels():
    # An MLP layer of 256 rows, K = 1024, N = 4096: all rows in each of 8 tasks.
    b = blocks(1, 256, 128, 1024, 8, 4)
    assert (b.mc, b.panels, b.k_outer) == (256, 16, False)


def test_few_rows_of_a_long_k_split_the_panels_outside_k_blocks():
    # K = 4096: all of A (4 MiB) does not stay in L2, a 256-row K block does:
    # 8 tasks of 4 panels, K blocks outside (instead of 4 tasks of 64 rows,
    # each reading all of B).
    b = blocks(1, 256, 32, 4096, 8, 4)
    assert (b.mc, b.panels, b.kc, b.k_outer) == (256, 4, 256, True)
