"""The second set of new-user JAX programs (user_programs_more.py), each run unchanged under
jax and under hlox and compared leaf by leaf (same_source.py; issue 3's "done when")."""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from user_programs_more import KNOWN_GAPS, PROGRAMS  # noqa: E402
from same_source import compare, run_both  # noqa: E402


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[n]))
    if n in KNOWN_GAPS else n for n in sorted(PROGRAMS)])
def test_program_matches_jax(name):
    compare(name, *run_both(PROGRAMS[name]))
