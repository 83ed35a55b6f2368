"""Shardy's ``#sdy.sharding`` text as hlox :class:`Sharding` values.

JAX with Shardy (its default partitioner) annotates arguments and results
with ``sdy.sharding = #sdy.sharding<@mesh, [{"x"}, {}]>`` against a module
level ``sdy.mesh @mesh = <["x"=2]>``; ops carry
``#sdy.sharding_per_value<[<@mesh, [...]>, ...]>`` (one per result). Those
say what ``#hlox.sharding`` says, except what hlox's mesh sharding cannot
express: sub-axes (``"x":(1)2``) and unreduced axes, which are errors here.
Open dimensions (``{?}``, ``{"x", ?}``) and priorities (``p1``) only steer
Shardy's propagation: the axes they list are kept, the rest dropped.
"""

from __future__ import annotations

import re

from hlox.dialects.sharding import Sharding, ShardingError, top_level_groups

# <["x"=2, "y"=4], device_ids=[...]>: the body of a #sdy.mesh.
_MESH = re.compile(r'<\[(?P<axes>[^\]]*)\](?:\s*,\s*device_ids\s*=\s*\[(?P<ids>[^\]]*)\])?>')
_MESH_AXIS = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=\s*(\d+)')
_SHARDING = re.compile(
    r'<\s*(?:@(?P<ref>[\w.$-]+|"[^"]*")|mesh(?P<mesh><\[[^\]]*\][^>]*>))\s*,'
    r'\s*\[(?P<dims>[^\]]*)\](?P<rest>[^>]*)>', re.S)
_DIM = re.compile(r'\{([^}]*)\}(?:p\d+)?')
_AXIS = re.compile(r'"((?:[^"\\]|\\.)*)"(:\(\d+\)\d+)?')


def mesh_from_sdy(text: str) -> tuple[list[tuple[str, int]], list[int] | None]:
    """``#sdy.mesh<["x"=2], device_ids=[1, 0]>`` -> ``([("x", 2)], [1, 0])``."""
    m = _MESH.search(text)
    if not m:
        raise ShardingError(f"cannot read the Shardy mesh {text!r}")
    axes = [(name, int(size)) for name, size in _MESH_AXIS.findall(m.group("axes"))]
    ids = None if m.group("ids") is None else [int(i) for i in m.group("ids").split(",") if i.strip()]
    return axes, ids


def _axes(text: str, whole: str) -> list[str]:
    names = []
    for name, sub in _AXIS.findall(text):
        if sub:
            raise ShardingError(f"sub-axis \"{name}\"{sub} in {whole!r}: hlox's meshes have no "
                                "sub-axes")
        names.append(name)
    return names


def split_shardings(text: str) -> list[str]:
    """The ``<...>`` entries of ``#sdy.sharding_per_value<[<...>, <...>]>``."""
    body = text[text.index("[") + 1:text.rindex("]")]
    return ["#sdy.sharding" + group for group in top_level_groups(body, "<", ">")]


def from_sdy(text: str, meshes: dict[str, str]) -> Sharding:
    """One ``#sdy.sharding<...>``; ``meshes`` maps ``sdy.mesh`` symbol names
    to their printed ``#sdy.mesh`` attribute."""
    body = text.strip()
    if not body.startswith("#sdy.sharding<"):
        raise ShardingError(f"not a #sdy.sharding attribute: {text!r}")
    m = _SHARDING.fullmatch(body[len("#sdy.sharding"):])
    if not m:
        raise ShardingError(f"cannot read the Shardy sharding {text!r}")
    if m.group("ref") is not None:
        ref = m.group("ref").strip('"')
        if ref not in meshes:
            raise ShardingError(f"{text!r} names the mesh @{ref}, which has no sdy.mesh op")
        axes, ids = mesh_from_sdy(meshes[ref])
    else:
        axes, ids = mesh_from_sdy(m.group("mesh"))
    dims = [_axes(d, text) for d in _DIM.findall(m.group("dims"))]
    replicated = []
    for key, value in re.findall(r'(\w+)\s*=\s*\w*\s*\{([^}]*)\}', m.group("rest")):
        if key == "unreduced":
            raise ShardingError(f"unreduced axes in {text!r}: hlox has no unreduced shardings")
        replicated = _axes(value, text)
    if not axes:  # <[]>: no axes (replicated) or <[], device_ids=[d]> (maximal)
        return Sharding.maximal(ids[0]) if ids else Sharding.replicate()
    return Sharding.mesh(axes, dims, replicated, ids)
