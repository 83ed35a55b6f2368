"""Walks a func.func op by op: an environment of SSA values -> numpy arrays.

Each function and each region is compiled once into a :class:`Plan` (its
block arguments and a list of :class:`Step`, one per op, with the op's
attributes, result types and nested plans), then run as often as needed:
reduction bodies and loop bodies run many times.

A region made only of elementwise ops can run *batched*: its scalar block
arguments are given whole arrays and every op works on them at once (the
reductions use this to run a body once per reduced position rather than once
per element). Result shapes are checked against the IR except in that mode.
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from . import attributes, quantized
from .registry import ELEMENTWISE, RULES, TOKEN


class InterpreterError(RuntimeError):
    """An op failed while being interpreted (names the op and its location)."""


_MISSING = object()


class Step:
    """One op of a plan."""

    __slots__ = ("name", "op", "operands", "results", "result_types", "regions", "on_expressed",
                 "_attrs", "_cache")

    def __init__(self, op: ir.Operation, slots: dict):
        self.op = op
        self.name = op.name
        self.operands = [slots[v] for v in op.operands]
        self.result_types = [attributes.TypeInfo(r.type) for r in op.results]
        # the spec's elementwise ops and contractions on quantized tensors compute on
        # their dequantized values; other ops (data movement, calls, control flow)
        # move the storage integers
        self.on_expressed = self.name in quantized.ON_EXPRESSED and any(
            quantized.tensor_quantization(v.type) is not None
            for v in list(op.operands) + list(op.results))
        self.results = [slots.setdefault(r, len(slots)) for r in op.results]
        self.regions = [Plan(region.blocks[0], slots) if len(region.blocks) else None
                        for region in op.regions]
        self._attrs = None
        self._cache = {}

    def attr(self, name: str):
        """The raw MLIR attribute ``name`` (None if absent)."""
        if self._attrs is None:
            # Filled, then published: the partitions of a sharded run share steps.
            found = {}
            attrs = self.op.attributes
            for i in range(len(attrs)):
                named = attrs[i]
                try:  # (named.attr would abort the process on the failure below)
                    found[named.name] = attrs[named.name]
                except TypeError:  # the bindings cannot downcast it (e.g. complex dense)
                    text = str(named)[len("NamedAttribute(") + len(named.name) + 1:-1]
                    found[named.name] = attributes.TextAttr(text)
            self._attrs = found
        return self._attrs.get(name)

    def cached(self, key, make):
        """Memoizes a value derived from the attributes (parsed once per op; two
        threads may both compute it, and get equal values)."""
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            value = self._cache[key] = make()
        return value

    @property
    def location(self) -> str:
        return str(self.op.location)


class Plan:
    """A compiled block: argument slots and steps. Values live in slots of
    one environment list shared by a function and its nested regions."""

    def __init__(self, block: ir.Block, slots: dict):
        self.arguments = [slots.setdefault(a, len(slots)) for a in block.arguments]
        self.argument_types = [attributes.TypeInfo(a.type) for a in block.arguments]
        self.steps = []
        self.terminator = None
        for op in block.operations:
            op = op.operation
            step = Step(op, slots)
            if op.name in ("func.return", "stablehlo.return"):
                self.terminator = step
            else:
                self.steps.append(step)
        self.slots = slots
        self.elementwise = all(s.name in ELEMENTWISE for s in self.steps)


class Function:
    def __init__(self, func_op):
        self.op = func_op
        self.name = attributes.scalar(func_op.attributes["sym_name"])
        self.slots: dict = {}
        self.plan = Plan(func_op.regions[0].blocks[0], self.slots)
        ftype = ir.FunctionType(ir.TypeAttr(func_op.attributes["function_type"]).value)
        self.input_types = [attributes.TypeInfo(t) for t in ftype.inputs]
        self.result_types = [attributes.TypeInfo(t) for t in ftype.results]


def coerce(value, t: attributes.TypeInfo, check_shape: bool = True):
    """Casts a rule's result to the dtype of its MLIR type (and checks its
    shape): rules may compute in a wider type."""
    if t.kind == "token":
        return TOKEN
    if t.kind == "tuple":
        return tuple(coerce(v, e, check_shape) for v, e in zip(value, t.elements))
    array = np.asarray(value)
    if array.dtype != t.dtype:
        array = array.astype(t.dtype)
    if check_shape and array.shape != t.shape:
        raise InterpreterError(f"result shape {array.shape} does not match the IR's {t.text}")
    return array


class Evaluator:
    """Interprets the functions of one module."""

    def __init__(self, module: ir.Module):
        self.module = module
        self.functions: dict[str, Function] = {}
        for op in module.body.operations:
            if op.operation.name == "func.func":
                func = op.operation
                if len(func.regions[0].blocks):
                    f = Function(func)
                    self.functions[f.name] = f

    def call(self, name: str, args: list) -> list:
        if name not in self.functions:
            raise InterpreterError(f"no function @{name} in the module")
        f = self.functions[name]
        env = [None] * len(f.slots)
        return self._run(f.plan, env, args, batched=False)

    def run_region(self, plan: Plan, env: list, args: list, batched: bool = False) -> list:
        """Runs a nested region (a body) with ``args`` bound to its block
        arguments, in the environment of the enclosing function (regions
        may use values defined above them)."""
        return self._run(plan, env, args, batched)

    def _run(self, plan: Plan, env: list, args: list, batched: bool) -> list:
        if len(args) != len(plan.arguments):
            raise InterpreterError(f"region takes {len(plan.arguments)} arguments, got {len(args)}")
        for slot, value in zip(plan.arguments, args):
            env[slot] = value
        with np.errstate(all="ignore"):
            for step in plan.steps:
                self._step(step, env, batched)
        return [env[s] for s in plan.terminator.operands]

    def _step(self, step: Step, env: list, batched: bool):
        rule = RULES.get(step.name)
        if rule is None:
            raise NotImplementedError(
                f"interpreter: op {step.name} is not supported (at {step.location})")
        args = [env[s] for s in step.operands]
        try:
            if step.on_expressed:
                results = quantized.on_expressed(rule, self, step, env, args)
            else:
                results = rule(self, step, env, args)
            if len(results) != len(step.results):
                raise InterpreterError(f"rule returned {len(results)} results, the op has {len(step.results)}")
            for slot, value, t in zip(step.results, results, step.result_types):
                env[slot] = coerce(value, t, check_shape=not batched)
        except (NotImplementedError, InterpreterError) as error:
            if "(at " in str(error):
                raise
            raise type(error)(f"{step.name} (at {step.location}): {error}") from error
        except Exception as error:
            raise InterpreterError(
                f"{step.name} (at {step.location}) failed: {error.__class__.__name__}: {error}") from error
