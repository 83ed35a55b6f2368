"""Runs the lit + FileCheck suite (tests/lit) as part of pytest.

lit runs once for the whole suite (in parallel); each .mlir file then shows up
as its own pytest case with lit's output on failure. lit starts in the
background when this file is collected, so that its ~160 hlox-opt processes
(each mostly interpreter start-up) use the cores the Python tests leave idle
(they keep about one busy) instead of running after them; the first lit case
waits for its report. Under pytest-xdist each worker collects this file, so
there lit starts only in the worker that runs its first case (one lit run, not
one per worker, beside the other workers' tests).
"""

from __future__ import annotations

import atexit
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pytest

LIT_DIR = pathlib.Path(__file__).parent / "lit"
LIT_FILES = sorted(p.relative_to(LIT_DIR).as_posix()
                   for p in LIT_DIR.rglob("*.mlir") if "Inputs" not in p.parts)


def _start_lit():
    folder = pathlib.Path(tempfile.mkdtemp(prefix="hlox-lit-"))
    log = open(folder / "lit.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-c", "from lit.main import main; main()", "-q",
         "-j", str(os.cpu_count() or 2),
         f"--xunit-xml-output={folder / 'results.xml'}", str(LIT_DIR)],
        stdout=log, stderr=subprocess.STDOUT)

    def stop():  # an interrupted or filtered session leaves no lit behind
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return process, folder


_LIT = None if os.environ.get("PYTEST_XDIST_WORKER") else _start_lit()


@pytest.fixture(scope="session")
def lit_results():
    process, folder = _LIT or _start_lit()
    process.wait()
    report = folder / "results.xml"
    if not report.exists():
        pytest.fail("lit produced no report:\n" + (folder / "lit.log").read_text()[-3000:])
    results = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        # classname "hlox.dir" + name "file.mlir" -> "dir/file.mlir"
        parts = case.get("classname").split(".", 1)
        rel = (parts[1].replace(".", "/") + "/" if len(parts) > 1 else "") + case.get("name")
        failure = case.find("failure")
        results[rel] = None if failure is None else (failure.text or "failed")
    return results


@pytest.mark.parametrize("test_file", LIT_FILES)
def test_lit(lit_results, test_file):
    assert test_file in lit_results, f"lit did not run {test_file}"
    failure = lit_results[test_file]
    if failure is not None:
        pytest.fail(failure, pytrace=False)
