"""hlox-cpu-collectives-to-runtime (Python pass): a per-device program's collectives
as calls into libhlox_cpu_runtime.so.

For a module of N > 1 partitions (``mhlo.num_partitions``; one replica), every
``stablehlo.all_reduce``/``all_gather``/``reduce_scatter``/``all_to_all``/
``collective_permute`` becomes a call of a private helper function that takes
and returns tensors: inside, the operand's buffer (``bufferization.to_buffer``)
and a new result buffer go to the runtime's ``hlox_rt_*`` function as raw
pointers (``memref.extract_aligned_pointer_as_index``), with the op's process
groups (as the StableHLO spec defines them, partition ids) in a constant
``memref.global``; ``stablehlo.partition_id`` becomes ``hlox_rt_partition_id()`` (on one device too:
0 outside a sharded launch).
Unsigned and bool elements travel as signless integers and bytes. One-device
modules are left to ``hlox-stablehlo-legalize-to-linalg`` (collectives there are
identities). A collective of several operands becomes one call per operand. An
all_reduce whose body the runtime does not compute (other than one
add/multiply/maximum/minimum/and/or/xor of its arguments on a type of
:data:`hlox.backends.cpu.native_runtime.DTYPES`) gathers the group's operands and
folds them in generated code, left in the group's order (``stablehlo.map`` of the
body); collective_broadcast is a collective_permute from each group's first
partition. What cannot run (replica_id, replicas, reduce_scatter with such a body)
is refused, naming the op.
"""

from __future__ import annotations

import numpy as np
from mlir import ir

from hlox.backends.cpu import native_runtime
from hlox.backends.interpreter.attributes import dense_to_numpy, dtype_of, struct
from hlox.passes.python_passes import register

_BODIES = {"stablehlo.add": "add", "stablehlo.multiply": "multiply",
           "stablehlo.maximum": "maximum", "stablehlo.minimum": "minimum",
           "stablehlo.and": "and", "stablehlo.or": "or", "stablehlo.xor": "xor"}

_DECLARATIONS = {
    "hlox_rt_partition_id": "() -> i32",
    "hlox_rt_all_reduce": "(i64, i32, i32, index, index, i64, index, i64, i64) -> i32",
    "hlox_rt_all_gather": "(i64, index, index, i64, i64, index, i64, i64) -> i32",
    "hlox_rt_reduce_scatter": "(i64, i32, i32, index, index, i64, i64, index, i64, i64) -> i32",
    "hlox_rt_all_to_all": "(i64, index, index, i64, index, i64, i64, i64, index, i64, i64) -> i32",
    "hlox_rt_collective_permute": "(i64, index, index, i64, index, i64) -> i32",
}


class Refused(Exception):
    """The op cannot run through the runtime (the message says why)."""


def _module_int(module: ir.Operation, name: str) -> int:
    return ir.IntegerAttr(module.attributes[name]).value if name in module.attributes else 1


def _channel(op) -> int:
    if "channel_handle" not in op.attributes:
        return 0
    return int(struct(op.attributes["channel_handle"]).get("handle", 0))


def _groups(op, n: int, partition_kind: bool) -> list[list[int]]:
    """The op's process groups as partition ids (the spec's strategies, one replica)."""
    raw = dense_to_numpy(op.attributes["replica_groups"]) if "replica_groups" in op.attributes \
        else np.zeros((0, 0), np.int64)
    rows = [[int(i) for i in row if i >= 0] for row in raw.reshape(raw.shape[0], -1)] \
        if raw.size else []
    channel = _channel(op)
    if partition_kind:  # all_to_all: cross_partition with a channel, else cross_replica
        mode = "partition" if channel > 0 else "replica"
    elif channel > 0:
        mode = "partition" if "use_global_device_ids" in op.attributes else "all_partitions"
    else:
        mode = "replica"
    if mode == "partition":  # ids are partition ids (flattened ids, one replica)
        groups = rows or [list(range(n))]
        ids = [i for g in groups for i in g]
        if any(i >= n for i in ids) or sorted(ids) != list(range(n)):
            raise Refused(f"replica_groups {rows} must name each of the {n} partitions once")
        return groups
    # Replica ids: with one replica only [[0]] (or none) is valid.
    if rows and rows != [[0]]:
        raise Refused(f"replica_groups {rows} name replicas, but the program has one replica")
    return [list(range(n))] if mode == "all_partitions" else [[p] for p in range(n)]


