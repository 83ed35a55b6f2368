"""Copies the StableHLO project's interpreter tests (``stablehlo/tests/interpret`` of
openxla/stablehlo) into ``.stablehlo-tests/interpret`` (ignored by git), where
``tests/python/backends/test_stablehlo_interpret_suite.py`` reads them. They are not
committed here: they belong to the StableHLO project (Apache 2.0).

    python tests/fetch_stablehlo_tests.py PATH [--rev REV] [--dest DIR]

PATH is a checkout of openxla/stablehlo (a work tree, or a bare/mirror git directory,
read at ``--rev``, default HEAD). Any file already in DIR is replaced.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

SUITE = "stablehlo/tests/interpret"
DEFAULT_DEST = Path(__file__).resolve().parents[1] / ".stablehlo-tests" / "interpret"


def fetch(source: Path, dest: Path, rev: str | None = None) -> int:
    """Copies the suite from ``source`` into ``dest``; returns how many files."""
    work_tree = source / SUITE
    if rev is None and work_tree.is_dir():
        files = {p.relative_to(work_tree): p.read_bytes() for p in work_tree.rglob("*.mlir")}
    else:
        # only the suite's tree is read: a partial clone may lack other blobs
        tar = subprocess.run(["git", "-C", str(source), "archive", "--format=tar",
                              f"{rev or 'HEAD'}:{SUITE}"], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            files = {Path(m.name): archive.extractfile(m).read()
                     for m in archive.getmembers() if m.isfile() and m.name.endswith(".mlir")}
    if not files:
        raise SystemExit(f"no {SUITE}/*.mlir in {source}")
    if dest.exists():
        shutil.rmtree(dest)
    for relative, data in files.items():
        (dest / relative).parent.mkdir(parents=True, exist_ok=True)
        (dest / relative).write_bytes(data)
    return len(files)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="an openxla/stablehlo checkout or git directory")
    parser.add_argument("--rev", help="the revision to read (a git directory: default HEAD)")
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    try:
        count = fetch(args.source, args.dest, args.rev)
    except subprocess.CalledProcessError as e:
        print(f"git archive failed: {e.stderr.decode(errors='replace').strip()}", file=sys.stderr)
        return 1
    print(f"{count} files -> {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
