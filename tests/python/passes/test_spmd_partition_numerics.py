"""hlox-spmd-partition, run: partitioned programs on the interpreter's N devices
(one thread each, collectives in the interpreter) give the global program's values.

JAX programs (lowered with their shardings on 8 forced host devices, in a
subprocess) are partitioned as JAX annotates them, after hlox-sdy-propagate
(the shared stage's order), and again with random fully-annotated shardings
on every op (what propagation could choose: the
partitioner must be right whatever it is given, uneven splits included);
the assembled global results must equal JAX's. Hand-written fully-annotated
programs check each rule's collectives and padding masks against NumPy.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mlir import ir

sys.path.insert(0, str(Path(__file__).parent))
import spmd_harness as H  # noqa: E402

TOL = dict(rtol=2e-5, atol=2e-5)  # float32, different summation orders

FAMILIES = ["megatron_mlp", "data_parallel", "fsdp", "attention_heads", "constraints",
            "shard_map", "scan", "conv", "embedding", "uneven"]  # "shard_map" has "_partial" too


@pytest.fixture(scope="module")
def jax_cases(tmp_path_factory):
    pytest.importorskip("jax")
    out = tmp_path_factory.mktemp("spmd") / "cases.pkl"
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=8",
           "JAX_PLATFORMS": "cpu"}
    subprocess.run([sys.executable, str(Path(__file__).parent / "spmd_jax_cases.py"), str(out)],
                   env=env, check=True, capture_output=True)
    with open(out, "rb") as f:
        return pickle.load(f)


def check(text, args, want):
    got, partitioned = H.run_global(text, args, [np.shape(w) for w in want])
    for i, (g, w) in enumerate(zip(got, want)):
        assert g.dtype == np.asarray(w).dtype, (i, g.dtype, np.asarray(w).dtype)
        np.testing.assert_allclose(g, w, err_msg=f"result {i}", **TOL)
    return partitioned


@pytest.mark.parametrize("family", FAMILIES)
def test_jax_programs_as_jax_annotates_them(jax_cases, family):
    names = [n for n in jax_cases if n.startswith(family)]
    assert names
    for name in names:
        text, args, want = jax_cases[name]
        check(text, args, want)


@pytest.mark.parametrize("family", FAMILIES)
def test_jax_programs_under_random_full_annotations(jax_cases, family):
    for name in [n for n in jax_cases if n.startswith(family)]:
        text, args, want = jax_cases[name]
        for seed, follow in [(0, 0.0), (1, 0.8), (2, 0.8)]:
            annotated = H.annotate(text, seed, follow)
            # (a shard_map program's @main holds only the manual computation)
            assert "sdy.sharding_per_value" in annotated or family == "shard_map"
            check(annotated, args, want)


@pytest.mark.parametrize("family", FAMILIES)
def test_jax_programs_propagated_then_partitioned(jax_cases, family):
    """The shared stage's order: hlox-sdy-propagate, then hlox-spmd-partition."""
    for name in [n for n in jax_cases if n.startswith(family)]:
        text, args, want = jax_cases[name]
        partitioned = check(H.partition(text, "hlox-sdy-propagate"), args, want)
        if family == "data_parallel":  # gradients summed, nothing gathered
            assert '"stablehlo.all_reduce"' in partitioned
            assert '"stablehlo.all_gather"' not in partitioned
        if family == "fsdp":  # parameters gathered, gradients reduce-scattered
            assert '"stablehlo.all_gather"' in partitioned
            assert '"stablehlo.reduce_scatter"' in partitioned


def test_jax_shardings_give_jax_shard_shapes(jax_cases):
    """@main's local types are the shapes of JAX's shards."""
    text, args, _ = jax_cases["megatron_mlp_2x4"]
    partitioned = H.partition(text)
    with H.make_context():
        module = ir.Module.parse(partitioned)
        main = [op for op in module.body.operations if op.operation.name == "func.func"][0]
        types = [str(a.type) for a in main.regions[0].blocks[0].arguments]
    assert types == ["tensor<4x16xf32>", "tensor<16x8xf32>", "tensor<8x8xf32>"]
    assert "mhlo.num_partitions = 8 : i32" in partitioned
    assert "mhlo.num_replicas = 1 : i32" in partitioned


