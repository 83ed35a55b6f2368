"""hlox.tree_util against jax.tree_util: the same trees give the same leaves,
paths and results, and structures compare the same way."""

import collections
import dataclasses
import functools
from typing import NamedTuple

import numpy as np
import pytest

import hlox
from hlox import tree_util as tu

jtu = pytest.importorskip("jax.tree_util")


class Point(NamedTuple):
    x: object
    y: object


TREES = [
    1.0,
    None,
    (),
    [None, 1, (2, None)],
    {"b": 1, "a": [2, 3], "c": None},
    (1, {"z": (2,), "y": [3, {"q": 4}]}, [5, 6]),
    Point(1, (2, 3)),
    collections.OrderedDict([("b", 1), ("a", 2)]),
    collections.defaultdict(list, {"k": 1, "j": [2]}),
    [np.zeros(2), {"w": np.ones(3)}],
]


def _same_leaves(ours, theirs):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert type(a) is type(b) and np.array_equal(a, b)


@pytest.mark.parametrize("tree", TREES, ids=lambda t: type(t).__name__)
def test_leaves_roundtrip_and_paths_match_jax(tree):
    leaves, treedef = tu.tree_flatten(tree)
    _same_leaves(leaves, jtu.tree_leaves(tree))
    rebuilt = tu.tree_unflatten(treedef, leaves)
    assert type(rebuilt) is type(tree)
    assert tu.tree_structure(rebuilt) == treedef
    assert treedef.num_leaves == jtu.tree_structure(tree).num_leaves
    ours = [(tu.keystr(p), x) for p, x in tu.tree_flatten_with_path(tree)[0]]
    theirs = [(jtu.keystr(p), x) for p, x in jtu.tree_flatten_with_path(tree)[0]]
    assert [p for p, _ in ours] == [p for p, _ in theirs]


def test_structure_equality_like_jax():
    pairs = [({"a": 1, "b": 2}, {"b": 3, "a": 4}),          # dict key order: equal
             ((1, 2), [1, 2]),                                 # tuple vs list: differ
             (collections.OrderedDict(a=1, b=2), collections.OrderedDict(b=1, a=2)),
             (Point(1, 2), (1, 2)),
             ([None, 1], [1, None]),
             ({"a": None}, {"a": 1})]
    for t1, t2 in pairs:
        ours = tu.tree_structure(t1) == tu.tree_structure(t2)
        theirs = jtu.tree_structure(t1) == jtu.tree_structure(t2)
        assert ours == theirs, (t1, t2)
        if ours:
            assert hash(tu.tree_structure(t1)) == hash(tu.tree_structure(t2))


def test_tree_map_multiple_trees_none_and_is_leaf():
    a = {"x": [1, 2], "y": None, "z": (3,)}
    b = {"x": [10, 20], "y": None, "z": (30,)}
    assert tu.tree_map(lambda u, v: u + v, a, b) == jtu.tree_map(lambda u, v: u + v, a, b)
    # The other trees may be deeper: their subtrees at a's leaves go to f whole.
    c = {"x": [(1, 1), (2, 2)], "y": None, "z": ([3],)}
    assert tu.tree_map(lambda u, v: (u, v), a, c) == jtu.tree_map(lambda u, v: (u, v), a, c)
    is_pair = lambda t: isinstance(t, tuple) and len(t) == 2  # noqa: E731
    tree = [(1, 2), (3, (4, 5))]
    assert tu.tree_map(lambda t: t[0], tree, is_leaf=is_pair) == [1, 3]
    assert tu.tree_map(lambda t: t, tree, is_leaf=is_pair) == \
        jtu.tree_map(lambda t: t, tree, is_leaf=is_pair)
    assert tu.tree_leaves([None, 1], is_leaf=lambda t: t is None) == \
        jtu.tree_leaves([None, 1], is_leaf=lambda t: t is None)
    with pytest.raises(ValueError, match="structures differ"):
        tu.tree_map(lambda u, v: u, {"x": 1}, {"y": 1})
    with pytest.raises(ValueError, match="structures differ"):
        tu.tree_map(lambda u, v: u, (1, 2), [1, 2])


def test_register_pytree_node_and_class():
    class Box:
        def __init__(self, items, label):
            self.items, self.label = items, label

    tu.register_pytree_node(Box, lambda b: (b.items, b.label),
                            lambda label, items: Box(list(items), label))
    leaves, treedef = tu.tree_flatten([Box([1, 2], "L"), 3])
    assert leaves == [1, 2, 3]
    rebuilt = tu.tree_unflatten(treedef, [4, 5, 6])
    assert rebuilt[0].items == [4, 5] and rebuilt[0].label == "L" and rebuilt[1] == 6
    assert tu.tree_structure(Box([1, 2], "L")) != tu.tree_structure(Box([1, 2], "M"))
    with pytest.raises(ValueError, match="already registered"):
        tu.register_pytree_node(Box, lambda b: ((), None), lambda a, c: None)

    @tu.register_pytree_node_class
    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

        def tree_flatten(self):
            return (self.a, self.b), None

        @classmethod
        def tree_unflatten(cls, aux, children):
            return cls(*children)

    doubled = tu.tree_map(lambda v: v * 2, Pair(1, {"k": 2}))
    assert isinstance(doubled, Pair) and doubled.a == 2 and doubled.b == {"k": 4}


