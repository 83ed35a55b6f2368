"""Pytrees: nested tuples, lists, dicts and None around array leaves.

``jit`` flattens its arguments and results with :func:`tree_flatten` so that
the traced graph only ever sees a flat list of arrays, and rebuilds the
user's structure with :func:`tree_unflatten`. Dict keys are sorted (as JAX
does), so ``{"b": x, "a": y}`` and ``{"a": y, "b": x}`` have one structure.
``None`` is an empty subtree (no leaves). Anything else is a leaf.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["PyTreeDef", "tree_flatten", "tree_unflatten", "tree_map", "tree_leaves",
           "tree_structure"]


@dataclass(frozen=True)
class PyTreeDef:
    """The structure of a pytree: a node kind, static data and children.

    ``kind`` is one of "leaf", "none", "tuple", "list", "dict"; for dicts
    ``data`` holds the sorted keys. Hashable, so it can be part of a cache key.
    """

    kind: str
    data: Any = None
    children: tuple["PyTreeDef", ...] = ()

    @property
    def num_leaves(self) -> int:
        if self.kind == "leaf":
            return 1
        return sum(child.num_leaves for child in self.children)

    def __repr__(self) -> str:
        if self.kind == "leaf":
            return "*"
        if self.kind == "none":
            return "None"
        inner = ", ".join(repr(c) for c in self.children)
        if self.kind == "tuple":
            return f"({inner}{',' if len(self.children) == 1 else ''})"
        if self.kind == "list":
            return f"[{inner}]"
        return "{" + ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.data, self.children)) + "}"


_LEAF = PyTreeDef("leaf")
_NONE = PyTreeDef("none")


def _flatten(tree: Any, leaves: list) -> PyTreeDef:
    if tree is None:
        return _NONE
    if type(tree) is tuple:
        return PyTreeDef("tuple", None, tuple(_flatten(x, leaves) for x in tree))
    if type(tree) is list:
        return PyTreeDef("list", None, tuple(_flatten(x, leaves) for x in tree))
    if type(tree) is dict:
        try:
            keys = tuple(sorted(tree))
        except TypeError:
            raise TypeError(f"pytree dict keys must be sortable, got {list(tree)!r}") from None
        return PyTreeDef("dict", keys, tuple(_flatten(tree[k], leaves) for k in keys))
    leaves.append(tree)
    return _LEAF


def tree_flatten(tree: Any) -> tuple[list, PyTreeDef]:
    """``(leaves, treedef)``: the leaves in order and the structure around them."""
    leaves: list = []
    treedef = _flatten(tree, leaves)
    return leaves, treedef


def _unflatten(treedef: PyTreeDef, leaves) -> Any:
    if treedef.kind == "leaf":
        return next(leaves)
    if treedef.kind == "none":
        return None
    children = [_unflatten(c, leaves) for c in treedef.children]
    if treedef.kind == "tuple":
        return tuple(children)
    if treedef.kind == "list":
        return children
    return dict(zip(treedef.data, children))


def tree_unflatten(treedef: PyTreeDef, leaves) -> Any:
    """Rebuilds the pytree of structure ``treedef`` from ``leaves``."""
    leaves = list(leaves)
    if len(leaves) != treedef.num_leaves:
        raise ValueError(f"tree_unflatten: structure {treedef!r} has {treedef.num_leaves} "
                         f"leaves, got {len(leaves)}")
    return _unflatten(treedef, iter(leaves))


def tree_leaves(tree: Any) -> list:
    return tree_flatten(tree)[0]


def tree_structure(tree: Any) -> PyTreeDef:
    return tree_flatten(tree)[1]


def tree_map(f: Callable, tree: Any, *rest: Any) -> Any:
    """Applies ``f`` leafwise; ``rest`` must have the same structure as ``tree``."""
    leaves, treedef = tree_flatten(tree)
    others = []
    for other in rest:
        other_leaves, other_def = tree_flatten(other)
        if other_def != treedef:
            raise ValueError(f"tree_map: structures differ: {treedef!r} vs {other_def!r}")
        others.append(other_leaves)
    return tree_unflatten(treedef, [f(*xs) for xs in zip(leaves, *others)])
