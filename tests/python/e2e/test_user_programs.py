"""Programs a new user would write for JAX, run unchanged under hlox (issue 3's "done when").

Each program below is JAX code: a ``main()`` returning a pytree of results. The harness
executes the SAME source twice, once after ``import jax, jax.numpy as jnp, ...`` and once
after ``import hlox as jax, hlox.numpy as jnp, ...``, and compares every leaf: same shape,
same dtype, values within the dtype's tolerance (same_source.TOL; integers and booleans exactly).
The programs are realistic small models and numerics, not single-primitive checks (those
live in jax_programs.py and the per-module tests).
"""

from __future__ import annotations

import pytest

pytest.importorskip("jax")

from same_source import compare, registrar, run_both  # noqa: E402

PROGRAMS: dict[str, str] = {}
program = registrar(PROGRAMS)


# ---------------------------------------------------------------------------------------------
# Models and training loops
# ---------------------------------------------------------------------------------------------

program("logistic_regression_sgd")("""
    def main():
        kx, kw = random.split(random.PRNGKey(0))
        X = random.normal(kx, (64, 5))
        w_true = jnp.arange(5.0) - 2.0
        y = (X @ w_true > 0).astype(jnp.float32)

        def loss(params, X, y):
            w, b = params
            logits = X @ w + b
            return jnp.mean(jnp.logaddexp(0.0, logits) - y * logits)

        @jax.jit
        def step(params, X, y):
            l, g = jax.value_and_grad(loss)(params, X, y)
            return jax.tree_util.tree_map(lambda p, gp: p - 0.5 * gp, params, g), l

        params = (jnp.zeros(5), 0.0)
        losses = []
        for _ in range(5):
            params, l = step(params, X, y)
            losses.append(l)
        return params, jnp.stack(losses)
""")

program("mlp_dict_params_fori_loop")("""
    def init(key, sizes):
        params = []
        for k, (m, n) in zip(random.split(key, len(sizes) - 1), zip(sizes[:-1], sizes[1:])):
            params.append({"w": random.normal(k, (m, n)) / jnp.sqrt(m), "b": jnp.zeros(n)})
        return params

    def forward(params, x):
        for layer in params[:-1]:
            x = jax.nn.relu(x @ layer["w"] + layer["b"])
        return x @ params[-1]["w"] + params[-1]["b"]

    def loss(params, x, y):
        return jnp.mean((forward(params, x) - y) ** 2)

    @jax.jit
    def train(params, x, y):
        def body(i, p):
            g = jax.grad(loss)(p, x, y)
            return jax.tree_util.tree_map(lambda a, b: a - 0.05 * b, p, g)
        return lax.fori_loop(0, 10, body, params)

    def main():
        key = random.PRNGKey(1)
        params = init(key, [3, 8, 8, 1])
        x = jnp.linspace(-1, 1, 30).reshape(10, 3)
        y = jnp.sin(x.sum(axis=1, keepdims=True))
        trained = train(params, x, y)
        return loss(params, x, y), loss(trained, x, y), trained[0]["w"]
""")

program("small_cnn_forward_backward")("""
    def conv(x, w):
        return lax.conv_general_dilated(x, w, window_strides=(1, 1), padding="SAME",
                                        dimension_numbers=("NHWC", "HWIO", "NHWC"))

    def maxpool(x):
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")

    def model(params, x):
        x = jax.nn.relu(conv(x, params["c1"]))
        x = maxpool(x)
        x = jax.nn.relu(conv(x, params["c2"]))
        x = maxpool(x)
        x = x.reshape(x.shape[0], -1)
        return x @ params["dense"]

    def loss(params, x, labels):
        logits = model(params, x)
        return -jnp.mean(jnp.sum(jax.nn.log_softmax(logits) * jax.nn.one_hot(labels, 3), axis=-1))

    def main():
        k1, k2, k3, k4 = random.split(random.PRNGKey(42), 4)
        params = {"c1": random.normal(k1, (3, 3, 1, 4)) * 0.3,
                  "c2": random.normal(k2, (3, 3, 4, 6)) * 0.3,
                  "dense": random.normal(k3, (2 * 2 * 6, 3)) * 0.1}
        x = random.uniform(k4, (2, 8, 8, 1))
        labels = jnp.array([0, 2])
        l, g = jax.jit(jax.value_and_grad(loss))(params, x, labels)
        return l, g
""")