# --- hand-written fully-annotated programs ---------------------------------

MESH = 'sdy.mesh @mesh = <["x"=2, "y"=4]>'


def sh(dims: str) -> str:
    return f"#sdy.sharding<@mesh, [{dims}]>"


def pv(*dims: str) -> str:
    return "{sdy.sharding = #sdy.sharding_per_value<[" + ", ".join(
        f"<@mesh, [{d}]>" for d in dims) + "]>}"


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def test_reduce_over_an_uneven_split_masks_its_padding():
    # 6 columns over the 4 devices of "y": chunks of 2, the last all padding.
    text = f"""{MESH}
func.func public @main(%a: tensor<8x8xf32> {{sdy.sharding = {sh('{"x"}, {"y"}')}}})
    -> (tensor<8xf32> {{sdy.sharding = {sh('{"x"}')}}}, tensor<8xf32> {{sdy.sharding = {sh('{}')}}}) {{
  %t = stablehlo.slice %a [0:8, 1:7] {pv('{"x"}, {"y"}')} : (tensor<8x8xf32>) -> tensor<8x6xf32>
  %s = sdy.sharding_constraint %t <@mesh, [{{"x"}}, {{"y"}}]> : tensor<8x6xf32>
  %z = stablehlo.constant {pv('')} dense<0.0> : tensor<f32>
  %sum = stablehlo.reduce(%s init: %z) applies stablehlo.add across dimensions = [1] {pv('{"x"}')} : (tensor<8x6xf32>, tensor<f32>) -> tensor<8xf32>
  %m = stablehlo.constant {pv('')} dense<0x7F800000> : tensor<f32>
  %min = stablehlo.reduce(%s init: %m) applies stablehlo.minimum across dimensions = [1] {pv('{}')} : (tensor<8x6xf32>, tensor<f32>) -> tensor<8xf32>
  return %sum, %min : tensor<8xf32>, tensor<8xf32>
}}"""
    a = rand(8, 8) + 3.0  # positive: a padding zero would win the minimum
    partitioned = check(text, [a], [a[:, 1:7].sum(1), a[:, 1:7].min(1)])
    assert partitioned.count('"stablehlo.all_reduce"') == 2
    assert "stablehlo.compare LT" in partitioned  # the padding mask


