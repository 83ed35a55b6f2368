"""The StableHLO project's interpreter test suite on hlox's backends.

Every single-process test function of ``stablehlo/tests/interpret`` (openxla/stablehlo)
is compiled with ``hlox.compile_stablehlo`` on ``cpu`` and on ``interpreter`` and its
``check.*`` ops are evaluated with their own rules (``stablehlo_suite.py``). The files
are read at test time from ``$HLOX_STABLEHLO_TESTS`` or ``.stablehlo-tests/interpret``
(``python tests/fetch_stablehlo_tests.py <openxla/stablehlo checkout>`` makes that
copy); without them the module is skipped. What fails today is listed, with its cause,
in ``stablehlo_suite_expected_failures.py`` and runs as a strict xfail: a fix or a
regression shows.
"""

from __future__ import annotations

import numpy as np
import pytest

import stablehlo_suite as suite
from stablehlo_suite_expected_failures import expected_failure

import hlox

BACKENDS = ("cpu", "interpreter")
ROOT = suite.suite_dir()
CASES = suite.load_cases(ROOT) if ROOT is not None else []

pytestmark = pytest.mark.skipif(
    ROOT is None,
    reason=f"the StableHLO interpreter suite is not here: set ${suite.SUITE_ENV} or run "
           f"`python tests/fetch_stablehlo_tests.py <openxla/stablehlo checkout>` "
           f"(it fills {suite.DEFAULT_DIR})")


def _params():
    for case in CASES:
        for backend in BACKENDS:
            marks = []
            if case.skip:
                marks.append(pytest.mark.skip(reason=case.skip))
            else:
                reason = expected_failure(backend, case.id)
                if reason:
                    marks.append(pytest.mark.xfail(reason=reason, strict=True))
            yield pytest.param(case, backend, id=f"{backend}:{case.id}", marks=marks)


def run_case(case: suite.Case, backend: str) -> list[str]:
    """Compiles and runs ``case`` on ``backend``; the failed checks' messages."""
    results = [np.asarray(r) for r in hlox.compile_stablehlo(case.module, backend=backend)()]
    failures = []
    for number, check in enumerate(case.checks):
        expected = (suite.parse_dense(check.literal, check.type) if check.literal is not None
                    else results[check.expected])
        problem = suite.mismatch(check, results[check.actual], expected)
        if problem:
            failures.append(f"check #{number}: {problem}")
    return failures


@pytest.mark.parametrize("case,backend", list(_params()))
def test_stablehlo_interpret_suite(case, backend):
    failures = run_case(case, backend)
    assert not failures, f"{case.id} on {backend}:\n" + "\n".join(failures)
