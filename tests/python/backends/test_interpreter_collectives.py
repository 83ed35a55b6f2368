"""The interpreter runs per-device (SPMD) programs: one thread per partition,
collectives as the StableHLO spec defines them, against NumPy references
(spmd_programs.py); a partition that fails or diverges raises instead of hanging."""

from __future__ import annotations

import numpy as np
import pytest

import spmd_programs as sp

from hlox.backends import interpreter
from hlox.backends.interpreter import CollectiveError, InterpreterError

SIZES = (1, 2, 4, 8)


def run(case: sp.Case):
    return interpreter.compile(case.text).execute_sharded(case.inputs)


def check(case: sp.Case, exact: bool = True):
    got = run(case)
    assert len(got) == len(case.expected)
    for p, (results, wanted) in enumerate(zip(got, case.expected)):
        assert len(results) == len(wanted)
        for r, w in zip(results, wanted):
            w = np.asarray(w)
            assert r.dtype == w.dtype and r.shape == w.shape, (p, r.dtype, r.shape, w.dtype, w.shape)
            if exact:  # bit for bit (NaN payloads aside: none arise here)
                np.testing.assert_array_equal(r, w, err_msg=f"partition {p}")
            else:
                np.testing.assert_allclose(r, w, rtol=1e-5, atol=1e-5, err_msg=f"partition {p}")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("element", list(sp.DTYPES))
def test_all_reduce_every_dtype_and_body(n, element):
    for reduction in sp.reductions_for(element):
        check(sp.all_reduce(n, element, reduction))
    check(sp.all_reduce(n, element, "add", groups=sp.halves(n)))


@pytest.mark.parametrize("n", SIZES)
def test_all_reduce_any_body_folds_in_group_order(n):
    check(sp.all_reduce_any_body(n))


@pytest.mark.parametrize("n", SIZES)
def test_all_reduce_variadic_in_groups(n):
    check(sp.all_reduce_variadic(n))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("element", ["f32", "bf16", "i8", "ui64", "i1", "complex<f64>"])
def test_gather_scatter_exchange(n, element):
    for dim in (0, 1):
        check(sp.all_gather(n, element, dim))
        check(sp.reduce_scatter(n, element, dim))
        check(sp.all_to_all(n, element, split=dim, concat=1 - dim))
        check(sp.all_to_all(n, element, split=dim, concat=dim))
    check(sp.all_gather(n, element, groups=sp.halves(n)))
    check(sp.reduce_scatter(n, element, groups=sp.halves(n)))
    check(sp.all_to_all(n, element, groups=sp.halves(n)))
    check(sp.collective_permute(n, element))
    check(sp.collective_permute(n, element, pairs=[[0, n - 1]]))
    check(sp.collective_broadcast(n, element))
    check(sp.collective_broadcast(n, element, groups=sp.halves(n)))


@pytest.mark.parametrize("n", SIZES)
def test_partition_id_and_a_data_parallel_step(n):
    check(sp.partition_id(n))
    check(sp.mean_of_shards(n), exact=False)


def test_groups_in_reverse_order_fold_in_that_order():
    """The spec's order is the group's: [[3, 2, 1, 0]] folds partition 3 first."""
    case = sp.all_reduce_any_body(4)
    text = case.text.replace("dense<[[0, 1, 2, 3]]>", "dense<[[3, 2, 1, 0]]>")
    want = sp.fold([case.inputs[p][0] for p in (3, 2, 1, 0)],
                   lambda a, b: np.minimum(a * np.float32(2) + b, np.float32(1e3)))
    for results in interpreter.compile(text).execute_sharded(case.inputs):
        np.testing.assert_array_equal(results[0], want)


def test_repeat_runs_are_bit_identical():
    case = sp.all_reduce(8, "f32")
    run_ = interpreter.compile(case.text)
    first = run_.execute_sharded(case.inputs)
    for _ in range(3):
        again = run_.execute_sharded(case.inputs)
        for a, b in zip(first, again):
            assert a[0].tobytes() == b[0].tobytes()


