"""A corpus of JAX programs whose StableHLO hlox must parse, verify and print.

Each entry is a small jax function plus example arguments; lowering it with
``jax.jit(f).lower(*args)`` gives the StableHLO (and CHLO) that JAX really
emits. tests/python/dialects/test_jax_roundtrip.py runs every program through hlox-opt;
``python tests/python/jax_programs.py --dump DIR`` writes each program's
``NAME.mlir`` (pretty, ``.as_text()``) and ``NAME.generic.mlir`` (generic op
form) so that anyone can run ``hlox-opt`` over them.

The corpus deliberately covers every family of ops JAX lowers to: elementwise
(float, integer, bitwise), reductions, dot_general/einsum, convolution,
gather/scatter, sort/top_k, control flow, reduce_window and
select_and_scatter, random bits (threefry), special functions (CHLO), and
whole training steps (MLP, CNN, optax if installed).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from typing import Callable

import numpy as np


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    fn: Callable
    args: Callable[[], tuple]  # builds the example arguments (needs jax)
    static_argnums: tuple[int, ...] = ()


def _f32(*shape, seed=0, lo=-2.0, hi=2.0):
    rng = np.random.default_rng(seed)
    return rng.uniform(lo, hi, size=shape).astype(np.float32)


def _i32(*shape, seed=0, lo=-100, hi=100):
    rng = np.random.default_rng(seed)
    return rng.integers(lo, hi, size=shape).astype(np.int32)


def _u32(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 2**32 - 1, size=shape, dtype=np.uint64).astype(np.uint32)


# Programs whose ops all exist but that fail for a known, reported reason in
# an op's definition; each entry names the bug. Not strict: a fix makes the
# case pass (XPASS) without breaking the run; then remove the entry.
KNOWN_BUGS: dict[str, str] = {}


def programs() -> list[Program]:
    """Every program of the corpus (imports jax; call only when it is there)."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    P: list[Program] = []

    def add(name, args, static_argnums=()):
        def wrap(fn):
            P.append(Program(name, fn, args, static_argnums))
            return fn
        return wrap

    x4 = lambda: (_f32(4),)
    x44 = lambda: (_f32(4, 4),)
    xy4 = lambda: (_f32(4), _f32(4, seed=1))
    pos4 = lambda: (_f32(4, lo=0.1, hi=3.0),)
    i4 = lambda: (_i32(4), _i32(4, seed=1, lo=1, hi=7))
    u4 = lambda: (_u32(4), _u32(4, seed=1))

    # ---- elementwise, float -------------------------------------------------
    add("add", xy4)(lambda x, y: x + y)
    add("compare_gt", xy4)(lambda x, y: x > y)
    add("unary_float", x4)(lambda x: jnp.exp(x) + jnp.log1p(jnp.abs(x)) * jnp.tanh(x)
                           - jnp.sqrt(jnp.abs(x)) + jnp.sin(x) * jnp.cos(x) + lax.rsqrt(x * x + 1))
    add("unary_float2", x4)(lambda x: jnp.expm1(x) + jnp.log(jnp.abs(x) + 1) + jnp.cbrt(x)
                            + jnp.floor(x) + jnp.ceil(x) + jnp.sign(x) - jnp.negative(x))
    add("tan", x4)(lambda x: jnp.tan(x))
    add("square", x4)(lambda x: jnp.square(x) + lax.square(x))
    add("round", x4)(lambda x: jnp.round(x) + lax.round(x, lax.RoundingMethod.AWAY_FROM_ZERO))
    add("is_finite", x4)(lambda x: jnp.isfinite(x / x))
    add("isinf_isnan", x4)(lambda x: (jnp.isinf(1 / x), jnp.isnan(x / x), jnp.isneginf(x), jnp.isposinf(x)))
    add("logistic", x4)(lambda x: jax.nn.sigmoid(x) + jax.nn.softplus(x) + jax.nn.gelu(x)
                        + jax.nn.relu(x) + jax.nn.silu(x))
    add("softmax", x44)(lambda x: jax.nn.softmax(x, axis=-1) + jax.nn.log_softmax(x, axis=0))
    add("atan2", xy4)(lambda x, y: jnp.arctan2(x, y))
    add("power", pos4)(lambda x: jnp.power(x, 2.5) + x ** 3 + lax.integer_pow(x, 5))
    add("remainder", xy4)(lambda x, y: jnp.remainder(x, y) + lax.rem(x, y) + jnp.fmod(x, y))
    add("minmax_clamp", xy4)(lambda x, y: jnp.maximum(x, y) - jnp.minimum(x, y) + jnp.clip(x, -1, 1))
    add("select_where", xy4)(lambda x, y: jnp.where(x > y, x, y * 2))
    add("compare_all", xy4)(lambda x, y: (x < y, x <= y, x == y, x != y, x >= y, x > y))
    add("nextafter", xy4)(lambda x, y: jnp.nextafter(x, y))
    add("copysign", xy4)(lambda x, y: jnp.copysign(x, y))
    add("float64", lambda: (np.linspace(-1, 1, 4),))(lambda x: jnp.exp(x) * 2.0)
    add("bfloat16", x4)(lambda x: (x.astype(jnp.bfloat16) * 2).astype(jnp.float32))
    add("float16", x4)(lambda x: jnp.tanh(x.astype(jnp.float16)))
    add("complex", xy4)(lambda x, y: jnp.abs(lax.complex(x, y) * jnp.exp(lax.complex(y, x))))
    add("complex_parts", xy4)(lambda x, y: (jnp.real(jnp.conj(lax.complex(x, y))),
                                            jnp.imag(lax.complex(x, y)), jnp.angle(lax.complex(x, y))))
    add("convert", x4)(lambda x: (x.astype(jnp.int32), x.astype(jnp.uint8), (x > 0).astype(jnp.float32),
                                  x.astype(jnp.float64) if jax.config.jax_enable_x64 else x))
    add("bitcast_convert", x4)(lambda x: lax.bitcast_convert_type(x, jnp.int32))
    add("reduce_precision", x4)(lambda x: lax.reduce_precision(x, exponent_bits=5, mantissa_bits=10))

    # ---- elementwise, integer / bitwise -------------------------------------
    add("int_arith", i4)(lambda a, b: a * b + a // b - a % b + jnp.abs(a) - a + jnp.sign(a))
    add("int_power", i4)(lambda a, b: lax.integer_pow(a, 3) + jnp.power(a, 2))
    add("bitwise", i4)(lambda a, b: (a & b) | (a ^ ~b))
    add("shifts", u4)(lambda a, b: (a << (b % 32)) + (a >> (b % 32)) + lax.shift_right_arithmetic(a, b % 32))
    add("popcnt_clz", u4)(lambda a, b: lax.population_count(a) + lax.clz(b))
    add("bool_ops", xy4)(lambda x, y: jnp.logical_xor(x > 0, y > 0) | jnp.logical_not(x > y))
    add("uint_div", u4)(lambda a, b: a // (b | 1) + a % (b | 1))

    # ---- special functions (CHLO in JAX's lowering) --------------------------
    add("erf", x4)(lambda x: jax.scipy.special.erf(x) + lax.erfc(x))
    add("erf_inv", lambda: (_f32(4, lo=-0.99, hi=0.99),))(lambda x: jax.scipy.special.erfinv(x))
    add("lgamma_digamma", pos4)(lambda x: lax.lgamma(x) + lax.digamma(x))
    add("igamma", lambda: (_f32(4, lo=0.5, hi=3), _f32(4, seed=1, lo=0.5, hi=3)))(
        lambda a, x: lax.igamma(a, x) + lax.igammac(a, x))
    add("polygamma_zeta", pos4)(lambda x: jax.scipy.special.polygamma(1, x + 1) + jax.scipy.special.zeta(x + 2, x + 1))
    add("bessel_i0e_i1e", x4)(lambda x: lax.bessel_i0e(x) + lax.bessel_i1e(x))
    add("inverse_trig", lambda: (_f32(4, lo=-0.9, hi=0.9),))(
        lambda x: jnp.arcsin(x) + jnp.arccos(x) + jnp.arctan(x) + jnp.arctanh(x))
    add("hyperbolic", x4)(lambda x: jnp.sinh(x) + jnp.cosh(x) + jnp.arcsinh(x) + jnp.arccosh(jnp.abs(x) + 1))
    cplx = lambda: ((_f32(4, lo=-0.9, hi=0.9) + 1j * _f32(4, seed=1, lo=-0.9, hi=0.9)).astype(np.complex64),)
    add("complex_chlo", cplx)(lambda z: (jnp.arcsin(z), jnp.arccos(z), jnp.arctan(z), jnp.arcsinh(z),
                                         jnp.arccosh(z), jnp.arctanh(z), jnp.sinh(z), jnp.cosh(z), jnp.square(z)))
    add("special_misc", pos4)(lambda x: (jax.scipy.special.ndtri(x / 4), jax.scipy.special.ndtr(x),
                                         jax.scipy.special.gammaln(x), jax.scipy.special.i1(x)))
    add("regularized_incomplete_beta", lambda: (_f32(4, lo=0.5, hi=2), _f32(4, seed=1, lo=0.5, hi=2),
                                                _f32(4, seed=2, lo=0.1, hi=0.9)))(
        lambda a, b, x: lax.betainc(a, b, x))
    add("logsumexp", x44)(lambda x: jax.scipy.special.logsumexp(x, axis=1))

    # ---- reductions ----------------------------------------------------------
    add("reduce_sum_max", x44)(lambda x: (jnp.sum(x), jnp.max(x, axis=0), jnp.min(x, axis=1), jnp.prod(x, axis=1)))
    add("reduce_mean_var", x44)(lambda x: (jnp.mean(x, axis=0), jnp.var(x), jnp.std(x, axis=1)))
    add("reduce_bool", x44)(lambda x: (jnp.all(x > 0, axis=0), jnp.any(x > 1)))
    add("reduce_int", lambda: (_i32(4, 4),))(lambda a: (jnp.sum(a, axis=1), jnp.max(a)))
    add("argmax_argmin", x44)(lambda x: (jnp.argmax(x, axis=1), jnp.argmin(x, axis=0)))
    add("cumsum_cumprod", x44)(lambda x: (jnp.cumsum(x, axis=1), jnp.cumprod(x, axis=0), lax.cummax(x, axis=1)))
    add("norm", x44)(lambda x: jnp.linalg.norm(x))

    # ---- linear algebra -------------------------------------------------------
    add("matmul", lambda: (_f32(4, 8), _f32(8, 3, seed=1)))(lambda a, b: a @ b)
    add("matvec_dot", lambda: (_f32(4, 8), _f32(8, seed=1)))(lambda a, v: jnp.dot(a, v) + a.sum())
    add("batched_matmul", lambda: (_f32(2, 4, 8), _f32(2, 8, 3, seed=1)))(lambda a, b: jnp.matmul(a, b))
    add("einsum", lambda: (_f32(2, 3, 4), _f32(4, 5, seed=1), _f32(2, 5, seed=2)))(
        lambda a, b, c: jnp.einsum("bij,jk,bk->bi", a, b, c))
    add("outer_trace", lambda: (_f32(4), _f32(4, seed=1)))(lambda a, b: jnp.trace(jnp.outer(a, b)))
    add("int_matmul", lambda: (_i32(3, 4), _i32(4, 2, seed=1)))(lambda a, b: a @ b)

    # ---- shapes ------------------------------------------------------------------
    add("reshape_transpose", lambda: (_f32(2, 3, 4),))(
        lambda x: jnp.transpose(x, (2, 0, 1)).reshape(4, 6) + x.reshape(4, 6))
    add("broadcast", lambda: (_f32(4), _f32(3, 1, seed=1)))(lambda a, b: a + b + 1.0)
    add("concat_slice", x44)(lambda x: jnp.concatenate([x[1:3], x[::2], x[:, ::-1][:1]], axis=0))
    add("pad", x44)(lambda x: jnp.pad(x, ((1, 2), (0, 1))) + 0)
    add("pad_interior", x4)(lambda x: lax.pad(x, 0.0, [(1, 2, 1)]))
    add("reverse", x44)(lambda x: jnp.flip(x, axis=(0, 1)))
    add("iota_arange", x4)(lambda x: x + jnp.arange(4, dtype=jnp.float32) + jnp.eye(4)[0])
    add("tril_triu", x44)(lambda x: jnp.tril(x) - jnp.triu(x, 1))
    add("dynamic_slice", lambda: (_f32(8), np.int32(2)))(
        lambda x, i: lax.dynamic_slice(x, (i,), (3,)) + lax.dynamic_update_slice(x, x[:3], (i,))[:3])
    add("squeeze_expand", lambda: (_f32(1, 4, 1),))(lambda x: jnp.expand_dims(jnp.squeeze(x), 0))
    add("stack_split", x44)(lambda x: jnp.stack(jnp.split(x, 2, axis=0), axis=-1))
    add("roll", x44)(lambda x: jnp.roll(x, 1, axis=0))
    add("tile_repeat", lambda: (_f32(2, 2),))(lambda x: jnp.tile(x, (2, 1)) + jnp.repeat(x, 2, axis=0))

    # ---- gather / scatter ----------------------------------------------------------
    add("gather_index", lambda: (_f32(5, 3), np.array([0, 2, 4], np.int32)))(lambda x, idx: x[idx])
    add("gather_take_along", lambda: (_f32(4, 4), np.array([[0], [1], [2], [3]], np.int32)))(
        lambda x, idx: jnp.take_along_axis(x, idx, axis=1))
    add("gather_2d", lambda: (_f32(5, 5), np.array([0, 2], np.int32), np.array([1, 3], np.int32)))(
        lambda x, i, j: x[i, j])
    add("scatter_set", lambda: (_f32(5), np.array([0, 3], np.int32)))(lambda x, i: x.at[i].set(7.0))
    add("scatter_add", lambda: (_f32(5, 3), np.array([0, 3, 3], np.int32)))(
        lambda x, i: x.at[i].add(jnp.ones((3, 3))))
    add("scatter_mul_min_max", lambda: (_f32(5), np.array([1, 2], np.int32)))(
        lambda x, i: (x.at[i].mul(2.0), x.at[i].min(0.0), x.at[i].max(0.0)))
    add("segment_sum", lambda: (_f32(6), np.array([0, 0, 1, 2, 2, 2], np.int32)))(
        lambda x, s: jax.ops.segment_sum(x, s, num_segments=3))
    add("one_hot_embedding", lambda: (_f32(10, 4), np.array([1, 5, 9], np.int32)))(
        lambda table, ids: jnp.take(table, ids, axis=0) + jax.nn.one_hot(ids, 4))

    # ---- sorting --------------------------------------------------------------------
    add("sort", x44)(lambda x: jnp.sort(x, axis=1))
    add("argsort", x44)(lambda x: jnp.argsort(x, axis=0))
    add("sort_multi", xy4)(lambda x, y: lax.sort((x, y), num_keys=1))
    add("top_k", x44)(lambda x: lax.top_k(x, 2))
    add("argmax_topk_int", lambda: (_i32(8),))(lambda a: (jnp.argmax(a), lax.top_k(a, 3)))
    add("unique_sorted", lambda: (_i32(8, lo=0, hi=4),))(lambda a: jnp.unique(a, size=4, fill_value=-1))
    add("searchsorted", lambda: (np.sort(_f32(8)), _f32(3, seed=1)))(lambda a, v: jnp.searchsorted(a, v))
    add("median_quantile", x44)(lambda x: (jnp.median(x), jnp.quantile(x, 0.25)))

    # ---- control flow --------------------------------------------------------------
    add("while_loop", x4)(lambda x: lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * 1.5),
                                                   (0, x))[1])
    add("fori_loop", x4)(lambda x: lax.fori_loop(0, 10, lambda i, c: c + i * x, jnp.zeros_like(x)))
    add("fori_loop_dynamic", lambda: (_f32(4), np.int32(3)))(
        lambda x, n: lax.fori_loop(0, n, lambda i, c: c * 0.5 + x, x))
    add("cond", lambda: (np.float32(1.0), _f32(4)))(
        lambda p, x: lax.cond(p > 0, lambda v: v * 2, lambda v: v - 1, x))
    add("switch", lambda: (np.int32(1), _f32(4)))(
        lambda i, x: lax.switch(i, [jnp.sin, jnp.cos, lambda v: v * 3], x))
    add("scan", x44)(lambda x: lax.scan(lambda c, r: (c + r, c * r), jnp.zeros(4), x))
    add("scan_rnn", lambda: (_f32(5, 3), _f32(3, 3, seed=1)))(
        lambda xs, w: lax.scan(lambda h, x: (jnp.tanh(h @ w + x),) * 2, jnp.zeros(3), xs)[1])
    add("map", x44)(lambda x: lax.map(lambda r: jnp.sum(r * r), x))
    add("vmap", lambda: (_f32(3, 4), _f32(4, 2, seed=1)))(lambda a, b: jax.vmap(lambda r: r @ b)(a))
    add("nested_cond_in_while", x4)(lambda x: lax.while_loop(
        lambda c: c[0] < 3,
        lambda c: (c[0] + 1, lax.cond(c[0] % 2 == 0, lambda v: v + 1, lambda v: v * 2, c[1])), (0, x))[1])

    # ---- windows / convolution -----------------------------------------------------
    img = lambda: (_f32(2, 3, 8, 8),)  # NCHW

    def max_pool(x):
        return lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

    def avg_pool(x):
        return lax.reduce_window(x, 0.0, lax.add, (1, 1, 3, 3), (1, 1, 1, 1), "SAME") / 9.0

    add("max_pool", img)(max_pool)
    add("avg_pool", img)(avg_pool)
    add("max_pool_grad", img)(jax.grad(lambda x: jnp.sum(max_pool(x) ** 2)))  # select_and_scatter
    add("conv2d", lambda: (_f32(2, 3, 8, 8), _f32(4, 3, 3, 3, seed=1)))(
        lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "SAME"))
    add("conv2d_nhwc_strided", lambda: (_f32(2, 8, 8, 3), _f32(3, 3, 3, 4, seed=1)))(
        lambda x, w: lax.conv_general_dilated(x, w, (2, 2), ((1, 1), (1, 1)), rhs_dilation=(1, 1),
                                              dimension_numbers=("NHWC", "HWIO", "NHWC")))
    add("conv_grouped_dilated", lambda: (_f32(1, 4, 9, 9), _f32(4, 2, 3, 3, seed=1)))(
        lambda x, w: lax.conv_general_dilated(x, w, (1, 1), "VALID", lhs_dilation=(1, 1),
                                              rhs_dilation=(2, 2), feature_group_count=2))
    add("conv1d_transpose", lambda: (_f32(1, 6, 2), _f32(3, 2, 4, seed=1)))(
        lambda x, w: lax.conv_transpose(x, w, (2,), "SAME", dimension_numbers=("NWC", "WIO", "NWC")))
    add("conv2d_grad", lambda: (_f32(2, 3, 8, 8), _f32(4, 3, 3, 3, seed=1)))(
        jax.grad(lambda x, w: jnp.sum(lax.conv_general_dilated(x, w, (2, 2), "SAME") ** 2), argnums=(0, 1)))

    # ---- random numbers (threefry) ------------------------------------------------
    key = lambda: (np.array([0, 42], np.uint32),)
    add("random_normal", key)(lambda k: jax.random.normal(jax.random.wrap_key_data(k), (3, 4)))
    add("random_uniform_split", key)(lambda k: jax.random.uniform(
        jax.random.split(jax.random.wrap_key_data(k))[1], (5,), minval=-1, maxval=2))
    add("random_bits", key)(lambda k: jax.random.bits(jax.random.wrap_key_data(k), (4,), jnp.uint32))
    add("random_misc", key)(lambda k: (
        jax.random.randint(jax.random.wrap_key_data(k), (4,), 0, 10),
        jax.random.bernoulli(jax.random.wrap_key_data(k), 0.3, (4,)),
        jax.random.permutation(jax.random.wrap_key_data(k), 6)))
    add("random_categorical_gumbel", key)(lambda k: jax.random.categorical(
        jax.random.wrap_key_data(k), jnp.log(jnp.array([0.2, 0.3, 0.5])), shape=(4,)))
    add("random_gamma", key)(lambda k: jax.random.gamma(jax.random.wrap_key_data(k), 2.0, (3,)))
    add("random_truncated_normal", key)(lambda k: jax.random.truncated_normal(
        jax.random.wrap_key_data(k), -1.0, 1.0, (4,)))
    add("rng_bit_generator", key)(lambda k: lax.rng_bit_generator(
        jnp.concatenate([k, k]), (4,), algorithm=lax.RandomAlgorithm.RNG_THREE_FRY))

    # ---- autodiff and training steps --------------------------------------------------
    add("grad_tanh", x4)(jax.grad(lambda x: jnp.sum(jnp.tanh(x) ** 2)))
    add("jvp", x4)(lambda x: jax.jvp(jnp.sin, (x,), (jnp.ones_like(x),)))
    add("hessian", lambda: (_f32(3),))(jax.hessian(lambda x: jnp.sum(jnp.sin(x) * x ** 2)))

    def mlp_init():
        return ({"w1": _f32(8, 16, seed=1), "b1": _f32(16, seed=2), "w2": _f32(16, 4, seed=3),
                 "b2": _f32(4, seed=4)}, _f32(5, 8, seed=5), np.array([0, 1, 2, 3, 0], np.int32))

    def mlp_loss(params, x, y):
        h = jax.nn.relu(x @ params["w1"] + params["b1"])
        logits = h @ params["w2"] + params["b2"]
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    @add("mlp_train_step", mlp_init)
    def mlp_step(params, x, y):
        loss, grads = jax.value_and_grad(mlp_loss)(params, x, y)
        return loss, jax.tree_util.tree_map(lambda p, g: p - 0.1 * g, params, grads)

    def cnn_init():
        return ({"conv": _f32(4, 1, 3, 3, seed=1), "dense": _f32(4 * 4 * 4, 3, seed=2)},
                _f32(2, 1, 8, 8, seed=3), np.array([0, 2], np.int32))

    def cnn_loss(params, x, y):
        h = lax.conv_general_dilated(x, params["conv"], (1, 1), "SAME")
        h = jax.nn.relu(h)
        h = max_pool(h).reshape(x.shape[0], -1)
        logits = h @ params["dense"]
        return -jnp.mean(jnp.sum(jax.nn.log_softmax(logits) * jax.nn.one_hot(y, 3), axis=-1))

    @add("cnn_train_step", cnn_init)
    def cnn_step(params, x, y):
        loss, grads = jax.value_and_grad(cnn_loss)(params, x, y)
        return loss, jax.tree_util.tree_map(lambda p, g: p - 0.01 * g, params, grads)

    add("layer_norm", lambda: (_f32(4, 8), _f32(8, seed=1), _f32(8, seed=2)))(
        lambda x, g, b: (x - x.mean(-1, keepdims=True)) * lax.rsqrt(x.var(-1, keepdims=True) + 1e-5) * g + b)

    def attention(q, k, v):
        s = jnp.einsum("hqd,hkd->hqk", q, k) / jnp.sqrt(q.shape[-1])
        mask = jnp.tril(jnp.ones((q.shape[1], k.shape[1]), bool))
        return jnp.einsum("hqk,hkd->hqd", jax.nn.softmax(jnp.where(mask, s, -1e9)), v)

    add("attention", lambda: (_f32(2, 4, 8), _f32(2, 4, 8, seed=1), _f32(2, 4, 8, seed=2)))(attention)

    try:
        import optax
    except ImportError:  # optional: skipped cleanly
        optax = None
    if optax is not None:
        opt = optax.adam(1e-3)

        def adam_init():
            params, x, y = mlp_init()
            return params, opt.init(params), x, y

        @add("optax_adam_step", adam_init)
        def adam_step(params, state, x, y):
            loss, grads = jax.value_and_grad(mlp_loss)(params, x, y)
            updates, state = opt.update(grads, state, params)
            return loss, optax.apply_updates(params, updates), state

        add("optax_losses", lambda: (_f32(4, 3), _f32(4, 3, seed=1, lo=0, hi=1)))(
            lambda logits, labels: (optax.softmax_cross_entropy(logits, labels).mean(),
                                    optax.sigmoid_binary_cross_entropy(logits, labels).mean(),
                                    optax.huber_loss(logits, labels).mean()))

    try:
        from flax import nnx
    except ImportError:  # optional: skipped cleanly
        nnx = None
    if nnx is not None and optax is not None:
        # A Flax NNX model trained with Optax, written the functional way
        # (split into graphdef + params) so that jax.jit can lower the step.
        class MLP(nnx.Module):
            def __init__(self, rngs):
                self.hidden = nnx.Linear(8, 16, rngs=rngs)
                self.out = nnx.Linear(16, 3, rngs=rngs)

            def __call__(self, x):
                return self.out(nnx.gelu(self.hidden(x)))

        graphdef, _ = nnx.split(MLP(nnx.Rngs(0)), nnx.Param)
        nnx_opt = optax.adamw(1e-3)

        def nnx_init():
            _, params = nnx.split(MLP(nnx.Rngs(0)), nnx.Param)
            return params, nnx_opt.init(params), _f32(4, 8), _f32(4, 3, seed=1)

        @add("flax_nnx_adamw_step", nnx_init)
        def nnx_step(params, state, x, y):
            def loss_fn(p):
                return optax.l2_loss(nnx.merge(graphdef, p)(x), y).mean()

            loss, grads = jax.value_and_grad(loss_fn)(params)
            updates, state = nnx_opt.update(grads, state, params)
            return loss, optax.apply_updates(params, updates), state

    # ---- linalg decompositions (custom calls / loops) ---------------------------------
    spd = lambda: (np.eye(4, dtype=np.float32) * 4 + _f32(4, 4) @ _f32(4, 4).T * 0.1,)
    add("cholesky", spd)(lambda a: jnp.linalg.cholesky(a))
    add("triangular_solve", lambda: (np.tril(_f32(4, 4)) + 4 * np.eye(4, dtype=np.float32), _f32(4, 2, seed=1)))(
        lambda a, b: lax.linalg.triangular_solve(a, b, left_side=True, lower=True))

    return P


