"""Emission: a traced :class:`~hlox.frontend.core.tracing.Graph` becomes StableHLO.

The graph becomes ``func.func public @main`` in a ``builtin.module`` of
StableHLO ops, built with the MLIR Python bindings in a context from
:func:`hlox.dialects.make_context`. Each equation is emitted by its
primitive's lowering rule (``core.lowering_rules``), under an MLIR location
that names the primitive and the user's ``file:line``, so diagnostics from
any later pass point at the line of Python that produced the op.
"""

from __future__ import annotations

import re

import numpy as np
from mlir import ir
from mlir.dialects import func as func_d

from hlox.frontend.core import dtypes
from hlox.frontend.core.tracing import Equation, Graph, ShapedArray, lowering_rules


class EmissionError(RuntimeError):
    """A primitive could not be emitted (no rule, or the rule failed)."""


def element_type(dtype: np.dtype) -> ir.Type:
    """The MLIR element type of a NumPy dtype (StableHLO's conventions)."""
    dtype = np.dtype(dtype)
    if dtype == dtypes.bool_:
        return ir.IntegerType.get_signless(1)
    if dtype == dtypes.float32:
        return ir.F32Type.get()
    if dtype == dtypes.float64:
        return ir.F64Type.get()
    if dtype == dtypes.float16:
        return ir.F16Type.get()
    if dtype == dtypes.bfloat16:
        return ir.BF16Type.get()
    if dtype == dtypes.complex64:
        return ir.ComplexType.get(ir.F32Type.get())
    if dtype == dtypes.complex128:
        return ir.ComplexType.get(ir.F64Type.get())
    if dtype.kind == "i":
        return ir.IntegerType.get_signless(dtype.itemsize * 8)
    if dtype.kind == "u":
        return ir.IntegerType.get_unsigned(dtype.itemsize * 8)
    raise TypeError(f"hlox: no MLIR element type for dtype {dtype}")


def tensor_type(aval: ShapedArray) -> ir.RankedTensorType:
    return ir.RankedTensorType.get(list(aval.shape), element_type(aval.dtype))


def dense_attr(value: np.ndarray, aval: ShapedArray) -> ir.DenseElementsAttr:
    """``value`` as a DenseElementsAttr of ``aval``'s tensor type (splat if uniform)."""
    ttype = tensor_type(aval)
    elem = ttype.element_type
    value = np.ascontiguousarray(value, dtype=aval.dtype)
    flat = value.reshape(-1)
    if flat.size > 0 and np.all(flat == flat[0]):
        scalar = flat[0]
        if dtypes.is_complex(aval.dtype):  # one element of the tensor type: a splat
            return ir.DenseElementsAttr.get(flat[:1], type=ttype)
        if dtypes.is_float(aval.dtype):
            attr = ir.FloatAttr.get(elem, float(scalar))
        elif aval.dtype == dtypes.uint64:  # the bindings take int64: the same 64 bits
            attr = ir.IntegerAttr.get(elem, int(np.asarray(scalar).view(np.int64)))
        else:
            attr = ir.IntegerAttr.get(elem, int(scalar))
        return ir.DenseElementsAttr.get_splat(ttype, attr)
    if aval.dtype == dtypes.bool_:
        return ir.DenseElementsAttr.get(np.packbits(value, axis=None, bitorder="little"),
                                        type=ttype)
    if aval.dtype == dtypes.bfloat16:
        value = value.view(np.uint16)
    return ir.DenseElementsAttr.get(value, type=ttype)


def i64_array_attr(values) -> ir.Attribute:
    """``array<i64: ...>`` (a DenseI64ArrayAttr), StableHLO's dims attributes."""
    return ir.DenseI64ArrayAttr.get([int(v) for v in values])


class LoweringContext:
    """What a lowering rule sees of the equation it emits."""

    def __init__(self, eqn: Equation):
        self.eqn = eqn
        self.avals_in = [v.aval for v in eqn.inputs]
        self.avals_out = [v.aval for v in eqn.outputs]

    def op(self, name: str, operands, attributes: dict | None = None,
           result_avals: list[ShapedArray] | None = None) -> list[ir.Value]:
        """Creates op ``name`` with results typed by the equation's outputs."""
        avals = self.avals_out if result_avals is None else result_avals
        require_op(name, self.eqn.primitive.name)
        op = ir.Operation.create(name, results=[tensor_type(a) for a in avals],
                                 operands=list(operands), attributes=attributes or {})
        return list(op.results)


def require_op(op_name: str, primitive_name: str = "") -> None:
    """Raises EmissionError unless ``op_name`` is registered in the current context.

    (Creating an unknown op aborts the process in the asserting MLIR build.)
    """
    if not ir.Context.current.is_registered_operation(op_name):
        for_prim = f" (needed by primitive {primitive_name})" if primitive_name else ""
        raise EmissionError(f"the MLIR op {op_name}{for_prim} is not registered in this "
                            f"context; is the StableHLO dialect built with it?")


def _location(eqn: Equation) -> ir.Location:
    name = eqn.primitive.name
    if eqn.source_info is None:
        return ir.Location.name(name)
    file_loc = ir.Location.file(eqn.source_info.file, eqn.source_info.line, 1)
    return ir.Location.name(name, childLoc=file_loc)


def module_name(function_name: str) -> str:
    return "jit_" + (re.sub(r"[^A-Za-z0-9_]", "_", function_name) or "fn")