def test_argmax_over_an_uneven_split_gathers_partials():
    # 6 columns over 4 devices; ties go to the first index, as JAX's argmax.
    text = f"""{MESH}
func.func public @main(%a: tensor<8x8xf32> {{sdy.sharding = {sh('{"x"}, {}')}}})
    -> (tensor<8xi32> {{sdy.sharding = {sh('{"x"}')}}}) {{
  %t = stablehlo.slice %a [0:8, 2:8] {pv('{"x"}, {}')} : (tensor<8x8xf32>) -> tensor<8x6xf32>
  %s = sdy.sharding_constraint %t <@mesh, [{{"x"}}, {{"y"}}]> : tensor<8x6xf32>
  %i = stablehlo.iota dim = 1 {pv('{"x"}, {"y"}')} : tensor<8x6xi32>
  %ninf = stablehlo.constant {pv('')} dense<0xFF800000> : tensor<f32>
  %zero = stablehlo.constant {pv('')} dense<0> : tensor<i32>
  %r:2 = stablehlo.reduce(%s init: %ninf), (%i init: %zero) across dimensions = [1] {pv('{"x"}', '{"x"}')} : (tensor<8x6xf32>, tensor<8x6xi32>, tensor<f32>, tensor<i32>) -> (tensor<8xf32>, tensor<8xi32>)
    reducer(%v0: tensor<f32>, %v1: tensor<f32>) (%i0: tensor<i32>, %i1: tensor<i32>) {{
    %gt = stablehlo.compare GT, %v0, %v1 : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %eq = stablehlo.compare EQ, %v0, %v1 : (tensor<f32>, tensor<f32>) -> tensor<i1>
    %lt = stablehlo.compare LT, %i0, %i1 : (tensor<i32>, tensor<i32>) -> tensor<i1>
    %tie = stablehlo.and %eq, %lt : tensor<i1>
    %pick = stablehlo.or %gt, %tie : tensor<i1>
    %v = stablehlo.select %pick, %v0, %v1 : tensor<i1>, tensor<f32>
    %j = stablehlo.select %pick, %i0, %i1 : tensor<i1>, tensor<i32>
    stablehlo.return %v, %j : tensor<f32>, tensor<i32>
  }}
  return %r#1 : tensor<8xi32>
}}"""
    a = -np.abs(rand(8, 8)) - 1.0  # negative: an unmasked padding zero would win
    a[3, 2:8] = -1.5                # a tie everywhere: the first index wins
    partitioned = check(text, [a], [np.argmax(a[:, 2:8], axis=1).astype(np.int32)])
    assert partitioned.count('"stablehlo.all_gather"') == 2  # the partials, not the operand


def test_dot_contracting_split_all_reduces_and_reduce_scatters():
    # Contracting dim split over "y" on both sides: local dot + all_reduce;
    # the result split over "y" too: reduce_scatter.
    text = f"""{MESH}
func.func public @main(%a: tensor<8x16xf32> {{sdy.sharding = {sh('{"x"}, {"y"}')}}},
                       %b: tensor<16x8xf32> {{sdy.sharding = {sh('{"y"}, {}')}}})
    -> (tensor<8x8xf32> {{sdy.sharding = {sh('{"x"}, {}')}}}, tensor<8x8xf32> {{sdy.sharding = {sh('{"x"}, {"y"}')}}}) {{
  %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] {pv('{"x"}, {}')} : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<8x8xf32>
  %1 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] {pv('{"x"}, {"y"}')} : (tensor<8x16xf32>, tensor<16x8xf32>) -> tensor<8x8xf32>
  return %0, %1 : tensor<8x8xf32>, tensor<8x8xf32>
}}"""
    a, b = rand(8, 16), rand(16, 8, seed=1)
    partitioned = check(text, [a, b], [a @ b, a @ b])
    assert partitioned.count('"stablehlo.all_reduce"') == 1
    assert partitioned.count('"stablehlo.reduce_scatter"') == 1
    assert '"stablehlo.all_gather"' not in partitioned


def test_dot_uneven_contracting_split_masks_both_operands():
    text = f"""{MESH}
func.func public @main(%a: tensor<8x8xf32> {{sdy.sharding = {sh('{}, {"y"}')}}},
                       %b: tensor<8x8xf32> {{sdy.sharding = {sh('{"y"}, {}')}}})
    -> (tensor<8x8xf32> {{sdy.sharding = {sh('{}, {}')}}}) {{
  %sa = stablehlo.slice %a [0:8, 0:7] {pv('{}, {"y"}')} : (tensor<8x8xf32>) -> tensor<8x7xf32>
  %sb = stablehlo.slice %b [1:8, 0:8] {pv('{"y"}, {}')} : (tensor<8x8xf32>) -> tensor<7x8xf32>
  %l = stablehlo.log %sa {pv('{}, {"y"}')} : tensor<8x7xf32>
  %0 = stablehlo.dot_general %l, %sb, contracting_dims = [1] x [0] {pv('{}, {}')} : (tensor<8x7xf32>, tensor<7x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}}"""
    # log of negatives: NaN in the padding unless masked before the dot.
    a, b = np.abs(rand(8, 8)) + 0.5, rand(8, 8, seed=1)
    a[:, 7] = -1.0
    partitioned = check(text, [a, b], [np.log(a[:, :7]) @ b[1:, :]])
    assert partitioned.count('"stablehlo.all_reduce"') == 1


