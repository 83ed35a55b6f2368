import pytest

from hlox.tree_util import tree_flatten, tree_map, tree_unflatten


def test_roundtrip_nested():
    tree = {"b": (1, [2, None, 3]), "a": 4}
    leaves, treedef = tree_flatten(tree)
    assert leaves == [4, 1, 2, 3]  # dict keys sorted, None has no leaves
    assert tree_unflatten(treedef, leaves) == tree


def test_structure_is_hashable_and_compares():
    _, t1 = tree_flatten((1, {"x": 2}))
    _, t2 = tree_flatten((5, {"x": 6}))
    _, t3 = tree_flatten([5, {"x": 6}])
    assert t1 == t2 and hash(t1) == hash(t2)
    assert t1 != t3


def test_tree_map_and_mismatch():
    assert tree_map(lambda a, b: a + b, (1, [2]), (10, [20])) == (11, [22])
    with pytest.raises(ValueError, match="structures differ"):
        tree_map(lambda a, b: a, (1, 2), [1, 2])


def test_unflatten_wrong_count():
    _, treedef = tree_flatten((1, 2))
    with pytest.raises(ValueError, match="2 leaves, got 3"):
        tree_unflatten(treedef, [1, 2, 3])
