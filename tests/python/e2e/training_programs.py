"""Training loops a new user would bring to hlox's CPU backend: Flax NNX + Optax
models and plain JAX steps, each trained for several steps.

Unlike user_models.py (one call each), every program here is a *step*
``step(carry, batch) -> (metrics, carry)`` run for ``len(batches)`` steps:
test_flax_optax.py lowers it once with JAX, compiles the printed StableHLO
with ``hlox.compile_stablehlo``, then feeds hlox's own outputs back in as the
next step's carry while JAX runs its own trajectory, and compares metrics and
carry after every step. (A program with no carry is a plain kernel: one call
per batch.)

Flax models follow the functional tutorial pattern: ``nnx.split((model,
nnx.Optimizer(model, tx, wrt=nnx.Param)))`` outside, ``nnx.merge`` inside a
pure jitted step that returns the split state, so BatchNorm statistics, RNG
counters and optimizer state all travel in the carry.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import numpy as np


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    step: Callable  # step(carry, batch) -> (metrics, carry)
    init: Callable[[], object]  # the first carry (a pytree; () for a kernel)
    batches: Callable[[], list]  # one batch (a tuple of arrays) per step
    compute_dtype: str = "float32"  # the dtype whose tolerance applies to every float result


def _f32(*shape, seed=0, lo=-1.0, hi=1.0):
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(np.float32)


def _ints(shape, hi, seed=0):
    return np.random.default_rng(seed).integers(0, hi, size=shape).astype(np.int32)


STEPS = 3


def programs() -> list[Program]:
    import jax
    import jax.numpy as jnp
    import optax
    from flax import nnx
    from jax import lax

    P: list[Program] = []

    def xent(logits, labels):
        return optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()

    def numpy_state(abstract, seed):
        """Initial values for an abstract (``nnx.eval_shape``) model + optimizer state:
        parameters drawn by numpy, scaled by fan-in; BatchNorm variances one; RNG
        streams keyed by ``seed``; optimizer moments, step counts and RNG counters
        zero, as every optimizer here initializes them. (Initializing for real makes
        XLA compile every initializer: ~5-10 s a model here, for numbers that don't
        matter.)"""
        rng = np.random.default_rng(seed)

        def value(path, leaf):
            where = jax.tree_util.keystr(path)
            if jax.dtypes.issubdtype(leaf.dtype, jax.dtypes.prng_key):
                return jax.random.wrap_key_data(np.array([0, seed], np.uint32))
            if "opt_state" in where or not jnp.issubdtype(leaf.dtype, jnp.floating):
                return np.zeros(leaf.shape, leaf.dtype)
            if "['var']" in where:
                return np.ones(leaf.shape, leaf.dtype)
            fan_in = leaf.shape[-2] if len(leaf.shape) >= 2 else 4
            return (rng.uniform(-1, 1, leaf.shape) / np.sqrt(fan_in)).astype(leaf.dtype)

        return jax.tree_util.tree_map_with_path(value, abstract)

    def flax_program(name, make_model, tx, batches, loss_fn):
        """``loss_fn(model, *batch)``; the whole (model, optimizer) state is the carry."""
        def build():
            model = make_model()
            return model, nnx.Optimizer(model, tx, wrt=nnx.Param)

        graphdef, abstract = nnx.split(nnx.eval_shape(build))
        seed = len(P)

        def init():
            return numpy_state(abstract, seed)

        def step(state, batch):
            model, optimizer = nnx.merge(graphdef, state)
            loss, grads = nnx.value_and_grad(loss_fn)(model, *batch)
            optimizer.update(model, grads)
            return loss, nnx.split((model, optimizer))[1]

        P.append(Program(name, step, init, batches))

    # 1. nnx.Linear MLP, Adam.
    class MLP(nnx.Module):
        def __init__(self, rngs):
            self.l1 = nnx.Linear(4, 16, rngs=rngs)
            self.l2 = nnx.Linear(16, 16, rngs=rngs)
            self.l3 = nnx.Linear(16, 3, rngs=rngs)

        def __call__(self, x):
            return self.l3(nnx.relu(self.l2(nnx.relu(self.l1(x)))))

    flax_program("nnx_mlp_adam", lambda: MLP(nnx.Rngs(0)), optax.adam(1e-2),
                 lambda: [(_f32(8, 4, seed=s), _ints(8, 3, seed=s)) for s in range(STEPS)],
                 lambda m, x, y: xent(m(x), y))

    # 2. CNN: Conv, BatchNorm (batch statistics), max pool, Conv, avg pool, Dropout
    #    (an RNG stream in the model), Linear; SGD with Nesterov momentum.
    class CNN(nnx.Module):
        def __init__(self, rngs):
            # No conv bias before BatchNorm: its gradient is zero in theory, i.e.
            # rounding noise (a useless parameter, whatever the backend).
            self.c1 = nnx.Conv(2, 4, (3, 3), use_bias=False, rngs=rngs)
            self.bn = nnx.BatchNorm(4, rngs=rngs)
            self.c2 = nnx.Conv(4, 6, (3, 3), padding="VALID", rngs=rngs)
            self.drop = nnx.Dropout(0.25, rngs=rngs)
            self.head = nnx.Linear(6, 3, rngs=rngs)

        def __call__(self, x):
            h = nnx.max_pool(nnx.relu(self.bn(self.c1(x))), (2, 2), strides=(2, 2))
            h = nnx.avg_pool(nnx.relu(self.c2(h)), (2, 2), strides=(1, 1))
            return self.head(self.drop(h.mean(axis=(1, 2))))

    flax_program("nnx_cnn_batchnorm_dropout_sgd_nesterov",
                 lambda: CNN(nnx.Rngs(1, dropout=2)),
                 optax.sgd(0.05, momentum=0.9, nesterov=True),
                 lambda: [(_f32(4, 8, 8, 2, seed=10 + s), _ints(4, 3, seed=10 + s))
                          for s in range(STEPS)],
                 lambda m, x, y: xent(m(x), y))

    # 3. A pre-norm attention block over token + learned position embeddings, causal
    #    and padding masks, masked next-token loss; chain(clip_by_global_norm, adamw
    #    with a warmup-cosine schedule).
    class TinyLM(nnx.Module):
        def __init__(self, rngs):
            self.tok = nnx.Embed(13, 16, rngs=rngs)
            self.pos = nnx.Embed(8, 16, rngs=rngs)
            self.ln = nnx.LayerNorm(16, rngs=rngs)
            # No biases: softmax is shift-invariant, so the key bias's gradient is
            # rounding noise, which Adam's first step turns into full-size updates.
            self.attn = nnx.MultiHeadAttention(num_heads=4, in_features=16, use_bias=False,
                                               decode=False, rngs=rngs)
            self.out = nnx.Linear(16, 13, rngs=rngs)

        def __call__(self, tokens):
            valid = tokens > 0  # token 0 pads
            mask = nnx.combine_masks(nnx.make_causal_mask(tokens),
                                     nnx.make_attention_mask(valid, valid))
            h = self.tok(tokens) + self.pos(jnp.arange(tokens.shape[1]))
            return self.out(nnx.gelu(h + self.attn(self.ln(h), mask=mask)))

    def lm_loss(model, tokens):
        logits = model(tokens[:, :-1])
        per_token = optax.softmax_cross_entropy_with_integer_labels(logits, tokens[:, 1:])
        weights = (tokens[:, 1:] > 0).astype(jnp.float32)
        return (per_token * weights).sum() / weights.sum()

    def token_batch(seed):
        tokens = _ints((3, 9), 12, seed=seed) + 1
        tokens[1, 6:] = 0  # padded sequences
        tokens[2, 4:] = 0
        return (tokens,)

    flax_program("nnx_transformer_masks_clip_adamw_warmup_cosine",
                 lambda: TinyLM(nnx.Rngs(3)),
                 optax.chain(optax.clip_by_global_norm(1.0),
                             optax.adamw(optax.warmup_cosine_decay_schedule(
                                 0.0, 3e-3, warmup_steps=2, decay_steps=20), weight_decay=1e-2)),
                 lambda: [token_batch(20 + s) for s in range(STEPS)], lm_loss)

    # 4. nnx.RNN (an nnx.scan inside) over an LSTMCell; LAMB.
    class Recurrent(nnx.Module):
        def __init__(self, rngs):
            self.lstm = nnx.RNN(nnx.LSTMCell(3, 8, rngs=rngs))
            self.head = nnx.Linear(8, 1, rngs=rngs)

        def __call__(self, xs):  # [batch, time, features]
            return self.head(self.lstm(xs)[:, -1])[:, 0]

    flax_program("nnx_rnn_lstm_lamb", lambda: Recurrent(nnx.Rngs(4)), optax.lamb(1e-2),
                 lambda: [(_f32(4, 6, 3, seed=30 + s), _f32(4, seed=40 + s))
                          for s in range(STEPS)],
                 lambda m, xs, y: jnp.mean((m(xs) - y) ** 2))

    # 5. A GRU cell scanned with nnx.scan over the time axis (Carry in, outputs
    #    stacked), classification of the last state; Lion.
    class ScanGRU(nnx.Module):
        def __init__(self, rngs):
            self.cell = nnx.GRUCell(2, 5, rngs=rngs)
            self.head = nnx.Linear(5, 4, rngs=rngs)

        def __call__(self, xs):  # [time, batch, features]
            @nnx.scan(in_axes=(nnx.Carry, 0), out_axes=(nnx.Carry, 0))
            def run(carry, x):
                carry, y = self.cell(carry, x)
                return carry, y

            carry, ys = run(jnp.zeros((xs.shape[1], 5)), xs)
            return self.head(carry + ys.mean(0))

    flax_program("nnx_scan_gru_lion", lambda: ScanGRU(nnx.Rngs(5)), optax.lion(3e-3),
                 lambda: [(_f32(5, 4, 2, seed=50 + s), _ints(4, 4, seed=50 + s))
                          for s in range(STEPS)],
                 lambda m, xs, y: xent(m(xs), y))

    # ---- plain JAX -------------------------------------------------------------

    def plain_program(name, step, init, batches, compute_dtype="float32"):
        P.append(Program(name, step, init, batches, compute_dtype))

    def optax_step(loss_fn, tx):
        """One ``tx`` step on ``loss_fn(params, *batch)``; the carry is (params, opt_state)."""
        def step(carry, batch):
            params, state = carry
            loss, grads = jax.value_and_grad(loss_fn)(params, *batch)
            updates, state = tx.update(grads, state, params)
            return loss, (optax.apply_updates(params, updates), state)
        return step

    # 6./7. Multi-head attention with causal and key-padding masks, forward and
    #       gradients, in float32 and in bfloat16 (softmax statistics in float32).
    def attention(q, k, v, lengths):
        t = q.shape[1]
        scores = jnp.einsum("bqhd,bkhd->bhqk", q, k) / jnp.sqrt(q.shape[-1]).astype(q.dtype)
        causal = jnp.tril(jnp.ones((t, t), bool))
        padding = jnp.arange(t)[None, :] < lengths[:, None]  # [batch, key]
        mask = causal[None, None] & padding[:, None, None, :]
        scores = jnp.where(mask, scores.astype(jnp.float32), -1e30)
        weights = jax.nn.softmax(scores, axis=-1).astype(v.dtype)
        return jnp.einsum("bhqk,bkhd->bqhd", weights, v)

    def attention_kernel(_, batch):
        q, k, v, lengths, cotangent = batch
        out, vjp = jax.vjp(lambda q, k, v: attention(q, k, v, lengths), q, k, v)
        return (out,) + vjp(cotangent), ()

    for dtype in ("float32", "bfloat16"):
        plain_program(
            f"attention_causal_padding_{dtype}", attention_kernel, lambda: (),
            lambda dtype=dtype: [tuple(_f32(2, 6, 2, 4, seed=60 + 5 * s + i).astype(dtype)
                                       for i in range(3))
                                 + (np.array([6, 3 + s], np.int32),
                                    _f32(2, 6, 2, 4, seed=64 + 5 * s).astype(dtype))
                                 for s in range(2)],
            dtype)

    # 8. A GRU written with lax.scan, trained with hand-written SGD + momentum.
    def gru_init():
        rng = np.random.default_rng(70)
        p = {"wz": rng.normal(0, .4, (7, 5)), "wr": rng.normal(0, .4, (7, 5)),
             "wh": rng.normal(0, .4, (7, 5)), "b": np.zeros((3, 5)),
             "wo": rng.normal(0, .4, (5, 2))}
        p = jax.tree_util.tree_map(lambda a: a.astype(np.float32), p)
        return p, jax.tree_util.tree_map(np.zeros_like, p)

    def gru_loss(p, xs, ys):
        def cell(h, x):
            hx = jnp.concatenate([h, x], -1)
            z = jax.nn.sigmoid(hx @ p["wz"] + p["b"][0])
            r = jax.nn.sigmoid(hx @ p["wr"] + p["b"][1])
            cand = jnp.tanh(jnp.concatenate([r * h, x], -1) @ p["wh"] + p["b"][2])
            h = (1 - z) * h + z * cand
            return h, h @ p["wo"]

        _, preds = lax.scan(cell, jnp.zeros((xs.shape[1], 5)), xs)
        return jnp.mean((preds - ys) ** 2)

    def gru_step(carry, batch):
        params, velocity = carry
        loss, grads = jax.value_and_grad(gru_loss)(params, *batch)
        velocity = jax.tree_util.tree_map(lambda v, g: 0.9 * v + g, velocity, grads)
        params = jax.tree_util.tree_map(lambda p, v: p - 0.1 * v, params, velocity)
        return loss, (params, velocity)

    plain_program("gru_lax_scan_momentum", gru_step, gru_init,
                  lambda: [(_f32(6, 3, 2, seed=71 + s), _f32(6, 3, 2, seed=81 + s))
                           for s in range(STEPS)])

    # 9. A CNN training step with lax.conv_general_dilated (NCHW/OIHW, a dilated
    #    and a strided conv) and lax.reduce_window max and average pooling; RMSProp.
    def cnn_init():
        rng = np.random.default_rng(90)
        params = {"k1": rng.normal(0, .3, (4, 1, 3, 3)).astype(np.float32),
                  "k2": rng.normal(0, .3, (6, 4, 2, 2)).astype(np.float32),
                  "w": rng.normal(0, .3, (6, 3)).astype(np.float32)}
        return params, cnn_opt.init(params)

    cnn_opt = optax.rmsprop(1e-2)

    def cnn_loss(p, x, y):
        dims = ("NCHW", "OIHW", "NCHW")
        h = lax.conv_general_dilated(x, p["k1"], (1, 1), "SAME", rhs_dilation=(2, 2),
                                     dimension_numbers=dims)
        h = lax.reduce_window(jax.nn.relu(h), -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2),
                              "VALID")
        h = lax.conv_general_dilated(h, p["k2"], (2, 2), ((0, 1), (0, 1)),
                                     dimension_numbers=dims)
        h = lax.reduce_window(jnp.tanh(h), 0.0, lax.add, (1, 1, 2, 2), (1, 1, 1, 1),
                              "SAME") / 4.0
        return xent(h.mean(axis=(2, 3)) @ p["w"], y)

    plain_program("cnn_lax_conv_reduce_window_rmsprop", optax_step(cnn_loss, cnn_opt), cnn_init,
                  lambda: [(_f32(3, 1, 10, 10, seed=91 + s), _ints(3, 3, seed=91 + s))
                           for s in range(STEPS)])

    # 10. Mixed precision: float32 master weights, bfloat16 compute with float32
    #     matmul accumulation (preferred_element_type), float32 loss and update.
    def mixed_init():
        return {"w1": _f32(6, 12, seed=100) * 0.5, "w2": _f32(12, 4, seed=101) * 0.5}

    def mixed_loss(master, x, y):
        p = jax.tree_util.tree_map(lambda w: w.astype(jnp.bfloat16), master)
        h = lax.dot(x.astype(jnp.bfloat16), p["w1"], preferred_element_type=jnp.float32)
        h = jax.nn.gelu(h).astype(jnp.bfloat16)
        logits = lax.dot(h, p["w2"], preferred_element_type=jnp.float32)
        return xent(logits, y)

    def mixed_step(master, batch):
        loss, grads = jax.value_and_grad(mixed_loss)(master, *batch)
        return loss, jax.tree_util.tree_map(lambda w, g: w - 0.5 * g.astype(jnp.float32),
                                            master, grads)

    plain_program("mixed_precision_bf16_compute_f32_master", mixed_step, mixed_init,
                  lambda: [(_f32(8, 6, seed=102 + s), _ints(8, 4, seed=102 + s))
                           for s in range(STEPS)], "bfloat16")

    # 11. Gradient accumulation over 4 micro-batches with lax.fori_loop
    #     (dynamic_slice of the batch), then one Adam update.
    accum_opt = optax.adam(1e-2)

    def accum_init():
        params = {"w": _f32(5, 3, seed=110), "b": np.zeros(3, np.float32)}
        return params, accum_opt.init(params)

    def accum_step(carry, batch):
        params, state = carry
        x, y = batch  # [micro-batches * 4, ...]

        def body(i, acc):
            loss_acc, grad_acc = acc
            xb = lax.dynamic_slice_in_dim(x, i * 4, 4)
            yb = lax.dynamic_slice_in_dim(y, i * 4, 4)
            loss, g = jax.value_and_grad(
                lambda p: jnp.mean(jnp.sum((jnp.tanh(xb @ p["w"] + p["b"]) - yb) ** 2, -1)))(params)
            return loss_acc + loss, jax.tree_util.tree_map(jnp.add, grad_acc, g)

        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        loss, grads = lax.fori_loop(0, 4, body, (0.0, zeros))
        grads = jax.tree_util.tree_map(lambda g: g / 4, grads)
        updates, state = accum_opt.update(grads, state, params)
        return loss / 4, (optax.apply_updates(params, updates), state)

    plain_program("grad_accumulation_fori_loop_adam", accum_step, accum_init,
                  lambda: [(_f32(16, 5, seed=111 + s), _f32(16, 3, seed=121 + s))
                           for s in range(STEPS)])

    # 12. Integer-heavy bookkeeping: argsort, top_k, one_hot, segment sums and
    #     maxima via .at[].add / .at[].max, bincount, take_along_axis, cumsum.
    def integer_kernel(_, batch):
        scores, ids, segments = batch
        order = jnp.argsort(scores, axis=-1, stable=True)
        top_vals, top_idx = lax.top_k(scores, 3)
        onehot = jax.nn.one_hot(ids, 6, dtype=jnp.int32)
        seg_sum = jnp.zeros(4, jnp.int32).at[segments].add(ids)
        seg_max = jnp.full(4, -1, jnp.int32).at[segments].max(ids * 7 % 5)
        counts = jnp.bincount(ids, length=6)
        gathered = jnp.take_along_axis(scores, order, axis=-1)
        ranks = jnp.zeros_like(order).at[jnp.arange(order.shape[0])[:, None], order].set(
            jnp.arange(order.shape[1]))
        return (order, top_vals, top_idx, onehot.sum(0), seg_sum, seg_max, counts, gathered,
                ranks, jnp.cumsum(onehot, axis=0), (ids[:, None] == ids[None, :]).sum(1)), ()

    plain_program("integer_argsort_topk_onehot_segment_sum", integer_kernel, lambda: (),
                  lambda: [(_ints((3, 8), 50, seed=130 + s), _ints(10, 6, seed=140 + s),
                            _ints(10, 4, seed=150 + s)) for s in range(2)])

    # 13. Log-space sequence scoring: a cumulative log-sum-exp (lax.cumlogsumexp, a
    #     reduce_window) and lax.reduce with a logaddexp body.
    def log_space_kernel(_, batch):
        scores, = batch
        return (lax.cumlogsumexp(scores, axis=1),
                lax.reduce(scores, np.float32(-np.inf), jnp.logaddexp, (1,))), ()

    plain_program("log_space_cumlogsumexp_reduce", log_space_kernel, lambda: (),
                  lambda: [(_f32(3, 7, seed=160 + s, lo=-3, hi=3),) for s in range(2)])

    # 14. A spectral loss (magnitude of the real FFT), as audio models train with it.
    spectral_opt = optax.adam(1e-2)

    def spectral_init():
        params = {"w": _f32(8, 16, seed=170) * 0.3}
        return params, spectral_opt.init(params)

    def spectral_loss(params, x, target):
        pred = jnp.tanh(x @ params["w"])
        return jnp.mean((jnp.abs(jnp.fft.rfft(pred)) - jnp.abs(jnp.fft.rfft(target))) ** 2)

    plain_program("fft_spectral_loss_adam", optax_step(spectral_loss, spectral_opt), spectral_init,
                  lambda: [(_f32(4, 8, seed=171 + s), _f32(4, 16, seed=181 + s))
                           for s in range(STEPS)])

    # 15./16. Low-precision matmul and convolution with long contractions (257 and
    #     3*3*64 terms): XLA accumulates bfloat16/float16 products in float32 and
    #     rounds once, so JAX's results are the float32 results rounded.
    def low_precision_kernel(_, batch):
        a, b, x, k = batch
        return (a @ b, lax.conv_general_dilated(x, k, (1, 1), "SAME",
                                                dimension_numbers=("NHWC", "HWIO", "NHWC"))), ()

    for dtype in ("bfloat16", "float16"):
        plain_program(f"long_contractions_{dtype}", low_precision_kernel, lambda: (),
                      lambda dtype=dtype: [(_f32(16, 257, seed=190).astype(dtype),
                                            _f32(257, 8, seed=191).astype(dtype),
                                            _f32(2, 6, 6, 64, seed=192).astype(dtype),
                                            _f32(3, 3, 64, 4, seed=193).astype(dtype))], dtype)

    return P
