"""Compilation caches: in memory, on disk, concurrent writers, foreign and corrupt entries."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import hlox
import hlox.numpy as jnp
from hlox.backends import artifact, compile_cache

from conftest import assert_close, rand


def f(x, y):
    return jnp.exp(x) * y + 1.0


X, Y = rand((3, 5), seed=1), rand((3, 5), seed=2)
TEXT = hlox.jit(f).lower(X, Y).as_text()


def expected():
    return np.exp(X) * Y + np.float32(1)


@pytest.fixture
def cache_dir(tmp_path):
    compile_cache.clear_memory()
    hlox.config.update("cache_dir", tmp_path / "cache")
    yield tmp_path / "cache"
    hlox.config.update("cache_dir", None)
    compile_cache.clear_memory()


def entries(folder):
    return sorted(n for n in os.listdir(folder)) if os.path.isdir(folder) else []


def test_memory_cache_reuses_the_executable():
    compile_cache.clear_memory()
    first = hlox.compile_stablehlo(TEXT)
    hits = compile_cache.stats["memory_hits"]
    second = hlox.compile_stablehlo(TEXT)
    assert second.executable is first.executable
    assert compile_cache.stats["memory_hits"] == hits + 1
    other = hlox.compile_stablehlo(TEXT, name="other", unroll=2)  # other options: a miss
    assert other.executable is not first.executable


def test_every_backend_shares_the_memory_cache():
    """The cache is the compile driver's: a second compilation of the same program on
    the interpreter (which has no cache of its own) is a hit too."""
    compile_cache.clear_memory()
    first = hlox.compile_stablehlo(TEXT, backend="interpreter")
    hits = compile_cache.stats["memory_hits"]
    second = hlox.compile_stablehlo(TEXT, backend="interpreter")
    assert second.executable is first.executable
    assert compile_cache.stats["memory_hits"] == hits + 1
    assert hlox.compile_stablehlo(TEXT).executable is not first.executable  # (another backend)
    assert_close(second(X, Y)[0], expected())
    assert_close(second(X, Y)[0], expected())


def test_disk_cache_round_trip(cache_dir):
    misses = compile_cache.stats["misses"]
    assert_close(hlox.compile_stablehlo(TEXT)(X, Y)[0], expected())
    assert compile_cache.stats["misses"] == misses + 1
    (entry,) = entries(cache_dir)
    assert entry.endswith(".hlox")
    compile_cache.clear_memory()
    hits = compile_cache.stats["disk_hits"]
    assert_close(hlox.compile_stablehlo(TEXT)(X, Y)[0], expected())
    assert compile_cache.stats["disk_hits"] == hits + 1


def test_corrupt_entry_is_ignored_and_rebuilt(cache_dir):
    hlox.compile_stablehlo(TEXT)
    (entry,) = entries(cache_dir)
    path = cache_dir / entry
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    compile_cache.clear_memory()
    with pytest.warns(RuntimeWarning, match="ignoring cache entry .* truncated"):
        result = hlox.compile_stablehlo(TEXT)(X, Y)[0]
    assert_close(result, expected())
    assert path.read_bytes() != data[: len(data) // 3]
    artifact.unpack(path.read_bytes())  # rewritten whole


def test_entry_of_another_version_is_never_served(cache_dir):
    hlox.compile_stablehlo(TEXT)
    (entry,) = entries(cache_dir)
    path = cache_dir / entry
    art = artifact.unpack(path.read_bytes())
    # An entry that claims another hlox under this one's name (a hash collision, or a
    # file copied between caches) is refused when read, and rebuilt.
    path.write_bytes(artifact.pack(dict(art.header, hlox_version="0.0.1-other"), art.payload))
    compile_cache.clear_memory()
    with pytest.warns(RuntimeWarning, match="hlox version"):
        hlox.compile_stablehlo(TEXT)
    assert artifact.unpack(path.read_bytes()).header["hlox_version"] == hlox.__version__


def g(x, y):
    return x - y


def test_entry_of_another_program_is_never_served(cache_dir):
    """Another function's entry copied onto this one's key is refused (its header names
    the program it was compiled from), rebuilt, and this program's numbers come out."""
    hlox.compile_stablehlo(TEXT)
    (f_entry,) = entries(cache_dir)
    hlox.jit(g)(X, Y)
    (g_entry,) = [e for e in entries(cache_dir) if e != f_entry]
    (cache_dir / f_entry).write_bytes((cache_dir / g_entry).read_bytes())
    compile_cache.clear_memory()
    with pytest.warns(RuntimeWarning, match="compiled from another program"):
        result = hlox.compile_stablehlo(TEXT)(X, Y)[0]
    assert_close(result, expected())


