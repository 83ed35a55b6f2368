"""hlox-opt turns bad files into one-line messages and exit status 1, never a traceback."""

from __future__ import annotations

import os

import pytest

from hlox.passes import opt_main

MODULE = "func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> { return %a : tensor<2xf32> }\n"


@pytest.fixture
def module_file(tmp_path):
    path = tmp_path / "in.mlir"
    path.write_text(MODULE)
    return path


def test_output_onto_a_folder(module_file, tmp_path, capsys):
    assert opt_main.main([str(module_file), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "is a directory" in err and "Traceback" not in err
    assert sorted(os.listdir(tmp_path)) == ["in.mlir"]  # no temporary file left behind


def test_output_into_a_missing_folder(module_file, tmp_path, capsys):
    target = tmp_path / "missing" / "out.mlir"
    assert opt_main.main([str(module_file), "-o", str(target)]) == 1
    assert "cannot write" in capsys.readouterr().err
    assert not target.exists()


def test_output_written_whole(module_file, tmp_path):
    target = tmp_path / "out.mlir"
    assert opt_main.main([str(module_file), "-o", str(target)]) == 0
    assert "func.func @main" in target.read_text()


@pytest.mark.parametrize("data", [b"\xff\xfe", b"// ok\n// ok\n\xc3(\n"])
def test_input_not_utf8(tmp_path, capsys, data):
    path = tmp_path / "bad.mlir"
    path.write_bytes(data)
    assert opt_main.main([str(path)]) == 1
    err = capsys.readouterr().err
    line = data.count(b"\n", 0, data.index(next(b for b in (b"\xff", b"\xc3") if b in data))) + 1
    assert f"bad.mlir:{line}: error: the input is not UTF-8" in err
