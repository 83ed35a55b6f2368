"""Pytrees: nested containers around array leaves, as ``jax.tree_util`` has them.

``jit``, ``grad`` and ``vmap`` flatten their arguments and results with
:func:`tree_flatten` so that traced graphs only ever see flat lists of
arrays, and rebuild the user's structure with :func:`tree_unflatten`.

Containers (nodes): tuples, lists, dicts (keys sorted, so ``{"b": x, "a": y}``
and ``{"a": y, "b": x}`` have one structure), ``OrderedDict`` and
``defaultdict``, namedtuples, ``None`` (a node without children: no leaves),
and every type registered with :func:`register_pytree_node`,
:func:`register_pytree_node_class` or :func:`register_dataclass`.
Anything else is a leaf.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
from typing import Any, Callable, Iterable, NamedTuple

__all__ = [
    "PyTreeDef", "tree_flatten", "tree_unflatten", "tree_leaves", "tree_structure",
    "tree_map", "tree_reduce", "tree_all", "treedef_is_leaf", "all_leaves",
    "register_pytree_node", "register_pytree_node_class", "register_dataclass",
    "register_static", "Partial", "tree_flatten_with_path", "tree_leaves_with_path",
    "tree_map_with_path", "keystr", "SequenceKey", "DictKey", "GetAttrKey",
    "FlattenedIndexKey", "broadcast_prefix",
]


# ---------------------------------------------------------------------------
# Node kinds
# ---------------------------------------------------------------------------


class _NodeKind(NamedTuple):
    """How to take a node apart and put it back.

    ``flatten(node) -> (children, aux)``; ``unflatten(aux, children) -> node``;
    ``keys(node, aux) -> one key per child`` (for paths; may be None).
    """

    type: type
    flatten: Callable
    unflatten: Callable
    keys: Callable | None = None


_registry: dict[type, _NodeKind] = {}


class PyTreeDef:
    """The structure of a pytree: node kind, auxiliary data and children.

    Leaves are the singleton ``PyTreeDef(None)``. Hashable and comparable, so
    it can be part of ``jit``'s cache key.
    """

    __slots__ = ("kind", "aux", "child_defs", "num_leaves", "_hash")

    def __init__(self, kind: _NodeKind | None, aux: Any = None,
                 children: tuple["PyTreeDef", ...] = ()):
        self.kind = kind
        self.aux = aux
        self.child_defs = children
        self.num_leaves = 1 if kind is None else sum(c.num_leaves for c in children)
        self._hash = None

    @property
    def node_type(self) -> type | None:
        """The container type of the root (None for a leaf)."""
        return None if self.kind is None else self.kind.type

    def children(self) -> list["PyTreeDef"]:
        """The root's child structures (JAX's ``PyTreeDef.children()``)."""
        return list(self.child_defs)

    def node_data(self):
        """``(node type, aux data)`` of the root, or None for a leaf."""
        return None if self.kind is None else (self.kind.type, self.aux)

    @classmethod
    def from_node_data(cls, node_data, children=()) -> "PyTreeDef":
        """The inverse of :meth:`node_data` and :meth:`children` (e.g. to rebuild a
        structure read from a file): ``from_node_data((dict, ("a", "b")), [leaf, leaf])``
        with ``leaf = PyTreeDef.from_node_data(None)``."""
        if node_data is None:
            return _LEAF
        node_type, aux = node_data
        kind = _registry.get(node_type)
        if kind is None and _is_namedtuple(node_type):
            kind = _namedtuple_kind(node_type)
        if kind is None:
            raise ValueError(f"{node_type.__name__} is not a registered pytree node type")
        return cls(kind, aux, tuple(children))

    @property
    def num_nodes(self) -> int:
        return 1 + sum(c.num_nodes for c in self.child_defs)

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if not isinstance(other, PyTreeDef):
            return NotImplemented
        return (self.node_type is other.node_type and self.num_leaves == other.num_leaves
                and self.aux == other.aux and self.child_defs == other.child_defs)

    def __hash__(self) -> int:
        if self._hash is None:
            try:
                aux = hash(self.aux)
            except TypeError:  # unhashable aux data (a user's node): compare only
                aux = 0
            self._hash = hash((self.node_type, aux, self.child_defs))
        return self._hash

    def unflatten(self, leaves: Iterable) -> Any:
        return tree_unflatten(self, leaves)

    def flatten_up_to(self, tree: Any) -> list:
        """The subtrees of ``tree`` at this structure's leaves (``tree`` may nest deeper)."""
        out: list = []
        _flatten_up_to(self, tree, out, ())
        return out

    def __repr__(self) -> str:
        return f"PyTreeDef({_repr(self)})"


