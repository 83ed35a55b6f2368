"""Hand-written per-device (SPMD) programs and their NumPy references.

Each program is the kind the partitioner emits (module attributes
``mhlo.num_partitions = N``, ``mhlo.num_replicas = 1``; collectives with a
``channel_handle`` of type 1 and, where the op has it, ``use_global_device_ids``,
so every id in ``replica_groups``/``source_target_pairs`` is a partition id).
``case(name, n, dtype)`` gives the module text, each partition's arguments and
each partition's expected results, computed here in NumPy from the StableHLO
spec's definitions: a reduction is the left fold over the group in the group's
order, each step rounded to the element type (what both runtimes promise).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import ml_dtypes
import numpy as np

# Element types the collectives are tested on (MLIR name -> numpy dtype).
DTYPES = {
    "f32": np.dtype(np.float32), "f64": np.dtype(np.float64), "f16": np.dtype(np.float16),
    "bf16": np.dtype(ml_dtypes.bfloat16), "i8": np.dtype(np.int8), "i16": np.dtype(np.int16),
    "i32": np.dtype(np.int32), "i64": np.dtype(np.int64), "ui8": np.dtype(np.uint8),
    "ui32": np.dtype(np.uint32), "ui64": np.dtype(np.uint64), "i1": np.dtype(np.bool_),
    "complex<f32>": np.dtype(np.complex64), "complex<f64>": np.dtype(np.complex128),
}

CHANNEL = "channel_handle = #stablehlo.channel_handle<handle = 1, type = 1>"


class Case(NamedTuple):
    text: str
    inputs: list          # inputs[p]: the argument arrays of partition p
    expected: list        # expected[p]: the result arrays of partition p


def _inputs(n: int, shape, dtype, seed: int = 0) -> list[np.ndarray]:
    """Per-partition random values of ``dtype``, each partition's different."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(dtype)
    out = []
    for _ in range(n):
        if dtype == np.bool_:
            x = rng.random(shape) < 0.3
        elif dtype.kind in "iu":
            info = np.iinfo(dtype)
            x = rng.integers(max(info.min, -100), min(info.max, 100), shape, endpoint=True)
        elif dtype.kind == "c":
            x = rng.uniform(-2, 2, shape) + 1j * rng.uniform(-2, 2, shape)
        else:
            # Values whose sums round (so the order of a reduction shows).
            x = rng.uniform(-2, 2, shape) * 10.0 ** rng.integers(-3, 4, shape)
        out.append(np.asarray(x).astype(dtype))
    return out


def _wide(x):
    x = np.asarray(x)
    return x.astype(np.float32) if x.dtype.kind == "f" and x.dtype.itemsize < 4 or \
        x.dtype == ml_dtypes.bfloat16 else x


def fold(values, op: Callable):
    """values[0] op values[1] op ..., left to right, each step in their dtype."""
    dtype = np.asarray(values[0]).dtype
    acc = np.asarray(values[0])
    with np.errstate(all="ignore"):  # (overflow to inf, as the runtimes)
        for v in values[1:]:
            acc = np.asarray(op(_wide(acc), _wide(v))).astype(dtype)
    return acc


def _module(n: int, args: str, results: str, body: str) -> str:
    return (f"module attributes {{mhlo.num_partitions = {n} : i32, mhlo.num_replicas = 1 : i32}} {{\n"
            f"  func.func @main({args}) -> ({results}) {{\n{body}\n  }}\n}}\n")


def _groups(groups) -> str:
    rows, cols = len(groups), len(groups[0])
    return f"dense<{[list(g) for g in groups]}> : tensor<{rows}x{cols}xi64>"


def _type(shape, element: str) -> str:
    return f"tensor<{'x'.join(map(str, shape))}{'x' if shape else ''}{element}>"


def _region(element: str, op: str) -> str:
    t = f"tensor<{element}>"
    return (f"({{\n    ^bb0(%a: {t}, %b: {t}):\n      %s = {op} %a, %b : {t}\n"
            f"      stablehlo.return %s : {t}\n  }})")


def halves(n: int) -> list[list[int]]:
    """Two groups, even and odd partitions (one group of one on one device)."""
    return [list(range(0, n, 2)), list(range(1, n, 2))] if n > 1 else [[0]]