@dataclasses.dataclass(frozen=True)
class Reference:
    """A program as JAX runs it, shared by every test file that compares with it."""
    lowered: object                # jax.jit(fn, keep_unused=True).lower(*args)
    inputs: tuple[np.ndarray, ...]   # the dynamic arguments' leaves, as JAX passes them
    outputs: tuple[np.ndarray, ...]  # the leaves of jax.jit(fn)(*args)


_REFERENCES: dict[tuple[str, bool], Reference] = {}


def reference(program: Program) -> Reference:
    """``program`` lowered and run by JAX once per process and x64 mode: the interpreter,
    CPU-backend and CHLO-numerics tests all compare against it, and XLA's compile is
    most of their cost. The arrays are read-only, so no test can change another's."""
    import jax

    key = (program.name, bool(jax.config.jax_enable_x64))
    if key not in _REFERENCES:
        args = program.args()
        jitted = jax.jit(program.fn, static_argnums=program.static_argnums, keep_unused=True)
        dynamic = [a for i, a in enumerate(args) if i not in program.static_argnums]
        inputs = tuple(np.asarray(jax.numpy.asarray(a))
                       for a in jax.tree_util.tree_leaves(dynamic))
        outputs = tuple(np.asarray(w) for w in jax.tree_util.tree_leaves(jitted(*args)))
        for array in inputs + outputs:
            array.setflags(write=False)
        _REFERENCES[key] = Reference(jitted.lower(*args), inputs, outputs)
    return _REFERENCES[key]


