"""The data-movement ops the spec defines on quantized tensors, on ``cpu`` and
``interpreter``: they move storage integers and keep scales and zero points; a
per-axis quantization dimension moves with its dimension (reshape, transpose,
broadcast_in_dim, the only ones the spec allows per-axis types for).

Each case returns the moved storage integers (equal to numpy's op on the storage)
and their dequantized values (equal to numpy's op on the dequantized operand: the
result's scales follow the moved elements).
"""

from __future__ import annotations

import numpy as np
import pytest
from quantized_model import QType, run, storage_values, tensor

import hlox
from hlox.backends.base import BackendError

BACKENDS = ("cpu", "interpreter")


# name: ([(shape, type) of the quantized operands %q0, %q1, ...], op text, result
#        shape, result type, numpy op on the operands, extra integer arguments %i0, ...)
def _cases():
    axis0 = QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=0)
    axis1 = QType("u8", [0.5, 0.25, 1.5], [128, 0, 30], axis=1, expressed="f16")
    axis1_moved = QType("u8", [0.5, 0.25, 1.5], [128, 0, 30], axis=2, expressed="f16")
    i8 = QType("i8", [0.5], [-3])
    u8 = QType("u8", [0.02], [100], expressed="bf16")
    i4 = QType("i4", [0.25], [1])
    i16 = QType("i16", [0.001], [7])
    one = QType("i8", [0.25], [2], axis=0)
    repeated = QType("i8", [0.25] * 3, [2] * 3, axis=0)
    axis2 = QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=1)
    return {
        "reshape_per_tensor": ([((2, 3, 4), i8)], "stablehlo.reshape %q0", (6, 4), i8,
                               lambda x: x.reshape(6, 4), []),
        "reshape_per_axis_split_after": ([((2, 3, 4), axis1)], "stablehlo.reshape %q0",
                                         (2, 3, 2, 2), axis1,
                                         lambda x: x.reshape(2, 3, 2, 2), []),
        "reshape_per_axis_unit_dims": ([((3, 4), axis0)], "stablehlo.reshape %q0", (1, 3, 2, 2),
                                       QType("i8", [0.1, 0.5, 0.02], [-30, -20, 4], axis=1),
                                       lambda x: x.reshape(1, 3, 2, 2), []),
        "transpose_per_axis": ([((2, 3, 4), axis1)], "stablehlo.transpose %q0, dims = [0, 2, 1]",
                               (2, 4, 3), axis1_moved, lambda x: x.transpose(0, 2, 1), []),
        "transpose_per_tensor_i4": ([((3, 4), i4)], "stablehlo.transpose %q0, dims = [1, 0]",
                                    (4, 3), i4, lambda x: x.T, []),
        "broadcast_in_dim_per_axis": ([((3,), axis0)], "stablehlo.broadcast_in_dim %q0, dims = [1]",
                                      (2, 3, 4), axis2,
                                      lambda x: np.broadcast_to(x[None, :, None], (2, 3, 4)), []),
        "broadcast_in_dim_per_axis_of_one": (
            [((1, 4), one)], "stablehlo.broadcast_in_dim %q0, dims = [0, 1]", (3, 4), repeated,
            lambda x: np.broadcast_to(x, (3, 4)), []),
        "broadcast_in_dim_per_tensor": ([((3,), u8)], "stablehlo.broadcast_in_dim %q0, dims = [1]",
                                        (2, 3), u8, lambda x: np.broadcast_to(x, (2, 3)), []),
        "slice": ([((5, 6), i16)], "stablehlo.slice %q0 [1:5:2, 0:6:3]", (2, 2), i16,
                  lambda x: x[1:5:2, 0:6:3], []),
        "dynamic_slice": ([((5, 6), u8)], "stablehlo.dynamic_slice %q0, %i0, %i1, sizes = [2, 3]",
                          (2, 3), u8, lambda x: x[3:5, 2:5],
                          [np.array(4, np.int32), np.array(2, np.int32)]),  # 4 clamped to 3
        "reverse": ([((3, 4), i4)], "stablehlo.reverse %q0, dims = [1]", (3, 4), i4,
                    lambda x: x[:, ::-1], []),
        "gather_rows": ([((4, 3), i8)],
                        '"stablehlo.gather"(%q0, %i0) {dimension_numbers = #stablehlo.gather<'
                        'offset_dims = [1], collapsed_slice_dims = [0], start_index_map = [0], '
                        'index_vector_dim = 1>, slice_sizes = array<i64: 1, 3>}',
                        (2, 3), i8, lambda x: x[[2, 0]],
                        [np.array([[2], [0]], np.int32)]),
        "dynamic_update_slice": ([((4, 5), i4), ((2, 2), i4)],
                                 "stablehlo.dynamic_update_slice %q0, %q1, %i0, %i1", (4, 5), i4,
                                 _update_at(1, 3), [np.array(1, np.int64), np.array(9, np.int64)]),
        "concatenate": ([((2, 3), u8), ((1, 3), u8), ((3, 3), u8)],
                        "stablehlo.concatenate %q0, %q1, %q2, dim = 0", (6, 3), u8,
                        lambda *xs: np.concatenate(xs, 0), []),
        "pad": ([((3, 4), i16), ((), i16)],
                "stablehlo.pad %q0, %q1, low = [1, -1], high = [0, 2], interior = [1, 0]",
                (6, 5), i16, _pad, []),
    }


