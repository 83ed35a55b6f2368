"""JAX, Flax NNX and Optax programs a new user would hand to hlox's CPU backend.

None of them is in jax_programs.py: these are whole training steps and
kernels written the way Flax/Optax tutorials write them (NNX modules merged
from their state inside a jitted step, optimizer chains with schedules,
random numbers drawn inside the step, mixed dtypes). Each entry is
``(name, fn, make_args)``; test_user_models_cpu.py lowers each one with
``jax.jit(fn).lower(*args)`` and runs the printed StableHLO (pretty and generic
form) through ``hlox.compile_stablehlo(text, backend="cpu")``.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    fn: Callable
    args: Callable[[], tuple]


def _f32(*shape, seed=0, lo=-1.0, hi=1.0):
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(np.float32)


def _labels(n, classes, seed=0):
    return np.random.default_rng(seed).integers(0, classes, size=n).astype(np.int32)


def _key(seed):
    import jax

    return np.asarray(jax.random.key_data(jax.random.key(seed)))


def programs() -> list[Program]:
    import jax
    import jax.numpy as jnp
    import optax
    from flax import nnx
    from jax import lax

    P: list[Program] = []

    def add(name, args):
        def wrap(fn):
            P.append(Program(name, fn, args))
            return fn
        return wrap

    def numpy_state(state, seed):
        """Values for an abstract (``nnx.eval_shape``) model's state, drawn by
        numpy: initializing each model eagerly would make XLA compile every
        initializer for every shape, ~25 s here, for numbers that don't matter."""
        rng = np.random.default_rng(seed)

        def value(path, leaf):
            if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
                return jax.random.wrap_key_data(np.array([0, seed], np.uint32))
            if not jnp.issubdtype(leaf.dtype, jnp.floating):  # RNG counters
                return np.zeros(leaf.shape, leaf.dtype)
            if "['var']" in jax.tree_util.keystr(path):  # BatchNorm variance
                return np.ones(leaf.shape, leaf.dtype)
            fan_in = leaf.shape[-2] if len(leaf.shape) >= 2 else 10
            return (rng.uniform(-1, 1, leaf.shape) / np.sqrt(fan_in)).astype(leaf.dtype)

        return jax.tree_util.tree_map_with_path(value, state)

    def nnx_train_step(name, make_model, optimizer, make_batch, loss_of, stateful=False):
        """A Flax NNX model trained one step with ``optimizer``, the functional
        way: split into graphdef + state outside, merge inside the jitted step.
        ``stateful`` also threads BatchNorm statistics / RNG counters (non-Param
        state) through the step."""
        graphdef, params, rest = nnx.split(nnx.eval_shape(make_model), nnx.Param, ...)
        params, rest = numpy_state(params, seed=len(P)), numpy_state(rest, seed=len(P))

        def init():
            return (params, rest, optimizer.init(params)) + tuple(make_batch())

        def step(params, rest, opt_state, *batch):
            model = nnx.merge(graphdef, params, rest)
            loss, grads = nnx.value_and_grad(loss_of)(model, *batch)
            updates, opt_state = optimizer.update(grads, opt_state, params)
            out = (loss, optax.apply_updates(params, updates), opt_state)
            return out + ((nnx.state(model, nnx.Not(nnx.Param)),) if stateful else ())

        P.append(Program(name, step, init))

    def xent(logits, y):
        return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()

    # 1. CNN: Conv + BatchNorm (training statistics) + max pool + Linear, SGD with momentum.
    class ConvBN(nnx.Module):
        def __init__(self, rngs):
            self.conv = nnx.Conv(3, 8, (3, 3), rngs=rngs)
            self.bn = nnx.BatchNorm(8, rngs=rngs)
            self.head = nnx.Linear(8 * 4 * 4, 5, rngs=rngs)

        def __call__(self, x):
            h = nnx.relu(self.bn(self.conv(x)))
            h = nnx.max_pool(h, (2, 2), strides=(2, 2))
            return self.head(h.reshape(h.shape[0], -1))

    nnx_train_step("nnx_conv_batchnorm_sgd_momentum", lambda: ConvBN(nnx.Rngs(0)),
                   optax.sgd(0.05, momentum=0.9),
                   lambda: (_f32(4, 8, 8, 3, seed=1), _labels(4, 5, seed=2)),
                   lambda m, x, y: xent(m(x), y), stateful=True)

    # 2. Linear + LayerNorm + Dropout (RNG stream inside the model), Lion.
    class DropMLP(nnx.Module):
        def __init__(self, rngs):
            self.fc1 = nnx.Linear(6, 16, rngs=rngs)
            self.norm = nnx.LayerNorm(16, rngs=rngs)
            self.drop = nnx.Dropout(0.25, rngs=rngs)
            self.fc2 = nnx.Linear(16, 2, rngs=rngs)

        def __call__(self, x):
            return self.fc2(self.drop(nnx.gelu(self.norm(self.fc1(x)))))

    nnx_train_step("nnx_layernorm_dropout_lion", lambda: DropMLP(nnx.Rngs(0, dropout=3)),
                   optax.lion(1e-3, weight_decay=1e-2),
                   lambda: (_f32(8, 6, seed=4), _f32(8, 2, seed=5)),
                   lambda m, x, y: optax.l2_loss(m(x), y).mean(), stateful=True)

    # 3. Embed + pre-norm transformer block, chain(clip_by_global_norm, adamw with a
    #    warmup-cosine schedule).
    class Block(nnx.Module):
        def __init__(self, rngs):
            self.embed = nnx.Embed(11, 8, rngs=rngs)
            self.ln1 = nnx.LayerNorm(8, rngs=rngs)
            # No biases: the key bias's gradient is exactly zero in theory (softmax
            # is shift-invariant), i.e. rounding noise, which Adam's first step
            # would normalize into full-size updates of either sign.
            self.attn = nnx.MultiHeadAttention(num_heads=2, in_features=8, use_bias=False,
                                               decode=False, rngs=rngs)
            self.ln2 = nnx.LayerNorm(8, rngs=rngs)
            self.mlp1 = nnx.Linear(8, 16, rngs=rngs)
            self.mlp2 = nnx.Linear(16, 8, rngs=rngs)

        def __call__(self, tokens):
            h = self.embed(tokens)
            h = h + self.attn(self.ln1(h), mask=nnx.make_causal_mask(tokens))
            h = h + self.mlp2(nnx.gelu(self.mlp1(self.ln2(h))))
            return self.embed.attend(h)  # logits with the embedding tied

    schedule = optax.warmup_cosine_decay_schedule(1e-3, 1e-2, warmup_steps=2, decay_steps=10)
    nnx_train_step("nnx_transformer_block_clip_adamw_schedule", lambda: Block(nnx.Rngs(2)),
                   optax.chain(optax.clip_by_global_norm(1.0), optax.adamw(schedule)),
                   lambda: (np.random.default_rng(8).integers(0, 11, (2, 6)).astype(np.int32),),
                   lambda m, t: xent(m(t[:, :-1]), t[:, 1:]))

    # 4. A GRU cell (nnx.GRUCell) unrolled by lax.scan, RMSProp.
    class GRUModel(nnx.Module):
        def __init__(self, rngs):
            self.cell = nnx.GRUCell(3, 6, rngs=rngs)
            self.head = nnx.Linear(6, 1, rngs=rngs)

        def __call__(self, xs):  # xs: [time, batch, 3]
            carry = jnp.zeros((xs.shape[1], 6), xs.dtype)
            carry, _ = lax.scan(lambda c, x: self.cell(c, x), carry, xs)
            return self.head(carry)[:, 0]

    nnx_train_step("nnx_gru_lax_scan_rmsprop", lambda: GRUModel(nnx.Rngs(3)),
                   optax.rmsprop(1e-2),
                   lambda: (_f32(7, 4, 3, seed=9), _f32(4, seed=10)),
                   lambda m, xs, y: jnp.mean((m(xs) - y) ** 2))

    # 5. An LSTM written by hand, scanned, with an SGD-Nesterov + cosine decay step.
    def lstm_init():
        rng = np.random.default_rng(11)
        params = {"wx": rng.normal(0, .3, (3, 16)).astype(np.float32),
                  "wh": rng.normal(0, .3, (4, 16)).astype(np.float32),
                  "b": np.zeros(16, np.float32), "wo": rng.normal(0, .3, (4, 1)).astype(np.float32)}
        return params, lstm_opt.init(params), _f32(6, 2, 3, seed=12), _f32(2, seed=13)

    lstm_opt = optax.sgd(optax.cosine_decay_schedule(0.1, 100), momentum=0.9, nesterov=True)

    def lstm_loss(params, xs, y):
        def cell(carry, x):
            h, c = carry
            i, f, g, o = jnp.split(x @ params["wx"] + h @ params["wh"] + params["b"], 4, axis=-1)
            c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
            h = jax.nn.sigmoid(o) * jnp.tanh(c)
            return (h, c), h

        zeros = jnp.zeros((xs.shape[1], 4), xs.dtype)
        (h, _), hs = lax.scan(cell, (zeros, zeros), xs)
        return jnp.mean(((h @ params["wo"])[:, 0] - y) ** 2) + 1e-3 * jnp.mean(hs ** 2)

    @add("lstm_scan_sgd_nesterov_cosine", lstm_init)
    def lstm_step(params, state, xs, y):
        loss, grads = jax.value_and_grad(lstm_loss)(params, xs, y)
        updates, state = lstm_opt.update(grads, state, params)
        return loss, optax.apply_updates(params, updates), state

    # 6. A CNN with strided conv, grouped conv and average pooling, Adam with an
    #    exponential-decay schedule.
    class GroupCNN(nnx.Module):
        def __init__(self, rngs):
            self.c1 = nnx.Conv(2, 4, (3, 3), strides=(2, 2), padding="VALID", rngs=rngs)
            self.c2 = nnx.Conv(4, 4, (3, 3), feature_group_count=2, rngs=rngs)
            self.head = nnx.Linear(4, 3, rngs=rngs)

        def __call__(self, x):
            h = nnx.swish(self.c2(nnx.relu(self.c1(x))))
            h = nnx.avg_pool(h, (2, 2), strides=(2, 2), padding="SAME")
            return self.head(h.mean(axis=(1, 2)))

    nnx_train_step("nnx_strided_grouped_conv_avgpool_adam_expdecay", lambda: GroupCNN(nnx.Rngs(4)),
                   optax.adam(optax.exponential_decay(1e-2, 5, 0.5)),
                   lambda: (_f32(3, 9, 9, 2, seed=14), _labels(3, 3, seed=15)),
                   lambda m, x, y: xent(m(x), y))

    # 7. bfloat16 parameters and activations, float32 loss; SGD.
    def bf16_init():
        params = {"w1": _f32(8, 16, seed=16).astype(jnp.bfloat16),
                  "w2": _f32(16, 4, seed=17).astype(jnp.bfloat16)}
        return params, _f32(5, 8, seed=18).astype(jnp.bfloat16), _labels(5, 4, seed=19)

    @add("bfloat16_params_mlp_sgd", bf16_init)
    def bf16_step(params, x, y):
        def loss_fn(p):
            logits = jax.nn.relu(x @ p["w1"]) @ p["w2"]
            return xent(logits.astype(jnp.float32), y)

        loss, grads = jax.value_and_grad(loss_fn)(params)
        return loss, jax.tree_util.tree_map(lambda p, g: p - jnp.bfloat16(0.1) * g, params, grads)

    # 8. Integer and unsigned arithmetic (int8/uint8/uint16/int32): wrap-around,
    #    shifts, int8 matmul accumulated in int32, integer reductions.
    def int_args():
        rng = np.random.default_rng(20)
        return (rng.integers(-128, 128, (4, 6)).astype(np.int8),
                rng.integers(-128, 128, (6, 3)).astype(np.int8),
                rng.integers(0, 256, (5,)).astype(np.uint8),
                rng.integers(0, 65536, (5,)).astype(np.uint16))

    @add("int_uint_quantized_ops", int_args)
    def int_ops(a, b, u8, u16):
        acc = lax.dot(a, b, preferred_element_type=jnp.int32)
        return (acc, a + a, (a * 3) // 5, jnp.abs(a), u8 + jnp.uint8(200), u8 * u8,
                u16 >> 3, (u16 << 2) ^ jnp.uint16(0xABCD), u8.astype(jnp.int32) - 300,
                jnp.sum(a, axis=1, dtype=jnp.int32), jnp.max(u16), jnp.min(a, axis=0),
                jnp.right_shift(a, 2), jnp.clip(acc, -1000, 1000).astype(jnp.int16))

    # 9. Sorting: argsort (stable), descending sort, top_k, argmax / argmin, ranks.
    @add("argsort_topk_ranks", lambda: (np.round(_f32(3, 7, seed=21) * 4) / 4,
                                         np.random.default_rng(22).integers(0, 5, 9).astype(np.int32)))
    def sorting(x, ints):
        values, idx = lax.top_k(x, 3)
        return (jnp.argsort(x, axis=-1), jnp.sort(x, axis=0)[::-1], values, idx,
                jnp.argsort(ints, stable=True), jnp.argsort(jnp.argsort(x, axis=1), axis=1),
                jnp.argmax(x, axis=1), jnp.argmin(x, axis=0), jnp.unique_counts(ints, size=5)[1])

    # 10. jax.random inside the step: split, normal, uniform, bernoulli, categorical,
    #     permutation, and a noisy SGD step driven by them; the next key out.
    @add("random_inside_step", lambda: (_key(23), _f32(6, 4, seed=24)))
    def random_step(key_data, w):
        key = jax.random.wrap_key_data(key_data)
        k1, k2, k3, k4, k5, k6 = jax.random.split(key, 6)
        x = jax.random.normal(k1, (5, 6))
        noise = jax.random.uniform(k2, w.shape, minval=-0.01, maxval=0.01)
        mask = jax.random.bernoulli(k3, 0.7, (5, 4))
        classes = jax.random.categorical(k4, jnp.log(jnp.array([0.2, 0.3, 0.5])), shape=(8,))
        perm = jax.random.permutation(k5, 10)
        loss, g = jax.value_and_grad(lambda w: jnp.mean(jnp.where(mask, jnp.tanh(x @ w), 0.0) ** 2))(w)
        return loss, w - 0.1 * g + noise, classes, perm, jax.random.key_data(k6)

    # 11. Linear algebra that JAX lowers without LAPACK: norms, matrix_power,
    #     multi_dot, kron, trace, outer, Gram-Schmidt written by hand. (On CPU,
    #     solve_triangular/cholesky/qr become LAPACK custom calls.)
    @add("linalg_without_lapack", lambda: (_f32(4, 4, seed=25), _f32(4, seed=26)))
    def linalg(a, v):
        q = []
        for i in range(3):
            u = a[:, i] - sum(jnp.dot(a[:, i], e) * e for e in q)
            q.append(u / jnp.linalg.norm(u))
        return (jnp.linalg.norm(a), jnp.linalg.norm(a, ord=1), jnp.linalg.norm(a, ord=jnp.inf),
                jnp.linalg.norm(v, ord=3), jnp.linalg.matrix_power(a, 3),
                jnp.linalg.multi_dot([a, a.T, a]), jnp.kron(a[:2, :2], a[:2, :3]), jnp.trace(a),
                jnp.outer(v, v), jnp.stack(q),
                jnp.vdot(v, v), jnp.cross(v[:3], a[0, :3]))

    # 12. Per-example gradients with vmap(grad) and their clipped mean (DP-SGD style).
    @add("vmap_per_example_grads_clip", lambda: (_f32(4, 3, seed=27), _f32(6, 4, seed=28),
                                                  _f32(6, 3, seed=29)))
    def per_example(w, xs, ys):
        grads = jax.vmap(jax.grad(lambda w, x, y: jnp.sum((jnp.tanh(x @ w) - y) ** 2)),
                         in_axes=(None, 0, 0))(w, xs, ys)
        norms = jnp.sqrt(jnp.sum(grads ** 2, axis=(1, 2), keepdims=True))
        clipped = grads / jnp.maximum(1.0, norms / 0.5)
        return w - 0.1 * clipped.mean(0), norms[:, 0, 0]

    # 13. Several SGD steps inside lax.fori_loop (a while loop carrying params and
    #     optax state), with optax.adamw + clip.
    loop_opt = optax.chain(optax.clip(0.5), optax.adamw(1e-2))

    def loop_init():
        params = {"w": _f32(3, 2, seed=30), "b": np.zeros(2, np.float32)}
        return params, loop_opt.init(params), _f32(8, 3, seed=31), _f32(8, 2, seed=32)

    @add("fori_loop_training_steps", loop_init)
    def loop_steps(params, state, x, y):
        def body(_, carry):
            params, state = carry
            grads = jax.grad(lambda p: jnp.mean((x @ p["w"] + p["b"] - y) ** 2))(params)
            updates, state = loop_opt.update(grads, state, params)
            return optax.apply_updates(params, updates), state

        return lax.fori_loop(0, 4, body, (params, state))

    # 14. A small ConvTranspose decoder (upsampling) trained with Adagrad.
    class Decoder(nnx.Module):
        def __init__(self, rngs):
            self.up = nnx.ConvTranspose(3, 2, (3, 3), strides=(2, 2), rngs=rngs)
            self.norm = nnx.GroupNorm(2, num_groups=1, rngs=rngs)

        def __call__(self, z):
            return nnx.sigmoid(self.norm(self.up(z)))

    nnx_train_step("nnx_conv_transpose_groupnorm_adagrad", lambda: Decoder(nnx.Rngs(5)),
                   optax.adagrad(0.1),
                   lambda: (_f32(2, 3, 3, 3, seed=33), _f32(2, 6, 6, 2, seed=34, lo=0, hi=1)),
                   lambda m, z, t: optax.sigmoid_binary_cross_entropy(
                       jnp.log(m(z) / (1 - m(z))), t).mean())

    # 15. float16 activations in a layernorm + softmax, with float32 statistics.
    @add("float16_layernorm_softmax", lambda: (_f32(4, 8, seed=35).astype(np.float16),
                                                _f32(8, seed=36).astype(np.float16)))
    def fp16(x, g):
        x32 = x.astype(jnp.float32)
        normed = ((x32 - x32.mean(-1, keepdims=True)) * lax.rsqrt(x32.var(-1, keepdims=True) + 1e-5))
        y = normed.astype(jnp.float16) * g
        return jax.nn.softmax(y, axis=-1), jax.nn.logsumexp(y.astype(jnp.float32), axis=-1)

    # 16. Cumulative and windowed ops: cumsum/cumprod/cummax, associative_scan,
    #     jnp.convolve, diff, segment_sum, searchsorted, histogram.
    @add("cumulative_segment_search", lambda: (_f32(10, seed=37, lo=0.5, hi=1.5),
                                                np.array([0, 0, 1, 2, 2, 2, 3, 3, 4, 4], np.int32)))
    def cumulative(x, seg):
        return (jnp.cumsum(x), jnp.cumprod(x), lax.cummax(x),
                jnp.convolve(x, jnp.array([0.25, 0.5, 0.25]), mode="same"), jnp.diff(x, n=2),
                jax.ops.segment_sum(x, seg, num_segments=5), jnp.searchsorted(jnp.sort(x), x[:4]),
                jnp.histogram(x, bins=4, range=(0.5, 1.5))[0])

    # 17. lax.associative_scan (a parallel prefix sum); its odd/even slices of a
    #     length-2 level are empty (start 2, limit 2, stride 2).
    add("associative_scan", lambda: (_f32(10, seed=40),))(
        lambda x: (lax.associative_scan(jnp.add, x), lax.associative_scan(jnp.maximum, x, reverse=True)))

    # 18. optax.multi_transform: Adafactor (factored second moments) for the body,
    #     SGD for the head of an NNX MLP.
    class TwoPart(nnx.Module):
        def __init__(self, rngs):
            self.body = nnx.Linear(5, 7, rngs=rngs)
            self.head = nnx.Linear(7, 2, use_bias=False, rngs=rngs)

        def __call__(self, x):
            return self.head(nnx.tanh(self.body(x)))

    def labels(params):
        return jax.tree_util.tree_map_with_path(
            lambda path, _: "head" if "head" in jax.tree_util.keystr(path) else "body", params)

    nnx_train_step("nnx_multi_transform_optimizers", lambda: TwoPart(nnx.Rngs(6)),
                   optax.multi_transform({"body": optax.adafactor(1e-2, min_dim_size_to_factor=4),
                                          "head": optax.sgd(1e-1)}, labels),
                   lambda: (_f32(6, 5, seed=38), _labels(6, 2, seed=39)),
                   lambda m, x, y: xent(m(x), y))

    # 19. jax.nn.dot_product_attention (causal), as models call it directly.
    add("dot_product_attention_causal", lambda: tuple(_f32(2, 5, 2, 4, seed=41 + i) for i in range(3)))(
        lambda q, k, v: jax.nn.dot_product_attention(q, k, v, is_causal=True))

    # 20. Image preprocessing: bilinear resize, reflect padding, roll, median and
    #     percentile (sort-based quantiles).
    add("image_ops_quantiles", lambda: (_f32(2, 8, 8, 3, seed=44),))(
        lambda x: (jax.image.resize(x, (2, 12, 12, 3), "bilinear"),
                   jnp.pad(x, ((0, 0), (2, 2), (1, 1), (0, 0)), mode="reflect"),
                   jnp.roll(x, 3, axis=1), jnp.median(x, axis=(1, 2)), jnp.percentile(x, 30.0)))

    return P
