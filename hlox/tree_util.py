"""``hlox.tree_util``: pytrees, as ``jax.tree_util`` (see hlox._pytree).

Typed PRNG key arrays are leaves here, as in JAX (hlox's transformations see through
them: see hlox.frontend.libraries.key_array).
"""

from hlox import _pytree as _tree_util
from hlox.frontend.libraries.key_array import keys_as_leaves as _keys_as_leaves
from hlox._pytree import *  # noqa: F401,F403
from hlox._pytree import __all__  # noqa: F401

(tree_flatten, tree_leaves, tree_structure, tree_map, tree_reduce, tree_all, all_leaves,
 tree_flatten_with_path, tree_leaves_with_path, tree_map_with_path) = (
    _keys_as_leaves(getattr(_tree_util, name)) for name in (
        "tree_flatten", "tree_leaves", "tree_structure", "tree_map", "tree_reduce", "tree_all",
        "all_leaves", "tree_flatten_with_path", "tree_leaves_with_path", "tree_map_with_path"))