program("rnn_scan_with_grad")("""
    def rnn(params, xs):
        Wh, Wx, b = params
        def cell(h, x):
            h = jnp.tanh(h @ Wh + x @ Wx + b)
            return h, h.sum()
        h, sums = lax.scan(cell, jnp.zeros(Wh.shape[0]), xs)
        return h, sums

    def loss(params, xs):
        h, sums = rnn(params, xs)
        return jnp.sum(h ** 2) + 0.1 * jnp.sum(sums)

    def main():
        k = random.split(random.PRNGKey(3), 3)
        params = (random.normal(k[0], (4, 4)) * 0.5, random.normal(k[1], (2, 4)), jnp.ones(4) * 0.1)
        xs = random.normal(k[2], (7, 2))
        return jax.jit(rnn)(params, xs), jax.jit(jax.grad(loss))(params, xs)
""")

program("masked_attention")("""
    def attention(q, k, v, mask):
        scores = jnp.einsum("bqd,bkd->bqk", q, k) / jnp.sqrt(q.shape[-1]).astype(q.dtype)
        scores = jnp.where(mask[:, None, :], scores, -1e9)
        w = jax.nn.softmax(scores, axis=-1)
        return jnp.einsum("bqk,bkd->bqd", w, v), w

    def main():
        kq, kk, kv = random.split(random.key(7), 3)
        q = random.normal(kq, (2, 3, 8))
        k = random.normal(kk, (2, 5, 8))
        v = random.normal(kv, (2, 5, 8))
        lengths = jnp.array([3, 5])
        mask = jnp.arange(5)[None, :] < lengths[:, None]
        out, w = jax.jit(attention)(q, k, v, mask)
        gq = jax.jit(jax.grad(lambda q: attention(q, k, v, mask)[0].sum()))(q)
        return out, w, gq
""")

program("causal_self_attention_layernorm")("""
    def layer_norm(x, g, b, eps=1e-5):
        mu = x.mean(-1, keepdims=True)
        var = x.var(-1, keepdims=True)
        return (x - mu) / jnp.sqrt(var + eps) * g + b

    def block(params, x):
        T, D = x.shape
        h = layer_norm(x, params["g"], params["b"])
        q, k, v = jnp.split(h @ params["qkv"], 3, axis=-1)
        causal = jnp.tril(jnp.ones((T, T), dtype=bool))
        att = jnp.where(causal, q @ k.T / D ** 0.5, -jnp.inf)
        att = jax.nn.softmax(att, axis=-1)
        return x + att @ v

    def main():
        k1, k2 = random.split(random.PRNGKey(11))
        params = {"g": jnp.ones(6), "b": jnp.zeros(6), "qkv": random.normal(k1, (6, 18)) * 0.2}
        x = random.normal(k2, (4, 6))
        y = jax.jit(block)(params, x)
        g = jax.jit(jax.grad(lambda p, x: jnp.sum(block(p, x) ** 2)))(params, x)
        return y, g
""")

program("dropout_training_step")("""
    def dropout(key, x, rate):
        keep = random.bernoulli(key, 1.0 - rate, x.shape)
        return jnp.where(keep, x / (1.0 - rate), 0.0)

    @jax.jit
    def step(w, key, x):
        def loss(w):
            h = dropout(key, jnp.tanh(x @ w), 0.5)
            return jnp.sum(h ** 2)
        l, g = jax.value_and_grad(loss)(w)
        return w - 0.01 * g, l

    def main():
        key = random.PRNGKey(5)
        w = jnp.eye(4) * 0.5
        x = jnp.arange(12.0).reshape(3, 4) / 12
        ls = []
        for i in range(3):
            key, sub = random.split(key)
            w, l = step(w, sub, x)
            ls.append(l)
        return w, jnp.array(ls)
""")

program("shuffled_minibatches")("""
    def main():
        key = random.PRNGKey(0)
        X = jnp.arange(40.0).reshape(20, 2)
        y = jnp.arange(20) % 3
        perm = random.permutation(key, 20)
        Xs, ys = X[perm], y[perm]
        batches = Xs.reshape(4, 5, 2)
        counts = jnp.zeros(3, jnp.int32).at[ys].add(1)
        p2 = random.permutation(random.fold_in(key, 3), X)
        return perm, batches.mean(axis=(1, 2)), counts, p2
""")

