"""The StableHLO project's interpreter tests (``stablehlo/tests/interpret``) as programs
hlox can compile: each test function becomes a ``@main`` that returns the values its
``check.*`` ops inspect, and each check becomes a comparison in Python with the check
op's own rule (``stablehlo/tests/CheckOps.cpp`` in openxla/stablehlo).

The suite's files are not ours to commit: they are read at test time from
``$HLOX_STABLEHLO_TESTS`` or ``<repo>/.stablehlo-tests/interpret`` (an ignored folder;
``tests/fetch_stablehlo_tests.py`` fills it from an openxla/stablehlo checkout).

A test file holds cases separated by ``// -----`` (as ``--split-input-file``); a test
function takes no arguments and contains ``check.*`` ops. The rewrite is textual:

- each ``check.expect_*`` op is removed and its operands become results of ``@main``;
  the expected constant of ``*_const`` checks is parsed here, not by a backend;
- ``interpreter.probe %x`` is the identity (its value is what ``expect_serialized_eq``
  compares); a probe inside a loop (one value per iteration) is not supported;
- functions running ``interpreter.run_parallel`` (several processes) are skipped: SPMD
  execution is tested elsewhere.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from fractions import Fraction
from pathlib import Path

import ml_dtypes
import numpy as np

from hlox.backends.interpreter.attributes import dtype_of

SUITE_ENV = "HLOX_STABLEHLO_TESTS"
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DIR = REPO_ROOT / ".stablehlo-tests" / "interpret"


def suite_dir() -> Path | None:
    """The folder holding the suite's ``*.mlir`` files, or None when there is none."""
    path = Path(os.environ.get(SUITE_ENV) or DEFAULT_DIR)
    return path if path.is_dir() and any(path.rglob("*.mlir")) else None


# ---- the cases ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Check:
    """One ``check.expect_*`` op: which results of ``@main`` it compares, and how."""

    op: str                   # expect_eq, expect_eq_const, expect_almost_eq, ...
    actual: int               # index of the checked value among @main's results
    expected: int | None      # index of the expected value (two-operand checks)
    literal: str | None       # the expected ``dense<...>`` of *_const checks
    type: str                 # the checked tensor type, e.g. tensor<4xi2>
    tolerance: float = 1e-4   # expect_almost_eq*: CheckOps.td's default
    max_ulp: int = 1          # expect_close
    min_ulp: int = 0


@dataclasses.dataclass(frozen=True)
class Case:
    """One test function of the suite."""

    id: str                   # "<file>::<function>" (``#N`` for the Nth of a name)
    module: str | None        # the rewritten module, None when skipped
    checks: tuple[Check, ...]
    skip: str | None = None   # why it is not run


_FUNC = re.compile(r"func\.func\s+(?:(?:private|public|nested)\s+)?@([\w.$-]+)\s*\(")
_CHECK = re.compile(r"^\s*check\.(expect_\w+)\b", re.M)
_PROBE = re.compile(r"^(\s*)(%[\w.$-]+)\s*=\s*interpreter\.probe\s+(%[\w.$#-]+)\s*,"
                    r"\s*probe_id\s*=\s*\"([^\"]*)\"\s*:\s*([^\n]+)$", re.M)
_RETURN = re.compile(r"(?<![\w.])(?:func\.)?return\b[^\n]*")


def load_cases(root: Path) -> list[Case]:
    """Every test function of every ``*.mlir`` file under ``root``, in file order."""
    cases = []
    for path in sorted(root.rglob("*.mlir")):
        stem = path.relative_to(root).with_suffix("").as_posix()
        seen: dict[str, int] = {}
        for chunk in re.split(r"^// -----.*$", path.read_text(), flags=re.M):
            chunk = _strip_comments(chunk)
            for name, _, _, _ in _functions(chunk):
                body = _function_text(chunk, name)
                if not _CHECK.search(body):
                    continue
                seen[name] = seen.get(name, 0) + 1
                case_id = f"{stem}::{name}" + (f"#{seen[name]}" if seen[name] > 1 else "")
                cases.append(_make_case(case_id, chunk, name))
    return cases


def _strip_comments(text: str) -> str:
    out = []
    for line in text.splitlines():
        code, in_string = [], False
        for i, ch in enumerate(line):
            if ch == '"' and (i == 0 or line[i - 1] != "\\"):
                in_string = not in_string
            if not in_string and line.startswith("//", i):
                break
            code.append(ch)
        out.append("".join(code).rstrip())
    return "\n".join(out)


