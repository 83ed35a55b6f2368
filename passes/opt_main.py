"""hlox-opt: our mlir-opt — upstream's dialects and passes plus hlox's.

    hlox-opt [FILE|-] [--pass-pipeline='builtin.module(...)'] [--PASS[=OPTS]]...
             [-o OUT] [--split-input-file] [--mlir-print-op-generic]
             [--allow-unregistered-dialect] [--list-passes]

Reads MLIR from FILE (or stdin), parses and verifies it, runs the passes in
the order given and prints the result. A parse, verify or pass error prints
its diagnostics with locations to stderr and exits with status 1. The input is
always verified before any pass runs: the MLIR bindings are built with
assertions, and invalid IR reaching a pass could abort the process.
"""

from __future__ import annotations

import re
import sys

from mlir import ir

from hlox.dialects import first_malformed, make_context, malformed_text
from hlox.passes import diagnostics, pipeline, python_passes

SPLIT_MARKER = "// -----"

USAGE = __doc__.split("\n\n")[1]


class _Failure(Exception):
    """A user-facing error: its message is printed and the exit status is 1."""


def _parse_args(argv: list[str]):
    options = {"input": None, "output": None, "split": False, "generic": False,
               "unregistered": False, "list": False}
    elements: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        elif arg == "-o":
            options["output"] = next(args, None)
            if options["output"] is None:
                raise _Failure("-o needs a file name")
        elif arg.startswith("-o="):
            options["output"] = arg[3:]
        elif arg.startswith("--pass-pipeline="):
            text = arg.split("=", 1)[1].strip()
            if text.startswith("builtin.module(") and text.endswith(")"):
                text = text[len("builtin.module("):-1]
            elements += pipeline.split_pipeline(text)
        elif arg == "--split-input-file":
            options["split"] = True
        elif arg in ("--mlir-print-op-generic", "--print-op-generic"):
            options["generic"] = True
        elif arg == "--allow-unregistered-dialect":
            options["unregistered"] = True
        elif arg == "--list-passes":
            options["list"] = True
        elif arg.startswith("--") and len(arg) > 2:
            # A pass flag, as mlir-opt takes it: --name or --name="a=1 b=2".
            name, _, opts = arg[2:].partition("=")
            elements.append(f"{name}{{{opts}}}" if opts else name)
        elif arg == "-" or not arg.startswith("-"):
            if options["input"] is not None:
                raise _Failure(f"more than one input file: {options['input']!r} and {arg!r}")
            options["input"] = arg
        else:
            raise _Failure(f"unknown option {arg!r}\n{USAGE}")
    return options, elements


def _read_input(path: str | None) -> tuple[str, str]:
    source = "<stdin>" if path in (None, "-") else path
    try:
        if path in (None, "-"):
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as error:
        raise _Failure(f"cannot read {path!r}: {error.strerror}") from None
    try:
        return data.decode("utf-8"), source
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise _Failure(f"{source}:{line}: error: the input is not UTF-8 text (byte "
                       f"{data[error.start]:#04x} at offset {error.start})") from None


_FILE_LOC = re.compile(r'^loc\("[^"]*":(\d+):(\d+)\)$')


def _where(location: ir.Location, source: str, line_offset: int) -> str:
    """`file:line:col` for a parsed location, as compilers print it."""
    match = _FILE_LOC.match(str(location))
    if match is None:
        return f"{source}: {location}"
    return f"{source}:{int(match.group(1)) + line_offset}:{match.group(2)}"


def _format_diagnostics(error: ir.MLIRError, source: str, line_offset: int) -> str:
    text = diagnostics.format_diagnostics(
        error, lambda location: _where(location, source, line_offset))
    return text or f"{source}: error: {error}"


def _process(text: str, source: str, line_offset: int, elements: list[str], options) -> str:
    context = make_context()
    context.allow_unregistered_dialects = options["unregistered"]
    literal = malformed_text(text)
    if literal:  # it would abort MLIR's parser
        raise _Failure(f"{source}: error: {literal}")
    with context, ir.Location.unknown():
        try:
            module = ir.Module.parse(text)
        except ir.MLIRError as error:
            raise _Failure(_format_diagnostics(error, source, line_offset)) from None
        # Module.parse verifies; check again so no pass ever sees bad IR.
        try:
            module.operation.verify()
        except ir.MLIRError as error:
            raise _Failure(_format_diagnostics(error, source, line_offset)) from None
        problem = first_malformed(module.operation)
        if problem:
            raise _Failure(f"{source}: error: {problem}")
        if elements:
            try:
                pm = pipeline.build(elements, context)
            except pipeline.PipelineError as error:
                raise _Failure(str(error)) from None
            try:
                pm.run(module.operation)
            except ir.MLIRError as error:
                raise _Failure(_format_diagnostics(error, source, line_offset)) from None
        return module.operation.get_asm(print_generic_op_form=options["generic"])


def _list_passes() -> str:
    lines = ["Python passes:"]
    for name, p in sorted(python_passes.all_passes().items()):
        lines.append(f"  --{name}: {p.description}")
    lines.append("C++ passes: every upstream MLIR pass, plus hlox's (see passes/README).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        options, elements = _parse_args(argv)
        import hlox.passes  # noqa: F401  (registers hlox's Python passes)

        python_passes.load_providers()  # and the backends' (entry points)

        if options["list"]:
            print(_list_passes())
            return 0
        text, source = _read_input(options["input"])
        chunks = text.split(SPLIT_MARKER) if options["split"] else [text]
        outputs, failed, line_offset = [], False, 0
        for chunk in chunks:
            try:
                outputs.append(_process(chunk, source, line_offset, elements, options))
            except _Failure as failure:
                print(str(failure), file=sys.stderr)
                failed = True
            line_offset += chunk.count("\n")
        result = f"\n{SPLIT_MARKER}\n".join(outputs)
        if options["output"]:
            _write_atomically(options["output"], result)
        else:
            sys.stdout.write(result)
        return 1 if failed else 0
    except _Failure as failure:
        print(f"hlox-opt: {failure}", file=sys.stderr)
        return 1


def _write_atomically(path: str, text: str) -> None:
    """Writes ``path`` whole or not at all; a bad path is a :class:`_Failure`."""
    import os
    import tempfile

    if os.path.isdir(path):
        raise _Failure(f"cannot write {path!r}: it is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".hlox-opt-")
    except OSError as error:
        raise _Failure(f"cannot write {path!r}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException as error:
        os.unlink(tmp)
        if isinstance(error, OSError):
            raise _Failure(f"cannot write {path!r}: {error.strerror}") from None
        raise


if __name__ == "__main__":
    sys.exit(main())