# The spec's process grid with replicas (module attributes R x P): which
# processes meet, in which order, for each strategy. Process (r, p) is argument r * P + p.

def _grid_module(replicas, partitions, attrs):
    """An all_reduce whose body (acc * 100 + x) shows who took part, in which order."""
    s = "tensor<i64>"
    return (f"module attributes {{mhlo.num_partitions = {partitions} : i32, "
            f"mhlo.num_replicas = {replicas} : i32}} {{\n"
            f"  func.func @main(%x: tensor<2xi64>) -> tensor<2xi64> {{\n"
            f'    %r = "stablehlo.all_reduce"(%x) <{{{attrs}}}> ({{\n'
            f"    ^bb0(%a: {s}, %b: {s}):\n"
            f"      %h = stablehlo.constant dense<100> : {s}\n"
            f"      %m = stablehlo.multiply %a, %h : {s}\n"
            f"      %y = stablehlo.add %m, %b : {s}\n"
            f"      stablehlo.return %y : {s}\n  }}) : (tensor<2xi64>) -> tensor<2xi64>\n"
            f"    return %r : tensor<2xi64>\n  }}\n}}\n")


@pytest.mark.parametrize("attrs,members", [
    # cross_replica: replica groups, within each partition
    ("replica_groups = dense<[[1, 0]]> : tensor<1x2xi64>",
     lambda r, p: [(1, p), (0, p)]),
    # cross_replica_and_partition: replica groups x every partition
    ("replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>, "
     "channel_handle = #stablehlo.channel_handle<handle = 1, type = 0>",
     lambda r, p: [(0, 0), (1, 0), (0, 1), (1, 1)]),
    # flattened_ids: r * P + p
    ("replica_groups = dense<[[0, 3], [2, 1]]> : tensor<2x2xi64>, "
     "channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, use_global_device_ids",
     lambda r, p: [(0, 0), (1, 1)] if r == p else [(1, 0), (0, 1)]),
], ids=["cross_replica", "cross_replica_and_partition", "flattened_ids"])
def test_process_groups_of_the_spec(attrs, members):
    xs = [np.arange(2, dtype=np.int64) + 10 * i + 1 for i in range(4)]
    got = interpreter.compile(_grid_module(2, 2, attrs)).execute_sharded([[x] for x in xs])
    for r in range(2):
        for p in range(2):
            want = sp.fold([xs[rr * 2 + pp] for rr, pp in members(r, p)], lambda a, b: a * 100 + b)
            np.testing.assert_array_equal(got[r * 2 + p][0], want)


def test_cross_partition_all_to_all_and_permute_keep_replicas_apart():
    text = """module attributes {mhlo.num_partitions = 2 : i32, mhlo.num_replicas = 2 : i32} {
  func.func @main(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>) {
    %a = "stablehlo.all_to_all"(%x) <{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>,
        concat_dimension = 0 : i64, replica_groups = dense<[[1, 0]]> : tensor<1x2xi64>,
        split_count = 2 : i64, split_dimension = 0 : i64}> : (tensor<4xi64>) -> tensor<4xi64>
    %b = "stablehlo.collective_permute"(%x) <{channel_handle = #stablehlo.channel_handle<handle = 2, type = 1>,
        source_target_pairs = dense<[[0, 1]]> : tensor<1x2xi64>}> : (tensor<4xi64>) -> tensor<4xi64>
    return %a, %b : tensor<4xi64>, tensor<4xi64>
  }
}
"""
    xs = [np.arange(4, dtype=np.int64) + 10 * i for i in range(4)]
    got = interpreter.compile(text).execute_sharded([[x] for x in xs])
    for r in range(2):
        group = [r * 2 + 1, r * 2 + 0]  # [[1, 0]] within replica r
        for i, me in enumerate(group):
            want = np.concatenate([np.split(xs[q], 2)[i] for q in group])
            np.testing.assert_array_equal(got[me][0], want)
        np.testing.assert_array_equal(got[r * 2 + 1][1], xs[r * 2])
        np.testing.assert_array_equal(got[r * 2][1], np.zeros(4, np.int64))


