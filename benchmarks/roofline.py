"""A roofline plot (PNG) of benchmarks/cpu.py's workloads, hlox next to XLA CPU.

    python benchmarks/cpu.py --json cpu.json
    python benchmarks/roofline.py cpu.json [-o roofline.png]

Each workload is placed by XLA's own cost analysis of its program (flops and
bytes accessed per call, the same count for both compilers): x is its
arithmetic intensity (flop per byte), y the GFLOP/s each compiler reached
(XLA's flops over the measured time). The roofs are the machine's ceilings
that cpu.py measured (benchmarks/peak.py): the FMA peak, and the memory's and
the last-level cache's read bandwidth. A workload far below its roof has room
to gain; the gap between its two markers is hlox's ratio to XLA. Workloads
with no flops in XLA's count (sort) are listed, not plotted.
Needs matplotlib (``pip install matplotlib``). Not a test.
"""

from __future__ import annotations

import argparse
import json


def points(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """``(plotted, skipped names)``: intensity and both compilers' GFLOP/s per row."""
    plotted, skipped = [], []
    for row in rows:
        cost = row.get("xla cost") or {}
        flops, accessed = cost.get("flops", 0.0), cost.get("bytes accessed", 0.0)
        if flops <= 0 or accessed <= 0:
            skipped.append(row["name"])
            continue
        plotted.append({"name": row["name"], "intensity": flops / accessed,
                        "hlox": flops / row["hlox"] / 1e9, "xla": flops / row["jax"] / 1e9})
    return plotted, skipped


def plot(data: dict, path: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")  # files only: no display needed
    import matplotlib.pyplot as plt

    ceilings = data["ceilings"]
    plotted, skipped = points(data["rows"])
    if not plotted:
        raise SystemExit("no workload has XLA flops and bytes to place: was JAX installed?")
    low = min(p["intensity"] for p in plotted) / 2
    high = max(p["intensity"] for p in plotted) * 2
    grid = [low * (high / low) ** (i / 200) for i in range(201)]
    fig, ax = plt.subplots(figsize=(10, 7))
    roofs = [("DRAM", ceilings["dram"], "-")]
    if ceilings.get("cache"):
        roofs.append((f"L3 ({ceilings['cache_bytes'] >> 20} MiB)", ceilings["cache"], "--"))
    for label, bandwidth, style in roofs:
        ax.plot(grid, [min(ceilings["peak"], x * bandwidth) for x in grid], "k" + style,
                label=f"{label} {bandwidth:.0f} GB/s, FMA peak {ceilings['peak']:.0f} GFLOP/s")
    for i, p in enumerate(plotted):
        color = f"C{i % 10}"
        ax.plot([p["intensity"]] * 2, [p["hlox"], p["xla"]], color=color, alpha=0.4)
        ax.scatter(p["intensity"], p["hlox"], color=color, marker="o", label=p["name"])
        ax.scatter(p["intensity"], p["xla"], color=color, marker="x")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (flop/byte, XLA's cost analysis)")
    ax.set_ylabel("GFLOP/s")
    ax.set_title(f"hlox (o) vs XLA CPU (x), load average {data.get('load', float('nan')):.2f}")
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(True, which="both", alpha=0.3)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    return skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="the file benchmarks/cpu.py --json wrote")
    parser.add_argument("-o", "--output", default="roofline.png")
    args = parser.parse_args()
    with open(args.results) as f:
        data = json.load(f)
    skipped = plot(data, args.output)
    print(f"roofline written to {args.output}"
          + (f" (not placed, no flops in XLA's count: {', '.join(skipped)})" if skipped else ""))


if __name__ == "__main__":
    main()
