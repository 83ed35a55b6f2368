"""The op registry: op name -> evaluation rule.

A rule is ``rule(ev, step, env, args) -> list`` where ``ev`` is the
:class:`~hlox.backends.interpreter.evaluator.Evaluator` (to run regions:
``ev.run_region(step.regions[i], env, values)``), ``step`` the
:class:`~hlox.backends.interpreter.evaluator.Step` of the op (attributes,
result types, compiled regions), ``env`` the enclosing function's value
environment and ``args`` the operand values (numpy arrays, tuples for tuple
types, :data:`TOKEN` for tokens). It returns one value per result, in any
dtype: the evaluator casts each to its result type. Each op-family module
registers its rules on import. ``elementwise=True`` marks rules that work
on arrays of any (broadcastable) shape, which lets regions made only of such
ops run batched.
"""

from __future__ import annotations

from typing import Callable

RULES: dict[str, Callable] = {}

# Ops whose rule is a pure elementwise function of its operands, so a region
# made only of them can run on whole arrays at once (see Evaluator.run_region).
ELEMENTWISE: set[str] = set()


class Token:
    """The value of a !stablehlo.token."""

    def __repr__(self) -> str:
        return "TOKEN"


TOKEN = Token()


def register(*names: str, elementwise: bool = False):
    """Decorator: registers ``fn`` as the rule of every op in ``names``."""

    def wrap(fn):
        for name in names:
            RULES[name] = fn
            if elementwise:
                ELEMENTWISE.add(name)
        return fn

    return wrap