def test_register_dataclass_like_jax():
    @functools.partial(tu.register_dataclass, data_fields=["w", "b"], meta_fields=["act"])
    @dataclasses.dataclass
    class Layer:
        w: object
        b: object
        act: str

    @tu.register_dataclass
    @dataclasses.dataclass
    class Auto:
        w: object
        name: str = dataclasses.field(default="n", metadata=dict(static=True))

    layer = Layer(1, 2, "relu")
    assert tu.tree_leaves(layer) == [1, 2]
    assert tu.tree_map(lambda v: v + 1, layer) == Layer(2, 3, "relu")
    assert tu.tree_structure(layer) != tu.tree_structure(Layer(1, 2, "tanh"))
    assert [tu.keystr(p) for p, _ in tu.tree_flatten_with_path(layer)[0]] == [".w", ".b"]
    assert tu.tree_leaves(Auto(5)) == [5]
    assert tu.tree_map(lambda v: -v, Auto(5, "m")) == Auto(-5, "m")
    with pytest.raises(ValueError, match="init fields"):
        @functools.partial(tu.register_dataclass, data_fields=["w"], meta_fields=[])
        @dataclasses.dataclass
        class Missing:
            w: object
            b: object


def test_partial_is_a_pytree_through_jit():
    def scale(x, k):
        return x * k

    p = tu.Partial(scale, k=np.float32(3.0))
    assert tu.tree_leaves(p) == [np.float32(3.0)]
    apply = hlox.jit(lambda f, x: f(x))
    x = np.arange(3, dtype=np.float32)
    np.testing.assert_allclose(apply(p, x), x * 3)
    np.testing.assert_allclose(apply(tu.Partial(scale, k=np.float32(4.0)), x), x * 4)
    assert apply.trace_count == 1  # k is a leaf, the function is static


def test_reduce_all_and_unflatten_errors():
    assert tu.tree_reduce(lambda a, b: a + b, {"a": 1, "b": [2, 3]}) == 6
    assert tu.tree_reduce(lambda a, b: a + b, [], 0) == 0
    assert tu.tree_all([True, {"x": True}]) and not tu.tree_all([True, (False,)])
    with pytest.raises(ValueError, match="has 2 leaves, got 3"):
        tu.tree_unflatten(tu.tree_structure((1, 2)), [1, 2, 3])
    assert tu.treedef_is_leaf(tu.tree_structure(1.0))
    assert tu.all_leaves([1, np.zeros(2)]) and not tu.all_leaves([1, (2,)])


def test_treedef_methods_like_jax():
    tree = {"a": [1, (2, 3)], "b": None}
    ours, theirs = tu.tree_structure(tree), jtu.tree_structure(tree)
    assert len(ours.children()) == len(theirs.children())
    assert [c.num_leaves for c in ours.children()] == [c.num_leaves for c in theirs.children()]
    assert ours.num_nodes == theirs.num_nodes
    assert ours.node_data() == (dict, ("a", "b"))
    assert ours.unflatten([4, 5, 6]) == theirs.unflatten([4, 5, 6])
    deeper = {"a": [[1], ("x", {"y": 2})], "b": None}
    assert ours.flatten_up_to(deeper) == theirs.flatten_up_to(deeper)


def test_hlox_tree_short_names():
    import jax

    tree = {"a": [1, 2], "b": (3, None)}
    assert hlox.tree.map(lambda v: v * 10, tree) == jax.tree.map(lambda v: v * 10, tree)
    assert hlox.tree.leaves(tree) == jax.tree.leaves(tree)
    assert hlox.tree.reduce(lambda a, b: a + b, tree) == jax.tree.reduce(lambda a, b: a + b, tree)
    leaves, treedef = hlox.tree.flatten(tree)
    assert hlox.tree.unflatten(treedef, leaves) == tree


def test_treedef_rebuilt_from_node_data():
    def rebuild(treedef):
        return tu.PyTreeDef.from_node_data(treedef.node_data(),
                                           [rebuild(c) for c in treedef.children()])

    for tree in TREES:
        treedef = tu.tree_structure(tree)
        assert rebuild(treedef) == treedef
    with pytest.raises(ValueError, match="not a registered pytree node"):
        tu.PyTreeDef.from_node_data((set, None))
