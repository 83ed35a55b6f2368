"""Compilation caches for every backend: in memory, and opt-in on disk.

The key is a SHA-256 of the module text, the backend, its pass pipeline and the
compile options (the *fingerprint*; :mod:`hlox.backends.compiler` makes it).
In memory, a fingerprint maps to what was compiled for it. On disk
(``HLOX_CACHE_DIR`` or ``hlox.config.update("cache_dir", D)``), for backends
that serialize executables and name their target (``cache_target()``: for
``cpu``, the LLVM version and the host CPU), an entry is an AOT artifact named
by the fingerprint hashed together with the hlox version and that target, so
another hlox, LLVM or host never finds this one's entries; the artifact's own
header is checked again when it is read.

Entries are written to a temporary file in the same folder and renamed into
place (``os.replace`` is atomic): concurrent writers each publish a complete
entry, and a reader sees an old complete entry, a new complete one, or none.
A corrupt or foreign entry is ignored with a warning and rebuilt.

With a dump folder set (``HLOX_DUMP_DIR``) both caches are skipped: a user
asking for the IR of every stage gets it written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
import threading
import warnings
from collections import OrderedDict

from hlox.backends import artifact

MEMORY_ENTRIES = 256  # compiled executables kept in memory (least recently used dropped)

# (fingerprint, id(backend)) -> (what was compiled, the backend): an executable belongs
# to the backend object that made it (its client, its devices), which the entry keeps
# alive so that its id is not reused.
_memory: "OrderedDict[tuple, tuple]" = OrderedDict()
_lock = threading.Lock()
stats = {"memory_hits": 0, "disk_hits": 0, "misses": 0, "disk_errors": 0}


def fingerprint(text: str, pipeline: list[str], options: dict) -> str:
    h = hashlib.sha256()
    h.update(text.encode("utf-8"))
    h.update(b"\0")
    h.update(json.dumps({"pipeline": list(pipeline), "options": options},
                        sort_keys=True, default=repr).encode("utf-8"))
    return h.hexdigest()


def disk_key(fp: str, target: str) -> str:
    """The file name of ``fp``'s entry for this hlox and ``target``."""
    parts = [fp, artifact.hlox_version(), target, str(artifact.FORMAT_VERSION)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


_local = threading.local()


@contextlib.contextmanager
def disabled():
    """Within it, compilations neither read nor write either cache (to get a
    fresh executable that keeps the IR of every stage)."""
    before = getattr(_local, "disabled", False)
    _local.disabled = True
    try:
        yield
    finally:
        _local.disabled = before


def clear_memory() -> None:
    with _lock:
        _memory.clear()


def bypassed() -> bool:
    """Whether compilations skip both caches now (a dump folder, or :func:`disabled`)."""
    from hlox.config import config

    return bool(config.dump_dir) or getattr(_local, "disabled", False)


def lookup_or_compile(fp: str, name: str, compile_fn, serialize_fn, load_fn,
                      target: str | None = None, owner=None):
    """What was compiled for fingerprint ``fp``: from memory, from disk, or ``compile_fn()``.

    ``serialize_fn(result) -> bytes`` writes a new disk entry;
    ``load_fn(bytes) -> result`` reads one (raising ``ArtifactError`` when bad).
    ``target``: what else the disk entry is keyed on (None: memory only).
    ``owner``: the backend object; in memory, each one has its own entries.
    """
    from hlox.config import config

    if bypassed():
        return compile_fn()
    with _lock:
        key = (fp, id(owner))
        entry = _memory.get(key)
        if entry is not None:
            _memory.move_to_end(key)
            stats["memory_hits"] += 1
            return entry[0]
    executable = None
    path = None
    if config.cache_dir and target is not None and _safe_folder(str(config.cache_dir)):
        path = os.path.join(config.cache_dir, disk_key(fp, target) + ".hlox")
        executable = _read(path, name, load_fn)
    if executable is None:
        stats["misses"] += 1
        executable = compile_fn()
        if path is not None:
            _write(path, name, executable, serialize_fn)
    with _lock:
        _memory[key] = (executable, owner)
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)
    return executable


def _safe_folder(folder: str) -> bool:
    """Whether entries may be read from and written to ``folder``: entries are native code
    that runs in this process, so a folder another user can write to (world-writable, or
    owned by another user than this one or root) is not used, with a warning."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return True  # made by _write, private to this user
    except OSError as error:
        warnings.warn(f"hlox: cannot use cache folder {folder}: {error}", RuntimeWarning,
                      stacklevel=4)
        return False
    problem = None
    if info.st_mode & stat.S_IWOTH:
        problem = "is writable by other users"
    elif hasattr(os, "getuid") and info.st_uid not in (os.getuid(), 0):
        problem = f"belongs to another user (uid {info.st_uid})"
    if problem:
        warnings.warn(f"hlox: not using cache folder {folder}: it {problem}, and its entries "
                      "are code this process would run (chmod o-w, or another folder)",
                      RuntimeWarning, stacklevel=4)
        return False
    return True


def _read(path: str, name: str, load_fn):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        warnings.warn(f"hlox: cannot read cache entry {path} for '{name}': {error}",
                      RuntimeWarning, stacklevel=4)
        return None
    try:
        executable = load_fn(data)
    except artifact.ArtifactError as error:
        stats["disk_errors"] += 1
        warnings.warn(f"hlox: ignoring cache entry {path} for '{name}' and recompiling: "
                      f"{error}", RuntimeWarning, stacklevel=4)
        return None
    stats["disk_hits"] += 1
    return executable


def _write(path: str, name: str, executable, serialize_fn) -> None:
    try:
        data = serialize_fn(executable)
    except NotImplementedError:
        return
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".hlox")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)  # atomic: readers never see a partial entry
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError as error:
        warnings.warn(f"hlox: cannot write cache entry {path} for '{name}': {error}",
                      RuntimeWarning, stacklevel=4)
