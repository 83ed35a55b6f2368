"""Shardings: XLA's ``mhlo.sharding`` strings and hlox's ``#hlox.sharding``.

JAX (with its Shardy partitioner off) writes shardings as XLA HloSharding
text in ``mhlo.sharding`` string attributes::

    {replicated}    {manual}    {maximal device=0}
    {devices=[2,1]<=[2]}                     # tile dim 0 over 2 devices
    {devices=[2,1,2]<=[4] last_tile_dim_replicate}
    {devices=[2,2]<=[2,2]T(1,0)}             # iota device order, transposed
    {devices=[2,2]0,2,1,3}                   # explicit device order
    {{replicated}, {devices=[2]<=[2]}}       # a tuple (one per result)

A tiled sharding is an array of device ids (the "tile assignment") with one
dimension per tensor dimension, plus a trailing replication dimension with
``last_tile_dim_replicate``. The ``<=[dims]T(perm)`` form means
``iota(prod(dims)).reshape(dims).transpose(perm).reshape(tile shape)``.

hlox says the same with a mesh of named axes (see HloxOpBase.td)::

    #hlox.sharding<mesh = ["d0"=2, "r"=2], dims = [["d0"], []], replicated = ["r"]>

:class:`Sharding` converts between the two (``from_hlo``/``to_hlo``) and
prints/parses the attribute text (``to_attr``/``from_attr``) exactly as the
C++ dialect does.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np


class ShardingError(ValueError):
    """A sharding string or attribute hlox cannot read or convert."""


@dataclasses.dataclass(frozen=True)
class Sharding:
    kind: str  # "mesh", "replicated", "maximal" or "manual"
    axes: tuple[tuple[str, int], ...] = ()  # mesh axes (name, size), major first
    dims: tuple[tuple[str, ...], ...] = ()  # per tensor dimension: its mesh axes
    replicated: tuple[str, ...] = ()  # axes that must stay replicated
    device_ids: tuple[int, ...] | None = None  # None: 0..n-1 row-major
    device: int = -1  # maximal: the one device

    # ---- constructors -----------------------------------------------------------
    @staticmethod
    def replicate() -> "Sharding":
        return Sharding("replicated")

    @staticmethod
    def maximal(device: int) -> "Sharding":
        return Sharding("maximal", device=device)

    @staticmethod
    def mesh(axes, dims, replicated=(), device_ids=None) -> "Sharding":
        s = Sharding("mesh", tuple((str(n), int(k)) for n, k in axes),
                     tuple(tuple(d) for d in dims), tuple(replicated),
                     None if device_ids is None else tuple(int(i) for i in device_ids))
        s.check()
        return s

    @property
    def num_devices(self) -> int:
        return math.prod(size for _, size in self.axes)

    def check(self) -> None:
        """The same rules as the C++ verifier of #hlox.sharding."""
        if self.kind != "mesh":
            return
        names = [n for n, _ in self.axes]
        if len(set(names)) != len(names):
            raise ShardingError(f"mesh axis names repeat: {names}")
        if any(size < 1 for _, size in self.axes):
            raise ShardingError(f"mesh axis sizes must be >= 1: {self.axes}")
        used = [a for d in self.dims for a in d] + list(self.replicated)
        unknown = [a for a in used if a not in names]
        if unknown:
            raise ShardingError(f"axes {unknown} are not in the mesh {names}")
        if len(set(used)) != len(used):
            raise ShardingError(f"an axis is used twice: {used}")
        if self.device_ids is not None and sorted(self.device_ids) != list(range(self.num_devices)):
            raise ShardingError(f"device_ids must be a permutation of 0..{self.num_devices - 1}")

    # ---- #hlox.sharding text ----------------------------------------------------
    def to_attr(self) -> str:
        if self.kind == "replicated":
            return "#hlox.sharding<replicated>"
        if self.kind == "manual":
            return "#hlox.sharding<manual>"
        if self.kind == "maximal":
            return f"#hlox.sharding<maximal device = {self.device}>"
        names = lambda seq: "[" + ", ".join(f'"{a}"' for a in seq) + "]"  # noqa: E731
        text = "mesh = [" + ", ".join(f'"{n}"={k}' for n, k in self.axes) + "]"
        if self.device_ids is not None:
            text += ", device_ids = [" + ", ".join(map(str, self.device_ids)) + "]"
        text += ", dims = [" + ", ".join(names(d) for d in self.dims) + "]"
        if self.replicated:
            text += ", replicated = " + names(self.replicated)
        return f"#hlox.sharding<{text}>"

    @staticmethod
    def from_attr(text: str) -> "Sharding":
        text = text.strip()
        m = re.fullmatch(r"#hlox\.sharding<(.*)>", text, re.S)
        if not m:
            raise ShardingError(f"not a #hlox.sharding attribute: {text!r}")
        body = m.group(1).strip()
        if body in ("replicated", "manual"):
            return Sharding(body)
        mm = re.fullmatch(r"maximal\s+device\s*=\s*(\d+)", body)
        if mm:
            return Sharding.maximal(int(mm.group(1)))
        mm = re.fullmatch(
            r'mesh\s*=\s*\[(?P<axes>[^\]]*)\]'
            r'(?:\s*,\s*device_ids\s*=\s*\[(?P<ids>[^\]]*)\])?'
            r'\s*,\s*dims\s*=\s*\[(?P<dims>(?:\s*\[[^\]]*\]\s*,?)*)\]'
            r'(?:\s*,\s*replicated\s*=\s*\[(?P<rep>[^\]]*)\])?', body, re.S)
        if not mm:
            raise ShardingError(f"cannot read #hlox.sharding body {body!r}")
        axes = [(n, int(k)) for n, k in re.findall(r'"([^"]*)"\s*=\s*(\d+)', mm.group("axes"))]
        ids = None if mm.group("ids") is None else [int(i) for i in re.findall(r"-?\d+", mm.group("ids"))]
        dims = [re.findall(r'"([^"]*)"', d) for d in re.findall(r"\[([^\]]*)\]", mm.group("dims"))]
        rep = re.findall(r'"([^"]*)"', mm.group("rep") or "")
        return Sharding.mesh(axes, dims, rep, ids)

    # ---- XLA HloSharding text ---------------------------------------------------
    @staticmethod
    def from_hlo(text: str, rank: int | None = None) -> "Sharding | list[Sharding]":
        """Reads an ``mhlo.sharding`` string; a tuple sharding gives a list.

        ``rank`` (the tensor's rank), when given, is checked against the
        tile assignment."""
        body = _strip_braces(text)
        if body.startswith("{"):  # tuple
            return [Sharding.from_hlo(part) for part in top_level_groups(body, "{", "}")]
        body = re.sub(r"\s*metadata=\{.*\}\s*$", "", body).strip()
        if body == "replicated":
            return Sharding.replicate()
        if body == "manual":
            return Sharding("manual")
        m = re.fullmatch(r"maximal device=(\d+)", body)
        if m:
            return Sharding.maximal(int(m.group(1)))
        m = re.fullmatch(
            r"devices=\[(?P<tile>[\d,]+)\]\s*(?P<assign><=\[[\d,]+\](?:T\([\d,]+\))?|[\d,]+)"
            r"(?P<rest>.*)", body)
        if not m:
            raise ShardingError(f"unsupported sharding {text!r}")
        tile = [int(d) for d in m.group("tile").split(",")]
        devices = _tile_assignment(m.group("assign"), tile)
        rest = m.group("rest").strip()
        replicate = False
        if rest == "last_tile_dim_replicate":
            replicate = True
        elif rest.startswith("last_tile_dims="):
            kinds = re.findall(r"\w+", rest[len("last_tile_dims="):])
            if kinds != ["replicated"]:
                raise ShardingError(f"subgroup kinds {kinds} are not supported: {text!r}")
            replicate = True
        elif rest:
            raise ShardingError(f"unsupported sharding suffix {rest!r} in {text!r}")
        data_dims = tile[:-1] if replicate else tile
        if rank is not None and len(data_dims) != rank:
            raise ShardingError(f"sharding {text!r} has {len(data_dims)} dimensions, the tensor {rank}")
        axes, dims, keep = [], [], []
        for i, size in enumerate(data_dims):
            if size > 1:
                axes.append((f"d{i}", size))
                dims.append([f"d{i}"])
                keep.append(i)
            else:
                dims.append([])
        if not axes:  # every tensor dimension whole: replicated everywhere
            return Sharding.replicate()
        rep = []
        if replicate and tile[-1] > 1:
            axes.append(("r", tile[-1]))
            rep.append("r")
            keep.append(len(tile) - 1)
        ids = devices.reshape([tile[i] for i in keep]).reshape(-1)
        device_ids = None if np.array_equal(ids, np.arange(ids.size)) else ids.tolist()
        return Sharding.mesh(axes, dims, rep, device_ids)

    def to_hlo(self) -> str:
        if self.kind in ("replicated", "manual"):
            return "{" + self.kind + "}"
        if self.kind == "maximal":
            return f"{{maximal device={self.device}}}"
        size = dict(self.axes)
        names = [n for n, _ in self.axes]
        tile = [math.prod(size[a] for a in d) for d in self.dims]
        used = [a for d in self.dims for a in d]
        rest = [n for n in names if n not in used]
        r = math.prod(size[a] for a in rest)
        if all(t == 1 for t in tile):
            return "{replicated}"
        perm = [names.index(a) for a in used + rest]
        shape = tile + ([r] if r > 1 else [])
        mesh_shape = [size[n] for n in names]
        if self.device_ids is None:
            # XLA writes `<=[N]` for plain iota, `<=[dims]T(perm)` otherwise.
            if perm == sorted(perm):
                assign = f"<=[{self.num_devices}]"
            else:
                assign = f"<=[{','.join(map(str, mesh_shape))}]T({','.join(map(str, perm))})"
        else:
            ids = np.array(self.device_ids).reshape(mesh_shape).transpose(perm).reshape(-1)
            assign = ",".join(map(str, ids.tolist()))
        text = f"devices=[{','.join(map(str, shape))}]{assign}"
        if r > 1:
            text += " last_tile_dim_replicate"
        return "{" + text + "}"