class _ModuleMeshes:
    """The meshes a module's shardings refer to (one ``sdy.mesh @mesh`` per program, as
    JAX emits): lowering rules ask :func:`mesh_symbol` while the module is emitted."""

    def __init__(self):
        self.mesh = None

    def symbol(self, mesh) -> str:
        if self.mesh is None:
            self.mesh = mesh
        elif mesh != self.mesh:
            raise EmissionError(f"a program uses one mesh, but its shardings name two: "
                                f"{self.mesh} and {mesh} (use the same Mesh everywhere)")
        return "mesh"


_module_meshes: list[_ModuleMeshes] = []


def mesh_symbol(mesh) -> str:
    """The symbol (``mesh``) of ``mesh``'s ``sdy.mesh`` op in the module being emitted."""
    if not _module_meshes:
        raise EmissionError("a sharding was emitted outside of a module")
    return _module_meshes[-1].symbol(mesh)


def sharding_attr(sharding, ndim: int) -> ir.Attribute:
    """``#sdy.sharding<@mesh, [...]>`` for a NamedSharding on a value of rank ``ndim``."""
    return ir.Attribute.parse(sharding.sdy_text(ndim, mesh_symbol(sharding.mesh)))


def emit_module(graph: Graph, name: str, context: ir.Context, *, in_shardings=None,
                out_shardings=None) -> ir.Module:
    """``graph`` as ``module @jit_<name> { func.func public @main ... }``.

    ``in_shardings``/``out_shardings``: per input/output, a NamedSharding or None; a
    program with shardings (there, or inside: constraints, ``shard_map``) gets JAX's
    form: ``sdy.mesh @mesh``, ``sdy.sharding`` on ``@main``'s arguments and results,
    ``mhlo.num_partitions``/``mhlo.num_replicas`` on the module."""
    meshes = _ModuleMeshes()
    _module_meshes.append(meshes)
    try:
        with context, ir.Location.unknown():
            context.load_all_available_dialects()  # ops can only be created in loaded dialects
            require_op("stablehlo.constant")
            module = ir.Module.create()
            module.operation.attributes["sym_name"] = ir.StringAttr.get(module_name(name))
            in_types = [tensor_type(a) for a in graph.in_avals]
            out_types = [tensor_type(a) for a in graph.out_avals]
            with ir.InsertionPoint(module.body):
                fn = func_d.FuncOp("main", ir.FunctionType.get(in_types, out_types))
                fn.attributes["sym_visibility"] = ir.StringAttr.get("public")
                entry = fn.add_entry_block()
            with ir.InsertionPoint(entry):
                func_d.ReturnOp(emit_graph(graph, list(entry.arguments)))
            _annotate(fn, "arg_attrs", in_shardings, graph.in_avals)
            _annotate(fn, "res_attrs", out_shardings, graph.out_avals)
            if meshes.mesh is not None:
                _add_mesh(module, meshes.mesh)
    finally:
        _module_meshes.pop()
    return module


def _annotate(fn, attr_name: str, shardings, avals) -> None:
    if not shardings or all(s is None for s in shardings):
        return
    dicts = []
    for sharding, aval in zip(shardings, avals):
        entries = {} if sharding is None else {"sdy.sharding": sharding_attr(sharding,
                                                                             len(aval.shape))}
        dicts.append(ir.DictAttr.get(entries))
    fn.attributes[attr_name] = ir.ArrayAttr.get(dicts)


def _add_mesh(module: ir.Module, mesh) -> None:
    """``sdy.mesh @mesh = <[...]>`` first in the module, and the partition count."""
    require_op("sdy.mesh")
    body = module.body
    with ir.InsertionPoint.at_block_begin(body):
        ir.Operation.create("sdy.mesh", attributes={
            "sym_name": ir.StringAttr.get("mesh"),
            "mesh": ir.Attribute.parse(f"#sdy.mesh{mesh.sdy_text()}")})
    i32 = ir.IntegerType.get_signless(32)
    module.operation.attributes["mhlo.num_partitions"] = ir.IntegerAttr.get(i32, mesh.size)
    module.operation.attributes["mhlo.num_replicas"] = ir.IntegerAttr.get(i32, 1)


def emit_graph(graph: Graph, args: list[ir.Value]) -> list[ir.Value]:
    """Emits ``graph``'s constants and equations at the current insertion point.

    ``args`` are the values of its inputs; returns the values of its outputs.
    Control-flow lowering rules use it to fill their regions with sub-graphs.
    """
    env: dict = dict(zip(graph.invars, args))
    for var, value in graph.consts.items():
        env[var] = ir.Operation.create(
            "stablehlo.constant", results=[tensor_type(var.aval)],
            attributes={"value": dense_attr(value, var.aval)}).result
    for eqn in graph.eqns:
        env.update(zip(eqn.outputs, _emit_equation(eqn, [env[v] for v in eqn.inputs])))
    return [env[v] for v in graph.outvars]


def _emit_equation(eqn: Equation, operands: list[ir.Value]) -> list[ir.Value]:
    rule = lowering_rules.get(eqn.primitive)
    where = f" (from {eqn.source_info})" if eqn.source_info else ""
    if rule is None:
        raise EmissionError(f"primitive {eqn.primitive.name} has no StableHLO lowering rule{where}")
    with _location(eqn):
        try:
            outs = rule(LoweringContext(eqn), *operands, **eqn.params)
        except ir.MLIRError as error:
            raise EmissionError(f"emitting {eqn.primitive.name}{where} failed: {error}") from None
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    if len(outs) != len(eqn.outputs):
        raise EmissionError(f"lowering rule of {eqn.primitive.name} returned {len(outs)} "
                            f"values for {len(eqn.outputs)} outputs")
    return outs
