"""libhlox_cpu_runtime.so's collectives, called through its C ABI from one
thread per partition (as generated code calls them), against NumPy references
(spmd_programs.py: left folds in the group's order, rounded at every step):
bit for bit, every dtype, 1/2/4/8 partitions; failures end in an error, not a hang."""

from __future__ import annotations

import ctypes
import threading
import time

import numpy as np
import pytest

import spmd_programs as sp

from hlox.backends.cpu import native_runtime as rt

SIZES = (1, 2, 4, 8)


def pointer(array: np.ndarray) -> int:
    return array.ctypes.data


def table(rows) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(rows, np.int64).reshape(len(rows), -1))


def each_partition(n, body):
    """Runs ``body(p)`` (which calls the C ABI) as partition p of n, on n threads;
    raises if a call returned nonzero."""
    lib = rt.library()

    def call(comm, p):
        lib.hlox_rt_bind(comm.handle, p)
        try:
            status = body(p)
        finally:
            lib.hlox_rt_bind(None, 0)
        if status:
            raise rt.CollectiveError(comm.error())
        lib.hlox_rt_finish(comm.handle, p)

    rt.run_partitions([call] * n)


def all_reduce(xs, reduction, groups, op_id=1):
    lib = rt.library()
    outs = [np.empty_like(x) for x in xs]
    g = table(groups)
    each_partition(len(xs), lambda p: lib.hlox_rt_all_reduce(
        op_id, rt.DTYPES[xs[p].dtype], rt.REDUCTIONS[reduction], pointer(xs[p]), pointer(outs[p]),
        xs[p].size, pointer(g), g.shape[0], g.shape[1]))
    return outs


def inputs(n, shape, element, seed=0):
    return sp._inputs(n, shape, sp.DTYPES[element], seed)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("element", list(sp.DTYPES))
def test_all_reduce_is_the_sequential_fold(n, element):
    # 1013 elements: the members' slices of the work are uneven.
    xs = inputs(n, (1013,), element, seed=n)
    for reduction in sp.reductions_for(element):
        for groups in ([list(range(n))], sp.halves(n), [list(range(n))[::-1]]):
            got = all_reduce(xs, reduction, groups)
            for g in groups:
                want = sp.fold([xs[p] for p in g], sp.REDUCTIONS[reduction][1])
                for p in g:
                    assert got[p].tobytes() == want.tobytes(), (reduction, groups, p)


def test_repeat_runs_are_bit_identical():
    xs = inputs(8, (4099,), "f32", seed=3)
    first = all_reduce(xs, "add", [list(range(8))])
    for _ in range(5):
        again = all_reduce(xs, "add", [list(range(8))])
        assert all(a.tobytes() == b.tobytes() for a, b in zip(first, again))


def test_max_min_follow_stablehlo_on_zeros_and_nan():
    xs = [np.float32([-0.0, 0.0, np.nan, 1.0, -0.0]), np.float32([0.0, -0.0, 1.0, np.nan, -0.0])]
    hi = all_reduce(xs, "maximum", [[0, 1]])[0]
    lo = all_reduce(xs, "minimum", [[0, 1]])[0]
    assert list(np.signbit(hi[[0, 1, 4]])) == [False, False, True]
    assert list(np.signbit(lo[[0, 1, 4]])) == [True, True, True]
    assert np.isnan(hi[2]) and np.isnan(hi[3]) and np.isnan(lo[2]) and np.isnan(lo[3])


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("element", ["f32", "bf16", "i8", "ui64", "i1", "complex<f64>"])
def test_gather_scatter_exchange_permute(n, element):
    lib = rt.library()
    for groups in ([list(range(n))], sp.halves(n)):
        k = len(groups[0])
        g = table(groups)
        for dim in (0, 1):
            # all_gather along dim of [2, 3]: outer = dims before, chunk = the rest.
            xs = inputs(n, (2, 3), element, seed=dim)
            shape = [2, 3]
            shape[dim] *= k
            outs = [np.empty(shape, xs[0].dtype) for _ in range(n)]
            outer, chunk = (1, xs[0].nbytes) if dim == 0 else (2, 3 * xs[0].itemsize)
            each_partition(n, lambda p: lib.hlox_rt_all_gather(
                2, pointer(xs[p]), pointer(outs[p]), outer, chunk, pointer(g), *g.shape))
            for group in groups:
                for p in group:
                    np.testing.assert_array_equal(outs[p], np.concatenate([xs[q] for q in group], dim))

            # reduce_scatter along dim of [2k, 3] / [3, 2k].
            shape = [2 * k, 3] if dim == 0 else [3, 2 * k]
            xs = inputs(n, shape, element, seed=4 + dim)
            out_shape = list(shape)
            out_shape[dim] //= k
            outs = [np.empty(out_shape, xs[0].dtype) for _ in range(n)]
            outer, inner = (1, 2 * 3) if dim == 0 else (3, 2)
            each_partition(n, lambda p: lib.hlox_rt_reduce_scatter(
                3, rt.DTYPES[xs[p].dtype], rt.REDUCTIONS["add"], pointer(xs[p]), pointer(outs[p]),
                outer, inner, pointer(g), *g.shape))
            for group in groups:
                total = sp.fold([xs[q] for q in group], sp.REDUCTIONS["add"][1])
                for i, p in enumerate(group):
                    assert outs[p].tobytes() == np.split(total, k, axis=dim)[i].tobytes()

            # all_to_all of [2, 3] with dim (times k) split, concatenated along each dim.
            for concat in (0, 1):
                shape = [2, 3]
                shape[dim] *= k
                xs = inputs(n, shape, element, seed=6)
                out_shape = list(shape)
                out_shape[dim] //= k
                out_shape[concat] *= k
                outs = [np.empty(out_shape, xs[0].dtype) for _ in range(n)]
                dims = np.asarray(shape, np.int64)
                each_partition(n, lambda p: lib.hlox_rt_all_to_all(
                    4, pointer(xs[p]), pointer(outs[p]), 2, pointer(dims), dim, concat,
                    xs[p].itemsize, pointer(g), *g.shape))
                for group in groups:
                    for i, p in enumerate(group):
                        want = np.concatenate([np.split(xs[q], k, axis=dim)[i] for q in group], concat)
                        np.testing.assert_array_equal(outs[p], want)

    for pairs in ([[p, (p + 1) % n] for p in range(n)], [[0, n - 1]]):
        xs = inputs(n, (2, 3), element, seed=7)
        outs = [np.full((2, 3), 1, xs[0].dtype) for _ in range(n)]
        pt = table(pairs)
        each_partition(n, lambda p: lib.hlox_rt_collective_permute(
            5, pointer(xs[p]), pointer(outs[p]), xs[p].nbytes, pointer(pt), pt.shape[0]))
        for p in range(n):
            sources = [s for s, t in pairs if t == p]
            np.testing.assert_array_equal(outs[p], xs[sources[0]] if sources else np.zeros_like(xs[p]))