def test_cache_folder_writable_by_others_is_not_used(cache_dir):
    os.makedirs(cache_dir)
    os.chmod(cache_dir, 0o777)
    misses = compile_cache.stats["misses"]
    with pytest.warns(RuntimeWarning, match="writable by other users"):
        assert_close(hlox.compile_stablehlo(TEXT)(X, Y)[0], expected())
    assert entries(cache_dir) == []  # nothing read or written there
    compile_cache.clear_memory()
    with pytest.warns(RuntimeWarning, match="writable by other users"):
        hlox.compile_stablehlo(TEXT)
    assert compile_cache.stats["misses"] == misses + 2


def test_another_version_uses_another_key(cache_dir, monkeypatch):
    hlox.compile_stablehlo(TEXT)
    compile_cache.clear_memory()
    monkeypatch.setattr(artifact, "hlox_version", lambda: "99.0")  # (read from the metadata)
    misses = compile_cache.stats["misses"]
    hlox.compile_stablehlo(TEXT)
    assert compile_cache.stats["misses"] == misses + 1
    assert len(entries(cache_dir)) == 2


_WRITER = textwrap.dedent("""
    import sys, numpy as np, hlox
    from hlox.backends import compile_cache
    x = np.load(sys.argv[2])
    out = hlox.compile_stablehlo(open(sys.argv[1]).read())(x["x"], x["y"])[0]
    np.save(sys.argv[3], out)
    print(compile_cache.stats["misses"], compile_cache.stats["disk_hits"])
""")


def test_concurrent_writers_share_one_entry(tmp_path):
    (tmp_path / "f.mlir").write_text(TEXT)
    np.savez(tmp_path / "in.npz", x=X, y=Y)
    env = dict(os.environ, HLOX_CACHE_DIR=str(tmp_path / "cache"), HLOX_DUMP_DIR="")

    def start(i):
        return subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path / "f.mlir"),
                                 str(tmp_path / "in.npz"), str(tmp_path / f"out{i}.npy")],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)

    writers = [start(i) for i in range(3)]
    for writer in writers:
        assert writer.wait(timeout=300) == 0
    for i in range(3):
        assert_close(np.load(tmp_path / f"out{i}.npy"), expected())
    names = entries(tmp_path / "cache")
    assert len(names) == 1 and names[0].endswith(".hlox")  # no temporary files left
    artifact.unpack((tmp_path / "cache" / names[0]).read_bytes())
    late = start(3)
    assert late.wait(timeout=300) == 0
    assert late.stdout.read().split() == ["0", "1"]  # served from disk


def test_stages_are_available_with_a_disk_cache(cache_dir):
    hlox.jit(f).lower(X, Y).compile()  # fills the cache
    compile_cache.clear_memory()
    compiled = hlox.jit(f).lower(X, Y).compile()  # an artifact from disk: no IR
    with pytest.raises(ValueError, match="keeps no 'asm' IR"):
        compiled.as_text("asm")
    assert "_mlir_ciface_main" in hlox.jit(f).lower(X, Y).as_text("asm")