def _tensor(value) -> ir.RankedTensorType:
    return ir.RankedTensorType(value.type)


def _signless(element: str) -> str:
    """How an element travels: bool as a byte, unsigned as signless."""
    if element == "i1":
        return "i8"
    return element[1:] if element.startswith("ui") else element


def _ttype(shape, element: str) -> str:
    return f"tensor<{''.join(f'{d}x' for d in shape)}{element}>"


def _mtype(shape, element: str) -> str:
    return f"memref<{''.join(f'{d}x' for d in shape)}{element}>"


class _Builder:
    """Accumulates helper functions and globals (text) for one module."""

    def __init__(self):
        self.text: list[str] = []
        self.count = 0
        self.tables = 0

    def table(self, rows) -> str:
        self.tables += 1
        name = f"__hlox_rt_table_{self.tables}"
        array = np.asarray(rows, np.int64).reshape(len(rows), -1)
        shape = "x".join(map(str, array.shape))
        self.text.append(f'memref.global "private" constant @{name} : memref<{shape}xi64> = '
                         f"dense<{array.tolist()}>")
        return name, f"memref<{shape}xi64>", array.shape

    def helper(self, kind: str, in_shape, out_shape, element: str, call: str,
               needs_table=None) -> str:
        """A helper function ``(tensor<in_shape x element>) -> tensor<out_shape x element>``
        around one runtime call. ``call`` uses %send, %recv (pointers), %table
        (pointer) and %op_id."""
        self.count += 1
        name = f"__hlox_rt_{kind}_{self.count}"
        wire = _signless(element)
        lines = [f"func.func private @{name}(%x: {_ttype(in_shape, element)}) -> "
                 f"{_ttype(out_shape, element)} {{"]
        x = "%x"
        if wire != element:
            conv = "stablehlo.convert" if element == "i1" else "stablehlo.bitcast_convert"
            lines.append(f"  %xw = {conv} %x : ({_ttype(in_shape, element)}) -> "
                         f"{_ttype(in_shape, wire)}")
            x = "%xw"
        lines += [
            f"  %in = bufferization.to_buffer {x} read_only : {_ttype(in_shape, wire)} to "
            f"{_mtype(in_shape, wire)}",
            f"  %out = memref.alloc() {{alignment = 64 : i64}} : {_mtype(out_shape, wire)}",
            f"  %send = memref.extract_aligned_pointer_as_index %in : {_mtype(in_shape, wire)} -> index",
            f"  %recv = memref.extract_aligned_pointer_as_index %out : {_mtype(out_shape, wire)} -> index",
            f"  %op_id = arith.constant {self.count} : i64",
        ]
        if needs_table is not None:
            table, table_type, _ = needs_table
            lines += [f"  %t = memref.get_global @{table} : {table_type}",
                      f"  %table = memref.extract_aligned_pointer_as_index %t : {table_type} -> index"]
        lines += [call,
                  f"  %r = bufferization.to_tensor %out restrict writable : "
                  f"{_mtype(out_shape, wire)} to {_ttype(out_shape, wire)}"]
        r = "%r"
        if wire != element:
            if element == "i1":
                lines += [f"  %zero = stablehlo.constant dense<0> : {_ttype(out_shape, wire)}",
                          f"  %rb = stablehlo.compare NE, %r, %zero : ({_ttype(out_shape, wire)}, "
                          f"{_ttype(out_shape, wire)}) -> {_ttype(out_shape, element)}"]
            else:
                lines.append(f"  %rb = stablehlo.bitcast_convert %r : ({_ttype(out_shape, wire)}) "
                             f"-> {_ttype(out_shape, element)}")
            r = "%rb"
        lines += [f"  return {r} : {_ttype(out_shape, element)}", "}"]
        self.text.append("\n".join(lines))
        return name


def _constants(**values) -> str:
    return "\n".join(f"  %{k} = arith.constant {v} : {'i32' if k in ('dtype', 'kind') else 'i64'}"
                     for k, v in values.items())