# ---------------------------------------------------------------------------------------------
# Autodiff patterns
# ---------------------------------------------------------------------------------------------

program("per_example_gradients")("""
    def loss(w, x, y):
        return (jnp.dot(x, w) - y) ** 2

    def main():
        X = jnp.linspace(0, 1, 12).reshape(4, 3)
        y = jnp.array([1.0, -1.0, 0.5, 2.0])
        w = jnp.array([0.1, 0.2, -0.3])
        per_ex = jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))(w, X, y)
        norms = jnp.linalg.norm(per_ex, axis=1)
        clipped = per_ex / jnp.maximum(1.0, norms / 0.5)[:, None]
        return per_ex, clipped.mean(0), jax.jit(jax.vmap(jax.value_and_grad(loss), (None, 0, 0)))(w, X, y)
""")

program("hessian_vector_product")("""
    def f(x):
        return jnp.sum(jnp.sin(x) * x ** 2) + jnp.prod(jnp.cos(x[:2]))

    def hvp(f, x, v):
        return jax.jvp(jax.grad(f), (x,), (v,))[1]

    def main():
        x = jnp.array([0.3, -1.2, 2.0, 0.7])
        v = jnp.array([1.0, 0.0, -1.0, 0.5])
        H = jax.jit(jax.hessian(f))(x)
        rev_over_rev = jax.jit(jax.grad(lambda x: jnp.vdot(jax.grad(f)(x), v)))(x)
        return H @ v, rev_over_rev, jax.jit(hvp, static_argnums=0)(f, x, v)
""")

program("jacobians_of_pytree_function")("""
    def f(p):
        return {"a": p["x"] * p["y"][0], "b": jnp.tanh(p["x"]).sum() + p["y"][1] ** 2}

    def main():
        p = {"x": jnp.array([0.5, -0.3, 1.2]), "y": (jnp.array(2.0), jnp.array(-1.5))}
        g = lambda x, y: jnp.sin(x) * y
        return (jax.jit(jax.jacfwd(f))(p), jax.jit(jax.jacrev(f))(p),
                jax.jit(jax.jacrev(g, argnums=(0, 1)))(jnp.ones(2), jnp.arange(2.0)),
                jax.jit(jax.jacfwd(lambda x: (x * 2, x.sum()), has_aux=True))(jnp.ones(2)))
""")

program("custom_jvp_safe_softplus")("""
    @jax.custom_jvp
    def log1pexp(x):
        return jnp.where(x > 20.0, x, jnp.log1p(jnp.exp(jnp.minimum(x, 20.0))))

    @log1pexp.defjvp
    def log1pexp_jvp(primals, tangents):
        x, = primals
        t, = tangents
        return log1pexp(x), t * jax.nn.sigmoid(x)

    def main():
        x = jnp.array([-30.0, -1.0, 0.0, 3.0, 50.0, 100.0])
        g = jax.vmap(jax.grad(log1pexp))(x)
        gg = jax.grad(lambda x: jax.grad(log1pexp)(x))(2.0)
        return jax.jit(log1pexp)(x), g, gg
""")

program("custom_vjp_clip_gradient")("""
    @jax.custom_vjp
    def clip_grad(x, lo, hi):
        return x

    def fwd(x, lo, hi):
        return x, (lo, hi)

    def bwd(res, g):
        lo, hi = res
        return (jnp.clip(g, lo, hi), None, None)

    clip_grad.defvjp(fwd, bwd)

    def main():
        f = lambda x: jnp.sum(clip_grad(x, -1.0, 1.0) ** 3)
        x = jnp.array([-2.0, -0.5, 0.1, 1.5])
        return jax.grad(f)(x), jax.jit(jax.grad(f))(x)
""")