@pytest.mark.parametrize("src,dst,collective", [
    ('{"x"}, {}', '{}, {"x"}', "all_to_all"),
    ('{"y"}, {}', '{"y", "x"}, {}', None),          # a local slice: no collective
    ('{"x"}, {"y"}', '{"x", "y"}, {}', "all_to_all"),
    ('{"x"}, {}', '{"y":(1)2}, {}', "collective_permute"),
    ('{"x", "y"}, {}', '{}, {}', "all_gather"),
    ('{"y", "x"}, {}', '{"x", "y"}, {}', "collective_permute"),
])
def test_reshards(src, dst, collective):
    text = f"""{MESH}
func.func public @main(%a: tensor<8x8xf32> {{sdy.sharding = {sh(src)}}})
    -> (tensor<8x8xf32> {{sdy.sharding = {sh(dst)}}}) {{
  %0 = sdy.sharding_constraint %a <@mesh, [{dst}]> : tensor<8x8xf32>
  %1 = stablehlo.negate %0 {pv(dst)} : tensor<8x8xf32>
  return %1 : tensor<8x8xf32>
}}"""
    a = rand(8, 8)
    partitioned = check(text, [a], [-a])
    found = {c for c in ("all_to_all", "collective_permute", "all_gather", "all_reduce")
             if f'"stablehlo.{c}"' in partitioned}
    assert found == ({collective} if collective else set())
    assert "sdy.sharding_constraint" not in partitioned


def test_uneven_reshards_and_iota():
    # A 7-long dimension moves between axes and is iota'd while split.
    text = f"""{MESH}
func.func public @main(%a: tensor<8x8xf32> {{sdy.sharding = {sh('{"x"}, {}')}}})
    -> (tensor<8x7xf32> {{sdy.sharding = {sh('{}, {}')}}}) {{
  %s = stablehlo.slice %a [0:8, 0:7] {pv('{"x"}, {"y"}')} : (tensor<8x8xf32>) -> tensor<8x7xf32>
  %c = sdy.sharding_constraint %s <@mesh, [{{}}, {{"x", "y"}}]> : tensor<8x7xf32>
  %i = stablehlo.iota dim = 1 {pv('{}, {"x", "y"}')} : tensor<8x7xf32>
  %m = stablehlo.multiply %c, %i {pv('{"y"}, {"x"}')} : tensor<8x7xf32>
  return %m : tensor<8x7xf32>
}}"""
    a = rand(8, 8)
    check(text, [a], [a[:, :7] * np.arange(7, dtype=np.float32)])


def test_while_and_case_carry_split_values():
    text = f"""{MESH}
func.func public @main(%a: tensor<8x4xf32> {{sdy.sharding = {sh('{"x"}, {"y"}')}}}, %k: tensor<i32>)
    -> (tensor<8x4xf32> {{sdy.sharding = {sh('{"x"}, {}')}}}) {{
  %zero = stablehlo.constant {pv('')} dense<0> : tensor<i32>
  %w:2 = stablehlo.while(%i = %zero, %v = %a) : tensor<i32>, tensor<8x4xf32> attributes {pv('', '{"y"}, {"x"}')}
    cond {{
    %three = stablehlo.constant {pv('')} dense<3> : tensor<i32>
    %lt = stablehlo.compare LT, %i, %three {pv('')} : (tensor<i32>, tensor<i32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  }} do {{
    %one = stablehlo.constant {pv('')} dense<1> : tensor<i32>
    %n = stablehlo.add %i, %one {pv('')} : tensor<i32>
    %t = stablehlo.tanh %v {pv('{"x"}, {}')} : tensor<8x4xf32>
    %d = stablehlo.add %t, %v {pv('{"y"}, {"x"}')} : tensor<8x4xf32>
    stablehlo.return %n, %d : tensor<i32>, tensor<8x4xf32>
  }}
  %r = "stablehlo.case"(%k) ({{
    %x = stablehlo.negate %w#1 {pv('{}, {"y"}')} : tensor<8x4xf32>
    stablehlo.return %x : tensor<8x4xf32>
  }}, {{
    %x = stablehlo.exponential %w#1 {pv('{"x", "y"}, {}')} : tensor<8x4xf32>
    stablehlo.return %x : tensor<8x4xf32>
  }}) {pv('{"x"}, {}')} : (tensor<i32>) -> tensor<8x4xf32>
  return %r : tensor<8x4xf32>
}}"""
    a = rand(8, 4)
    v = a
    for _ in range(3):
        v = np.tanh(v) + v
    for k, want in [(0, -v), (1, np.exp(v))]:
        check(text, [a, np.array(k, np.int32)], [want])


