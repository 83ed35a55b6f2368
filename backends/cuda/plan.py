"""A launch plan as data (no MLIR needed to hold, load or run one): the buffers of
a call and the kernel launches, in order. :mod:`.launch_plan` makes one from the
compiled module; artifacts carry it as JSON."""

from __future__ import annotations

import dataclasses


class PlanError(ValueError):
    """Host code that the launch plan cannot express."""


@dataclasses.dataclass
class LaunchPlan:
    """``buffers``: ``{"kind": "input"|"output", "index": i}``, ``{"kind": "temp",
    "bytes": n}`` or ``{"kind": "global", "name": s}``; ``globals``: name -> bytes;
    ``launches``: ``{"module", "kernel", "grid", "block", "shared", "args"}``, each
    argument ``{"buffer": b, "offset", "sizes", "strides"}`` (elements) or
    ``{"scalar": value, "type": "i64"|"i32"|"f32"|...}``."""

    buffers: list
    launches: list
    globals: dict = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict:
        return {"buffers": self.buffers, "launches": self.launches,
                "globals": sorted(self.globals)}

    def text(self) -> str:
        """The plan as people read it (a stage of the executable)."""
        lines = []
        for i, b in enumerate(self.buffers):
            what = {"input": lambda: f"input {b['index']}", "output": lambda: f"output {b['index']}",
                    "temp": lambda: f"temporary, {b['bytes']} bytes",
                    "global": lambda: f"constant @{b['name']}, "
                                      f"{len(self.globals[b['name']])} bytes"}[b["kind"]]()
            lines.append(f"buffer {i}: {what}")
        for launch in self.launches:
            args = ", ".join(
                f"b{a['buffer']}+{a['offset']}[{'x'.join(map(str, a['sizes']))}]" if "buffer" in a
                else f"{a['type']} {a['scalar']}" for a in launch["args"])
            lines.append(f"launch {launch['module']}::{launch['kernel']} grid {launch['grid']} "
                         f"block {launch['block']} ({args})")
        return "\n".join(lines) + "\n"


def from_json(value: dict, globals_data: dict) -> LaunchPlan:
    """A plan from an artifact's header (its structure checked by the loader)."""
    return LaunchPlan(list(value["buffers"]), list(value["launches"]), dict(globals_data))