def test_one_process_is_partition_zero():
    """``execute`` (no sharding) runs the program as its one process."""
    case = sp.all_reduce(1, "f32")
    np.testing.assert_array_equal(interpreter.compile(case.text).execute(case.inputs[0])[0],
                                  case.expected[0][0])


# Errors: named, raised in the caller, never a hang.

_BRANCH = """module attributes {{mhlo.num_partitions = 4 : i32, mhlo.num_replicas = 1 : i32}} {{
  func.func @main(%x: tensor<3xf32>) -> tensor<3xf32> {{
    %p = stablehlo.partition_id : tensor<ui32>
    %one = stablehlo.constant dense<1> : tensor<ui32>
    %c = stablehlo.compare EQ, %p, %one : (tensor<ui32>, tensor<ui32>) -> tensor<i1>
    %y = "stablehlo.if"(%c) ({{
      {on_one}
    }}, {{
      stablehlo.return %x : tensor<3xf32>
    }}) : (tensor<i1>) -> tensor<3xf32>
    {after}
  }}
}}
"""
_SUM = ('"stablehlo.all_reduce"(%{v}) <{{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, '
        "replica_groups = dense<[[0, 1, 2, 3]]> : tensor<1x4xi64>, use_global_device_ids}}> ({{\n"
        "    ^bb0(%a: tensor<f32>, %b: tensor<f32>):\n      %s = stablehlo.add %a, %b : tensor<f32>\n"
        "      stablehlo.return %s : tensor<f32>\n  }}) : (tensor<3xf32>) -> tensor<3xf32>")


def _four():
    return [[np.full(3, p, np.float32)] for p in range(4)]


def test_a_failing_partition_releases_the_others():
    text = _BRANCH.format(
        on_one='%e = stablehlo.custom_call @no_such_target(%x) : (tensor<3xf32>) -> tensor<3xf32>\n'
               '      stablehlo.return %e : tensor<3xf32>',
        after=f"%r = {_SUM.format(v='y')}\n    return %r : tensor<3xf32>")
    with pytest.raises(NotImplementedError, match="partition 1: .*no_such_target"):
        interpreter.compile(text).execute_sharded(_four())


def test_a_partition_that_skips_a_collective_is_an_error():
    text = _BRANCH.format(
        on_one=f"%e = {_SUM.format(v='x')}\n      stablehlo.return %e : tensor<3xf32>",
        after="return %y : tensor<3xf32>")
    with pytest.raises(CollectiveError, match="finished"):
        interpreter.compile(text).execute_sharded(_four())


def test_groups_that_do_not_fit_the_program():
    case = sp.all_reduce(2, "f32")
    four = case.text.replace("dense<[[0, 1]]> : tensor<1x2xi64>",
                             "dense<[[0, 1], [2, 3]]> : tensor<2x2xi64>")
    with pytest.raises(CollectiveError, match="process 2, but the program runs on 2 processes"):
        interpreter.compile(four).execute_sharded(case.inputs)
    with pytest.raises(ValueError, match="2 devices, got arguments for 3"):
        interpreter.compile(case.text).execute_sharded(case.inputs + case.inputs[:1])
    big = sp.all_reduce(2, "f32")  # a 2-partition program run alone: its groups name 1
    with pytest.raises(InterpreterError, match="process 1, but the program runs on 1 process"):
        interpreter.compile(big.text).execute(big.inputs[0])


def test_backend_checks_the_device_assignment():
    from hlox.backends.base import BackendError, CompileOptions, Device
    from hlox.backends.interpreter.backend import InterpreterBackend

    case = sp.all_reduce(2, "f32")
    devices = tuple(Device("interpreter", i, "interpreter") for i in range(3))
    with pytest.raises(BackendError, match="2 device"):
        InterpreterBackend().compile(interpreter.compile(case.text).module,
                                     CompileOptions(devices=devices))
    run_ = InterpreterBackend().compile(interpreter.compile(case.text).module,
                                        CompileOptions(devices=devices[:2]))
    for got, want in zip(run_.execute_sharded(case.inputs), case.expected):
        np.testing.assert_array_equal(got[0], want[0])