def _update_at(row, column):
    def update(x, u):
        row_ = min(row, x.shape[0] - u.shape[0])  # start indices are clamped
        column_ = min(column, x.shape[1] - u.shape[1])
        x = x.copy()
        x[row_:row_ + u.shape[0], column_:column_ + u.shape[1]] = u
        return x
    return update


def _pad(x, value):
    """low = [1, -1], high = [0, 2], interior = [1, 0] on a 3x4 operand."""
    out = np.full((6, 6), value, x.dtype)
    out[1::2, :4] = x
    return out[:, 1:]


CASES = _cases()


def _integer_type(a: np.ndarray) -> str:
    return tensor(a.shape, str(a.dtype).replace("int", "i"))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_moves_storage(case, backend):
    operands, op, result_shape, r, model, extra = CASES[case]
    parameters = [f"%s{k}: {tensor(shape, q.storage)}" for k, (shape, q) in enumerate(operands)]
    parameters += [f"%i{k}: {_integer_type(a)}" for k, a in enumerate(extra)]
    casts = "\n  ".join(
        f"%q{k} = stablehlo.bitcast_convert %s{k} : ({tensor(shape, q.storage)}) -> "
        f"{tensor(shape, q.text)}" for k, (shape, q) in enumerate(operands))
    operand_types = ([tensor(shape, q.text) for shape, q in operands]
                     + [_integer_type(a) for a in extra])
    rt, rs, rf = (tensor(result_shape, r.text), tensor(result_shape, r.storage),
                  tensor(result_shape, r.expressed))
    text = f"""
func.func @main({", ".join(parameters)}) -> ({rs}, {rf}) {{
  {casts}
  %r = {op} : ({", ".join(operand_types)}) -> {rt}
  %o = stablehlo.bitcast_convert %r : ({rt}) -> {rs}
  %f = stablehlo.uniform_dequantize %r : ({rt}) -> {rf}
  return %o, %f : {rs}, {rf}
}}"""
    storage = [storage_values(q, shape, seed=len(case) + k) for k, (shape, q) in enumerate(operands)]
    moved, values = run(text, backend, *storage, *extra)
    np.testing.assert_array_equal(moved.astype(np.int64), model(*storage).astype(np.int64))
    dequantized = [q.dequantize(x) for x, (_, q) in zip(storage, operands)]
    np.testing.assert_array_equal(values, model(*dequantized))


REFUSED = {
    # per-axis types where the spec allows per-tensor ones only
    "slice": ("tensor<2x3x!quant.uniform<i8:f32:1, {0.5:0, 0.25:1, 1.0:-1}>>",
              "stablehlo.slice %q [0:1, 0:3]",
              "tensor<1x3x!quant.uniform<i8:f32:1, {0.5:0, 0.25:1, 1.0:-1}>>"),
    # the spec allows quantized sort (comparator on quantized scalars): not
    # implemented, so refused
    "sort": ("tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>",
             '"stablehlo.sort"(%q) ({\n  ^bb0(%a: tensor<!quant.uniform<i8:f32, 0.5:-3>>, '
             '%b: tensor<!quant.uniform<i8:f32, 0.5:-3>>):\n'
             '    %c = stablehlo.constant dense<true> : tensor<i1>\n'
             '    stablehlo.return %c : tensor<i1>\n  }) {dimension = 0 : i64}',
             "tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>"),
    # an op the spec gives no quantized operands
    "not": ("tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>", "stablehlo.not %q",
                      "tensor<2x3x!quant.uniform<i8:f32, 0.5:-3>>"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_op_and_type(case, backend):
    operand, op, result = REFUSED[case]
    storage = "tensor<2x3xi8>"
    out = result.split("x!quant")[0] + "xi8>"
    text = f"""
func.func @main(%s: {storage}) -> {out} {{
  %q = stablehlo.bitcast_convert %s : ({storage}) -> {operand}
  %r = {op} : ({operand}) -> {result}
  %o = stablehlo.bitcast_convert %r : ({result}) -> {out}
  return %o : {out}
}}"""
    with pytest.raises(BackendError, match=rf"'stablehlo\.{case}' op operand #0 must be .*"
                                           r"but got 'tensor<2x3x!quant\.uniform<i8:f32"):
        hlox.compile_stablehlo(text, backend=backend)
