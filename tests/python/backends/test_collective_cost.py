"""Bytes moved per device by a per-device program's collectives (ring algorithms)."""

from __future__ import annotations

import pytest

from hlox.backends import collective_cost

CH = "channel_handle = #stablehlo.channel_handle<handle = {h}, type = 1>"
BODY = """({{
    ^bb0(%p: tensor<f32>, %q: tensor<f32>):
      %s = stablehlo.add %p, %q : tensor<f32>
      stablehlo.return %s : tensor<f32>
    }})"""

PROGRAM = f"""
module attributes {{mhlo.num_partitions = 8 : i32, mhlo.num_replicas = 1 : i32}} {{
  func.func public @main(%a: tensor<4x8xf32>, %n: tensor<i32>) -> tensor<4x8xf32> {{
    %0 = "stablehlo.all_reduce"(%a) <{{{CH.format(h=1)}, replica_groups = dense<[[0, 1, 2, 3], [4, 5, 6, 7]]> : tensor<2x4xi64>, use_global_device_ids}}> {BODY.format()} : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %1 = "stablehlo.all_gather"(%0) <{{all_gather_dim = 0 : i64, {CH.format(h=2)}, replica_groups = dense<[[0, 4], [1, 5], [2, 6], [3, 7]]> : tensor<4x2xi64>, use_global_device_ids}}> : (tensor<4x8xf32>) -> tensor<8x8xf32>
    %2 = "stablehlo.reduce_scatter"(%1) <{{{CH.format(h=3)}, replica_groups = dense<[[0, 1, 2, 3, 4, 5, 6, 7]]> : tensor<1x8xi64>, scatter_dimension = 0 : i64, use_global_device_ids}}> {BODY.format()} : (tensor<8x8xf32>) -> tensor<1x8xf32>
    %3 = "stablehlo.all_to_all"(%a) <{{{CH.format(h=4)}, concat_dimension = 0 : i64, replica_groups = dense<[[0, 1], [2, 3], [4, 5], [6, 7]]> : tensor<4x2xi64>, split_count = 2 : i64, split_dimension = 1 : i64}}> : (tensor<4x8xf32>) -> tensor<8x4xf32>
    %4 = "stablehlo.collective_permute"(%a) <{{{CH.format(h=5)}, source_target_pairs = dense<[[0, 1], [1, 0]]> : tensor<2x2xi64>}}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %5 = "stablehlo.collective_permute"(%a) <{{{CH.format(h=6)}, source_target_pairs = dense<[[0, 0], [1, 1]]> : tensor<2x2xi64>}}> : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %6:2 = stablehlo.while(%i = %n, %v = %a) : tensor<i32>, tensor<4x8xf32>
    cond {{
      %c = stablehlo.compare LT, %i, %i : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    }} do {{
      %r = "stablehlo.all_reduce"(%v) <{{{CH.format(h=7)}, replica_groups = dense<[[0, 1, 2, 3, 4, 5, 6, 7]]> : tensor<1x8xi64>, use_global_device_ids}}> {BODY.format()} : (tensor<4x8xf32>) -> tensor<4x8xf32>
      stablehlo.return %i, %r : tensor<i32>, tensor<4x8xf32>
    }}
    return %6#1 : tensor<4x8xf32>
  }}
}}
"""


def test_bytes_per_device_by_collective():
    b = 4 * 8 * 4  # one tensor<4x8xf32>
    got = collective_cost.analyze(PROGRAM)
    ring = {
        "all_reduce": 2 * 3 / 4 * b + 2 * 7 / 8 * b,  # groups of 4; the loop's, counted once
        "all_gather": 1 * b,                           # groups of 2: one other chunk
        "reduce_scatter": 7 / 8 * (2 * b),             # its operand is tensor<8x8xf32>
        "all_to_all": 1 / 2 * b,
        "collective_permute": b,                       # the self-permute moves nothing
    }
    for kind, want in ring.items():
        assert got[f"collective bytes {kind}"] == pytest.approx(want), kind
    assert got["collective bytes"] == pytest.approx(sum(ring.values()))
    assert got["collectives"] == 7


def test_program_without_collectives_moves_nothing():
    text = """func.func public @main(%a: tensor<4xf32>) -> tensor<4xf32> {
      %0 = stablehlo.negate %a : tensor<4xf32>
      return %0 : tensor<4xf32>
    }"""
    assert collective_cost.analyze(text) == {"collective bytes": 0.0, "collectives": 0.0}