def tuple_to_hlo(shardings: list[Sharding]) -> str:
    return "{" + ", ".join(s.to_hlo() for s in shardings) + "}"


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
            if depth == 0:
                parts.append(body[start:i + 1])
    if depth != 0:
        raise ShardingError(f"unbalanced {opening}{closing} in {body!r}")
    return parts


def _tile_assignment(text: str, tile: list[int]) -> np.ndarray:
    n = math.prod(tile)
    if text.startswith("<="):
        m = re.fullmatch(r"<=\[([\d,]+)\](?:T\(([\d,]+)\))?", text)
        reshape = [int(d) for d in m.group(1).split(",")]
        if math.prod(reshape) != n:
            raise ShardingError(f"iota {text} has {math.prod(reshape)} devices, the tiles {n}")
        devices = np.arange(n).reshape(reshape)
        if m.group(2):
            perm = [int(p) for p in m.group(2).split(",")]
            if sorted(perm) != list(range(len(reshape))):
                raise ShardingError(f"bad transpose {perm} in {text}")
            devices = devices.transpose(perm)
        return devices.reshape(tile)
    ids = [int(i) for i in text.split(",")]
    if len(ids) != n:
        raise ShardingError(f"{len(ids)} device ids for {n} tiles")
    return np.array(ids).reshape(tile)