def lower(program: Program):
    """``jax.jit(fn).lower(*args)`` for a program."""
    import jax

    return jax.jit(program.fn, static_argnums=program.static_argnums).lower(*program.args())


_TEXTS: dict[tuple[str, bool], tuple[str, str]] = {}


def texts(program: Program) -> tuple[str, str]:
    """(pretty, generic) StableHLO text of a program, as JAX prints it (lowered once per
    process and x64 mode)."""
    import jax

    key = (program.name, bool(jax.config.jax_enable_x64))
    if key not in _TEXTS:
        lowered = lower(program)
        _TEXTS[key] = (lowered.as_text(), lowered.compiler_ir("stablehlo").operation.get_asm(
            print_generic_op_form=True))
    return _TEXTS[key]


_OP_NAME = re.compile(r'"([A-Za-z_][\w$]*\.[\w.$]+)"\(')
_ATTR_DIALECT = re.compile(r'[#!]([A-Za-z_]\w*)[.<]')


def used_names(generic_text: str) -> tuple[set[str], set[str]]:
    """(op names, attribute/type dialect names) in a generic-form module."""
    ops = set(_OP_NAME.findall(generic_text))
    dialects = set(_ATTR_DIALECT.findall(generic_text))
    return ops, dialects


def missing_names(generic_text: str) -> list[str]:
    """The ops (``stablehlo.foo``) and attribute dialects (``#sdy``) of a
    program that hlox's context does not know, sorted."""
    from hlox.dialects import make_context

    ops, dialects = used_names(generic_text)
    context = make_context()
    context.load_all_available_dialects()
    missing = [op for op in ops if not context.is_registered_operation(op)]
    for dialect in dialects:
        try:
            context.dialects[dialect]
        except (IndexError, KeyError, ValueError, AttributeError):
            missing.append(f"#{dialect} (attributes)")
    return sorted(missing)


