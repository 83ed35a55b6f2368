"""The Python op classes generated from our ODS build valid IR."""

import pytest
from mlir import ir
from mlir.dialects import func

from hlox.dialects import chlo, make_context, stablehlo


def _build(body, arg_shapes):
    """A func.func whose f32 arguments have `arg_shapes` and whose body is
    built by `body(*args) -> results`; verified and printed."""
    with make_context(), ir.Location.unknown():
        arg_types = [ir.RankedTensorType.get(s, ir.F32Type.get()) for s in arg_shapes]
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            fn = func.FuncOp("f", ir.FunctionType.get(arg_types, []))
            with ir.InsertionPoint(fn.add_entry_block()):
                results = body(*fn.arguments)
                func.ReturnOp(results)
            fn.attributes["function_type"] = ir.TypeAttr.get(
                ir.FunctionType.get(arg_types, [r.type for r in results]))
        module.operation.verify()
        return str(module)


def test_inferred_result_types():
    def body(a, b):
        total = stablehlo.AddOp(a, b).result
        product = stablehlo.MulOp(total, b).result
        return [stablehlo.TransposeOp(product, [1, 0]).result]

    text = _build(body, [[2, 3], [2, 3]])
    assert "stablehlo.transpose %1, dims = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>" in text


def test_chlo_op_class():
    def body(a):
        return [chlo.ErfOp(a).result]

    assert "chlo.erf" in _build(body, [[4]])


def test_invalid_permutation_is_a_python_error():
    with make_context(), ir.Location.unknown():
        t = ir.RankedTensorType.get([2, 3], ir.F32Type.get())
        module = ir.Module.create()
        with ir.InsertionPoint(module.body):
            fn = func.FuncOp("f", ir.FunctionType.get([t], []))
            with ir.InsertionPoint(fn.add_entry_block()):
                with pytest.raises((ir.MLIRError, ValueError)):
                    stablehlo.TransposeOp(fn.arguments[0], [0, 0])
