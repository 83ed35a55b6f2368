"""hlox.checkpoint(policy=...) against jax.checkpoint: gradients, and which forward values
the backward pass recomputes (counted in make_jaxpr of the gradient) versus saves."""

import jax
import jax.ad_checkpoint  # noqa: F401  (jax.ad_checkpoint.checkpoint_name)
import jax.numpy as jnp
import numpy as np
import pytest

import hlox
import hlox.ad_checkpoint
import hlox.numpy as hnp
from hlox.frontend.libraries.test_util import check_grads

rng = np.random.default_rng(0)
W1, W2 = (rng.standard_normal((4, 4)).astype(np.float32) * 0.5 for _ in range(2))
X = rng.standard_normal((4,)).astype(np.float32)


def policy(H, name):
    """JAX's policy ``name``, or one of these combinations, from the module ``H``."""
    cp = H.checkpoint_policies
    combined = {"default": None,
                "only_h": cp.save_only_these_names("h"),
                "all_but_h": cp.save_any_names_but_these("h"),
                "dots_or_h": cp.save_from_both_policies(cp.dots_saveable,
                                                        cp.save_only_these_names("h"))}
    return combined[name] if name in combined else getattr(cp, name)


def loss(H, np_, name, checkpointed=True):
    def block(w1, w2, x):
        h = H.ad_checkpoint.checkpoint_name(np_.sin(w1 @ x), "h")
        return np_.sin(w2 @ h)
    f = H.checkpoint(block, policy=policy(H, name)) if checkpointed else block
    return lambda w1, w2, x: np_.sum(f(w1, w2, x))


def grad_graph(name, checkpointed=True):
    g = hlox.grad(loss(hlox, hnp, name, checkpointed), argnums=(0, 1))
    return str(hlox.make_jaxpr(g)(W1, W2, X))


# (policy, dot_generals, sins) in make_jaxpr(grad): the forward pass has 2 dots and 2 sins,
# the backward 3 transposed dots; a dot or sin not saved is recomputed there.
CASES = [("default", 7, 3), ("nothing_saveable", 7, 3), ("everything_saveable", 5, 2),
         ("dots_saveable", 5, 3), ("checkpoint_dots", 5, 3),
         ("dots_with_no_batch_dims_saveable", 5, 3), ("only_h", 7, 2), ("all_but_h", 7, 3),
         ("dots_or_h", 5, 2)]


@pytest.mark.parametrize("name,dots,sins", CASES, ids=[c[0] for c in CASES])
def test_policy_gradients_and_recomputation(name, dots, sins):
    got = hlox.jit(hlox.grad(loss(hlox, hnp, name), argnums=(0, 1)))(W1, W2, X)
    want = jax.grad(loss(jax, jnp, name), argnums=(0, 1))(W1, W2, X)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)  # float32, reassociated sums
    text = grad_graph(name)
    assert (text.count("dot_general"), text.count(" sin ")) == (dots, sins)


def test_saving_everything_matches_no_checkpoint():
    plain = grad_graph("default", checkpointed=False)
    saved = grad_graph("everything_saveable")
    for op in ("dot_general", " sin ", " cos "):
        assert plain.count(op) == saved.count(op), op


def test_batch_dims_are_not_saved_by_no_batch_dims_policy():
    def f(H, np_, name):
        block = H.checkpoint(lambda a: np_.sin(np_.einsum("bij,bjk->bik", a, a)),
                             policy=getattr(H.checkpoint_policies, name))
        return lambda a: np_.sum(block(a))
    a = rng.standard_normal((2, 3, 3)).astype(np.float32)
    count = {n: str(hlox.make_jaxpr(hlox.grad(f(hlox, hnp, n)))(a)).count("dot_general")
             for n in ("dots_saveable", "dots_with_no_batch_dims_saveable")}
    assert count["dots_with_no_batch_dims_saveable"] == count["dots_saveable"] + 1
    name = "dots_with_no_batch_dims_saveable"
    np.testing.assert_allclose(hlox.jit(hlox.grad(f(hlox, hnp, name)))(a),
                               jax.grad(f(jax, jnp, name))(a), rtol=1e-5, atol=1e-6)


def test_grad_vmap_and_static_args():
    x = np.array([0.3, -0.2, 0.5])  # float64 for check_grads' finite differences

    def f(x, power):  # power must be static: it is a Python loop bound
        y = hnp.sin(hnp.outer(x, x) @ x)
        for _ in range(power):
            y = y * x
        return hnp.sum(y)
    ck = hlox.checkpoint(f, policy=hlox.checkpoint_policies.dots_saveable, static_argnums=1,
                         prevent_cse=False)
    check_grads(lambda x: ck(x, 2), (x,), order=1)
    xs = np.stack([x, 2 * x]).astype(np.float32)
    got = hlox.jit(hlox.vmap(hlox.grad(lambda x: ck(x, 2))))(xs)
    np.testing.assert_allclose(got, [hlox.grad(lambda x: f(x, 2))(r) for r in xs],
                               rtol=1e-5, atol=1e-6)
    by_name = hlox.checkpoint(f, static_argnames="power")  # positionally or by keyword
    for call in (lambda x: by_name(x, 2), lambda x: by_name(x, power=2)):
        np.testing.assert_allclose(hlox.grad(call)(x), hlox.grad(lambda x: f(x, 2))(x),
                                   rtol=1e-12)
    with pytest.raises(TypeError, match="policy must be a callable"):
        hlox.checkpoint(f, policy="dots")