program("grad_through_cond_and_while")("""
    def f(x):
        y = lax.cond(x.sum() > 0, lambda x: x * 2.0, lambda x: jnp.sin(x), x)
        def body(i, c):
            return c * 0.9 + jnp.cos(c)
        return lax.fori_loop(0, 5, body, y).sum()

    def newton_sqrt(a):
        def cond(s):
            x, i = s
            return (jnp.abs(x * x - a) > 1e-6) & (i < 50)
        def body(s):
            x, i = s
            return 0.5 * (x + a / x), i + 1
        return lax.while_loop(cond, body, (a, 0))

    def main():
        x1 = jnp.array([0.5, 1.0])
        x2 = jnp.array([-0.5, -1.0])
        return (jax.grad(f)(x1), jax.grad(f)(x2), jax.jit(f)(x1),
                jax.jit(newton_sqrt)(jnp.float32(10.0)),
                lax.switch(2, [jnp.sin, jnp.cos, jnp.tanh], x1))
""")

program("checkpointed_deep_stack")("""
    def layer(w, x):
        return jnp.tanh(x @ w)

    def net(ws, x):
        for w in ws:
            x = jax.checkpoint(layer)(w, x)
        return x.sum()

    def main():
        ws = [jnp.eye(3) * (0.5 + 0.1 * i) + 0.05 for i in range(4)]
        x = jnp.array([[1.0, -2.0, 0.5]])
        return jax.jit(jax.grad(net))(ws, x)
""")

program("fourth_derivative_and_linearize")("""
    def f(x):
        return x ** 4 - 3 * x ** 3 + jnp.exp(0.5 * x)

    def main():
        d = f
        ds = []
        for _ in range(4):
            d = jax.grad(d)
            ds.append(d(1.5))
        y, f_lin = jax.linearize(jnp.sin, jnp.array([0.1, 0.2]))
        out, vjp_fn = jax.vjp(lambda a, b: a * jnp.sin(b), jnp.array([1.0, 2.0]), jnp.array([0.3, 0.4]))
        return ds, y, f_lin(jnp.array([1.0, 1.0])), vjp_fn(jnp.ones(2))
""")

# ---------------------------------------------------------------------------------------------
# Numerics
# ---------------------------------------------------------------------------------------------

program("power_iteration")("""
    @jax.jit
    def top_eigen(A):
        def body(i, v):
            v = A @ v
            return v / jnp.linalg.norm(v)
        v = lax.fori_loop(0, 60, body, jnp.ones(A.shape[0]) / jnp.sqrt(A.shape[0]))
        return v @ A @ v, v

    def main():
        B = jnp.arange(16.0).reshape(4, 4) / 10
        A = B @ B.T + jnp.eye(4)
        lam, v = top_eigen(A)
        return lam, jnp.abs(v)
""")

program("monte_carlo_pi_and_integral")("""
    @jax.jit
    def estimate(key):
        kx, ky, ku = random.split(key, 3)
        x = random.uniform(kx, (5000,))
        y = random.uniform(ky, (5000,))
        pi = 4.0 * jnp.mean((x * x + y * y) <= 1.0)
        u = random.uniform(ku, (5000,), minval=0.0, maxval=jnp.pi)
        integral = jnp.pi * jnp.mean(jnp.sin(u))
        return pi, integral

    def main():
        keys = random.split(random.PRNGKey(2024), 3)
        return jax.jit(jax.vmap(estimate))(keys)
""")

program("euler_ode_scan")("""
    def lotka_volterra(s, _):
        x, y = s[0], s[1]
        ds = jnp.stack([1.1 * x - 0.4 * x * y, 0.1 * x * y - 0.4 * y])
        s = s + 0.01 * ds
        return s, s

    def main():
        final, traj = jax.jit(lambda s0: lax.scan(lotka_volterra, s0, None, length=200))(
            jnp.array([10.0, 5.0]))
        back, _ = lax.scan(lambda c, x: (c * 0.5 + x, c), 0.0, jnp.arange(5.0), reverse=True)
        return final, traj[::50], back
""")

program("kmeans_steps")("""
    def kmeans_step(centroids, points):
        d = jnp.sum((points[:, None, :] - centroids[None, :, :]) ** 2, axis=-1)
        assign = jnp.argmin(d, axis=1)
        onehot = jax.nn.one_hot(assign, centroids.shape[0])
        counts = onehot.sum(0)
        new = (onehot.T @ points) / jnp.maximum(counts, 1.0)[:, None]
        return new, assign

    def main():
        key = random.PRNGKey(9)
        pts = jnp.concatenate([random.normal(key, (20, 2)) + 3.0,
                               random.normal(random.fold_in(key, 1), (20, 2)) - 3.0])
        c = pts[jnp.array([0, 25])]
        step = jax.jit(kmeans_step)
        for _ in range(4):
            c, a = step(c, pts)
        return c, a
""")

