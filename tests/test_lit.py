"""Runs the lit + FileCheck suite (tests/lit) as part of pytest.

lit runs once for the whole suite (in parallel); each .mlir file then shows up
as its own pytest case with lit's output on failure.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

LIT_DIR = pathlib.Path(__file__).parent / "lit"
LIT_FILES = sorted(p.relative_to(LIT_DIR).as_posix()
                   for p in LIT_DIR.rglob("*.mlir") if "Inputs" not in p.parts)


@pytest.fixture(scope="session")
def lit_results(tmp_path_factory):
    report = tmp_path_factory.mktemp("lit") / "results.xml"
    subprocess.run(
        [sys.executable, "-c", "from lit.main import main; main()", "-q", "-j", str(os.cpu_count() or 2),
         f"--xunit-xml-output={report}", str(LIT_DIR)],
        capture_output=True, text=True, check=False)
    if not report.exists():
        pytest.fail("lit produced no report")
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