def missing_report() -> str:
    """Which programs need which not-yet-defined op, most used first."""
    users: dict[str, list[str]] = {}
    for program in programs():
        try:
            _, generic = texts(program)
        except Exception as error:
            users.setdefault(f"<jax cannot lower: {error.__class__.__name__}>", []).append(program.name)
            continue
        for name in missing_names(generic):
            users.setdefault(name, []).append(program.name)
    lines = [f"{len(users)} names missing"]
    for name, progs in sorted(users.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"{name:40s} {len(progs):3d}  {' '.join(sorted(progs))}")
    return "\n".join(lines)


def dump(directory: str, names: list[str] | None = None) -> list[str]:
    """Writes NAME.mlir and NAME.generic.mlir for every program; returns paths."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for program in programs():
        if names and program.name not in names:
            continue
        try:
            pretty, generic = texts(program)
        except Exception as error:  # a program jax cannot lower here
            print(f"{program.name}: jax could not lower it: {error}", file=sys.stderr)
            continue
        for suffix, text in ((".mlir", pretty), (".generic.mlir", generic)):
            path = os.path.join(directory, program.name + suffix)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", metavar="DIR", help="write every program's .mlir to DIR")
    parser.add_argument("--list", action="store_true", help="print the programs' names")
    parser.add_argument("--missing", action="store_true",
                        help="print the op names hlox does not define yet, with the programs using them")
    parser.add_argument("names", nargs="*", help="only these programs")
    args = parser.parse_args(argv)
    if args.list:
        for program in programs():
            print(program.name)
        return 0
    if args.missing:
        print(missing_report())
        return 0
    if args.dump:
        paths = dump(args.dump, args.names)
        print(f"wrote {len(paths)} files to {args.dump}")
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
