"""Working with JAX's objects: ``jax.Array`` and ``jax.ShapeDtypeStruct`` arguments of
``hlox.jit``, and ``compile_stablehlo`` of a JAX ``Lowered``.

JAX is never imported here: an object can only be JAX's if ``jax`` is already in
``sys.modules``. A ``jax.Array`` becomes a NumPy array (``np.asarray``: a read-only view
of a CPU buffer, no copy), a typed key array its uint32 key data wrapped as hlox's typed
keys (through the hook that ``hlox.frontend.libraries.key_array`` installs), a
``jax.ShapeDtypeStruct`` hlox's.

A JAX ``Lowered`` (``jax.jit(f).lower(*args)``) compiles from its StableHLO and keeps
its input and output trees: the result takes and returns ``f``'s pytrees, flattened and
rebuilt with ``jax.tree_util``; typed PRNG keys cross as their key data and come back as
JAX typed keys; arguments JAX left out of ``@main`` (unused ones) are skipped.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

import numpy as np

from hlox._pytree import tree_flatten, tree_map
from hlox.frontend.core.dtypes import KeyDType
from hlox.frontend.core.shape_dtype_struct import ShapeDtypeStruct

# (base) -> a typed key array over ``base`` (uint32[..., 2] data or its ShapeDtypeStruct);
# installed by the typed-key module, which lives in a higher layer.
wrap_key_data: Callable[[Any], Any] | None = None


def _jax():
    return sys.modules.get("jax")


def _is_jax_key(jax, dtype) -> bool:
    return jax.dtypes.issubdtype(dtype, jax.dtypes.prng_key)


def _import_leaf(jax, leaf):
    if isinstance(leaf, jax.ShapeDtypeStruct):
        if _is_jax_key(jax, leaf.dtype):
            return _wrap_key(ShapeDtypeStruct(tuple(leaf.shape) + (2,), np.uint32))
        return ShapeDtypeStruct(leaf.shape, leaf.dtype, weak_type=leaf.weak_type)
    if isinstance(leaf, jax.Array):
        if _is_jax_key(jax, leaf.dtype):
            return _wrap_key(np.asarray(jax.random.key_data(leaf)))
        return np.asarray(leaf)  # on the CPU a read-only view of JAX's buffer: no copy
    return leaf


def _wrap_key(base):
    if wrap_key_data is None:
        raise TypeError("hlox.jit: a JAX typed PRNG key argument needs hlox's typed keys "
                        "(import hlox.random)")
    return wrap_key_data(base)


def import_jax_values(tree):
    """``tree`` with JAX arrays, typed keys and ShapeDtypeStructs replaced by hlox's
    (the same object when it holds none)."""
    jax = _jax()
    if jax is None:
        return tree
    leaves, _ = tree_flatten(tree)
    if not any(isinstance(x, (jax.Array, jax.ShapeDtypeStruct)) for x in leaves):
        return tree
    return tree_map(lambda x: _import_leaf(jax, x), tree)


def is_jax_lowered(obj) -> bool:
    jax = _jax()
    return jax is not None and isinstance(obj, jax.stages.Lowered)


def _kept_leaves(lowered, count: int) -> list[int]:
    """The flat argument indices JAX kept in ``@main`` (all, with keep_unused=True)."""
    kept = getattr(getattr(lowered, "_lowering", None), "compile_args", {}).get("kept_var_idx")
    return sorted(kept) if kept is not None else list(range(count))


def _key_impl_name(dtype) -> str:
    impl = getattr(dtype, "_impl", None)
    name = getattr(impl, "name", None)
    return name if isinstance(name, str) else "threefry2x32"


class JaxLoweredCompiled:
    """``compile_stablehlo(jax_lowered)``: a :class:`~hlox.frontend.staging.jit.Compiled`
    of JAX's ``@main`` that takes and returns the lowered function's pytrees."""

    def __init__(self, compiled, lowered):
        jax = _jax()
        self.compiled = compiled
        self.in_tree = lowered.in_tree
        self.out_tree = lowered.out_tree
        arg_infos = jax.tree_util.tree_leaves(lowered.args_info)
        self._in_keys = [_is_jax_key(jax, info._aval.dtype) if hasattr(info, "_aval") else
                         _is_jax_key(jax, info.dtype) for info in arg_infos]
        self._kept = _kept_leaves(lowered, len(arg_infos))
        self._out_keys = [_key_impl_name(s.dtype) if _is_jax_key(jax, s.dtype) else None
                          for s in jax.tree_util.tree_leaves(lowered.out_info)]

    # the rest of Compiled's API (stages, as_text, serialize, cost_analysis, ...)
    def __getattr__(self, name):
        return getattr(self.compiled, name)

    def __call__(self, *args, **kwargs):
        jax = _jax()
        leaves, tree = jax.tree_util.tree_flatten((args, kwargs))
        if tree != self.in_tree:
            raise TypeError(f"{self.compiled.lowered.name}: called with arguments of "
                            f"structure {tree}, lowered by JAX for {self.in_tree}")
        flat = []
        for i in self._kept:
            leaf = leaves[i]
            if self._in_keys[i]:
                if isinstance(getattr(leaf, "dtype", None), KeyDType):
                    leaf = leaf._base  # hlox's typed key: its key data
                elif isinstance(leaf, jax.Array) and _is_jax_key(jax, leaf.dtype):
                    leaf = jax.random.key_data(leaf)
            flat.append(leaf)
        outs = list(self.compiled(*flat))
        for i, impl in enumerate(self._out_keys):
            if impl is not None:
                outs[i] = jax.random.wrap_key_data(np.asarray(outs[i]), impl=impl)
        return jax.tree_util.tree_unflatten(self.out_tree, outs)
