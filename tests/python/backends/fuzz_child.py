"""Child process of test_fuzz_modules.py: runs mutated StableHLO modules one by one.

Reads a JSON list of module texts on stdin; for each, writes ``START i`` before
parsing, verifying, compiling it for ``cpu`` and running it on zero arguments,
then ``END i ok`` or ``END i <exception type>: <message>`` (one line, flushed).
A mutant that kills the process leaves a START without an END, which the
parent reports. The address space is limited, so that a mutant asking for a
huge buffer fails with MemoryError instead of swapping.
"""

from __future__ import annotations

import json
import resource
import sys


def main() -> int:
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import numpy as np

    import hlox

    texts = json.load(sys.stdin)
    out = sys.stdout
    for i, text in enumerate(texts):
        out.write(f"START {i}\n")
        out.flush()
        try:
            compiled = hlox.compile_stablehlo(text, backend="cpu")
            compiled(*[np.zeros(a.shape, a.dtype) for a in compiled.lowered.in_avals])
            result = "ok"
        except Exception as error:  # every failure must be an exception with a message
            message = " ".join(str(error).split())[:300]
            result = f"{type(error).__name__}: {message}"
        out.write(f"END {i} {result}\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