def schoolbook_product(a, b):
    """a * b, complex as (ar br - ai bi, ar bi + ai br), every operation rounded
    (NumPy's own complex multiply may fuse them)."""
    if a.dtype.kind != "c":
        return np.logical_and(a, b) if a.dtype == np.bool_ else a * b
    re = a.real * b.real - a.imag * b.imag
    im = a.real * b.imag + a.imag * b.real
    out = np.empty(np.broadcast(a, b).shape, a.dtype)
    out.real, out.imag = re, im
    return out


# Reduction bodies: name -> (StableHLO op, numpy op on the widened values).
REDUCTIONS = {
    "add": ("stablehlo.add", lambda a, b: np.logical_or(a, b) if a.dtype == np.bool_ else a + b),
    "multiply": ("stablehlo.multiply", schoolbook_product),
    "maximum": ("stablehlo.maximum", np.maximum),
    "minimum": ("stablehlo.minimum", np.minimum),
    "and": ("stablehlo.and", np.bitwise_and),
    "or": ("stablehlo.or", np.bitwise_or),
    "xor": ("stablehlo.xor", np.bitwise_xor),
}


def reductions_for(element: str) -> list[str]:
    dtype = DTYPES[element]
    if dtype.kind == "c":
        return ["add", "multiply"]
    if dtype.kind in "iub":
        return list(REDUCTIONS)
    return ["add", "multiply", "maximum", "minimum"]


def all_reduce(n: int, element: str, reduction: str = "add", groups=None) -> Case:
    dtype = DTYPES[element]
    groups = groups or [list(range(n))]
    op, ref = REDUCTIONS[reduction]
    shape = (3, 5)
    t = _type(shape, element)
    body = (f'    %r = "stablehlo.all_reduce"(%x) <{{{CHANNEL}, replica_groups = {_groups(groups)}, '
            f'use_global_device_ids}}> {_region(element, op)} : ({t}) -> {t}\n'
            f"    return %r : {t}")
    xs = _inputs(n, shape, dtype, seed=n)
    expected = [None] * n
    for g in groups:
        total = fold([xs[p] for p in g], ref)
        for p in g:
            expected[p] = [total]
    return Case(_module(n, f"%x: {t}", t, body), [[x] for x in xs], expected)


def all_reduce_any_body(n: int) -> Case:
    """A body that is neither commutative nor a single op (acc * 2 + x, then
    clamped by a compare/select): the order of the fold shows."""
    shape = (4,)
    t = _type(shape, "f32")
    s = "tensor<f32>"
    body = (f'    %r = "stablehlo.all_reduce"(%x) <{{{CHANNEL}, replica_groups = {_groups([list(range(n))])}, '
            f"use_global_device_ids}}> ({{\n"
            f"    ^bb0(%a: {s}, %b: {s}):\n"
            f"      %two = stablehlo.constant dense<2.0> : {s}\n"
            f"      %big = stablehlo.constant dense<1.0e3> : {s}\n"
            f"      %m = stablehlo.multiply %a, %two : {s}\n"
            f"      %y = stablehlo.add %m, %b : {s}\n"
            f"      %c = stablehlo.compare GT, %y, %big : ({s}, {s}) -> tensor<i1>\n"
            f"      %z = stablehlo.select %c, %big, %y : tensor<i1>, {s}\n"
            f"      stablehlo.return %z : {s}\n  }}) : ({t}) -> {t}\n"
            f"    return %r : {t}")
    xs = _inputs(n, shape, np.float32, seed=7)
    total = fold(xs, lambda a, b: np.minimum(a * np.float32(2) + b, np.float32(1e3)))
    return Case(_module(n, f"%x: {t}", t, body), [[x] for x in xs], [[total] for _ in range(n)])


