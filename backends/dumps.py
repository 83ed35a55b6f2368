"""The per-stage dump folder: ``<dump_dir>/<function>/NNN_<stage>.mlir``.

With ``HLOX_DUMP_DIR=D`` (or ``hlox.config.dump_dir``) the compile driver
writes the module before the first pass as ``000_stablehlo.mlir`` and after
every pass; a backend adds its own stages (``.ll``, ``.s``, the text XLA got).
The input of a failing stage is kept as ``NNN_<stage>.FAILED.mlir``.

A folder's manifest (``.hlox-dump-files``) lists the files the last compilation
there wrote; the next one (another process's run of the same function) deletes
those and only those, so files a user put in the folder are never touched.
"""

from __future__ import annotations

import os
import re

_folders: dict[tuple[str, str], int] = {}  # (root, function) -> compilations so far
# What write() names its files: NNN_<stage>[.FAILED].<mlir|ll|s|...>.
_STAGE_FILE = re.compile(r"\d{3}_[^/]+\.[A-Za-z]+")
MANIFEST = ".hlox-dump-files"


class StageDumps:
    """Numbered stage files of one compilation (a no-op without a root folder)."""

    def __init__(self, root: str | None, function: str):
        self.dir = None
        if root:
            # One folder per compilation: f, f_1, f_2, ... within a process.
            # No separators, and no leading dot: a function named ".." must not make
            # the folder the dump root's parent (whose stage files would be replaced).
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", function).lstrip(".") or "fn"
            n = _folders.get((root, safe), 0)
            _folders[(root, safe)] = n + 1
            self.dir = os.path.join(root, safe if n == 0 else f"{safe}_{n}")
            os.makedirs(self.dir, exist_ok=True)
            self._remove_previous_run()

    def _remove_previous_run(self) -> None:
        """Deletes the files the manifest lists (a previous run's), then the manifest."""
        manifest = os.path.join(self.dir, MANIFEST)
        try:
            with open(manifest, encoding="utf-8") as f:
                names = f.read().splitlines()
        except FileNotFoundError:
            return
        for name in names:
            if _STAGE_FILE.fullmatch(name):  # a name in this folder, as write() makes them
                try:
                    os.unlink(os.path.join(self.dir, name))
                except FileNotFoundError:
                    pass
        os.unlink(manifest)

    def write(self, index: int, name: str, text: str, failed: bool = False,
              suffix: str = ".mlir") -> str | None:
        """Writes ``NNN_<name>[.FAILED]<suffix>``; its path (None without a folder)."""
        if self.dir is None:
            return None
        file_name = f"{index:03d}_{name}{'.FAILED' if failed else ''}{suffix}"
        # Listed before it is written: whatever this run leaves, the next run deletes.
        with open(os.path.join(self.dir, MANIFEST), "a", encoding="utf-8") as f:
            f.write(file_name + "\n")
        path = os.path.join(self.dir, file_name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path