def _repr(t: PyTreeDef) -> str:
    if t.kind is None:
        return "*"
    node = t.node_type
    if node is type(None):
        return "None"
    inner = ", ".join(_repr(c) for c in t.child_defs)
    if node is tuple:
        return f"({inner}{',' if len(t.child_defs) == 1 else ''})"
    if node is list:
        return f"[{inner}]"
    if node is dict:
        return "{" + ", ".join(f"{k!r}: {_repr(c)}" for k, c in zip(t.aux, t.child_defs)) + "}"
    return f"CustomNode({node.__name__}[{t.aux!r}], [{inner}])"


_LEAF = PyTreeDef(None)


def _is_namedtuple(node_type: type) -> bool:
    return issubclass(node_type, tuple) and hasattr(node_type, "_fields")


def _namedtuple_kind(node_type: type) -> _NodeKind:
    kind = _registry.get(node_type)
    if kind is None:  # registered on first sight (namedtuples are nodes, as in JAX)
        kind = _registry[node_type] = _NodeKind(
            node_type, lambda x: (tuple(x), None), lambda _, xs: node_type(*xs),
            lambda x, _: [GetAttrKey(f) for f in node_type._fields])
    return kind


def _kind_of(x: Any) -> _NodeKind | None:
    kind = _registry.get(type(x))
    if kind is None and isinstance(x, tuple) and _is_namedtuple(type(x)):
        return _namedtuple_kind(type(x))
    return kind


# ---------------------------------------------------------------------------
# Flatten / unflatten
# ---------------------------------------------------------------------------


def _flatten(tree: Any, leaves: list, is_leaf) -> PyTreeDef:
    if is_leaf is not None and is_leaf(tree):
        leaves.append(tree)
        return _LEAF
    kind = _registry.get(type(tree))
    if kind is None:
        if isinstance(tree, tuple) and _is_namedtuple(type(tree)):
            kind = _namedtuple_kind(type(tree))
        else:
            leaves.append(tree)
            return _LEAF
    children, aux = kind.flatten(tree)
    return PyTreeDef(kind, aux, tuple([_flatten(c, leaves, is_leaf) for c in children]))


def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None
                 ) -> tuple[list, PyTreeDef]:
    """``(leaves, treedef)``: the leaves in order and the structure around them.

    ``is_leaf(x)`` true makes ``x`` a leaf even if it is a container.
    """
    leaves: list = []
    treedef = _flatten(tree, leaves, is_leaf)
    return leaves, treedef


def _unflatten(treedef: PyTreeDef, leaves) -> Any:
    if treedef.kind is None:
        return next(leaves)
    return treedef.kind.unflatten(treedef.aux, [_unflatten(c, leaves) for c in treedef.child_defs])


def tree_unflatten(treedef: PyTreeDef, leaves: Iterable) -> Any:
    """Rebuilds the pytree of structure ``treedef`` from ``leaves``."""
    leaves = list(leaves)
    if len(leaves) != treedef.num_leaves:
        raise ValueError(f"tree_unflatten: {treedef!r} has {treedef.num_leaves} leaves, "
                         f"got {len(leaves)}")
    return _unflatten(treedef, iter(leaves))