def all_reduce_variadic(n: int) -> Case:
    """Two operands reduced with one body, each on its own."""
    a_t, b_t = _type((2, 3), "f32"), _type((5,), "f32")
    body = (f'    %r:2 = "stablehlo.all_reduce"(%x, %y) <{{{CHANNEL}, replica_groups = '
            f'{_groups(halves(n))}, use_global_device_ids}}> {_region("f32", "stablehlo.add")} '
            f": ({a_t}, {b_t}) -> ({a_t}, {b_t})\n"
            f"    return %r#0, %r#1 : {a_t}, {b_t}")
    xs, ys = _inputs(n, (2, 3), np.float32, 1), _inputs(n, (5,), np.float32, 2)
    expected = [None] * n
    for g in halves(n):
        sums = [fold([xs[p] for p in g], np.add), fold([ys[p] for p in g], np.add)]
        for p in g:
            expected[p] = sums
    return Case(_module(n, f"%x: {a_t}, %y: {b_t}", f"{a_t}, {b_t}", body),
                [[x, y] for x, y in zip(xs, ys)], expected)


def all_gather(n: int, element: str, dim: int = 1, groups=None) -> Case:
    dtype = DTYPES[element]
    groups = groups or [list(range(n))]
    shape = (2, 3)
    out_shape = list(shape)
    out_shape[dim] *= len(groups[0])
    t, out_t = _type(shape, element), _type(out_shape, element)
    body = (f'    %r = "stablehlo.all_gather"(%x) <{{all_gather_dim = {dim} : i64, {CHANNEL}, '
            f"replica_groups = {_groups(groups)}, use_global_device_ids}}> : ({t}) -> {out_t}\n"
            f"    return %r : {out_t}")
    xs = _inputs(n, shape, dtype, seed=3)
    expected = [None] * n
    for g in groups:
        for p in g:
            expected[p] = [np.concatenate([xs[q] for q in g], axis=dim)]
    return Case(_module(n, f"%x: {t}", out_t, body), [[x] for x in xs], expected)


def reduce_scatter(n: int, element: str, dim: int = 0, groups=None) -> Case:
    dtype = DTYPES[element]
    groups = groups or [list(range(n))]
    k = len(groups[0])
    shape = [2 * k, 3] if dim == 0 else [3, 2 * k]
    out_shape = list(shape)
    out_shape[dim] //= k
    t, out_t = _type(shape, element), _type(out_shape, element)
    body = (f'    %r = "stablehlo.reduce_scatter"(%x) <{{{CHANNEL}, replica_groups = {_groups(groups)}, '
            f"scatter_dimension = {dim} : i64, use_global_device_ids}}> "
            f"{_region(element, 'stablehlo.add')} : ({t}) -> {out_t}\n"
            f"    return %r : {out_t}")
    xs = _inputs(n, shape, dtype, seed=4)
    expected = [None] * n
    for g in groups:
        total = fold([xs[p] for p in g], REDUCTIONS["add"][1])
        for i, p in enumerate(g):
            expected[p] = [np.split(total, k, axis=dim)[i]]
    return Case(_module(n, f"%x: {t}", out_t, body), [[x] for x in xs], expected)


def all_to_all(n: int, element: str, split: int = 1, concat: int = 0, groups=None) -> Case:
    dtype = DTYPES[element]
    groups = groups or [list(range(n))]
    k = len(groups[0])
    shape = [2, 3]
    shape[split] *= k
    out_shape = list(shape)
    out_shape[split] //= k
    out_shape[concat] *= k
    t, out_t = _type(shape, element), _type(out_shape, element)
    body = (f'    %r = "stablehlo.all_to_all"(%x) <{{{CHANNEL}, concat_dimension = {concat} : i64, '
            f"replica_groups = {_groups(groups)}, split_count = {k} : i64, "
            f"split_dimension = {split} : i64}}> : ({t}) -> {out_t}\n"
            f"    return %r : {out_t}")
    xs = _inputs(n, shape, dtype, seed=5)
    expected = [None] * n
    for g in groups:
        for i, p in enumerate(g):
            expected[p] = [np.concatenate([np.split(xs[q], k, axis=split)[i] for q in g],
                                          axis=concat)]
    return Case(_module(n, f"%x: {t}", out_t, body), [[x] for x in xs], expected)


def collective_permute(n: int, element: str, pairs=None) -> Case:
    """Default: a ring, p -> p + 1 (mod n)."""
    dtype = DTYPES[element]
    pairs = pairs if pairs is not None else [[p, (p + 1) % n] for p in range(n)]
    shape = (2, 3)
    t = _type(shape, element)
    body = (f'    %r = "stablehlo.collective_permute"(%x) <{{{CHANNEL}, '
            f"source_target_pairs = {_groups(pairs)}}}> : ({t}) -> {t}\n"
            f"    return %r : {t}")
    xs = _inputs(n, shape, dtype, seed=6)
    expected = [[np.zeros(shape, dtype)] for _ in range(n)]
    for source, target in pairs:
        expected[target] = [xs[source]]
    return Case(_module(n, f"%x: {t}", t, body), [[x] for x in xs], expected)


