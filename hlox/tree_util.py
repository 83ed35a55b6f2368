"""``hlox.tree_util``: pytrees (see hlox.frontend.tree_util)."""

from hlox.frontend.tree_util import (PyTreeDef, tree_flatten, tree_leaves, tree_map,  # noqa: F401
                                     tree_structure, tree_unflatten)