def _flatten_up_to(treedef: PyTreeDef, tree: Any, out: list, path: tuple) -> None:
    if treedef.kind is None:
        out.append(tree)
        return
    kind = _kind_of(tree)
    if kind is None or kind.type is not treedef.node_type:
        raise ValueError(f"tree structures differ at {keystr(path) or 'the root'}: expected "
                         f"{_repr(treedef)}, got a {type(tree).__name__}")
    children, aux = kind.flatten(tree)
    if aux != treedef.aux or len(children) != len(treedef.child_defs):
        raise ValueError(f"tree structures differ at {keystr(path) or 'the root'}: expected "
                         f"{_repr(treedef)}, got {_repr(tree_structure(tree))}")
    keys = _child_keys(kind, tree, aux, len(children))
    for sub, child, key in zip(treedef.child_defs, children, keys):
        _flatten_up_to(sub, child, out, path + (key,))


def broadcast_prefix(prefix: Any, tree: Any, is_leaf: Callable[[Any], bool] | None = None
                     ) -> list:
    """Per leaf of ``tree``, the leaf of ``prefix`` (a tree whose structure is a prefix of
    ``tree``'s) above it, as JAX's ``in_shardings=`` and ``in_specs=`` are matched to
    arguments. ``is_leaf`` says which of ``prefix``'s nodes are leaves (e.g. None)."""
    leaves, prefix_def = tree_flatten(prefix, is_leaf)
    subtrees = prefix_def.flatten_up_to(tree)
    out = []
    for leaf, subtree in zip(leaves, subtrees):
        out.extend([leaf] * tree_structure(subtree).num_leaves)
    return out


def flatten_call(fun: Callable, args: tuple, kwargs: dict, static: set):
    """A call ``fun(*args, **kwargs)`` as a function of flat leaves, for tracing.

    Positional arguments whose index is in ``static`` stay Python values. Returns
    ``(leaves, flat_fun, out_tree)``: the dynamic arguments' leaves,
    ``flat_fun(*leaves) -> output leaves``, and a list that receives the output's
    treedef when ``flat_fun`` runs. (Used by checkpoint and make_jaxpr; hlox's
    internal helper, not part of jax.tree_util.)
    """
    dynamic = [a for i, a in enumerate(args) if i not in static]
    leaves, in_tree = tree_flatten((dynamic, kwargs))
    out_tree: list = []

    def flat_fun(*xs):
        dyn, kw = tree_unflatten(in_tree, list(xs))
        it = iter(dyn)
        full = [args[i] if i in static else next(it) for i in range(len(args))]
        out_leaves, tree = tree_flatten(fun(*full, **kw))
        out_tree.append(tree)
        return out_leaves

    return leaves, flat_fun, out_tree