def partition_id(n: int) -> Case:
    """Each partition adds its id: x + partition_id (as f32)."""
    t = _type((3,), "f32")
    body = ("    %p = stablehlo.partition_id : tensor<ui32>\n"
            "    %f = stablehlo.convert %p : (tensor<ui32>) -> tensor<f32>\n"
            f"    %b = stablehlo.broadcast_in_dim %f, dims = [] : (tensor<f32>) -> {t}\n"
            f"    %r = stablehlo.add %x, %b : {t}\n"
            f"    return %r, %p : {t}, tensor<ui32>")
    xs = _inputs(n, (3,), np.float32, seed=8)
    return Case(_module(n, f"%x: {t}", f"{t}, tensor<ui32>", body), [[x] for x in xs],
                [[x + np.float32(p), np.uint32(p)] for p, x in enumerate(xs)])


def mean_of_shards(n: int) -> Case:
    """A data-parallel step's shape: local sum, all_reduce, divide, all_gather of a
    per-partition slice chosen with partition_id (dynamic_slice)."""
    t, row_t = _type((n, 4), "f32"), _type((1, 4), "f32")
    s = "tensor<f32>"
    body = (f"    %z = stablehlo.constant dense<0.0> : {s}\n"
            f"    %sum = stablehlo.reduce(%x init: %z) applies stablehlo.add across dimensions = [0] "
            f": ({t}, {s}) -> {_type((4,), 'f32')}\n"
            f'    %all = "stablehlo.all_reduce"(%sum) <{{{CHANNEL}, replica_groups = '
            f"{_groups([list(range(n))])}, use_global_device_ids}}> {_region('f32', 'stablehlo.add')} "
            f": ({_type((4,), 'f32')}) -> {_type((4,), 'f32')}\n"
            f"    %p = stablehlo.partition_id : tensor<ui32>\n"
            f"    %i = stablehlo.convert %p : (tensor<ui32>) -> tensor<i32>\n"
            f"    %c0 = stablehlo.constant dense<0> : tensor<i32>\n"
            f"    %row = stablehlo.dynamic_slice %x, %i, %c0, sizes = [1, 4] : ({t}, tensor<i32>, "
            f"tensor<i32>) -> {row_t}\n"
            f'    %g = "stablehlo.all_gather"(%row) <{{all_gather_dim = 0 : i64, {CHANNEL}, '
            f"replica_groups = {_groups([list(range(n))])}, use_global_device_ids}}> : ({row_t}) -> {t}\n"
            f"    return %all, %g : {_type((4,), 'f32')}, {t}")
    xs = _inputs(n, (n, 4), np.float32, seed=9)
    sums = [x.sum(axis=0, dtype=np.float32) for x in xs]  # (a reduce's order is the backend's)
    gathered = np.stack([xs[p][p] for p in range(n)])
    return Case(_module(n, f"%x: {t}", f"{_type((4,), 'f32')}, {t}", body), [[x] for x in xs],
                [[fold(sums, np.add), gathered] for _ in range(n)])


def collective_broadcast(n: int, element: str, groups=None) -> Case:
    """Each group's first partition's operand to the whole group (others: zeros)."""
    dtype = DTYPES[element]
    groups = groups or [list(range(n))[::-1]]
    t = _type((2, 3), element)
    body = (f'    %r = "stablehlo.collective_broadcast"(%x) <{{{CHANNEL}, '
            f"replica_groups = {_groups(groups)}}}> : ({t}) -> {t}\n"
            f"    return %r : {t}")
    xs = _inputs(n, (2, 3), dtype, seed=10)
    expected = [[np.zeros((2, 3), dtype)] for _ in range(n)]
    for g in groups:
        for p in g:
            expected[p] = [xs[g[0]]]
    return Case(_module(n, f"%x: {t}", t, body), [[x] for x in xs], expected)