def test_manual_computation_body_runs_on_local_shards():
    text = f"""{MESH}
func.func public @main(%a: tensor<8x8xf32> {{sdy.sharding = {sh('{"y"}, {}')}}})
    -> (tensor<8x8xf32> {{sdy.sharding = {sh('{"x"}, {"y"}')}}}) {{
  %0 = sdy.manual_computation(%a) in_shardings=[<@mesh, [{{"x"}}, {{"y"}}]>] out_shardings=[<@mesh, [{{"x"}}, {{"y"}}]>] manual_axes={{"x", "y"}} (%l: tensor<4x2xf32>) {{
    %s = "stablehlo.all_reduce"(%l) <{{channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>, replica_groups = dense<[[0, 1, 2, 3], [4, 5, 6, 7]]> : tensor<2x4xi64>, use_global_device_ids}}> ({{
    ^bb0(%p: tensor<f32>, %q: tensor<f32>):
      %r = stablehlo.add %p, %q : tensor<f32>
      stablehlo.return %r : tensor<f32>
    }}) : (tensor<4x2xf32>) -> tensor<4x2xf32>
    sdy.return %s : tensor<4x2xf32>
  }} : (tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}}"""
    a = rand(8, 8)
    sums = [a[:, 2 * j:2 * j + 2] for j in range(4)]
    total = sum(sums[1:], sums[0])
    partitioned = check(text, [a], [np.tile(total, (1, 4))])
    assert "sdy.manual_computation" not in partitioned
    # New collectives take channels after those the module already has.
    handles = re.findall(r"handle = (\d+),", partitioned)
    assert handles[-1] == "1" and sorted(set(handles)) == sorted(handles) and len(handles) > 1


@pytest.mark.parametrize("implicit", [False, True])
def test_gather_from_an_uneven_split_table_clamps_like_gather(implicit):
    # 10 rows over the 4 devices of "y" (chunks of 3, two padding rows);
    # indices out of range clamp to the table, as gather does.
    ids = "tensor<6xi32>" if implicit else "tensor<6x1xi32>"
    ivd = 1
    text = f"""{MESH}
func.func public @main(%t: tensor<12x3xf32> {{sdy.sharding = {sh('{"y"}, {}')}}},
                       %i: {ids} {{sdy.sharding = {sh('{}' if implicit else '{}, {}')}}})
    -> (tensor<6x3xf32> {{sdy.sharding = {sh('{}, {}')}}}) {{
  %s = stablehlo.slice %t [1:11, 0:3] {pv('{"y"}, {}')} : (tensor<12x3xf32>) -> tensor<10x3xf32>
  %c = sdy.sharding_constraint %s <@mesh, [{{"y"}}, {{}}]> : tensor<10x3xf32>
  %g = "stablehlo.gather"(%c, %i) <{{dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = {ivd}>, indices_are_sorted = false, slice_sizes = array<i64: 1, 3>}}> {pv('{}, {}')} : (tensor<10x3xf32>, {ids}) -> tensor<6x3xf32>
  return %g : tensor<6x3xf32>
}}"""
    table = rand(12, 3)
    index = np.array([0, 9, 4, -3, 15, 7], np.int32)
    want = table[1:11][np.clip(index, 0, 9)]
    partitioned = check(text, [table, index if implicit else index[:, None]], [want])
    assert partitioned.count('"stablehlo.all_reduce"') == 1
    [gather] = [line for line in partitioned.splitlines() if '"stablehlo.gather"' in line]
    assert ": (tensor<3x3xf32>" in gather  # from this partition's rows only