program("softmax_cross_entropy_int_labels")("""
    def xent(logits, labels):
        logp = jax.nn.log_softmax(logits)
        return -jnp.take_along_axis(logp, labels[:, None], axis=1).squeeze(1)

    @jax.jit
    def main():
        logits = jnp.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 3.0], [1.0, 1.0, 1.0]])
        labels = jnp.array([0, 1, 2, 1], dtype=jnp.int32)
        acc = jnp.mean(jnp.argmax(logits, -1) == labels)
        lse = jax.scipy.special.logsumexp(logits, axis=1)
        return xent(logits, labels), acc, jax.grad(lambda l: xent(l, labels).mean())(logits), lse
""")

# ---------------------------------------------------------------------------------------------
# Indexing, sorting, histograms
# ---------------------------------------------------------------------------------------------

program("histogram_and_bincount_scatter")("""
    @jax.jit
    def hist(x, nbins):
        idx = jnp.clip(((x + 3.0) / 6.0 * 10).astype(jnp.int32), 0, 9)
        counts = jnp.zeros(10, jnp.int32).at[idx].add(1)
        sums = jnp.zeros(10).at[idx].add(x)
        maxes = jnp.full(10, -jnp.inf).at[idx].max(x)
        return counts, sums, maxes

    def main():
        x = random.normal(random.PRNGKey(4), (200,))
        return hist(x, 10)
""")

program("topk_argsort_cumsum_pipeline")("""
    def main():
        scores = jnp.array([0.3, 2.1, -0.5, 1.7, 0.9, 2.1, -1.0, 0.0])
        vals, idx = lax.top_k(scores, 3)
        order = jnp.argsort(-scores)
        ranks = jnp.empty_like(order).at[order].set(jnp.arange(scores.shape[0]))
        sorted_scores = jnp.sort(scores)[::-1]
        cdf = jnp.cumsum(jax.nn.softmax(sorted_scores))
        nucleus = cdf <= 0.9
        kept = jnp.where(nucleus, sorted_scores, 0.0)
        f = jax.jit(lambda s: (lax.top_k(s, 2)[1], jnp.argsort(s), jnp.cumsum(s)))
        return vals, idx, order, ranks, cdf, kept, f(scores)
""")

program("boolean_masks_and_gathers")("""
    @jax.jit
    def masked_stats(x, valid):
        n = jnp.sum(valid)
        mean = jnp.sum(jnp.where(valid, x, 0.0)) / n
        var = jnp.sum(jnp.where(valid, (x - mean) ** 2, 0.0)) / n
        return mean, var, jnp.max(jnp.where(valid, x, -jnp.inf))

    def main():
        x = jnp.array([[1.0, 5.0, 2.0], [7.0, -1.0, 3.0]])
        valid = x > 0
        rows = jnp.array([1, 0, 1])
        cols = jnp.array([2, 1, 0])
        picked = x[rows, cols]
        sub = x[:, jnp.array([2, 0])]
        last = x[..., -1]
        upd = x.at[rows, cols].multiply(10.0).at[0, :].min(3.0)
        return masked_stats(x, valid), picked, sub, last, upd, x[None, 1, ::-1]
""")

program("embedding_lookup_and_segment_sum")("""
    def main():
        table = jnp.arange(20.0).reshape(5, 4)
        tokens = jnp.array([[0, 3, 3], [4, 1, 0]])
        emb = jnp.take(table, tokens, axis=0)
        seg = jnp.array([0, 0, 1, 2, 2, 2])
        data = jnp.arange(6.0)
        seg_sum = jnp.zeros(3).at[seg].add(data)
        g = jax.grad(lambda t: jnp.sum(t[tokens] ** 2))(table)
        return emb, seg_sum, g
""")

# ---------------------------------------------------------------------------------------------
# Pytrees, dtypes, jit options, eager code
# ---------------------------------------------------------------------------------------------