def _reduction(op, element: str) -> tuple[int, int] | None:
    """(hlox_rt_dtype, hlox_rt_reduction) of a reducing op's body, or None when the
    runtime does not compute it (then the body runs in generated code)."""
    block = op.regions[0].blocks[0]
    body = [o.operation for o in block.operations]
    args = list(block.arguments)
    if len(body) != 2 or body[0].name not in _BODIES or \
            sorted(map(_arg_index(args), body[0].operands)) != [0, 1] or \
            body[1].operands[0] != body[0].results[0]:
        return None
    dtype = np.dtype(dtype_of(element))
    code = native_runtime.DTYPES.get(dtype)
    kind = _BODIES[body[0].name]
    if code is None or (dtype.kind == "c" and kind not in ("add", "multiply")):
        return None
    return code, native_runtime.REDUCTIONS[kind]


def _arg_index(args):
    def index(value):
        for i, a in enumerate(args):
            if a == value:
                return i
        return -1
    return index


def _width(element: str) -> int:
    try:
        return np.dtype(dtype_of(_signless(element))).itemsize
    except NotImplementedError:
        raise Refused(f"element type {element} cannot travel between partitions yet") from None


def _region_text(op) -> str:
    """The op's (first) region, as generic-form text."""
    text = op.get_asm(print_generic_op_form=True)
    start = text.index("({")
    end = text.rindex("})") + 2
    return text[start:end]


def _gather(builder, operand_shape, element, rows, dim: int = 0, stacked: bool = False) -> str:
    """all_gather along ``dim`` (``stacked``: along a new leading dimension)."""
    shape = list(operand_shape)
    k = len(rows[0])
    out = [k] + shape if stacked else shape[:dim] + [shape[dim] * k] + shape[dim + 1:]
    outer = 1 if stacked else int(np.prod(shape[:dim], dtype=np.int64))
    chunk = int(np.prod(shape if stacked else shape[dim:], dtype=np.int64)) * _width(element)
    groups = builder.table(rows)
    _, _, (ng, gs) = groups
    call = (_constants(outer=outer, chunk=chunk, ng=ng, gs=gs) +
            "\n  %s = func.call @hlox_rt_all_gather(%op_id, %send, %recv, %outer, %chunk, "
            "%table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_all_gather"])
    return builder.helper("all_gather", shape, out, element, call, groups)


def _fold_in_code(builder, op, shape, element, rows) -> str:
    """all_reduce with a body the runtime does not compute: gather the group's
    operands, then fold them left in the group's order with the body (stablehlo.map)."""
    gather = _gather(builder, shape, element, rows, stacked=True)
    k = len(rows[0])
    t = _ttype(shape, element)
    builder.count += 1
    name = f"__hlox_rt_all_reduce_fold_{builder.count}"
    region = _region_text(op)
    dims = ", ".join(map(str, range(len(shape))))
    lines = [f"func.func private @{name}(%hlox_x: {t}) -> {t} {{",
             f"  %hlox_g = func.call @{gather}(%hlox_x) : ({t}) -> {_ttype([k] + list(shape), element)}"]
    acc = None
    for j in range(k):
        start = ", ".join(["%d" % j] + ["0"] * len(shape))
        limit = ", ".join(["%d" % (j + 1)] + [str(d) for d in shape])
        strides = ", ".join(["1"] * (len(shape) + 1))
        lines += [f'  %hlox_s{j} = "stablehlo.slice"(%hlox_g) <{{start_indices = array<i64: {start}>, '
                  f"limit_indices = array<i64: {limit}>, strides = array<i64: {strides}>}}> : "
                  f"({_ttype([k] + list(shape), element)}) -> {_ttype([1] + list(shape), element)}",
                  f"  %hlox_v{j} = stablehlo.reshape %hlox_s{j} : ({_ttype([1] + list(shape), element)}) -> {t}"]
        if acc is None:
            acc = f"%hlox_v{j}"
            continue
        lines.append(f'  %hlox_a{j} = "stablehlo.map"({acc}, %hlox_v{j}) <{{dimensions = array<i64: {dims}>}}> '
                     f"{region} : ({t}, {t}) -> {t}")
        acc = f"%hlox_a{j}"
    lines += [f"  return {acc} : {t}", "}"]
    builder.text.append("\n".join(lines))
    return name


