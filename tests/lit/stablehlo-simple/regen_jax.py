"""Rebuilds the JAX-captured lit tests of this folder (jax-*.mlir, Inputs/).

    python tests/lit/stablehlo-simple/regen_jax.py

Lowers small JAX programs that use the elementwise, shape and misc ops,
checks that hlox-opt prints exactly JAX's text back (SSA names aside, in both
the pretty and the generic form), and only then writes each jax-<group>.mlir:
JAX's pretty text with a CHECK line (JAX's own line, SSA names as patterns)
before every op, plus Inputs/jax-<group>.generic.mlir, JAX's generic form.
Needs jax and an installed hlox (hlox-opt on PATH).
"""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np
from jax import lax

HERE = pathlib.Path(__file__).parent
SEP = "\n// -----\n"

v = jnp.linspace(-2, 2, 4, dtype=jnp.float32)
m = jnp.linspace(-2, 2, 16, dtype=jnp.float32).reshape(4, 4)
x = jnp.linspace(-2, 2, 12, dtype=jnp.float32).reshape(3, 4)
i32 = jnp.arange(4, dtype=jnp.int32)
u32 = jnp.arange(4, dtype=jnp.uint32)
b = jnp.array([True, False, True, False])
c64 = (v + 1j * v).astype(jnp.complex64)
f0, f1 = np.float32(0.0), np.float32(1.0)


def composite(a):
    return lax.composite(lambda a, k: a * k, name="my.scale")(a, k=2.0)


GROUPS = {
    "elementwise": [
        (lambda a: [lax.abs(a), lax.cbrt(a), lax.ceil(a), lax.cos(a), lax.exp(a), lax.expm1(a),
                    lax.floor(a), lax.is_finite(a), lax.log(a), lax.log1p(a), lax.logistic(a),
                    lax.neg(a), lax.round(a), lax.round(a, lax.RoundingMethod.TO_NEAREST_EVEN),
                    lax.rsqrt(a), lax.sign(a), lax.sin(a), lax.sqrt(a), lax.tan(a), lax.tanh(a),
                    lax.exp2(a), lax.reduce_precision(a, 5, 10)], (v,)),
        (lambda a: [lax.abs(a), lax.clz(a), lax.population_count(a), lax.bitwise_not(a),
                    lax.neg(a), lax.sign(a)], (i32,)),
        (lambda a: [lax.abs(a), lax.real(a), lax.imag(a), lax.exp(a),
                    lax.complex(lax.real(a), lax.imag(a)), lax.conj(a)], (c64,)),
        (lambda a, b: [lax.atan2(a, b), lax.div(a, b), lax.max(a, b), lax.min(a, b),
                       lax.pow(a, b), lax.rem(a, b), lax.sub(a, b), lax.mul(a, b),
                       lax.clamp(f0, a, f1), lax.clamp(a, b, a), a > b,
                       lax.select(a > b, a, b)], (v, v)),
        (lambda a, b: [lax.shift_left(a, b), lax.shift_right_arithmetic(a, b),
                       lax.shift_right_logical(a, b), a & b, a | b, a ^ b, lax.div(a, b),
                       lax.rem(a, b), lax.integer_pow(a, 3), a < b], (i32, i32)),
        (lambda a, b: [a < b, a == b, lax.shift_right_logical(a, b)], (u32, u32)),
        (lambda a, b: [a & b, ~a, a == b, lax.select(a, a, b)], (b, b)),
        (lambda a: [a.astype(jnp.int32), lax.bitcast_convert_type(a, jnp.int32),
                    lax.bitcast_convert_type(a, jnp.uint8), a.astype(jnp.bfloat16)], (v,)),
        (lambda a: lax.exp(a, accuracy=lax.Tolerance(atol=1e-5, rtol=0.0, ulps=2)), (v,)),
        (lambda a: lax.tanh(a, accuracy=lax.AccuracyMode.HIGHEST), (v,)),
        (lambda a: jnp.clip(a, 0.0, 1.0), (v,)),
    ],
    "shape-misc": [
        (lambda a: [jnp.transpose(a), a.reshape(16), jnp.broadcast_to(v, (3, 4)),
                    lax.broadcast(a, (2,)), a[1:3, ::2], lax.dynamic_slice(a, (1, 2), (2, 2)),
                    lax.dynamic_update_slice(a, jnp.zeros((2, 2), jnp.float32), (1, 1)),
                    jnp.concatenate([a, a], 1), lax.pad(a, f0, [(1, 2, 1), (0, -1, 0)]),
                    jnp.flip(a, 0), lax.iota(jnp.int32, 5),
                    lax.broadcasted_iota(jnp.float32, (2, 3), 1)], (m,)),
        (lambda a: [lax.optimization_barrier((a, a)),
                    jax.random.bits(jax.random.key(0, impl="rbg"), (3,)),
                    lax.rng_uniform(f0, f1, (2, 3))], (v,)),
        (composite, (v,)),
        (lambda k: lax.rng_bit_generator(k, (3, 2), algorithm=lax.RandomAlgorithm.RNG_THREE_FRY),
         (jnp.ones((4,), jnp.uint32),)),
        (lambda k: lax.rng_bit_generator(k, (5,), algorithm=lax.RandomAlgorithm.RNG_PHILOX,
                                         dtype=jnp.uint8), (jnp.ones((4,), jnp.uint32),)),
    ],
    "numpy": [
        (lambda a: jnp.pad(a, 1, mode="reflect"), (x,)),
        (lambda a: jnp.roll(a, 1, axis=1), (x,)),
        (lambda a: jnp.tril(a), (x,)),
        (lambda a: jnp.rot90(a), (x,)),
        (lambda a: (jnp.abs(a), jnp.angle(a), jnp.conj(a), a * a, jnp.exp(a), jnp.sqrt(a),
                    a.real, a.imag), (c64,)),
        (lambda a: (a // 3, a % 3, a ** 2, jnp.left_shift(a, 1), jnp.right_shift(a, 1), ~a,
                    jnp.abs(-a), a.astype(jnp.uint8) >> 2), (i32,)),
        (lambda a: a.astype(ml_dtypes.float8_e4m3fn).astype(jnp.float32), (x,)),
        (lambda a: a.astype(jnp.bfloat16) * 2, (x,)),
        (lambda a: jnp.frexp(a), (x,)),
        (lambda a: jnp.ldexp(a, 2), (x,)),
        (lambda a: (jnp.isnan(a), jnp.isinf(a), jnp.signbit(a)), (x,)),
        (lambda a: jnp.round(a, 2), (x,)),
        (lambda a: jnp.mod(a, 0.5), (x,)),
        (lambda a: jax.nn.gelu(a, approximate=True), (x,)),
    ],
}