def test_scatter_add_into_an_uneven_split_table_stays_local():
    # 10 rows over 4 devices; repeated, negative and too-large indices (the
    # last two skipped, as XLA skips out-of-bounds updates).
    text = f"""{MESH}
func.func public @main(%t: tensor<12x3xf32> {{sdy.sharding = {sh('{"y"}, {}')}}},
                       %i: tensor<6x1xi32> {{sdy.sharding = {sh('{}, {}')}}},
                       %u: tensor<6x3xf32> {{sdy.sharding = {sh('{}, {}')}}})
    -> (tensor<10x3xf32> {{sdy.sharding = {sh('{}, {}')}}}) {{
  %s = stablehlo.slice %t [1:11, 0:3] {pv('{"y"}, {}')} : (tensor<12x3xf32>) -> tensor<10x3xf32>
  %c = sdy.sharding_constraint %s <@mesh, [{{"y"}}, {{}}]> : tensor<10x3xf32>
  %r = "stablehlo.scatter"(%c, %i, %u) <{{scatter_dimension_numbers = #stablehlo.scatter<update_window_dims = [1], inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}}> ({{
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %sum = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %sum : tensor<f32>
  }}) {pv('{"y"}, {}')} : (tensor<10x3xf32>, tensor<6x1xi32>, tensor<6x3xf32>) -> tensor<10x3xf32>
  return %r : tensor<10x3xf32>
}}"""
    table, updates = rand(12, 3), rand(6, 3, seed=1)
    index = np.array([0, 9, 4, -3, 15, 4], np.int32)
    want = table[1:11].copy()
    for k, row in enumerate(index):
        if 0 <= row < 10:
            want[row] += updates[k]
    partitioned = check(text, [table, index[:, None], updates], [want])
    # into this partition's rows only (the all_gather after it is for the result)
    assert re.search(r'"stablehlo.scatter".*?\}\) : \(tensor<3x3xf32>', partitioned, re.S)


# --- what cannot be partitioned is an error naming it ------------------------

def _error(text: str) -> str:
    with pytest.raises(Exception) as info:
        H.partition(text)
    return str(info.value)


def test_boundary_that_does_not_divide_is_an_error():
    text = f"""{MESH}
func.func public @main(%a: tensor<6x8xf32> {{sdy.sharding = {sh('{"y"}, {}')}}}) -> tensor<6x8xf32> {{
  return %a : tensor<6x8xf32>
}}"""
    message = _error(text)
    assert "argument 0" in message and "dimension 0 of size 6" in message


def test_collective_outside_shard_map_is_an_error():
    text = f"""{MESH}
func.func public @main(%a: tensor<8xf32>) -> tensor<8xf32> {{
  %s = "stablehlo.all_reduce"(%a) <{{replica_groups = dense<[[0, 1]]> : tensor<1x2xi64>}}> ({{
  ^bb0(%p: tensor<f32>, %q: tensor<f32>):
    %r = stablehlo.add %p, %q : tensor<f32>
    stablehlo.return %r : tensor<f32>
  }}) : (tensor<8xf32>) -> tensor<8xf32>
  return %s : tensor<8xf32>
}}"""
    assert "'stablehlo.all_reduce'" in _error(text)
