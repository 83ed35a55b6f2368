"""Collectives and process ids: the StableHLO process grid, run on threads.

A program of ``mhlo.num_replicas`` R x ``mhlo.num_partitions`` P processes runs
as R*P threads (:meth:`~hlox.backends.interpreter.Executable.execute_sharded`),
process (r, p) being number ``r * P + p`` (the spec's flattened id). Each thread
runs the same :class:`~.evaluator.Evaluator` inside :func:`running_as`, which
tells the rules below who it is and which :class:`Communicator` it talks
through. Outside it (``execute``) a program runs as the one process (0, 0).

Every collective is a meeting of ALL processes (SPMD: they run the same ops in
the same order): each deposits its operands, waits until all have, and then
computes its own result from its group's operands, as the spec defines it
(https://openxla.org/stablehlo/spec: process groups from replica_groups /
source_target_pairs, ``channel_handle`` and ``use_global_device_ids``). A
reduction is a left fold in the group's order, each step rounded to the
element type: the result is the same run to run and equal to a sequential
reduction (the spec's schedule is any binary tree with that in-order
traversal; this is the left-leaning one). A process that fails, or finishes
while others wait at a collective, breaks the meeting: the others raise
:class:`PeerFailure` instead of waiting forever.

Where the spec leaves it open we follow XLA: empty ``replica_groups`` are one
group of every process; negative ids pad ragged groups and are ignored.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np

from . import attributes
from .elementwise import wide
from .evaluator import InterpreterError
from .reductions import body_ufunc
from .registry import register


class CollectiveError(InterpreterError):
    """A collective cannot run: its groups do not fit the process grid, or the
    processes reached different collectives."""


class PeerFailure(CollectiveError):
    """This process was waiting at a collective that another process will never
    reach (it failed or finished)."""


class Communicator:
    """A reusable meeting point of ``size`` processes (threads of one run).

    ``exchange(process, key, value)`` returns every process's ``(key, value)``
    once all have called it; a process that fails calls :meth:`abort`, one
    that returns calls :meth:`finish`. Either releases the waiting ones with
    :class:`PeerFailure`.
    """

    def __init__(self, size: int):
        self.size = size
        self._cond = threading.Condition()
        self._slots: list = [None] * size
        self._arrived = 0
        self._generation = 0
        self._last: list = []
        self._broken: str | None = None
        self._finished: set[int] = set()

    def exchange(self, process: int, key, value) -> list:
        with self._cond:
            if self._broken is not None:
                raise PeerFailure(self._broken)
            if self._finished:
                done = min(self._finished)
                self._break(f"process {done} finished without reaching {_describe(key)}")
                raise PeerFailure(self._broken)
            generation = self._generation
            self._slots[process] = (key, value)
            self._arrived += 1
            if self._arrived == self.size:
                self._last, self._slots = self._slots, [None] * self.size
                self._arrived = 0
                self._generation += 1
                self._cond.notify_all()
            else:
                while self._generation == generation and self._broken is None:
                    self._cond.wait()
                if self._generation == generation:
                    raise PeerFailure(self._broken)
            # (The next meeting cannot complete before this process joins it,
            # so _last is still this meeting's.)
            gathered = self._last
        keys = {id(k) for k, _ in gathered}
        if len(keys) != 1:
            where = "; ".join(f"process {i}: {_describe(k)}" for i, (k, _) in enumerate(gathered))
            raise CollectiveError(f"the processes reached different collectives ({where})")
        return [v for _, v in gathered]

    def abort(self, process: int, error: BaseException) -> None:
        with self._cond:
            self._break(f"process {process} failed: {type(error).__name__}: {error}")

    def finish(self, process: int) -> None:
        with self._cond:
            self._finished.add(process)
            if self._arrived:
                waiting = next(k for k, _ in filter(None, self._slots))
                self._break(f"process {process} finished while others wait at "
                            f"{_describe(waiting)}")

    def _break(self, why: str) -> None:
        if self._broken is None:
            self._broken = why
        self._cond.notify_all()


def _describe(key) -> str:
    return f"{key.name} (at {key.location})" if hasattr(key, "location") else str(key)


class Process(NamedTuple):
    """Who the running thread is: its place in the R x P grid and its communicator."""

    replica: int
    partition: int
    num_replicas: int
    num_partitions: int
    communicator: Communicator | None

    @property
    def index(self) -> int:
        return self.replica * self.num_partitions + self.partition


_ALONE = Process(0, 0, 1, 1, None)
_local = threading.local()


def current() -> Process:
    return getattr(_local, "process", _ALONE)


class running_as:
    """``with running_as(process):`` the collectives of this thread act as ``process``."""

    def __init__(self, process: Process):
        self.process = process

    def __enter__(self):
        self.saved = current()
        _local.process = self.process
        return self.process

    def __exit__(self, *exc):
        _local.process = self.saved


# ---------------------------------------------------------------------------
# Process groups (the spec's cross_replica, cross_partition,
# cross_replica_and_partition, flattened_ids), as lists of process indices.
# ---------------------------------------------------------------------------


def _channel_id(step) -> int:
    handle = step.attr("channel_handle")
    return int(attributes.struct(handle).get("handle", 0)) if handle is not None else 0


def _id_groups(step, name: str, size: int, what: str) -> list[list[int]]:
    array = attributes.dense_to_numpy(step.attr(name)) if step.attr(name) is not None else None
    if array is None or array.size == 0:
        return [list(range(size))]
    groups = [[int(i) for i in row if i >= 0] for row in array.reshape(array.shape[0], -1)]
    flat = [i for g in groups for i in g]
    bad = [i for i in flat if i >= size]
    if bad:
        raise CollectiveError(f"{name} name {what} {bad[0]}, but the program runs on "
                              f"{_count(size, what)} (0..{size - 1})")
    if len(set(flat)) != len(flat):
        raise CollectiveError(f"{name} name a {what} twice: {groups}")
    return groups


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'es' if what == 'process' else 's'}" if n != 1 else f"1 {what}"


def process_groups(step, me: Process, mode: str, name: str = "replica_groups") -> list[list[int]]:
    """The groups of process indices of a collective in ``mode`` (one of the spec's
    four strategies)."""
    R, P = me.num_replicas, me.num_partitions
    if mode == "cross_replica":
        return [[r * P + p for r in g] for g in _id_groups(step, name, R, "replica")
                for p in range(P)]
    if mode == "cross_partition":
        return [[r * P + p for p in g] for g in _id_groups(step, name, P, "partition")
                for r in range(R)]
    if mode == "cross_replica_and_partition":
        return [[r * P + p for p in range(P) for r in g]
                for g in _id_groups(step, name, R, "replica")]
    return _id_groups(step, name, R * P, "process")  # flattened_ids: r * P + p


def _reduction_mode(step) -> str:
    """all_reduce, all_gather, reduce_scatter."""
    channel = _channel_id(step)
    if step.attr("use_global_device_ids") is not None:
        if channel <= 0:
            raise CollectiveError("use_global_device_ids needs a channel_handle with handle > 0")
        return "flattened_ids"
    return "cross_replica_and_partition" if channel > 0 else "cross_replica"


def _partition_mode(step) -> str:
    """all_to_all, collective_permute, collective_broadcast."""
    return "cross_partition" if _channel_id(step) > 0 else "cross_replica"


def _my_group(step, mode: str) -> tuple[Process, list[int], int]:
    me = current()
    groups = step.cached(("groups", me.num_replicas, me.num_partitions),
                         lambda: process_groups(step, me, mode))
    for group in groups:
        if me.index in group:
            return me, group, group.index(me.index)
    raise CollectiveError(f"process {me.index} (replica {me.replica}, partition {me.partition}) "
                          f"is in none of the groups {groups}")


def _meet(step, me: Process, value) -> list:
    """Every process's ``value`` for this op, by process index."""
    if me.communicator is None:  # alone: process 0
        return [value]
    return me.communicator.exchange(me.index, step, value)