program("namedtuple_and_dataclass_state")("""
    from typing import NamedTuple
    import dataclasses

    class Params(NamedTuple):
        w: jax.Array
        b: jax.Array

    @jax.tree_util.register_pytree_node_class
    @dataclasses.dataclass
    class Opt:
        lr: float
        mom: jax.Array

        def tree_flatten(self):
            return (self.mom,), (self.lr,)

        @classmethod
        def tree_unflatten(cls, aux, children):
            return cls(aux[0], *children)

    @jax.jit
    def update(p, opt, x):
        g = jax.grad(lambda p: jnp.sum((x @ p.w + p.b) ** 2))(p)
        mom = jax.tree_util.tree_map(lambda m, g: 0.9 * m + g, opt.mom, g)
        p = jax.tree_util.tree_map(lambda p, m: p - opt.lr * m, p, mom)
        return p, Opt(opt.lr, mom)

    def main():
        p = Params(jnp.ones((2, 2)) * 0.3, jnp.zeros(2))
        opt = Opt(0.1, Params(jnp.zeros((2, 2)), jnp.zeros(2)))
        x = jnp.array([[1.0, 2.0], [3.0, -1.0]])
        for _ in range(3):
            p, opt = update(p, opt, x)
        leaves, treedef = jax.tree_util.tree_flatten(p)
        return p.w, p.b, opt.mom, len(leaves), jax.tree_util.tree_leaves({"a": [1, 2], "b": None})
""")

program("dtype_promotion_mix")("""
    @jax.jit
    def f(i, x, h):
        a = i + x            # int32 + float32 -> float32
        b = i * 2            # weak python int keeps int32
        c = x * 2.5          # weak float keeps float32
        d = h + 1.0          # bfloat16 stays bfloat16
        e = h.astype(jnp.float32) * x
        m = i // 3 + i % 3
        return a, b, c, d, e, m, (i > 2) & (x < 1.0), jnp.true_divide(i, 2)

    def main():
        i = jnp.arange(4, dtype=jnp.int32)
        x = jnp.linspace(0.0, 1.5, 4, dtype=jnp.float32)
        h = jnp.array([1.5, -2.0, 0.25, 8.0], dtype=jnp.bfloat16)
        out = f(i, x, h)
        return out, [o.dtype.name for o in out], (i + jnp.uint8(1)).dtype.name, (h * x).dtype.name
""")

program("bfloat16_params_mixed_precision")("""
    def loss(params, x):
        w = params["w"].astype(jnp.float32)
        return jnp.mean(jnp.tanh(x @ w) ** 2)

    def main():
        params = {"w": (jnp.arange(6.0).reshape(3, 2) / 6).astype(jnp.bfloat16)}
        x = jnp.ones((4, 3))
        g = jax.jit(jax.grad(loss))(params, x)
        new = jax.tree_util.tree_map(lambda p, g: p - 0.1 * g.astype(p.dtype), params, g)
        return g, new
""")

program("static_args_and_methods")("""
    from functools import partial

    @partial(jax.jit, static_argnames=("n", "activation"))
    def apply_n(x, n, activation="tanh"):
        act = {"tanh": jnp.tanh, "relu": jax.nn.relu}[activation]
        for _ in range(n):
            x = act(x * 1.5 - 0.2)
        return x

    class Scaler:
        def __init__(self, s):
            self.s = s

        @partial(jax.jit, static_argnums=0)
        def __call__(self, x):
            return x * self.s

    def main():
        x = jnp.array([0.5, -1.0, 2.0])
        pooled = jax.jit(lambda x, axis: x.sum(axis), static_argnums=1)(jnp.ones((2, 3)), 1)
        return (apply_n(x, n=2), apply_n(x, n=3, activation="relu"), Scaler(3.0)(x), pooled)
""")

program("eager_numpy_style")("""
    def main():
        a = jnp.arange(12).reshape(3, 4)
        b = jnp.linspace(0, 1, 4)
        c = a * b + jnp.eye(3, 4)
        stats = (c.mean(), c.std(axis=0), c.var(axis=1, ddof=1), c.max(axis=1), c.argmin())
        d = jnp.concatenate([c, c[:1]], axis=0)
        e = jnp.stack([d.sum(0), d.prod(0)])
        f = jnp.where(e > 5, e, -e)
        g = jnp.clip(f, -10, 10).T
        return stats, g, jnp.tile(b, 2), jnp.repeat(a[0], 2), jnp.roll(a, -1, axis=1), jnp.moveaxis(
            c[None], 0, -1).shape, jnp.all(a >= 0), jnp.any(a > 10)
""")

