"""The cpu backend runs per-device (SPMD) programs: hlox-cpu-collectives-to-runtime
turns their collectives into libhlox_cpu_runtime.so calls and execute_sharded runs
one thread per partition. The programs of spmd_programs.py, on cpu vs the
interpreter vs NumPy, bit for bit, every dtype the collectives take, 1/2/4/8
partitions; repeat runs identical; a diverging partition raises, never hangs."""

from __future__ import annotations

import numpy as np
import pytest

import spmd_programs as sp

from hlox.backends import interpreter
from hlox.backends.base import BackendError, CompileOptions, Device, parse_module
from hlox.backends.compiler import CompilationError
from hlox.backends.cpu.backend import CpuBackend
from hlox.backends.cpu.native_runtime import CollectiveError

SIZES = (1, 2, 4, 8)


def compile_cpu(text: str):
    return CpuBackend().compile(parse_module(text))


def check(case: sp.Case, exact: bool = True):
    cpu = compile_cpu(case.text).execute_sharded(case.inputs)
    ref = interpreter.compile(case.text).execute_sharded(case.inputs)
    for p, (got, oracle, wanted) in enumerate(zip(cpu, ref, case.expected)):
        for g, o, w in zip(got, oracle, wanted):
            w = np.asarray(w)
            assert g.dtype == w.dtype and g.shape == w.shape, (p, g.dtype, g.shape)
            if exact:
                assert g.tobytes() == w.tobytes() == o.tobytes(), f"partition {p}"
            else:
                np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5, err_msg=f"partition {p}")
                np.testing.assert_allclose(g, o, rtol=1e-5, atol=1e-5, err_msg=f"partition {p}")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("element", list(sp.DTYPES))
def test_all_reduce_sum_every_dtype(n, element):
    if n == 1 and element.startswith("complex"):
        pytest.skip("one device: hlox-stablehlo-legalize-to-linalg has no complex all_reduce yet")
    check(sp.all_reduce(n, element, "add", groups=sp.halves(n) if n > 2 else None))


@pytest.mark.parametrize("element", list(sp.DTYPES))
def test_all_reduce_every_body(element):
    for reduction in sp.reductions_for(element):
        check(sp.all_reduce(4, element, reduction))


@pytest.mark.parametrize("n", SIZES)
def test_gather_scatter_exchange_permute(n):
    # (One device: hlox-stablehlo-legalize-to-linalg has no complex collectives yet.)
    for element in ("f32", "bf16", "ui32", "i1") + (("complex<f64>",) if n > 1 else ()):
        check(sp.all_gather(n, element, dim=1))
        check(sp.reduce_scatter(n, element, dim=1))
        check(sp.all_to_all(n, element, split=1, concat=0))
        check(sp.collective_permute(n, element))
    check(sp.all_gather(n, "i64", dim=0, groups=sp.halves(n)))
    check(sp.reduce_scatter(n, "f64", dim=0, groups=sp.halves(n)))
    check(sp.all_to_all(n, "f16", split=0, concat=0, groups=sp.halves(n)))
    check(sp.collective_permute(n, "i8", pairs=[[0, n - 1]]))
    check(sp.collective_broadcast(n, "f32"))
    check(sp.collective_broadcast(n, "i1", groups=sp.halves(n)))


@pytest.mark.parametrize("n", SIZES)
def test_partition_id_and_a_data_parallel_step(n):
    check(sp.partition_id(n))
    check(sp.mean_of_shards(n), exact=False)


def test_repeat_runs_are_bit_identical():
    case = sp.all_reduce(8, "f32")
    run = compile_cpu(case.text)
    first = run.execute_sharded(case.inputs)
    for _ in range(5):
        assert all(a[0].tobytes() == b[0].tobytes()
                   for a, b in zip(first, run.execute_sharded(case.inputs)))


def test_a_partition_that_skips_a_collective_raises():
    text = """module attributes {mhlo.num_partitions = 4 : i32, mhlo.num_replicas = 1 : i32} {
  func.func @main(%x: tensor<3xf32>) -> tensor<3xf32> {
    %p = stablehlo.partition_id : tensor<ui32>
    %one = stablehlo.constant dense<1> : tensor<ui32>
    %c = stablehlo.compare EQ, %p, %one : (tensor<ui32>, tensor<ui32>) -> tensor<i1>
    %y = "stablehlo.if"(%c) ({
      %e = "stablehlo.all_reduce"(%x) <{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>,
          replica_groups = dense<[[0, 1, 2, 3]]> : tensor<1x4xi64>, use_global_device_ids}> ({
        ^bb0(%a: tensor<f32>, %b: tensor<f32>):
          %s = stablehlo.add %a, %b : tensor<f32>
          stablehlo.return %s : tensor<f32>
      }) : (tensor<3xf32>) -> tensor<3xf32>
      stablehlo.return %e : tensor<3xf32>
    }, {
      stablehlo.return %x : tensor<3xf32>
    }) : (tensor<i1>) -> tensor<3xf32>
    return %y : tensor<3xf32>
  }
}
"""
    run = compile_cpu(text)
    with pytest.raises(CollectiveError, match="returned .*all_reduce"):
        run.execute_sharded([[np.full(3, p, np.float32)] for p in range(4)])


@pytest.mark.parametrize("n", SIZES)
def test_any_body_and_several_operands(n):
    """A body the runtime does not compute folds in generated code, in the group's order."""
    check(sp.all_reduce_any_body(n))
    check(sp.all_reduce_variadic(n))
    reversed_groups = sp.all_reduce_any_body(4)
    text = reversed_groups.text.replace("dense<[[0, 1, 2, 3]]>", "dense<[[3, 2, 1, 0]]>")
    if n == 4:
        got = compile_cpu(text).execute_sharded(reversed_groups.inputs)
        want = interpreter.compile(text).execute_sharded(reversed_groups.inputs)
        assert all(g[0].tobytes() == w[0].tobytes() for g, w in zip(got, want))


def test_refusals_name_the_op():
    scatter = sp.reduce_scatter(2, "f32").text.replace("stablehlo.add %a", "stablehlo.subtract %a")
    with pytest.raises(CompilationError, match="reduce_scatter.*body is not one add"):
        compile_cpu(scatter)
    case = sp.all_reduce(2, "f32")
    devices = tuple(Device("cpu", i, "cpu") for i in range(3))
    with pytest.raises(BackendError, match="2 partition"):
        CpuBackend().compile(parse_module(case.text), CompileOptions(devices=devices))
    run = compile_cpu(case.text)
    with pytest.raises(ValueError, match="2 partition"):
        run.execute_sharded(case.inputs[:1])