def _matching(text: str, start: int, open_: str, close: str) -> int:
    """Index just past the bracket closing the one at ``start`` (strings skipped)."""
    depth, i, in_string = 0, start, False
    while i < len(text):
        ch = text[i]
        if ch == '"' and text[i - 1] != "\\":
            in_string = not in_string
        elif not in_string:
            if ch == open_:
                depth += 1
            elif ch == close:
                depth -= 1
                if depth == 0:
                    return i + 1
        i += 1
    raise ValueError(f"unbalanced {open_}{close} in a suite file")


def _functions(chunk: str):
    """(name, start, args_end, end) of every func.func in ``chunk``."""
    for m in _FUNC.finditer(chunk):
        args_end = _matching(chunk, m.end() - 1, "(", ")")
        body = chunk.index("{", args_end)
        # `attributes {...}` before the body is not used by the suite
        yield m.group(1), m.start(), args_end, _matching(chunk, body, "{", "}")


def _function_text(chunk: str, name: str) -> str:
    for n, start, _, end in _functions(chunk):
        if n == name:
            return chunk[start:end]
    raise KeyError(name)


def _statement(text: str, start: int) -> int:
    """End of the (possibly multi-line) statement starting at ``start``: a line end
    with every bracket closed, not after a comma nor before a line that goes on with
    `:` or `,`."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "[(<{":
            depth += 1
        elif ch in "])>}" and not (ch == ">" and text[i - 1] == "-"):
            depth -= 1
        elif ch == "\n" and depth <= 0 and not text[start:i].rstrip().endswith(",") \
                and not text[i:].lstrip().startswith((":", ",", "{")):
            return i
        i += 1
    return i


def _make_case(case_id: str, chunk: str, name: str) -> Case:
    if "interpreter.run_parallel" in chunk:
        return Case(case_id, None, (), skip="multi-process (interpreter.run_parallel): "
                                            "SPMD execution is tested elsewhere")
    start, args_end, end = next((s, a, e) for n, s, a, e in _functions(chunk) if n == name)
    if chunk[chunk.index("(", start) + 1:args_end - 1].strip():
        return Case(case_id, None, (), skip="a test function with arguments")
    func = chunk[start:end]
    try:
        probes = {m.group(4): (m.group(3), _in_region(func, m.group(2)))
                  for m in _PROBE.finditer(func)}
        func, results, checks = _rewrite_checks(_rewrite_probes(func), probes)
    except _Unsupported as e:
        return Case(case_id, None, (), skip=str(e))
    returns = list(_RETURN.finditer(func))
    if not returns:
        raise ValueError(f"{case_id}: no func.return")
    last = returns[-1]
    values = ", ".join(v for v, _ in results)
    types = ", ".join(t for _, t in results)
    func = func[:last.start()] + f"func.return {values} : {types}" + func[last.end():]
    header_end = args_end - start
    body_open = func.index("{", header_end)
    func = (func[:func.index("@")] + "@main()" + f" -> ({types}) " + func[body_open:])
    # the test function becomes @main; a helper of that name steps aside; the chunk's
    # layout (a `module @x { ... }` around the functions) stays
    sym = lambda s: re.compile(re.escape(s) + r"(?![\w.$-])")  # noqa: E731

    def others(text):
        text = _without_checks(text)
        if name != "main":
            text = sym(f"@{name}").sub("@main", sym("@main").sub("@__suite_main", text))
        return text

    return Case(case_id, others(chunk[:start]) + func + others(chunk[end:]), tuple(checks))


class _Unsupported(Exception):
    pass


_TYPE = r"(tensor<(?:[^<>]|<[^<>]*>)*>)"
_CHECK_FORMS = {
    # op: (regex over the statement after `check.<op>`)
    "const": re.compile(r"^\s*(%[\w.$#-]+)\s*,\s*(dense<.*?>)\s*:\s*" + _TYPE + r""
                        r"\s*(?:,\s*tolerance\s*=\s*([-+0-9.eE]+))?"
                        r"\s*(?:\{\s*tolerance\s*=\s*([-+0-9.eE]+)\s*:\s*f64\s*\})?\s*$", re.S),
    "pair": re.compile(r"^\s*(%[\w.$#-]+)\s*,\s*(%[\w.$#-]+)"
                       r"\s*(?:,\s*tolerance\s*=\s*([-+0-9.eE]+))?\s*(?:\{[^}]*\})?"
                       r"\s*:\s*" + _TYPE + r"\s*$", re.S),
    "close": re.compile(r"^\s*(%[\w.$#-]+)\s*,\s*(%[\w.$#-]+)\s*,\s*max_ulp_difference\s*=\s*(\d+)"
                        r"\s*(?:,\s*min_ulp_difference\s*=\s*(\d+))?\s*:\s*" + _TYPE +
                        r"\s*,\s*" + _TYPE + r"\s*$", re.S),
    "serialized": re.compile(r"^\s*(%[\w.$#-]+)\s*,\s*probe_id\s*=\s*\"([^\"]*)\""
                             r"\s*(?:,\s*iter\s*=\s*(\d+))?\s*:\s*" + _TYPE + r"\s*$", re.S),
}


def _rewrite_checks(func: str, probes: dict):
    """Removes the check ops; returns (func, [(value, type) to return], [Check]).
    ``probes``: probe id -> (probed value, whether the probe is inside a region)."""
    results: list[tuple[str, str]] = []
    checks: list[Check] = []

    def result(value, type_):
        results.append((value, type_))
        return len(results) - 1

    out, pos = [], 0
    for m in _CHECK.finditer(func):
        stmt_end = _statement(func, m.end())
        op, operands = m.group(1), func[m.end():stmt_end]
        out.append(func[pos:m.start()])
        pos = stmt_end
        if op in ("expect_eq_const", "expect_almost_eq_const"):
            g = _CHECK_FORMS["const"].match(operands)
            if not g:
                raise ValueError(f"unrecognized check.{op}:{operands}")
            tol = g.group(4) or g.group(5)
            checks.append(Check(op, result(g.group(1), g.group(3)), None, g.group(2), g.group(3),
                                tolerance=float(tol) if tol else 1e-4))
        elif op in ("expect_eq", "expect_almost_eq"):
            g = _CHECK_FORMS["pair"].match(operands)
            if not g:
                raise ValueError(f"unrecognized check.{op}:{operands}")
            checks.append(Check(op, result(g.group(1), g.group(4)), result(g.group(2), g.group(4)),
                                None, g.group(4),
                                tolerance=float(g.group(3)) if g.group(3) else 1e-4))
        elif op == "expect_close":
            g = _CHECK_FORMS["close"].match(operands)
            if not g:
                raise ValueError(f"unrecognized check.{op}:{operands}")
            checks.append(Check(op, result(g.group(1), g.group(5)), result(g.group(2), g.group(5)),
                                None, g.group(5), max_ulp=int(g.group(3)),
                                min_ulp=int(g.group(4) or 0)))
        elif op == "expect_serialized_eq":
            g = _CHECK_FORMS["serialized"].match(operands)
            if not g:
                raise ValueError(f"unrecognized check.{op}:{operands}")
            probe = probes.get(g.group(2))
            if probe is None or int(g.group(3) or 0) != 0 or probe[1]:
                raise _Unsupported("a probe inside a loop (one value per iteration): the "
                                   "harness reads a probe's single top-level value")
            # the probed value (the probe's operand) against the checked operand
            checks.append(Check("expect_eq", result(g.group(1), g.group(4)),
                                result(probe[0], g.group(4)), None, g.group(4)))
        else:
            raise ValueError(f"unknown check op check.{op}")
    out.append(func[pos:])
    return "".join(out), results, checks


def _in_region(func: str, value: str) -> bool:
    """Whether ``value`` is defined inside a nested region of the function."""
    m = re.search(re.escape(value) + r"\s*=", func)
    if not m:
        return False
    body = func.index("{")
    depth = func[body:m.start()].count("{") - func[body:m.start()].count("}")
    return depth > 1


def _rewrite_probes(func: str) -> str:
    """``%y = interpreter.probe %x`` -> every use of %y reads %x."""
    for m in reversed(list(_PROBE.finditer(func))):
        result, operand = m.group(2), m.group(3)
        func = func[:m.start()] + func[m.end():]
        func = re.sub(re.escape(result) + r"(?![\w.$-])", operand, func)
    return func


def _without_checks(text: str) -> str:
    out, pos = [], 0
    for m in _CHECK.finditer(text):
        out.append(text[pos:m.start()])
        pos = _statement(text, m.end())
    out.append(text[pos:])
    return _rewrite_probes("".join(out))


# ---- expected values ----------------------------------------------------------------


def tensor_type(text: str) -> tuple[tuple[int, ...], np.dtype, str]:
    """``tensor<2x3xf32>`` -> ((2, 3), float32, "f32")."""
    inner = re.fullmatch(r"tensor<(.*)>", text.strip()).group(1)
    if "complex" in inner:
        head, element = inner.split("complex", 1)
        dims, element = head.split("x"), "complex" + element
    else:
        *dims, element = inner.split("x")
    return tuple(int(d) for d in dims if d), np.dtype(dtype_of(element)), element


_TOKEN = re.compile(r"\(|\)|\[|\]|,|true|false|0x[0-9A-Fa-f]+|[-+]?(?:inf|nan|\d+\.?\d*(?:[eE][-+]?\d+)?)")


def parse_dense(literal: str, type_text: str) -> np.ndarray:
    """The value of ``dense<...>`` of type ``type_text``, read as MLIR's parser does
    (a decimal float is read as a double, then rounded to the element type, nearest
    even; a hex integer in a float tensor is the element's bit pattern)."""
    shape, dtype, element = tensor_type(type_text)
    body = re.fullmatch(r"dense<(.*)>", literal.strip(), re.S).group(1).strip()
    size = math.prod(shape)
    if body.startswith('"0x'):  # the raw data, little-endian
        raw = bytes.fromhex(body[3:-1])
        if len(raw) == dtype.itemsize:
            return np.full(shape, np.frombuffer(raw, dtype)[0], dtype)
        return np.frombuffer(raw, dtype).reshape(shape).copy()
    values = _flat_values(body, element, dtype)
    if len(values) == 1 and size != 1:
        values = values * size
    if len(values) != size:
        raise ValueError(f"dense literal has {len(values)} elements, {type_text} needs {size}")
    return np.array(values, dtype).reshape(shape)


def _flat_values(body: str, element: str, dtype: np.dtype) -> list:
    tokens = [t for t in _TOKEN.findall(body) if t not in "[],"]
    if element.startswith("complex"):
        part = np.dtype(np.float32 if dtype == np.complex64 else np.float64)
        numbers = [t for t in tokens if t not in "()"]
        reals = [_element(t, part) for t in numbers[0::2]]
        imags = [_element(t, part) for t in numbers[1::2]]
        return [complex(r, i) for r, i in zip(reals, imags)]
    return [_element(t, dtype) for t in tokens]


def _element(token: str, dtype: np.dtype):
    if token in ("true", "false"):
        return token == "true"
    if dtype.kind in "iub" or "int" in dtype.name:  # (ml_dtypes' int2/int4 are kind "V")
        return int(token, 16) if token.startswith("0x") else int(token)
    if token.startswith("0x"):  # a float's bit pattern
        uint = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[dtype.itemsize]
        return np.array([int(token, 16)], uint).view(dtype)[0]
    return round_to(float(token), dtype)


def round_to(value: float, dtype: np.dtype):
    """``value`` (a double) rounded to ``dtype``, nearest even, exactly (ml_dtypes may
    round a double through float32); the sign is kept, as APFloat keeps it."""
    first = np.array([value]).astype(dtype)
    if value == 0 and not math.isfinite(float(first.astype(np.float64)[0])):
        # a type without zero (f8E8M0FNU): APFloat rounds 0 to the smallest value
        return np.array([ml_dtypes.finfo(dtype).tiny]).astype(dtype)[0]
    if not math.isfinite(value) or dtype == np.float64 or \
            not math.isfinite(float(first.astype(np.float64)[0])):
        return first[0]  # (overflow: as ml_dtypes)
    uint = {1: np.uint8, 2: np.uint16, 4: np.uint32}[dtype.itemsize]
    magnitude = abs(value)
    bits = int(np.array([magnitude]).astype(dtype).view(uint)[0])
    best = None
    # positive values are ordered as their codes: the nearest is this one or a neighbour
    for code in (bits - 1, bits, bits + 1):
        if not 0 <= code < 1 << ml_dtypes.finfo(dtype).bits:
            continue
        candidate = np.array([code], uint).view(dtype)
        as_float = float(candidate.astype(np.float64)[0])
        if not math.isfinite(as_float):
            continue
        key = (abs(Fraction(as_float) - Fraction(magnitude)), code & 1)  # ties to even
        if best is None or key < best[0]:
            best = (key, candidate)
    rounded = best[1] if best is not None else np.array([magnitude]).astype(dtype)
    return (-rounded if math.copysign(1.0, value) < 0 else rounded)[0]


# ---- the check ops' rules -----------------------------------------------------------


def mismatch(check: Check, actual: np.ndarray, expected: np.ndarray) -> str | None:
    """None when ``actual`` passes ``check`` against ``expected``, else what differs."""
    shape, dtype, _ = tensor_type(check.type)
    actual = np.asarray(actual)
    if actual.dtype != dtype or actual.shape != shape:
        return f"result is {actual.dtype}{list(actual.shape)}, {check.type} expected"
    if check.op in ("expect_eq", "expect_eq_const"):
        ok = _equal(actual, expected)
    elif check.op in ("expect_almost_eq", "expect_almost_eq_const"):
        ok = _almost_equal(actual, expected, check.tolerance)
    elif check.op == "expect_close":
        ulps = _ulp_difference(actual, expected)
        ok = (ulps >= check.min_ulp) & (ulps <= check.max_ulp)
    else:
        raise ValueError(check.op)
    if np.all(ok):
        return None
    bad = np.argwhere(~np.asarray(ok).reshape(shape))[:5]
    where = "; ".join(f"at {tuple(int(i) for i in idx)}: {actual[tuple(idx)]!r} (actual) vs "
                      f"{expected[tuple(idx)]!r} (expected)" for idx in bad)
    return f"check.{check.op} fails ({int(np.size(ok) - np.count_nonzero(ok))} elements): {where}"


def _parts(x: np.ndarray):
    """Real and imaginary parts (floats as float64, exactly) or the value itself."""
    if x.dtype.kind == "c":
        return [x.real.astype(np.float64), x.imag.astype(np.float64)]
    if x.dtype.kind in "iub":
        return [x.astype(object) if x.dtype.kind == "u" else x.astype(np.int64)]
    return [x.astype(np.float64)]


def _equal(a, b):
    # Element::operator==: integers and booleans by value, floats by IEEE equality
    # (-0 == 0, NaN != NaN), complex part by part
    return np.logical_and.reduce([x == y for x, y in zip(_parts(a), _parts(b))])


def _almost_equal(a, b, tolerance):
    # areApproximatelyEqual: equal, or both NaN, or both finite within `tolerance`
    # (absolute); complex part by part
    out = []
    for x, y in zip(_parts(a), _parts(b)):
        with np.errstate(invalid="ignore", over="ignore"):
            out.append((x == y) | (np.isnan(x) & np.isnan(y)) |
                       (np.isfinite(x) & np.isfinite(y) & (np.abs(x - y) <= tolerance)))
    return np.logical_and.reduce(out)


def _ulp_difference(a, b):
    # ULPDifference: 0 when bitwise equal or both NaN; between finite values the
    # number of representable values between them; otherwise the maximum
    if a.dtype.kind == "c":
        part = np.float32 if a.dtype == np.complex64 else np.float64
        return np.maximum(_ulp_difference(a.real.astype(part), b.real.astype(part)),
                          _ulp_difference(a.imag.astype(part), b.imag.astype(part)))
    uint = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}[a.dtype.itemsize]
    mag_a = np.abs(a).view(uint).astype(object)
    mag_b = np.abs(b).view(uint).astype(object)
    neg_a, neg_b = np.signbit(a.astype(np.float64)), np.signbit(b.astype(np.float64))
    dist = np.where(neg_a != neg_b, mag_a + mag_b, np.abs(mag_a - mag_b))
    fa, fb = a.astype(np.float64), b.astype(np.float64)
    finite = np.isfinite(fa) & np.isfinite(fb)
    same_bits = a.view(uint) == b.view(uint)
    both_nan = np.isnan(fa) & np.isnan(fb)
    big = 2 ** 64 - 1
    return np.where(same_bits | both_nan, 0, np.where(finite, dist, big))

