"""The ahead-of-time artifact: bytes that hold a compiled function and what it needs.

Layout (all integers little-endian; README.md "Ahead-of-time artifacts"):

    offset  size  field
    0       8     magic  b"HLOXAOT\\0"
    8       4     format version (uint32, FORMAT_VERSION)
    12      4     header length H (uint32)
    16      8     payload length P (uint64)
    24      H     header: UTF-8 JSON (versions, target, signature, pytrees)
    24+H    P     payload: the backend's code (for ``cpu``, a relocatable object file)
    24+H+P  32    SHA-256 of every byte before it, or, with a key
                  (``HLOX_ARTIFACT_KEY``), their HMAC-SHA256 under that key

An artifact is native code that the loading process runs: anyone who can write
it can run code there. The checksum only catches accidents (anyone can recompute
it); a key makes artifacts signed: with one set, only artifacts signed with it
load, and an unsigned or otherwise signed one is refused.

Reading checks, in order: magic, format version, lengths against the data's
size (truncation), the checksum or signature (any altered byte), then the header's hlox and
LLVM versions and target against this process. Each failure is an
:class:`ArtifactError` saying which check failed; nothing is handed to LLVM
before all of them pass.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib.metadata
import json
import struct
from dataclasses import dataclass

MAGIC = b"HLOXAOT\0"
FORMAT_VERSION = 1
_FIXED = struct.Struct("<8sIIQ")
_CHECKSUM_SIZE = 32


class ArtifactError(ValueError):
    """An artifact that cannot be loaded here: truncated, altered, foreign or malformed."""


@dataclass
class Artifact:
    header: dict
    payload: bytes


@functools.cache
def hlox_version() -> str:
    """The installed hlox's version (its distribution's: the façade sits above backends)."""
    return importlib.metadata.version("hlox")


def pack(header: dict, payload: bytes) -> bytes:
    """``header`` (JSON-able) and ``payload`` as artifact bytes."""
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body = _FIXED.pack(MAGIC, FORMAT_VERSION, len(head), len(payload)) + head + payload
    return body + _seal(body, _key())


def _key() -> bytes | None:
    from hlox.config import config

    return config.artifact_key


def _seal(body: bytes, key: bytes | None) -> bytes:
    """The trailer: SHA-256 of ``body``, or its HMAC-SHA256 under ``key``."""
    if key is None:
        return hashlib.sha256(body).digest()
    return hmac.new(key, body, hashlib.sha256).digest()


def _check_seal(body: bytes, trailer: bytes) -> None:
    key = _key()
    if hmac.compare_digest(_seal(body, key), trailer):
        return
    if key is None:
        raise ArtifactError("hlox artifact checksum mismatch: the data was altered or "
                            "corrupted (or it is signed: set HLOX_ARTIFACT_KEY to its key)")
    if hmac.compare_digest(_seal(body, None), trailer):
        raise ArtifactError("hlox artifact is not signed, and HLOX_ARTIFACT_KEY is set: "
                            "only artifacts signed with that key are loaded")
    raise ArtifactError("hlox artifact signature mismatch: the data was altered, or it was "
                        "signed with another key")


def unpack(data: bytes) -> Artifact:
    """Checks ``data`` (magic, format version, size, checksum or signature) and splits it."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"hlox.deserialize: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if len(data) < len(MAGIC) or data[:len(MAGIC)] != MAGIC:
        raise ArtifactError("not an hlox artifact (the data does not start with the magic "
                            f"{MAGIC!r})")
    if len(data) < _FIXED.size:
        raise ArtifactError(f"truncated hlox artifact: {len(data)} bytes, shorter than the "
                            f"{_FIXED.size}-byte fixed header")
    _, version, head_size, payload_size = _FIXED.unpack_from(data)
    if version != FORMAT_VERSION:
        raise ArtifactError(f"hlox artifact format version {version}; this hlox "
                            f"({hlox_version()}) reads version {FORMAT_VERSION} only: "
                            "recompile it with this hlox")
    expected = _FIXED.size + head_size + payload_size + _CHECKSUM_SIZE
    if len(data) < expected:
        raise ArtifactError(f"truncated hlox artifact: {len(data)} bytes, its header "
                            f"announces {expected}")
    if len(data) > expected:
        raise ArtifactError(f"hlox artifact has {len(data) - expected} unexpected trailing "
                            "bytes")
    body = data[:-_CHECKSUM_SIZE]
    _check_seal(body, data[-_CHECKSUM_SIZE:])
    try:
        header = json.loads(body[_FIXED.size:_FIXED.size + head_size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"hlox artifact header is not valid JSON: {error}") from None
    except RecursionError:
        raise ArtifactError("hlox artifact header nests too deeply to read") from None
    if not isinstance(header, dict):
        raise ArtifactError("hlox artifact header is not a JSON object")
    return Artifact(header, body[_FIXED.size + head_size:])


def check_versions(header: dict, llvm_version: str) -> None:
    """Refuses an artifact built by another hlox or LLVM."""
    for key, ours in (("hlox_version", hlox_version()), ("llvm_version", llvm_version)):
        theirs = header.get(key)
        if theirs != ours:
            raise ArtifactError(f"hlox artifact was built with {key.replace('_', ' ')} "
                                f"{theirs!r}, this process has {ours!r}: recompile it here")


# ---------------------------------------------------------------------------
# Signatures and pytrees as JSON
# ---------------------------------------------------------------------------


def spec_to_json(shape, dtype) -> dict:
    import numpy as np

    return {"shape": [int(d) for d in shape], "dtype": np.dtype(dtype).name}


def specs_from_json(values, what: str) -> list:
    """``TensorSpec`` s from a header's ``inputs``/``outputs`` (``what`` names which)."""
    from hlox.backends.base import TensorSpec

    try:
        return [TensorSpec(tuple(int(d) for d in v["shape"]), dtype_from_name(v["dtype"]))
                for v in values]
    except (KeyError, TypeError, ValueError) as error:
        raise ArtifactError(f"hlox artifact has a malformed {what} signature: {error}") from None


def dtype_from_name(name: str):
    import numpy as np

    try:
        return np.dtype(name)
    except TypeError:
        import ml_dtypes  # bfloat16, float8_*

        if not hasattr(ml_dtypes, name):
            raise ArtifactError(f"hlox artifact names an unknown dtype {name!r}") from None
        return np.dtype(getattr(ml_dtypes, name))


_JSON_NODE_TYPES = {"tuple": tuple, "list": list, "dict": dict, "none": type(None)}


def treedef_to_json(treedef):
    """A frontend ``PyTreeDef`` of None/tuple/list/dict/leaf nodes as JSON."""
    node = treedef.node_data()
    if node is None:
        return "leaf"
    node_type, aux = node
    name = next((k for k, t in _JSON_NODE_TYPES.items() if t is node_type), None)
    if name == "none":
        return "none"
    children = [treedef_to_json(c) for c in treedef.children()]
    if name in ("tuple", "list"):
        return {name: children}
    if name == "dict" and all(isinstance(k, str) for k in aux):
        return {"dict": [[k, c] for k, c in zip(aux, children)]}
    raise ArtifactError(f"cannot serialize a pytree with a {node_type.__name__!r} node "
                        f"({treedef!r}): artifacts hold None/tuple/list/dict(str keys) trees")


def treedef_from_json(value):
    """The ``PyTreeDef`` a header's JSON describes; anything else is an :class:`ArtifactError`
    (a header nested deeper than Python can recurse included)."""
    try:
        return _treedef_from_json(value)
    except RecursionError:
        raise ArtifactError("hlox artifact has a pytree nested too deeply to read") from None


def _treedef_from_json(value):
    from hlox._pytree import PyTreeDef

    if value == "leaf":
        return PyTreeDef.from_node_data(None)
    if value == "none":
        return PyTreeDef.from_node_data((type(None), None))
    if isinstance(value, dict) and len(value) == 1:
        (name, children), = value.items()
        if name in ("tuple", "list") and isinstance(children, list):
            return PyTreeDef.from_node_data((_JSON_NODE_TYPES[name], None),
                                            [_treedef_from_json(c) for c in children])
        if name == "dict" and isinstance(children, list) and all(
                isinstance(c, list) and len(c) == 2 and isinstance(c[0], str) for c in children):
            return PyTreeDef.from_node_data((dict, tuple(k for k, _ in children)),
                                            [_treedef_from_json(c) for _, c in children])
    raise ArtifactError(f"hlox artifact has a malformed pytree {_abbreviated(value)}")


def _abbreviated(value, limit: int = 200) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[:limit] + "..."
