"""Test functions of the StableHLO interpreter suite that fail today, per backend,
grouped by cause. ``test_stablehlo_interpret_suite.py`` runs them as strict xfails: a fix
must remove its names here, a regression shows as a failure.
"""

from __future__ import annotations

CPU: dict[str, list[str]] = {}

INTERPRETER: dict[str, list[str]] = {}

_BY_BACKEND = {"cpu": CPU, "interpreter": INTERPRETER}


def expected_failure(backend: str, case_id: str) -> str | None:
    """The cause ``case_id`` fails on ``backend`` for, or None when it passes."""
    for cause, ids in _BY_BACKEND.get(backend, {}).items():
        if case_id in ids:
            return cause
    return None
