"""The ``hlox`` command: compile StableHLO ahead of time, run an artifact.

    hlox compile IN.mlir --backend cpu -o OUT.hlox [--dump-dir D]
    hlox run OUT.hlox --inputs in.npz [--output out.npz]

``IN.mlir`` is StableHLO text (generic or pretty, as JAX prints it) with a
public ``@main``. ``in.npz`` holds one array per argument of ``@main``: saved
positionally (``np.savez(f, x, y)``: ``arr_0``, ``arr_1``, ...) or by name, in
argument order. Results go to ``out.npz`` as ``out_0``, ``out_1``, ... or are
printed. Files are written atomically (a temporary file renamed into place).

Exit status: 0 success, 1 compilation/artifact/runtime error, 2 bad usage
or unreadable input files.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

EXIT_ERROR, EXIT_USAGE = 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def _write_atomic(path: str, write) -> None:
    """Calls ``write(file)`` on a temporary file next to ``path``, then renames it."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".hlox-tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _compile(args) -> int:
    from hlox import backends
    from hlox.backends import aot, compiler
    from hlox.backends.base import CompileOptions
    from hlox.config import config

    try:
        with open(args.input, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CliError(f"cannot read {args.input}: {error}", EXIT_USAGE) from None
    if args.dump_dir:
        config.dump_dir = args.dump_dir
    try:
        backend = backends.get(args.backend)
    except backends.UnknownBackendError as error:
        raise CliError(str(error), EXIT_USAGE) from None
    name = os.path.splitext(os.path.basename(args.input))[0] or "main"
    try:
        executable, _ = compiler.compile(text, backend, CompileOptions(name=name))
        data = aot.serialize_executable(backend, executable, name)
    except NotImplementedError as error:
        raise CliError(str(error)) from None
    except Exception as error:  # noqa: BLE001  (backend errors name their stage)
        raise CliError(f"compiling {args.input} failed: {type(error).__name__}: {error}") \
            from None
    try:
        _write_atomic(args.output, lambda f: f.write(data))
    except OSError as error:
        raise CliError(f"cannot write {args.output}: {error}") from None
    print(f"hlox: wrote {args.output} ({len(data)} bytes; {name}: "
          f"{len(executable.in_specs)} inputs)", file=sys.stderr)
    return 0


def _read_inputs(path: str | None, count: int) -> list:
    import numpy as np

    if path is None:
        if count:
            raise CliError(f"the artifact takes {count} inputs: pass --inputs in.npz",
                           EXIT_USAGE)
        return []
    try:
        with np.load(path, allow_pickle=False) as npz:
            names = list(npz.files)
            positional = [f"arr_{i}" for i in range(len(names))]
            if sorted(names) == sorted(positional):
                names = positional
            arrays = [npz[n] for n in names]
    except (OSError, ValueError) as error:
        raise CliError(f"cannot read inputs {path}: {error}", EXIT_USAGE) from None
    if len(arrays) != count:
        raise CliError(f"{path} holds {len(arrays)} arrays ({', '.join(names)}); the "
                       f"artifact takes {count}", EXIT_USAGE)
    return arrays


def _run(args) -> int:
    import numpy as np

    from hlox.backends import aot

    try:
        with open(args.artifact, "rb") as f:
            data = f.read()
    except OSError as error:
        raise CliError(f"cannot read {args.artifact}: {error}", EXIT_USAGE) from None
    try:
        fn = aot.deserialize(data)
    except aot.ArtifactError as error:
        raise CliError(f"{args.artifact}: {error}") from None
    arrays = _read_inputs(args.inputs, len(fn.in_specs))
    for i, (array, (shape, dtype)) in enumerate(zip(arrays, fn.in_specs)):
        if tuple(array.shape) != shape:
            raise CliError(f"input {i} has shape {tuple(array.shape)}, the artifact takes "
                           f"{dtype.name}{list(shape)}", EXIT_USAGE)
        if array.dtype != dtype:  # never cast: int32 into float32 is a wrong input
            raise CliError(f"input {i} has dtype {array.dtype}, the artifact takes "
                           f"{dtype.name}{list(shape)}", EXIT_USAGE)
    outs = fn.call_flat(arrays)
    if args.output:
        def write(f):
            np.savez(f, **{f"out_{i}": out for i, out in enumerate(outs)})
        try:
            _write_atomic(args.output, write)
        except OSError as error:
            raise CliError(f"cannot write {args.output}: {error}") from None
    else:
        for i, out in enumerate(outs):
            print(f"out_{i}: {out.dtype.name}{list(out.shape)}")
            print(np.array2string(out, threshold=1000))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hlox", description="hlox ahead-of-time compiler")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compile", help="compile StableHLO text to an artifact")
    c.add_argument("input", help="StableHLO text (.mlir) with a public @main")
    c.add_argument("--backend", default="cpu", help="backend name (default: cpu)")
    c.add_argument("-o", "--output", required=True, help="artifact to write (.hlox)")
    c.add_argument("--dump-dir", help="write the IR after every stage into this folder")
    c.set_defaults(func=_compile)
    r = sub.add_parser("run", help="run an artifact on arrays from an .npz file")
    r.add_argument("artifact", help="an artifact from 'hlox compile' or Compiled.serialize()")
    r.add_argument("--inputs", help=".npz with one array per argument, in order")
    r.add_argument("--output", help=".npz to write the results to (default: print them)")
    r.set_defaults(func=_run)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as error:
        print(f"hlox {args.command}: error: {error}", file=sys.stderr)
        return error.code


if __name__ == "__main__":
    sys.exit(main())
