"""Every program of the JAX corpus (jax_programs.py) round-trips through hlox-opt.

For each program and each of JAX's two printed forms (pretty ``as_text()`` and
generic op form), hlox-opt must parse and verify it and print it; the printed
text must parse again and print identically (pretty and generic output both).

A program that uses ops or attribute dialects hlox does not define yet is
reported as an expected failure whose reason lists exactly those names (see
``pytest -rx``, or ``python tests/python/jax_programs.py --missing``); every
other program must round-trip, and a failure there is a real failure. Set
``HLOX_STRICT_CORPUS=1`` to turn the missing-op cases into failures too.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib

import pytest

jax = pytest.importorskip("jax")

import jax_programs  # noqa: E402  (tests/python is on sys.path under pytest)

from hlox.passes import opt_main  # noqa: E402

PROGRAMS = {p.name: p for p in jax_programs.programs()}

KNOWN_BUGS = jax_programs.KNOWN_BUGS
STRICT = os.environ.get("HLOX_STRICT_CORPUS", "") not in ("", "0")


def run_opt(*args: str) -> tuple[int, str, str]:
    """hlox-opt in process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = opt_main.main(list(args))
    return status, out.getvalue(), err.getvalue()


def _check(status: int, err: str, what: str, missing: list[str]):
    if status == 0:
        return
    message = f"{what} failed:\n{err.strip()[:3000]}"
    if missing:
        message = f"needs {', '.join(missing)}\n" + message
    pytest.fail(message, pytrace=False)


@pytest.mark.parametrize("form", ["pretty", "generic"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_roundtrip(name, form, tmp_path: pathlib.Path, request):
    pretty, generic = jax_programs.texts(PROGRAMS[name])  # lowered once for both forms
    text = pretty if form == "pretty" else generic
    missing = jax_programs.missing_names(generic)
    if missing and not STRICT:
        pytest.xfail("hlox does not define yet: " + ", ".join(missing))
    if name in KNOWN_BUGS and not STRICT:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=False))

    source = tmp_path / f"{name}.{form}.mlir"
    source.write_text(text)
    status, printed, err = run_opt(str(source))
    _check(status, err, f"parsing JAX's {form} form of {name!r}", missing)

    # What hlox printed parses again and prints the same (pretty and generic).
    again = tmp_path / "printed.mlir"
    again.write_text(printed)
    status, reprinted, err = run_opt(str(again))
    _check(status, err, f"re-parsing hlox's pretty output for {name!r}", missing)
    assert reprinted == printed, f"pretty printing of {name!r} is not stable"

    status, generic_printed, err = run_opt(str(source), "--mlir-print-op-generic")
    _check(status, err, f"printing {name!r} in generic form", missing)
    generic_file = tmp_path / "printed.generic.mlir"
    generic_file.write_text(generic_printed)
    status, from_generic, err = run_opt(str(generic_file))
    _check(status, err, f"re-parsing hlox's generic output for {name!r}", missing)
    assert from_generic == printed, f"generic and pretty forms of {name!r} differ after parsing"