program("vmap_pairwise_distances_in_axes")("""
    def dist(a, b):
        return jnp.sqrt(jnp.sum((a - b) ** 2) + 1e-12)

    def main():
        X = jnp.arange(10.0).reshape(5, 2) / 3
        Y = jnp.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.5]])
        D = jax.vmap(jax.vmap(dist, (None, 0)), (0, None))(X, Y)
        Dt = jax.vmap(lambda y: jax.vmap(dist, (0, None))(X, y), out_axes=1)(Y)
        col_mean = jax.vmap(jnp.mean, in_axes=1)(X)
        neg = jax.vmap(lambda r: r * 2, in_axes=-1, out_axes=-1)(X)
        return D, Dt, col_mean, neg, jax.jit(jax.vmap(dist, (0, None)))(X, Y[0])
""")

program("einsum_heavy_bilinear")("""
    @jax.jit
    def main():
        k1, k2, k3 = random.split(random.PRNGKey(8), 3)
        A = random.normal(k1, (3, 4, 5))
        B = random.normal(k2, (5, 6))
        v = random.normal(k3, (3, 4))
        r1 = jnp.einsum("ijk,kl->ijl", A, B)
        r2 = jnp.einsum("ij,ijk->ik", v, A)
        r3 = jnp.einsum("ijk,ijk->", A, A)
        r4 = jnp.einsum("ii->i", jnp.arange(9.0).reshape(3, 3))
        r5 = jnp.einsum("bi,bj->bij", v, v)
        r6 = jnp.tensordot(A, B, axes=([2], [0]))
        r7 = jnp.outer(v[0], v[1]) + jnp.inner(v[0], v[1])
        return r1, r2, r3, r4, r5, r6, r7
""")

program("random_distributions_pipeline")("""
    @jax.jit
    def main():
        key = random.PRNGKey(123)
        k = random.split(key, 6)
        return (random.normal(k[0], (3,)), random.uniform(k[1], (2, 2), minval=-1, maxval=1),
                random.randint(k[2], (5,), 0, 10), random.categorical(k[3], jnp.log(jnp.array([0.1, 0.6, 0.3])), shape=(6,)),
                random.truncated_normal(k[4], -1.0, 1.0, (4,)),
                random.choice(k[5], 10, (3,), replace=False))
""")

program("gradient_descent_with_while_early_stop")("""
    @jax.jit
    def minimize(x0):
        f = lambda x: jnp.sum((x - jnp.array([1.0, -2.0])) ** 2) + 0.1 * jnp.sum(x ** 4)
        def cond(s):
            x, i, g = s
            return (jnp.linalg.norm(g) > 1e-3) & (i < 500)
        def body(s):
            x, i, _ = s
            g = jax.grad(f)(x)
            return x - 0.05 * g, i + 1, g
        x, i, g = lax.while_loop(cond, body, (x0, 0, jnp.ones_like(x0)))
        return x, i, f(x)

    def main():
        return minimize(jnp.array([0.0, 0.0]))
""")

program("conv1d_strided_dilated_grouped")("""
    @jax.jit
    def main():
        k1, k2, k3 = random.split(random.PRNGKey(6), 3)
        x = random.normal(k1, (2, 4, 16))   # NCW
        w = random.normal(k2, (4, 2, 3))    # OIW with 2 groups
        y = lax.conv_general_dilated(x, w, (2,), [(1, 1)], rhs_dilation=(2,), feature_group_count=2)
        avg = lax.reduce_window(y, 0.0, lax.add, (1, 1, 2), (1, 1, 2), "VALID") / 2
        g = jax.grad(lambda w: jnp.sum(lax.conv_general_dilated(x, w, (1,), "SAME",
                                                                 feature_group_count=2) ** 2))(w)
        return y, avg, g
""")