def _lower(op, n: int, builder: _Builder) -> list[str] | None:
    """One helper per result of ``op`` (operand i -> result i; None: not a collective)."""
    name = op.name
    shapes = [list(_tensor(v).shape) for v in op.operands]
    elements = [str(_tensor(v).element_type) for v in op.operands]
    if name == "stablehlo.all_reduce":
        rows = _groups(op, n, False)
        helpers = []
        for shape, element in zip(shapes, elements):
            reduction = _reduction(op, element)
            if reduction is None:
                helpers.append(_fold_in_code(builder, op, shape, element, rows))
                continue
            dtype, kind = reduction
            count = int(np.prod(shape, dtype=np.int64))
            groups = builder.table(rows)
            _, _, (ng, gs) = groups
            call = (_constants(dtype=dtype, kind=kind, count=count, ng=ng, gs=gs) +
                    "\n  %s = func.call @hlox_rt_all_reduce(%op_id, %dtype, %kind, %send, %recv, "
                    "%count, %table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_all_reduce"])
            helpers.append(builder.helper("all_reduce", shape, shape, element, call, groups))
        return helpers
    if name == "stablehlo.reduce_scatter":
        shape, element = shapes[0], elements[0]
        reduction = _reduction(op, element)
        if reduction is None:
            raise Refused("its body is not one add/multiply/maximum/minimum/and/or/xor of its "
                          f"two arguments on a type the runtime reduces ({element})")
        dtype, kind = reduction
        dim = ir.IntegerAttr(op.attributes["scatter_dimension"]).value
        rows = _groups(op, n, False)
        k = len(rows[0])
        outer = int(np.prod(shape[:dim], dtype=np.int64))
        inner = int(np.prod(shape[dim + 1:], dtype=np.int64)) * (shape[dim] // k)
        out = list(shape)
        out[dim] //= k
        groups = builder.table(rows)
        _, _, (ng, gs) = groups
        call = (_constants(dtype=dtype, kind=kind, outer=outer, inner=inner, ng=ng, gs=gs) +
                "\n  %s = func.call @hlox_rt_reduce_scatter(%op_id, %dtype, %kind, %send, %recv, "
                "%outer, %inner, %table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_reduce_scatter"])
        return [builder.helper("reduce_scatter", shape, out, element, call, groups)]
    if name == "stablehlo.all_gather":
        dim = ir.IntegerAttr(op.attributes["all_gather_dim"]).value
        rows = _groups(op, n, False)
        return [_gather(builder, shape, element, rows, dim) for shape, element in zip(shapes, elements)]
    if name == "stablehlo.all_to_all":
        split = ir.IntegerAttr(op.attributes["split_dimension"]).value
        concat = ir.IntegerAttr(op.attributes["concat_dimension"]).value
        rows = _groups(op, n, True)
        k = len(rows[0])
        helpers = []
        for shape, element in zip(shapes, elements):
            out = list(shape)
            out[split] //= k
            out[concat] *= k
            shape_name, shape_type, _ = builder.table([list(shape)])
            table = builder.table(rows)
            _, _, (ng, gs) = table
            call = (_constants(rank=len(shape), split=split, concat=concat,
                               width=_width(element), ng=ng, gs=gs) +
                    f"\n  %st = memref.get_global @{shape_name} : {shape_type}"
                    f"\n  %shape = memref.extract_aligned_pointer_as_index %st : {shape_type} -> index"
                    "\n  %s = func.call @hlox_rt_all_to_all(%op_id, %send, %recv, %rank, %shape, "
                    "%split, %concat, %width, %table, %ng, %gs) : " + _DECLARATIONS["hlox_rt_all_to_all"])
            helpers.append(builder.helper("all_to_all", shape, out, element, call, table))
        return helpers
    if name in ("stablehlo.collective_permute", "stablehlo.collective_broadcast"):
        shape, element = shapes[0], elements[0]
        if name == "stablehlo.collective_broadcast":
            # Each group's first partition sends to every member (itself included).
            pairs = [[g[0], p] for g in _groups(op, n, True) for p in g]
        else:
            raw = dense_to_numpy(op.attributes["source_target_pairs"]).reshape(-1, 2).tolist()
            if _channel(op) > 0:
                pairs = raw
            elif all(src == dst == 0 for src, dst in raw):  # cross_replica, one replica
                pairs = [[p, p] for p in range(n)] if raw else []
            else:
                raise Refused(f"source_target_pairs {raw} name replicas, but the program has one")
            if any(not (0 <= i < n) for pair in pairs for i in pair):
                raise Refused(f"source_target_pairs {raw} name a partition outside 0..{n - 1}")
        size = int(np.prod(shape, dtype=np.int64)) * _width(element)
        table = builder.table(pairs or [[-1, -1]])
        call = (_constants(bytes=size, np=len(pairs)) +
                "\n  %s = func.call @hlox_rt_collective_permute(%op_id, %send, %recv, %bytes, "
                "%table, %np) : " + _DECLARATIONS["hlox_rt_collective_permute"])
        return [builder.helper("collective_permute", shape, shape, element, call, table)]
    if name == "stablehlo.replica_id":
        raise Refused("replica_id: the cpu backend runs partitions of one replica")
    return None