def test_partition_id_is_the_bound_partition():
    lib = rt.library()
    seen = [None] * 4

    def body(p):
        seen[p] = lib.hlox_rt_partition_id()
        return 0

    each_partition(4, body)
    assert seen == [0, 1, 2, 3]
    assert lib.hlox_rt_partition_id() == 0  # an unbound thread: partition 0 of 1


# Failures: every partition returns, the first cause is raised.

def test_different_collectives_are_an_error():
    xs = inputs(2, (5,), "f32")
    lib = rt.library()
    outs = [np.empty_like(x) for x in xs]
    g = table([[0, 1]])
    with pytest.raises(rt.CollectiveError, match="different collectives.*#7.*#8|different collectives.*#8.*#7"):
        each_partition(2, lambda p: lib.hlox_rt_all_reduce(
            7 + p, 0, 0, pointer(xs[p]), pointer(outs[p]), 5, pointer(g), 1, 2))


def test_a_partition_that_returns_early_releases_the_others():
    xs = inputs(2, (5,), "f32")
    lib = rt.library()
    outs = [np.empty_like(x) for x in xs]
    g = table([[0, 1]])

    def body(p):
        if p == 0:
            return 0  # never reaches the all_reduce
        return lib.hlox_rt_all_reduce(3, 0, 0, pointer(xs[p]), pointer(outs[p]), 5, pointer(g), 1, 2)

    with pytest.raises(rt.CollectiveError, match="partition 0 returned.*all_reduce #3"):
        each_partition(2, body)


def test_a_failing_partition_releases_the_others():
    xs = inputs(4, (5,), "f32")
    lib = rt.library()
    outs = [np.empty_like(x) for x in xs]
    g = table([[0, 1, 2, 3]])

    def body(p):
        if p == 2:
            raise ValueError("bad input on partition 2")
        return lib.hlox_rt_all_reduce(3, 0, 0, pointer(xs[p]), pointer(outs[p]), 5, pointer(g), 1, 4)

    with pytest.raises(ValueError, match="bad input on partition 2"):
        each_partition(4, body)


def test_groups_outside_the_program_are_an_error():
    xs = inputs(2, (5,), "f32")
    lib = rt.library()
    outs = [np.empty_like(x) for x in xs]
    g = table([[0, 2]])
    with pytest.raises(rt.CollectiveError, match="all_reduce #1: its groups name partition 2, "
                                                 "but the program runs on 2"):
        each_partition(2, lambda p: lib.hlox_rt_all_reduce(
            1, 0, 0, pointer(xs[p]), pointer(outs[p]), 5, pointer(g), 1, 2))


def test_a_partition_that_never_comes_times_out():
    lib = rt.library()
    x = np.ones(3, np.float32)
    out = np.empty_like(x)
    g = table([[0, 1]])
    result = []
    with rt.Communicator(2, timeout_seconds=0.2) as comm:
        def waiter():
            lib.hlox_rt_bind(comm.handle, 0)
            result.append(lib.hlox_rt_all_reduce(1, 0, 0, pointer(x), pointer(out), 3,
                                                 pointer(g), 1, 2))
            lib.hlox_rt_bind(None, 0)

        thread = threading.Thread(target=waiter)
        start = time.monotonic()
        thread.start()
        thread.join(timeout=30)
        assert not thread.is_alive()
        assert result == [1]
        assert "timed out" in comm.error() and "partition(s) 1 never arrived" in comm.error()
        assert time.monotonic() - start < 30
