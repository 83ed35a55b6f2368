"""Fuzz test (issue 13, item 4): mutated JAX-lowered modules never kill the process.

Seeds are programs of the JAX corpus (``jax_programs.py``) as JAX prints them.
Each mutant changes one thing (seeded, so a failure reproduces): a constant's
literal, an element type, a dimension of a type, an integer inside an
attribute, deletes an op, swaps two operands, or truncates the text. A child
process (``fuzz_child.py``, its address space limited) parses, verifies,
compiles on ``cpu`` and runs each; it must never die of a signal or hang, and
every mutant that fails must fail with a Python exception carrying a message.
"""

from __future__ import annotations

import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading

import pytest

jax = pytest.importorskip("jax")

import jax_programs  # noqa: E402

SEED = 13
MUTANTS_PER_SEED = 24
SEED_PROGRAMS = 14
ADDRESS_SPACE = 16 << 30  # the child's RLIMIT_AS: a huge buffer fails instead of swapping
CHILD = os.path.join(os.path.dirname(__file__), "fuzz_child.py")

TYPES = ["i1", "i4", "i8", "i32", "i64", "ui8", "ui32", "f16", "bf16", "f32", "f64",
         "complex<f32>", "f8E4M3FN", "i2"]
LITERALS = ["0", "-1", "1.5", "nan", "0x7FC00000", "true", "1e400", "9223372036854775808",
            "-3.4e38", "\"s\"", "[1, 2]", "0xFFFFFFFFFFFFFFFFFF"]
DIMENSIONS = ["0", "1", "3", "5", "8", "?", "-1", "4294967296", "9223372036854775807"]

_FUNCTION_OP = re.compile(r"^\s+(%[\w#:, ]+= )?\"?stablehlo\.|^\s+%\S+ = ", re.M)


def mutate(text: str, rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:  # a constant's literal
        spots = [m for m in re.finditer(r"dense<([^<>]*)>", text)]
        if spots:
            m = rng.choice(spots)
            return text[:m.start(1)] + rng.choice(LITERALS) + text[m.end(1):]
    if kind == 1:  # an element type, everywhere (so that the module may still verify)
        found = sorted(set(re.findall(r"x(i1|i8|i32|i64|ui32|f16|bf16|f32|f64)>", text)))
        if found:
            old, new = rng.choice(found), rng.choice(TYPES)
            return re.sub(rf"(?<=[<x]){old}>", f"{new}>", text)
    if kind == 2:  # a dimension size, everywhere or once
        found = sorted(set(re.findall(r"(?<=[<x])(\d+)(?=x)", text)))
        if found:
            old, new = rng.choice(found), rng.choice(DIMENSIONS)
            pattern = re.compile(rf"(?<=[<x]){old}(?=x)")
            return pattern.sub(new, text, count=rng.choice([0, 1]))
    if kind == 3:  # an integer inside an attribute (dimensions, slice bounds, ...)
        spots = [m for m in re.finditer(r"(?:\[|array<i64: |, |= )(\d+)(?=[,\]>]| : i)", text)]
        if spots:
            m = rng.choice(spots)
            return text[:m.start(1)] + str(rng.choice([0, 1, 2, 3, 7, 64, -1, 1 << 40])) + \
                text[m.end(1):]
    if kind == 4:  # delete an op
        lines = text.split("\n")
        ops = [i for i, line in enumerate(lines) if " = " in line and "func.func" not in line]
        if ops:
            del lines[rng.choice(ops)]
            return "\n".join(lines)
    if kind == 5:  # swap two operands of an op
        lines = text.split("\n")
        ops = [i for i, line in enumerate(lines) if len(re.findall(r"%[\w#]+", line)) >= 3]
        if ops:
            i = rng.choice(ops)
            names = re.findall(r"%[\w#]+", lines[i])[1:]
            a, b = rng.sample(names, 2) if len(set(names)) >= 2 else (names[0], names[0])
            lines[i] = lines[i].replace(a, "\0").replace(b, a).replace("\0", b)
            return "\n".join(lines)
    return text[:rng.randrange(len(text))]  # truncate


def seeds() -> list[str]:
    programs = sorted(jax_programs.programs(), key=lambda p: p.name)
    chosen = random.Random(SEED).sample(programs, min(SEED_PROGRAMS, len(programs)))
    return [jax_programs.texts(p)[0] for p in chosen]


def run_children(texts: list[str], per_mutant: float) -> tuple[dict[int, str], list[str]]:
    """Results per mutant index, and the deaths (a signal, or no answer within
    ``per_mutant`` seconds) with their mutant; a new child goes on after a death."""
    results: dict[int, str] = {}
    deaths: list[str] = []
    start = 0
    while start < len(texts):
        stderr = tempfile.TemporaryFile("w+")
        child = subprocess.Popen([sys.executable, CHILD, str(ADDRESS_SPACE)],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=stderr, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in child.stdout] + [lines.put(None)],
                         daemon=True).start()
        child.stdin.write(json.dumps(texts[start:]))
        child.stdin.close()
        started, hung = None, False
        while True:
            try:
                line = lines.get(timeout=per_mutant + (60 if started is None else 0))
            except queue.Empty:
                hung = True
                child.kill()
                break
            if line is None:
                break
            word, index, *rest = line.rstrip("\n").split(" ", 2)
            if word == "START":
                started = start + int(index)
            elif word == "END":
                results[start + int(index)] = rest[0] if rest else ""
                started = None
        child.wait()
        stderr.seek(0)
        err = stderr.read()
        stderr.close()
        if child.returncode == 0 and started is None:
            break
        culprit = started if started is not None else max(results, default=start - 1) + 1
        why = ("no answer in %.0f s" % per_mutant if hung else
               f"signal {signal.Signals(-child.returncode).name}" if child.returncode < 0
               else f"exit status {child.returncode}")
        deaths.append(f"mutant {culprit}: {why}; stderr: {err.strip()[-400:]}\n"
                      f"{texts[culprit][:2000]}")
        start = culprit + 1
    return results, deaths


def test_mutated_modules_fail_cleanly():
    rng = random.Random(SEED)
    texts = [mutate(text, rng) for text in seeds() for _ in range(MUTANTS_PER_SEED)]
    results, deaths = run_children(texts, per_mutant=120)
    messageless = [f"mutant {i}: {r}" for i, r in results.items()
                   if r != "ok" and not r.split(":", 1)[-1].strip()]
    failed = sum(r != "ok" for r in results.values())
    print(f"{len(texts)} mutants: {len(results) - failed} ran, {failed} refused with an "
          f"exception, {len(deaths)} killed the process")
    assert not deaths, "\n\n".join(deaths)
    assert not messageless, "\n".join(messageless)