def _members(step, me: Process, group: list[int], value) -> list:
    """The ``value`` of each member of ``group``, in the group's order."""
    everyone = _meet(step, me, value)
    return [everyone[i] for i in group]


def _complex_product(a, b):
    """The schoolbook product, each operation rounded (as the native runtime;
    NumPy's complex multiply may fuse them)."""
    out = np.empty(np.broadcast(a, b).shape, a.dtype)
    out.real = a.real * b.real - a.imag * b.imag
    out.imag = a.real * b.imag + a.imag * b.real
    return out


def _is_complex_product(plan, dtype) -> bool:
    if np.dtype(dtype).kind != "c" or len(plan.steps) != 1:
        return False
    step = plan.steps[0]
    return (step.name == "stablehlo.multiply" and sorted(step.operands) == sorted(plan.arguments)
            and plan.terminator.operands == step.results)


def _fold(ev, env, plan, values: list, dtype) -> np.ndarray:
    """values[0] op values[1] op ... (left to right), each step in ``dtype``.
    Maximum and minimum run the interpreter's own rules (StableHLO's zeros and
    NaN), not NumPy's."""
    ufunc = body_ufunc(plan, dtype)
    if ufunc in (np.maximum, np.minimum):
        ufunc = None
    product = _is_complex_product(plan, dtype)
    acc = np.asarray(values[0]).astype(dtype)
    for v in values[1:]:
        v = np.asarray(v).astype(dtype)
        if product:
            acc = _complex_product(acc, v)
        elif ufunc is not None:
            acc = np.asarray(ufunc(wide(acc), wide(v))).astype(dtype)
        elif plan.elementwise:
            acc = np.asarray(ev.run_region(plan, env, [acc, v], batched=True)[0]).astype(dtype)
        else:
            out = np.empty_like(acc)
            for index in np.ndindex(*acc.shape):
                out[index] = ev.run_region(plan, env, [acc[index], v[index]])[0]
            acc = out
    return acc


