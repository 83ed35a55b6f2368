"""A reader of XLA's ``mhlo.sharding`` strings (GSPMD's HloSharding text).

JAX with its Shardy partitioner off writes shardings as XLA HloSharding text
in ``mhlo.sharding`` string attributes::

    {replicated}    {manual}    {maximal device=0}
    {devices=[2,1]<=[2]}                     # tile dim 0 over 2 devices
    {devices=[2,1,2]<=[4] last_tile_dim_replicate}
    {devices=[2,2]<=[2,2]T(1,0)}             # iota device order, transposed
    {devices=[2,2]0,2,1,3}                   # explicit device order
    {{replicated}, {devices=[2]<=[2]}}       # a tuple (one per result)

A tiled sharding is an array of device ids (the "tile assignment") with one
dimension per tensor dimension, then trailing subgroup dimensions
(``last_tile_dim_replicate`` = one replicated subgroup dimension;
``last_tile_dims={replicated, manual}`` names each). ``<=[dims]T(perm)``
means ``iota(prod(dims)).reshape(dims).transpose(perm).reshape(tiles)``.

hlox's sharding model is Shardy's (``sdy``); hlox-import-mhlo-sharding uses
this reader to write these strings in it.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np


class ShardingError(ValueError):
    """A sharding string hlox cannot read, or cannot express in Shardy's terms."""


@dataclasses.dataclass(eq=False)
class HloSharding:
    """One (non-tuple) HloSharding.

    ``kind`` is "replicated", "maximal", "manual" or "tiled". A tiled sharding
    has ``devices``: device ids of shape ``tiles + (replication,)``, so that
    ``devices[i_0, ..., i_{r-1}, :]`` are the devices holding tile
    ``(i_0, ..., i_{r-1})`` (a whole dimension has one tile).
    """

    kind: str
    text: str
    device: int = -1  # maximal: the one device
    devices: np.ndarray | None = None

    @property
    def tiles(self) -> tuple[int, ...]:
        return tuple(self.devices.shape[:-1])

    @property
    def num_devices(self) -> int:
        return int(self.devices.size)


def parse(text: str) -> HloSharding | list[HloSharding]:
    """Reads an ``mhlo.sharding`` string; a tuple sharding gives a list."""
    body = _strip_braces(text)
    if body.startswith("{") or body == "":  # a tuple (possibly empty)
        return [parse(part) for part in top_level_groups(body, "{", "}")]
    body = re.sub(r"\s*metadata=\{.*\}\s*$", "", body).strip()
    if body in ("replicated", "manual"):
        return HloSharding(body, text)
    m = re.fullmatch(r"maximal device=(\d+)", body)
    if m:
        return HloSharding("maximal", text, device=int(m.group(1)))
    m = re.fullmatch(
        r"devices=\[(?P<tile>[\d,]+)\]\s*(?P<assign><=\[[\d,]+\](?:T\([\d,]+\))?|[\d,]+)"
        r"(?P<rest>.*)", body)
    if not m:
        raise ShardingError(f"unsupported sharding {text!r}")
    shape = [int(d) for d in m.group("tile").split(",")]
    devices = _tile_assignment(m.group("assign"), shape, text)
    subgroups = _subgroup_kinds(m.group("rest").strip(), text)
    if "manual" in subgroups:
        raise ShardingError(f"{text!r} is manual over a subgroup of devices (a partially "
                            "manual shard_map): a Shardy tensor sharding cannot say that")
    if len(subgroups) > len(shape):
        raise ShardingError(f"{text!r} names {len(subgroups)} subgroups for {len(shape)} "
                            "tile dimensions")
    data = shape[:len(shape) - len(subgroups)]
    devices = devices.reshape(data + [math.prod(shape[len(data):])])
    if all(t == 1 for t in data):  # every dimension whole on every device
        return HloSharding("replicated", text)
    return HloSharding("tiled", text, devices=devices)


def _subgroup_kinds(rest: str, text: str) -> list[str]:
    if rest == "":
        return []
    if rest == "last_tile_dim_replicate":
        return ["replicated"]
    m = re.fullmatch(r"last_tile_dims=\{([\w\s,]*)\}", rest)
    if not m:
        raise ShardingError(f"unsupported sharding suffix {rest!r} in {text!r}")
    kinds = [k.strip() for k in m.group(1).split(",") if k.strip()]
    unknown = sorted(set(kinds) - {"replicated", "manual"})
    if unknown:
        raise ShardingError(f"subgroup kinds {unknown} in {text!r}: only replicated (and "
                            "manual, refused) are known")
    return kinds


def _strip_braces(text: str) -> str:
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise ShardingError(f"a sharding is written in braces: {text!r}")
    return text[1:-1].strip()


def top_level_groups(body: str, opening: str, closing: str) -> list[str]:
    """``{a}, {b {c}}`` -> ``["{a}", "{b {c}}"]``: the outermost bracketed groups."""
    parts, depth, start = [], 0, None
    for i, c in enumerate(body):
        if c == opening:
            if depth == 0:
                start = i
            depth += 1
        elif c == closing:
            depth -= 1
            if depth < 0:
                break
            if depth == 0:
                parts.append(body[start:i + 1])
    if depth != 0:
        raise ShardingError(f"unbalanced {opening}{closing} in {body!r}")
    return parts


def _tile_assignment(assign: str, shape: list[int], text: str) -> np.ndarray:
    n = math.prod(shape)
    if assign.startswith("<="):
        m = re.fullmatch(r"<=\[([\d,]+)\](?:T\(([\d,]+)\))?", assign)
        reshape = [int(d) for d in m.group(1).split(",")]
        if math.prod(reshape) != n:
            raise ShardingError(f"iota {assign} in {text!r} has {math.prod(reshape)} devices, "
                                f"the tiles {n}")
        devices = np.arange(n).reshape(reshape)
        if m.group(2):
            perm = [int(p) for p in m.group(2).split(",")]
            if sorted(perm) != list(range(len(reshape))):
                raise ShardingError(f"bad transpose {perm} in {text!r}")
            devices = devices.transpose(perm)
        return devices.reshape(shape)
    ids = [int(i) for i in assign.split(",")]
    if len(ids) != n:
        raise ShardingError(f"{len(ids)} device ids for {n} tiles in {text!r}")
    if sorted(ids) != list(range(n)):
        raise ShardingError(f"the device ids of {text!r} are not a permutation of 0..{n - 1}")
    return np.array(ids).reshape(shape)