def tree_leaves(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    return tree_flatten(tree, is_leaf)[0]


def tree_structure(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> PyTreeDef:
    return tree_flatten(tree, is_leaf)[1]


def treedef_is_leaf(treedef: PyTreeDef) -> bool:
    return treedef.kind is None


def all_leaves(iterable: Iterable, is_leaf: Callable[[Any], bool] | None = None) -> bool:
    """Whether every element of ``iterable`` is a leaf."""
    return all(tree_structure(x, is_leaf).kind is None for x in iterable)


def tree_map(f: Callable, tree: Any, *rest: Any,
             is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``f`` applied leafwise; ``rest`` are trees with ``tree``'s structure
    (or deeper: their subtrees at ``tree``'s leaves are passed whole)."""
    leaves, treedef = tree_flatten(tree, is_leaf)
    others = [treedef.flatten_up_to(r) for r in rest]
    return treedef.unflatten(f(*xs) for xs in zip(leaves, *others))


def tree_reduce(function: Callable, tree: Any, initializer: Any = ...,
                is_leaf: Callable[[Any], bool] | None = None) -> Any:
    leaves = tree_leaves(tree, is_leaf)
    if initializer is ...:
        return functools.reduce(function, leaves)
    return functools.reduce(function, leaves, initializer)


def tree_all(tree: Any, *, is_leaf: Callable[[Any], bool] | None = None) -> bool:
    return all(tree_leaves(tree, is_leaf))


# ---------------------------------------------------------------------------
# Paths (for tree_flatten_with_path and error messages)
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"


@dataclasses.dataclass(frozen=True)
class DictKey:
    key: Any

    def __str__(self):
        return f"[{self.key!r}]"


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self):
        return f".{self.name}"


@dataclasses.dataclass(frozen=True)
class FlattenedIndexKey:
    key: int

    def __str__(self):
        return f"[<flat index {self.key}>]"


def keystr(path: Iterable) -> str:
    """``(DictKey('a'), SequenceKey(0))`` -> ``"['a'][0]"``."""
    return "".join(str(k) for k in path)


def _child_keys(kind: _NodeKind, tree: Any, aux: Any, n: int) -> list:
    if kind.keys is not None:
        return list(kind.keys(tree, aux))
    return [FlattenedIndexKey(i) for i in range(n)]


def _flatten_with_path(tree, path, out, is_leaf):
    kind = None if (is_leaf is not None and is_leaf(tree)) else _kind_of(tree)
    if kind is None:
        out.append((path, tree))
        return
    children, aux = kind.flatten(tree)
    for key, child in zip(_child_keys(kind, tree, aux, len(children)), children):
        _flatten_with_path(child, path + (key,), out, is_leaf)


def tree_flatten_with_path(tree: Any, is_leaf: Callable[[Any], bool] | None = None):
    """``([(path, leaf), ...], treedef)``; a path is a tuple of keys (see :func:`keystr`)."""
    out: list = []
    _flatten_with_path(tree, (), out, is_leaf)
    return out, tree_structure(tree, is_leaf)


def tree_leaves_with_path(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> list:
    return tree_flatten_with_path(tree, is_leaf)[0]


def tree_map_with_path(f: Callable, tree: Any, *rest: Any,
                       is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``f(path, leaf, *others)`` applied leafwise."""
    pairs, treedef = tree_flatten_with_path(tree, is_leaf)
    others = [treedef.flatten_up_to(r) for r in rest]
    return treedef.unflatten(f(p, x, *xs) for (p, x), *xs in zip(pairs, *others))


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------


def register_pytree_node(nodetype: type, flatten_func: Callable, unflatten_func: Callable,
                         flatten_with_keys_func: Callable | None = None) -> None:
    """Makes ``nodetype`` a container: ``flatten_func(x) -> (children, aux_data)``,
    ``unflatten_func(aux_data, children) -> x`` (``aux_data`` must be hashable and
    comparable: it is part of the structure)."""
    if nodetype in _registry:
        raise ValueError(f"{nodetype.__name__} is already registered as a pytree node")
    keys = None
    if flatten_with_keys_func is not None:
        def keys(x, _aux):
            return [k for k, _ in flatten_with_keys_func(x)[0]]
    _registry[nodetype] = _NodeKind(nodetype, flatten_func, unflatten_func, keys)


def register_pytree_node_class(cls: type) -> type:
    """Class decorator: ``cls.tree_flatten(self)`` and ``cls.tree_unflatten(aux, children)``."""
    register_pytree_node(cls, lambda x: x.tree_flatten(), cls.tree_unflatten)
    return cls


def register_dataclass(nodetype: type | None = None, data_fields: Iterable[str] | None = None,
                       meta_fields: Iterable[str] | None = None, drop_fields: Iterable[str] = ()):
    """Registers a dataclass: ``data_fields`` are children, ``meta_fields`` are static
    (hashable, part of the structure). Without field lists, fields declared with
    ``field(metadata=dict(static=True))`` are meta and the others data. Also a decorator."""
    if nodetype is None:
        return functools.partial(register_dataclass, data_fields=data_fields,
                                 meta_fields=meta_fields, drop_fields=drop_fields)
    if (data_fields is None) != (meta_fields is None):
        raise TypeError("register_dataclass: give both data_fields and meta_fields, or neither")
    if data_fields is None:
        if not dataclasses.is_dataclass(nodetype):
            raise TypeError(f"register_dataclass: {nodetype.__name__} is not a dataclass; "
                            f"pass data_fields and meta_fields")
        fields = [f for f in dataclasses.fields(nodetype) if f.init and f.name not in drop_fields]
        meta_fields = [f.name for f in fields if f.metadata.get("static", False)]
        data_fields = [f.name for f in fields if not f.metadata.get("static", False)]
    data_fields, meta_fields = tuple(data_fields), tuple(meta_fields)
    if dataclasses.is_dataclass(nodetype):
        init_fields = {f.name for f in dataclasses.fields(nodetype) if f.init} - set(drop_fields)
        if init_fields != set(data_fields) | set(meta_fields):
            raise ValueError(f"register_dataclass: data_fields and meta_fields of "
                             f"{nodetype.__name__} must name its init fields "
                             f"{sorted(init_fields)} exactly")

    def flatten(x):
        return ([getattr(x, n) for n in data_fields],
                tuple(getattr(x, n) for n in meta_fields))

    def unflatten(meta, children):
        return nodetype(**dict(zip(data_fields, children)), **dict(zip(meta_fields, meta)))

    _registry[nodetype] = _NodeKind(nodetype, flatten, unflatten,
                                    lambda x, _: [GetAttrKey(n) for n in data_fields])
    return nodetype


def register_static(cls: type) -> type:
    """Makes ``cls`` a node without children whose instance is the static data."""
    register_pytree_node(cls, lambda x: ((), x), lambda x, _: x)
    return cls


class Partial(functools.partial):
    """A ``functools.partial`` that is a pytree: the bound arguments are children,
    the function is static (so it can be passed through ``jit``)."""

    def __new__(klass, func, *args, **kw):
        # Rewrapping a Partial keeps one level (as JAX's does), so the
        # function stays the static part.
        if isinstance(func, functools.partial):
            original, func = func, func.func
            args = original.args + args
            kw = {**original.keywords, **kw}
        return super().__new__(klass, func, *args, **kw)


# Built-in containers.
def _sequence_keys(x, _aux):
    return [SequenceKey(i) for i in range(len(x))]


_registry[tuple] = _NodeKind(tuple, lambda x: (x, None), lambda _, xs: tuple(xs), _sequence_keys)
_registry[list] = _NodeKind(list, lambda x: (x, None), lambda _, xs: list(xs), _sequence_keys)
_registry[type(None)] = _NodeKind(type(None), lambda x: ((), None), lambda _, xs: None)


def _sorted_keys(d: dict) -> tuple:
    try:
        return tuple(sorted(d))
    except TypeError:
        raise TypeError(f"pytree dict keys must be sortable, got {list(d)!r}") from None


def _flatten_dict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], keys


_registry[dict] = _NodeKind(dict, _flatten_dict, lambda keys, xs: dict(zip(keys, xs)),
                            lambda x, keys: [DictKey(k) for k in keys])
_registry[collections.OrderedDict] = _NodeKind(  # insertion order is part of the structure
    collections.OrderedDict, lambda d: (list(d.values()), tuple(d)),
    lambda keys, xs: collections.OrderedDict(zip(keys, xs)),
    lambda x, keys: [DictKey(k) for k in keys])


def _flatten_defaultdict(d):
    keys = _sorted_keys(d)
    return [d[k] for k in keys], (d.default_factory, keys)


_registry[collections.defaultdict] = _NodeKind(
    collections.defaultdict, _flatten_defaultdict,
    lambda aux, xs: collections.defaultdict(aux[0], zip(aux[1], xs)),
    lambda x, aux: [DictKey(k) for k in aux[1]])
_registry[Partial] = _NodeKind(
    Partial, lambda p: ((p.args, p.keywords), p.func),
    lambda func, xs: Partial(func, *xs[0], **xs[1]),
    lambda p, _: [GetAttrKey("args"), GetAttrKey("keywords")])
