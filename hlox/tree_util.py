"""``hlox.tree_util``: pytrees, as ``jax.tree_util`` (see hlox.frontend.tree_util).

Typed PRNG key arrays are leaves here, as in JAX (hlox's transformations see through
them: see hlox.frontend.key_array).
"""

from hlox.frontend import tree_util as _tree_util
from hlox.frontend.key_array import keys_as_leaves as _keys_as_leaves
from hlox.frontend.tree_util import *  # noqa: F401,F403
from hlox.frontend.tree_util import __all__  # noqa: F401

(tree_flatten, tree_leaves, tree_structure, tree_map, tree_reduce, tree_all, all_leaves,
 tree_flatten_with_path, tree_leaves_with_path, tree_map_with_path) = (
    _keys_as_leaves(getattr(_tree_util, name)) for name in (
        "tree_flatten", "tree_leaves", "tree_structure", "tree_map", "tree_reduce", "tree_all",
        "all_leaves", "tree_flatten_with_path", "tree_leaves_with_path", "tree_map_with_path"))