def hlox_opt(text: str, *args: str) -> str:
    return subprocess.run(["hlox-opt", "-", "--split-input-file", *args], input=text,
                          capture_output=True, text=True, check=True).stdout


def op_lines(text: str) -> list[str]:
    """The op lines of a module, SSA names replaced, for comparison."""
    out = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith(("//", "}", "module", "^")) or s.startswith('"builtin.module"'):
            continue
        out.append(re.sub(r"%[\w]+(#[0-9]+)?", "%X", s))
    return out


def check_pattern(line: str) -> str:
    s = line.strip().replace("[[", "{{\\[\\[}}")
    s = re.sub(r"^%[\w]+(:[0-9]+)?(, %[\w]+)* = ", "", s)
    return re.sub(r"%[A-Za-z0-9_]+(#[0-9]+)?", "%{{[a-z0-9_#]+}}", s)


def main() -> int:
    for group, programs in GROUPS.items():
        pretty, generic = [], []
        for fn, args in programs:
            lowered = jax.jit(fn).lower(*args)
            pretty.append(lowered.as_text())
            generic.append(lowered.compiler_ir("stablehlo").operation.get_asm(
                print_generic_op_form=True))
        pretty_text, generic_text = SEP.join(pretty), SEP.join(generic)
        # hlox-opt must print JAX's text back, in both forms.
        if op_lines(hlox_opt(pretty_text)) != op_lines(pretty_text):
            sys.exit(f"{group}: hlox-opt does not print JAX's pretty text back")
        if op_lines(hlox_opt(generic_text, "--mlir-print-op-generic")) != op_lines(generic_text):
            sys.exit(f"{group}: hlox-opt does not print JAX's generic text back")
        lines = []
        for line in pretty_text.splitlines():
            s = line.strip()
            indent = line[: len(line) - len(line.lstrip())]
            if s.startswith("func.func"):
                name = re.search(r"@[\w.]+", s).group(0)
                lines.append(f"{indent}// CHECK-LABEL: func.func {{{{.*}}}}{name}(")
            elif s and not s.startswith(("//", "}", "module", "return")):
                lines.append(f"{indent}// CHECK: {check_pattern(line)}")
            lines.append(line)
        header = (
            "// RUN: hlox-opt --split-input-file %s | hlox-opt --split-input-file | FileCheck %s\n"
            "// RUN: hlox-opt --split-input-file %s --mlir-print-op-generic | hlox-opt --split-input-file | FileCheck %s\n"
            f"// RUN: hlox-opt --split-input-file %S/Inputs/jax-{group}.generic.mlir | FileCheck %s\n\n"
            f"// StableHLO as JAX {jax.__version__} prints it (jax.jit(f).lower(...).as_text());\n"
            f"// Inputs/jax-{group}.generic.mlir is the same programs in the generic form.\n"
            "// Generated by regen_jax.py, which first checks that hlox-opt prints JAX's\n"
            "// text back.\n\n")
        (HERE / f"jax-{group}.mlir").write_text(header + "\n".join(lines) + "\n")
        (HERE / "Inputs" / f"jax-{group}.generic.mlir").write_text(generic_text)
        print(f"jax-{group}.mlir: {len(programs)} programs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
