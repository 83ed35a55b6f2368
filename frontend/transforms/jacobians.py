"""``jacfwd``, ``jacrev`` and ``hessian`` over pytrees (JAX's signatures and output layout).

The Jacobian of ``f`` at ``x`` is a nested pytree: the output's structure, each of whose
leaves is replaced by the (selected) input's structure of blocks of shape
``out_leaf.shape + in_leaf.shape``. Forward mode pushes one basis tangent per input
element through ``jvp`` (under ``vmap``); reverse mode pulls one basis cotangent per
output element through ``vjp``.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from hlox.frontend.core import dtypes
from hlox.frontend import lax
from hlox.frontend.transforms.ad import jvp, vjp
from hlox.frontend.transforms.batching import vmap
from hlox.frontend.core.tracing import get_aval
from hlox._pytree import tree_flatten, tree_unflatten

__all__ = ["jacfwd", "jacrev", "hessian"]


def _select_args(name: str, args: tuple, argnums):
    """``(dyn, rebuild)``: the differentiated argument(s) and ``rebuild(dyn) -> args``."""
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for i in nums:
        if not -len(args) <= i < len(args):
            raise TypeError(f"hlox.{name}: argnums={argnums} but the function was called with "
                            f"{len(args)} positional arguments")
    nums = tuple(i % len(args) for i in nums)

    def rebuild(dyn):
        full = list(args)
        for i, v in zip(nums, dyn if not isinstance(argnums, int) else (dyn,)):
            full[i] = v
        return full
    dyn = args[nums[0]] if isinstance(argnums, int) else tuple(args[i] for i in nums)
    return dyn, rebuild


def _basis(avals, name: str, role: str):
    """One stacked identity per leaf: leaf ``i``'s rows ``offset_i..`` are its unit vectors."""
    for a in avals:
        if not dtypes.is_float(a.dtype):
            raise TypeError(f"hlox.{name}: differentiating with respect to an {role} of dtype "
                            f"{a.dtype} (only float leaves have Jacobians)")
    total = sum(a.size for a in avals)
    out, offset = [], 0
    for a in avals:
        b = np.zeros((total, a.size), a.dtype)
        b[offset:offset + a.size] = np.eye(a.size, dtype=a.dtype)
        out.append(b.reshape((total,) + a.shape))
        offset += a.size
    return out


def _reshape(x, shape: tuple[int, ...]):
    return x if get_aval(x).shape == shape else lax.reshape(x, shape)


def _split_last(stacked, y_avals, x_avals, x_tree, y_tree):
    """Per output leaf arrays ``y_shape + (total input size,)`` -> ``y_tree`` of ``x_tree``
    blocks ``y_shape + x_shape``."""
    rows = []
    for arr, ya in zip(stacked, y_avals):
        blocks, offset = [], 0
        for xa in x_avals:
            blocks.append(_reshape(arr[..., offset:offset + xa.size], ya.shape + xa.shape))
            offset += xa.size
        rows.append(tree_unflatten(x_tree, blocks))
    return tree_unflatten(y_tree, rows)


def jacfwd(fun: Callable, argnums=0, has_aux: bool = False):
    """The Jacobian by forward mode (``jax.jacfwd``); pytrees in and out."""

    def jac(*args):
        dyn, rebuild = _select_args("jacfwd", args, argnums)
        x_leaves, x_tree = tree_flatten(dyn)
        x_avals = [get_aval(x) for x in x_leaves]
        aux = []

        def f(*leaves):
            out = fun(*rebuild(tree_unflatten(x_tree, leaves)))
            if has_aux:
                out, a = out
                aux.append(a)
            return out

        def push(*t_leaves):
            return jvp(f, tuple(x_leaves), tuple(t_leaves))[1]

        pushed = vmap(push, out_axes=-1)(*_basis(x_avals, "jacfwd", "input"))
        y_leaves, y_tree = tree_flatten(pushed)
        y_avals = [get_aval(y) for y in y_leaves]
        y_avals = [type(a)(a.shape[:-1], a.dtype) for a in y_avals]
        out = _split_last(y_leaves, y_avals, x_avals, x_tree, y_tree)
        if has_aux:
            return out, fun(*args)[1]
        return out

    return jac


def jacrev(fun: Callable, argnums=0, has_aux: bool = False):
    """The Jacobian by reverse mode (``jax.jacrev``); pytrees in and out."""

    def jac(*args):
        dyn, rebuild = _select_args("jacrev", args, argnums)
        x_leaves, x_tree = tree_flatten(dyn)
        x_avals = [get_aval(x) for x in x_leaves]
        f = lambda *leaves: fun(*rebuild(tree_unflatten(x_tree, leaves)))  # noqa: E731
        if has_aux:
            y, vjp_fn, aux = vjp(f, *x_leaves, has_aux=True)
        else:
            y, vjp_fn = vjp(f, *x_leaves)
        y_leaves, y_tree = tree_flatten(y)
        y_avals = [get_aval(v) for v in y_leaves]
        pulled = vmap(lambda *cts: vjp_fn(tree_unflatten(y_tree, cts)))(
            *_basis(y_avals, "jacrev", "output"))
        # pulled[i]: (total output size,) + x_shape_i; output leaf j owns rows o_j..o_j+s_j.
        rows, offset = [], 0
        for ya in y_avals:
            rows.append(tree_unflatten(x_tree, [
                _reshape(p[offset:offset + ya.size], ya.shape + xa.shape)
                for p, xa in zip(pulled, x_avals)]))
            offset += ya.size
        out = tree_unflatten(y_tree, rows)
        return (out, aux) if has_aux else out

    return jac


def hessian(fun: Callable, argnums=0, has_aux: bool = False):
    """``jacfwd(jacrev(fun))`` (``jax.hessian``)."""
    return jacfwd(jacrev(fun, argnums, has_aux=has_aux), argnums, has_aux=has_aux)