def _partition_id(builder: _Builder) -> str:
    builder.count += 1
    name = f"__hlox_rt_partition_id_{builder.count}"
    builder.text.append(
        f"func.func private @{name}() -> tensor<ui32> {{\n"
        f"  %p = func.call @hlox_rt_partition_id() : () -> i32\n"
        f"  %t = tensor.from_elements %p : tensor<i32>\n"
        f"  %u = stablehlo.bitcast_convert %t : (tensor<i32>) -> tensor<ui32>\n"
        f"  return %u : tensor<ui32>\n}}")
    return name


@register("hlox-cpu-collectives-to-runtime",
          "collectives and partition_id of an N-partition module as calls into "
          "libhlox_cpu_runtime.so")
def collectives_to_runtime(module: ir.Operation, pass_) -> None:
    n = _module_int(module, "mhlo.num_partitions")
    replicas = _module_int(module, "mhlo.num_replicas")
    if replicas != 1 and n * replicas > 1:
        module.location.emit_error(f"hlox-cpu-collectives-to-runtime: the cpu backend runs "
                                   f"partitions, not replicas (mhlo.num_replicas = {replicas})")
        pass_.signal_pass_failure()
        return
    builder = _Builder()
    targets = []

    def collect(op):
        name = op.operation.name
        if name.startswith("stablehlo.") and (name in ("stablehlo.partition_id",) or any(
                name.endswith(k) for k in ("all_reduce", "all_gather", "reduce_scatter",
                                           "all_to_all", "collective_permute",
                                           "collective_broadcast", "replica_id"))):
            targets.append(op.operation)
        return ir.WalkResult.ADVANCE

    module.walk(collect)
    if n * replicas == 1:  # one device: only partition_id (0); collectives are identities
        targets = [op for op in targets if op.name == "stablehlo.partition_id"]
    if not targets:
        return
    replacements = []
    for op in targets:
        try:
            helpers = [_partition_id(builder)] if op.name == "stablehlo.partition_id" \
                else _lower(op, n, builder)
        except Refused as why:
            op.location.emit_error(f"hlox-cpu-collectives-to-runtime: '{op.name}' on {n} "
                                   f"partitions: {why}")
            pass_.signal_pass_failure()
            return
        replacements.append((op, helpers))
    declarations = [f"func.func private @{name}{signature}"
                    for name, signature in _DECLARATIONS.items()]
    parsed = ir.Module.parse("\n".join(declarations + builder.text), module.context)
    body = module.regions[0].blocks[0]
    existing = {ir.StringAttr(o.attributes["sym_name"]).value
                for o in body.operations if "sym_name" in o.attributes}
    for new in list(parsed.body.operations):
        if ir.StringAttr(new.attributes["sym_name"]).value in existing:
            continue
        new.operation.detach_from_parent()
        body.append(new.operation)
    for op, helpers in replacements:
        operands = list(op.operands) or [None]
        for helper, operand, old in zip(helpers, operands, op.results):
            with ir.InsertionPoint(op), op.location:
                call = ir.Operation.create(
                    "func.call", results=[old.type], operands=[operand] if operand else [],
                    attributes={"callee": ir.FlatSymbolRefAttr.get(helper)})
            old.replace_all_uses_with(call.results[0])
        op.erase()