def _all_reduce(ev, step, env, operands, result_types) -> list:
    me, group, _ = _my_group(step, _reduction_mode(step))
    members = _members(step, me, group, list(operands))
    return [_fold(ev, env, step.regions[0], [m[k] for m in members], t.dtype)
            for k, t in enumerate(result_types)]


@register("stablehlo.all_reduce")
def all_reduce(ev, step, env, args):
    return _all_reduce(ev, step, env, args, step.result_types)


@register("stablehlo.reduce_scatter")
def reduce_scatter(ev, step, env, args):
    _, group, position = _my_group(step, _reduction_mode(step))
    reduced = _all_reduce(ev, step, env, args, step.result_types[:1])[0]
    dim = attributes.scalar(step.attr("scatter_dimension"))
    return [np.split(reduced, len(group), axis=dim)[position]]


@register("stablehlo.all_gather")
def all_gather(ev, step, env, args):
    me, group, _ = _my_group(step, _reduction_mode(step))
    members = _members(step, me, group, list(args))
    dim = attributes.scalar(step.attr("all_gather_dim"))
    return [np.concatenate([m[k] for m in members], axis=dim) for k in range(len(args))]


@register("stablehlo.all_to_all")
def all_to_all(ev, step, env, args):
    me, group, position = _my_group(step, _partition_mode(step))
    count = attributes.scalar(step.attr("split_count"))
    if count != len(group):
        raise CollectiveError(f"split_count {count} differs from the group size {len(group)}")
    split = attributes.scalar(step.attr("split_dimension"))
    concat = attributes.scalar(step.attr("concat_dimension"))
    members = _members(step, me, group, list(args))
    return [np.concatenate([np.split(m[k], count, axis=split)[position] for m in members],
                           axis=concat) for k in range(len(args))]


@register("stablehlo.collective_permute")
def collective_permute(ev, step, env, args):
    me = current()
    mode = _partition_mode(step)
    pairs = step.cached(("pairs", me.num_replicas, me.num_partitions),
                        lambda: _pairs(step, me, mode))
    everyone = _meet(step, me, args[0])
    sources = [s for s, t in pairs if t == me.index]
    if not sources:
        return [np.zeros_like(args[0])]
    return [everyone[sources[0]]]


def _pairs(step, me: Process, mode: str) -> list[tuple[int, int]]:
    raw = attributes.dense_to_numpy(step.attr("source_target_pairs")).reshape(-1, 2)
    R, P = me.num_replicas, me.num_partitions
    size, what = (P, "partition") if mode == "cross_partition" else (R, "replica")
    pairs = []
    for source, target in raw.tolist():
        if not (0 <= source < size and 0 <= target < size):
            raise CollectiveError(f"source_target_pairs name {what} {max(source, target)}, but "
                                  f"the program runs on {_count(size, what)}")
        for other in range(R if mode == "cross_partition" else P):
            if mode == "cross_partition":
                pairs.append((other * P + source, other * P + target))
            else:
                pairs.append((source * P + other, target * P + other))
    for column in (0, 1):
        ends = [p[column] for p in pairs]
        if len(set(ends)) != len(ends):
            raise CollectiveError(f"source_target_pairs repeat a {('source', 'target')[column]}: "
                                  f"{raw.tolist()}")
    return pairs


@register("stablehlo.collective_broadcast")
def collective_broadcast(ev, step, env, args):
    me = current()
    groups = step.cached(("groups", me.num_replicas, me.num_partitions),
                         lambda: process_groups(step, me, _partition_mode(step)))
    everyone = _meet(step, me, args[0])
    for group in groups:
        if me.index in group:
            return [everyone[group[0]]]
    return [np.zeros_like(args[0])]


@register("stablehlo.partition_id")
def partition_id(ev, step, env, args):
    return [np.uint32(current().partition)]


@register("stablehlo.replica_id")
def replica_id(ev, step, env, args):
    return [np.uint32(current().replica)]
