"""The cpu backend's temporaries: packed by liveness into one arena
(hlox-cpu-pack-allocations), and reported by ``Compiled.memory_analysis()``.

The bytes are checked against the program's own bufferized IR (the allocs
before packing), the results against numpy.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import hlox
import hlox.numpy as hnp

BUFFERIZED_STAGE = "buffer-deallocation-pipeline"
DTYPE_BYTES = {"f32": 4, "f64": 8, "i32": 4, "i64": 8, "i8": 1, "i1": 1}


def alloc_bytes(text: str) -> list[int]:
    """Static sizes of the memref.allocs in ``text`` (one IR stage)."""
    sizes = []
    for dims, dtype in re.findall(r"memref\.alloc\(\)(?: \{[^}]*\})? : memref<((?:\d+x)*)(\w+)>", text):
        count = int(np.prod([int(d) for d in dims.split("x") if d], dtype=np.int64))
        sizes.append(count * DTYPE_BYTES[dtype])
    return sizes


def chain(x, w):
    # Each product must exist in memory before the next reads it; the first is
    # dead once the second is made, so the third can take its bytes.
    t1 = x @ w
    t2 = t1 @ w
    t3 = t2 @ w
    return t3 @ w


@pytest.mark.parametrize("n", [64, 96])
def test_temporaries_live_at_different_times_share_bytes(n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal((n, n), dtype=np.float32)
    w = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
    compiled = hlox.jit(chain).lower(x, w).compile()
    np.testing.assert_allclose(np.asarray(compiled(x, w)), ((x @ w) @ w @ w) @ w,
                               rtol=1e-4, atol=1e-4)
    before = alloc_bytes(compiled.as_text(BUFFERIZED_STAGE))
    stats = compiled.memory_analysis()
    assert stats.argument_size_in_bytes == x.nbytes + w.nbytes
    assert stats.output_size_in_bytes == x.nbytes
    assert stats.dynamic_temporaries == 0
    # Not more than every temporary at once; less, since t1 and t3 share.
    assert max(before) <= stats.temp_size_in_bytes < sum(before)
    assert stats.generated_code_size_in_bytes > 0


def test_memory_analysis_of_a_program_without_temporaries():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    stats = hlox.jit(lambda x: x * 2).lower(x).compile().memory_analysis()
    assert (stats.argument_size_in_bytes, stats.output_size_in_bytes) == (48, 48)
    assert stats.temp_size_in_bytes == 0


def test_repeated_calls_reuse_the_arena_correctly():
    """The arena's bytes are reused within a call and allocated per call: results
    of successive calls (and of the same call's differently-sized temporaries)
    stay independent."""
    def f(x):
        a = hnp.sort(x, axis=-1)
        b = hnp.cumsum(a, axis=-1)
        c = hnp.sort(-b, axis=-1)
        return c[:, :3], a[:, -1]
    fn = hlox.jit(f)
    rng = np.random.default_rng(0)
    for shape in [(4, 50), (4, 50), (7, 33)]:
        x = rng.standard_normal(shape).astype(np.float32)
        got_c, got_a = fn(x)
        a = np.sort(x, axis=-1)
        np.testing.assert_allclose(np.asarray(got_c), np.sort(-np.cumsum(a, -1), -1)[:, :3],
                                   rtol=1e-5, atol=1e-5)
        np.testing.assert_array_equal(np.asarray(got_a), a[:, -1])


def test_large_arenas_recycled_across_calls_and_threads_stay_independent():
    """Arenas of at least 1 MiB come back to the runtime's pool (memory.cpp) and
    serve the next call, of this or another executable: calls alternating
    between programs of different arena sizes, and the same calls on four
    threads at once (each block handed to one call at a time), all give
    numpy's results, although their temporaries start as another call's data."""
    import threading

    rng = np.random.default_rng(1)
    programs = []
    for n in (384, 512):
        x = rng.standard_normal((n, n), dtype=np.float32)
        w = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
        compiled = hlox.jit(chain).lower(x, w).compile()
        # pooled: at least memory.cpp's kPooledBytes
        assert compiled.memory_analysis().temp_size_in_bytes >= 1 << 20
        programs.append((compiled, x, w, ((x @ w) @ w @ w) @ w))

    def check(compiled, x, w, expected, scale):
        got = np.asarray(compiled(x * scale, w))
        np.testing.assert_allclose(got, expected * scale, rtol=1e-4, atol=1e-4 * scale)

    for step in range(6):
        check(*programs[step % 2], scale=1.0 + step)
    failures = []

    def worker(index):
        try:
            for step in range(4):
                check(*programs[(index + step) % 2], scale=1.0 + index + step)
        except AssertionError as error:
            failures.append(error)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[0]


def test_large_results_come_back_to_the_pool_only_when_no_view_is_left():
    """Results of at least result_pool.MIN_BYTES are recycled blocks: a block is
    reused once every view of the previous result is gone, never before."""
    from hlox.backends.cpu import result_pool

    n = result_pool.MIN_BYTES // 4 + 8  # float32 elements: just above the threshold
    x = np.linspace(-1, 1, n, dtype=np.float32)
    f = hlox.jit(lambda x: x * 2.0 + 1.0)
    first = np.asarray(f(x))
    address = first.ctypes.data
    kept = first[::3]  # a derived view keeps the block
    del first
    second = np.asarray(f(-x))
    assert second.ctypes.data != address
    np.testing.assert_array_equal(kept, (x * 2.0 + 1.0)[::3])
    np.testing.assert_array_equal(second, -x * 2.0 + 1.0)
    del kept
    third = np.asarray(f(x))  # the first block is free again: same bytes reused
    assert third.ctypes.data == address
    np.testing.assert_array_equal(third, x * 2.0 + 1.0)
    np.testing.assert_array_equal(second, -x * 2.0 + 1.0)


def while_region(text: str) -> str:
    """The first scf.while in ``text`` (one IR stage): its lines up to its closing brace."""
    lines = text[text.rindex("\n", 0, text.index("scf.while")) + 1:].splitlines()
    indent = len(lines[0]) - len(lines[0].lstrip())
    closing = next(i for i, line in enumerate(lines[1:], 1)
                   if line.startswith(" " * indent + "}") and not line.endswith("{"))
    return "\n".join(lines[:closing + 1])


@pytest.mark.parametrize("batch,width", [(8, 64), (3, 40)])
def test_rnn_scan_allocates_and_copies_nothing_per_step(batch, width):
    rng = np.random.default_rng(width)
    steps = 20
    h0 = rng.standard_normal((batch, width), dtype=np.float32)
    xs = rng.standard_normal((steps, batch, width), dtype=np.float32)
    w, u = ((rng.standard_normal((width, width)) / np.sqrt(width)).astype(np.float32)
            for _ in range(2))

    def rnn(h0, xs, w, u):
        def cell(h, x):
            h = hnp.tanh(h @ w + x @ u)
            return h, h.sum()
        return hlox.lax.scan(cell, h0, xs)

    compiled = hlox.jit(rnn).lower(h0, xs, w, u).compile()
    h, sums = compiled(h0, xs, w, u)
    want, want_sums = h0, []
    for x in xs:
        want = np.tanh(want @ w + x @ u)
        want_sums.append(want.sum())
    np.testing.assert_allclose(np.asarray(h), want, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.asarray(sums), want_sums, rtol=1e-4, atol=1e-3)
    # The state stays in one buffer (no copy in the condition region), the
    # matmuls' accumulators are allocated before the loop, the counter is an i32.
    loop = while_region(compiled.as_text("hlox-cpu-pack-allocations"))
    assert "memref.alloc" not in loop and "memref.dealloc" not in loop
    assert not re.search(r"memref\.copy %arg\d+,", loop)
    assert re.search(r"scf\.while \(%\w+ = %\w+\) : \(i32\) -> i32", loop)