program("bitwise_hashing_uint32")("""
    @jax.jit
    def hash32(x):
        x = x.astype(jnp.uint32)
        x = (x ^ (x >> 16)) * jnp.uint32(0x45d9f3b)
        x = (x ^ (x >> 16)) * jnp.uint32(0x45d9f3b)
        return x ^ (x >> 16)

    def main():
        h = hash32(jnp.arange(8))
        buckets = (h % 4).astype(jnp.int32)
        return h, jnp.bincount(buckets, length=4), jnp.bincount(jnp.array([1, 1, 3]))
""")


program("sliding_window_dynamic_slices")("""
    @jax.jit
    def window_sums(x, w):
        def body(i, acc):
            win = lax.dynamic_slice(x, (i,), (3,))
            return lax.dynamic_update_slice(acc, jnp.sum(win * w)[None], (i,))
        return lax.fori_loop(0, x.shape[0] - 2, body, jnp.zeros(x.shape[0] - 2))

    def main():
        x = jnp.arange(10.0) ** 1.5
        w = jnp.array([0.25, 0.5, 0.25])
        rows = lax.map(lambda r: r[::-1].cumsum(), x.reshape(2, 5))
        return window_sums(x, w), rows
""")

program("activations_and_normalizers")("""
    @jax.jit
    def f(x):
        return (jax.nn.gelu(x), jax.nn.gelu(x, approximate=False), jax.nn.silu(x),
                jax.nn.softplus(x), jax.nn.log_sigmoid(x), jax.nn.elu(x), jax.nn.leaky_relu(x),
                jax.nn.logsumexp(x, axis=-1, keepdims=True), jax.nn.standardize(x, axis=-1),
                jax.nn.one_hot(jnp.argmax(x, -1), x.shape[-1]))

    def main():
        x = jnp.linspace(-4, 4, 12).reshape(3, 4)
        return f(x), jax.grad(lambda x: jnp.sum(jax.nn.gelu(x) * jax.nn.silu(x)))(x[0])
""")

program("vmap_pytree_in_axes_and_axis_size")("""
    def predict(params, x):
        return jnp.dot(params["w"], x) + params["b"]

    def main():
        params = {"w": jnp.arange(6.0).reshape(3, 2), "b": jnp.ones(3)}
        ensemble = jax.tree_util.tree_map(lambda p: jnp.stack([p, 2 * p]), params)
        xs = jnp.arange(8.0).reshape(4, 2)
        per_model = jax.vmap(jax.vmap(predict, (None, 0)), ({"w": 0, "b": 0}, None))(ensemble, xs)
        const = jax.vmap(lambda: jnp.arange(3.0), axis_size=2)()
        k1, k2 = random.split(random.PRNGKey(0))
        noise = jax.vmap(lambda k: random.normal(k, (2,)))(random.split(k1, 3))
        return per_model, const, noise, random.normal(k2, (2,), dtype=jnp.bfloat16)
""")

program("integer_arithmetic_semantics")("""
    @jax.jit
    def f(a, b):
        return (a // b, a % b, jnp.floor_divide(a, 3), -a // 4, a * b - 7, jnp.abs(a),
                jnp.sign(a), jnp.maximum(a, b), a ** 2, jnp.right_shift(jnp.abs(a), 1),
                (a > b).sum(), jnp.round(a / 3), jnp.where(b != 0, a / b, 0.0))

    def main():
        a = jnp.array([-7, -3, 0, 4, 9, 15], dtype=jnp.int32)
        b = jnp.array([2, -2, 5, 3, -4, 6], dtype=jnp.int32)
        return f(a, b), a.astype(jnp.uint8), (a.astype(jnp.float32) / 2).astype(jnp.int32)
""")


# Programs that show a known, reported difference from JAX (strict: they fail until fixed).
KNOWN_GAPS: dict[str, str] = {}

# JAX's default x64-off mode: NumPy's float64 values become float32 where they enter.
program("numpy_float64_values_in_float32_code")("""
    @jax.jit
    def scaled(q, k):
        return q @ k.T / np.sqrt(q.shape[-1]) + np.ones(3)

    def main():
        q = jnp.ones((3, 4))
        return scaled(q, q), jnp.asarray(np.linspace(0, 1, 3))
""")


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[n]))
    if n in KNOWN_GAPS else n for n in sorted(PROGRAMS)])
def test_program_matches_jax(name):
    compare(name, *run_both(PROGRAMS[name]))
