"""The reference interpreter: runs StableHLO op by op in numpy.

``compile(module)`` returns an :class:`Executable` that runs the module's
public ``main`` on numpy arrays (``executable(*arrays)`` -> tuple, or
``execute(buffers)`` -> list: the backend protocol; the registered
``interpreter`` backend is :mod:`.backend`). A program of several processes
(``mhlo.num_partitions``/``mhlo.num_replicas`` on the module: a per-device SPMD
program) runs with ``execute_sharded(per_device)``, one thread per process, its
collectives meeting in :mod:`.collectives`. It follows the
StableHLO spec (https://openxla.org/stablehlo/spec) op by op, and XLA where
the spec leaves a choice to the implementation (integer division by zero,
float -> int saturation, rng_bit_generator's DEFAULT algorithm). CHLO ops
in text are first decomposed by our pass ``hlox-chlo-legalize-to-stablehlo``;
an ``ir.Module`` is run as it is (the compile driver's shared StableHLO stage
has removed them).

Layout: ``evaluator`` walks functions and regions; ``registry`` maps op names
to rules; one module per op family registers them (``elementwise``,
``shape_ops``, ``linalg_ops``, ``reductions``, ``sorting``, ``indexing``,
``control_flow``, ``rng``, ``collectives``, ``misc``); ``attributes`` reads types and
attributes.
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from . import attributes

import threading

from . import collectives, control_flow, elementwise, indexing, linalg_ops, misc, quantized, reductions, rng, shape_ops, sorting  # noqa: F401  (register rules)
from .collectives import CollectiveError
from .evaluator import Evaluator, InterpreterError, coerce
from .registry import RULES

__all__ = ["compile", "CollectiveError", "Executable", "InterpreterError", "RULES"]


def _parse(module_or_text, context=None):
    from hlox.dialects import make_context
    from hlox.passes import pipeline

    if isinstance(module_or_text, ir.Module):  # verified, after the shared stage
        return module_or_text.context, module_or_text
    if isinstance(module_or_text, ir.Operation):
        text = module_or_text.get_asm(print_generic_op_form=True)
    else:
        text = str(module_or_text)
    context = context or make_context()
    # Attributes of dialects the interpreter does not use are kept opaque
    # rather than rejected.
    context.allow_unregistered_dialects = True
    with context, ir.Location.unknown():
        module = ir.Module.parse(text)
        if not module.operation.verify():
            raise InterpreterError("the module does not verify")
        if "sdy." in text:  # Shardy annotations: nothing to compute on one device
            pipeline.build(["hlox-drop-sdy"], context).run(module.operation)
        if "chlo." in text:
            pipeline.build(["hlox-chlo-legalize-to-stablehlo"], context).run(module.operation)
    return context, module


def _spec(t):
    """``TensorSpec(shape, dtype)`` of a tensor type; ``((), None)`` for a token or tuple."""
    from hlox.backends.base import TensorSpec

    return TensorSpec(tuple(t.shape), t.dtype) if t.kind == "tensor" else TensorSpec((), None)


class Executable:
    """A module ready to run: ``executable(*arrays) -> tuple of arrays``."""

    def __init__(self, module_or_text, entry: str = "main"):
        self.context, self.module = _parse(module_or_text)
        self.evaluator = Evaluator(self.module)
        if entry not in self.evaluator.functions:
            raise InterpreterError(f"the module has no function @{entry}")
        self.entry = entry
        self.function = self.evaluator.functions[entry]
        self.in_specs = [_spec(t) for t in self.function.input_types]
        self.out_specs = [_spec(t) for t in self.function.result_types]
        attrs = self.module.operation.attributes
        self.num_replicas, self.num_partitions = (
            int(attributes.scalar(attrs[name])) if name in attrs else 1
            for name in ("mhlo.num_replicas", "mhlo.num_partitions"))
        if self.num_replicas < 1 or self.num_partitions < 1:
            raise InterpreterError(f"the module runs on mhlo.num_replicas={self.num_replicas} x "
                                   f"mhlo.num_partitions={self.num_partitions} processes")

    def _check(self, args):
        types = self.function.input_types
        if len(args) != len(types):
            raise TypeError(f"@{self.entry} takes {len(types)} arguments ({', '.join(map(str, types))}), "
                            f"got {len(args)}")
        checked = []
        for i, (a, t) in enumerate(zip(args, types)):
            if t.kind != "tensor":
                checked.append(a)
                continue
            array = np.asarray(a)
            if array.shape != t.shape or array.dtype != t.dtype:
                raise TypeError(f"argument {i} of @{self.entry} must be {t.text} "
                                f"(shape {t.shape}, dtype {t.dtype}), got shape {array.shape} dtype {array.dtype}")
            view = array.view()
            view.flags.writeable = False  # the caller's arrays are never written
            checked.append(view)
        return checked

    def __call__(self, *args):
        args = self._check(args)
        with self.context:
            results = self.evaluator.call(self.entry, args)
        outputs = [coerce(r, t) for r, t in zip(results, self.function.result_types)]
        # Results the caller owns: never a constant or an input of this run.
        return tuple(o.copy() if isinstance(o, np.ndarray) and not o.flags.writeable else o for o in outputs)

    def execute(self, buffers) -> list:
        """``@main`` on checked buffers (the backend protocol's entry point)."""
        return list(self(*buffers))

    def execute_sharded(self, per_device) -> list[list]:
        """Runs every process of the program at once: ``per_device[i]`` are the
        arguments of process i (replica ``i // P``, partition ``i % P``; with one
        replica, partition i); returns each process's results.

        One thread per process; a process that fails makes the others stop at
        their next collective, and the first failure is raised, naming its process.
        """
        per_device = list(per_device)
        size = self.num_replicas * self.num_partitions
        if len(per_device) != size:
            raise ValueError(f"@{self.entry} runs on {self.num_replicas} replica(s) x "
                             f"{self.num_partitions} partition(s) = {size} devices, "
                             f"got arguments for {len(per_device)}")
        communicator = collectives.Communicator(size)
        results: list = [None] * size
        errors: list = [None] * size

        def run(index):
            me = collectives.Process(index // self.num_partitions, index % self.num_partitions,
                                     self.num_replicas, self.num_partitions, communicator)
            try:
                with collectives.running_as(me):
                    results[index] = self.execute(per_device[index])
            except BaseException as error:  # noqa: BLE001  (re-raised below, in the caller)
                errors[index] = error
                communicator.abort(index, error)
            else:
                communicator.finish(index)

        threads = [threading.Thread(target=run, args=(i,), name=f"hlox-interpreter-{i}")
                   for i in range(size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        failed = [i for i, e in enumerate(errors) if e is not None]
        if failed:
            # The first process that failed in its own right, not one it released.
            first = next((i for i in failed if not isinstance(errors[i], collectives.PeerFailure)),
                         failed[0])
            error = errors[first]
            if isinstance(error, (InterpreterError, NotImplementedError)):
                raise type(error)(f"partition {first}: {error}") from error
            raise error
        return results

    def as_text(self) -> str:
        """The StableHLO the interpreter runs (after CHLO decomposition)."""
        return str(self.module)


def compile(module_or_text, entry: str = "main") -> Executable:  # noqa: A001  (the backend verb)
    """Parses (text or ir.Module) and prepares ``entry`` to run."""
    return Executable(module_or_text, entry)
