//===- Passes.td - hlox's C++ passes (ODS) ---------------------------------===//
//
// mlir-tblgen -gen-pass-decls turns these into the pass base classes and the
// registration functions (passes/CMakeLists.txt).
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_TD
#define HLOX_PASSES_TD

include "mlir/Pass/PassBase.td"

def StablehloLegalizeToLinalg : Pass<"hlox-stablehlo-legalize-to-linalg"> {
  let summary = "Lower StableHLO to linalg, tensor, arith and math on tensors";
  let description = [{
    Converts every StableHLO op under the anchor to upstream dialects that the
    bufferization and LLVM pipelines understand. One file (populate function)
    per op family, see LegalizeToLinalg.h:

      elementwise ops          -> linalg.generic with an arith/math scalar body
                                  (ElementwiseToLinalg: one table row per op;
                                  ElementwiseSemanticsToLinalg: XLA's semantics
                                  for divide, remainder, power, shifts, compare
                                  (incl. TOTALORDER), select, clamp, convert
                                  (saturating), bitcast_convert, reduce_precision)
      complex numbers          -> linalg.generic with complex dialect bodies
                                  (complex/real/imag, arithmetic, exp/log/...,
                                  abs, compare EQ/NE, convert)
      stablehlo.constant       -> arith.constant
      broadcast_in_dim, reshape, transpose
                               -> linalg.broadcast / generic, tensor reshapes,
                                  linalg.transpose
      dot_general              -> linalg.matmul / batch_matmul / generic
      iota, slice, dynamic_(update_)slice, concatenate, pad, reverse,
      get_dimension_size, optimization_barrier
                               -> linalg / tensor ops (DataMovementToLinalg)
      reduce (several operands), reduce_window, map
                               -> linalg.reduce / generic with the body inlined
      gather, scatter, sort, select_and_scatter
                               -> scf loop nests on tensors, bodies inlined
      convolution              -> linalg.generic (any dimension numbers,
                                  strides, padding, dilations, groups)
      while, if, case          -> scf.while / scf.if / scf.index_switch
      rng_bit_generator        -> linalg.generic, bit-exact with XLA CPU
                                  (THREE_FRY, PHILOX; DEFAULT is PHILOX)
      collectives              -> identities on one device

    Unsigned integers become signless (the unsigned forms of the ops that care
    are used), function signatures and control flow follow. Only statically
    shaped tensors of float, integer and complex<f32/f64> element types are
    handled. An op that has no lowering (a custom_call, whose target hlox
    cannot implement, among them) is reported before converting as an error
    naming the op and the reason, at its location (which names the user's
    Python line when hlox emitted it); the pass then fails, nothing aborts.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::complex::ComplexDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

def LinalgContractionLoopOrder : Pass<"hlox-linalg-contraction-loop-order"> {
  let summary = "Move a contiguous parallel loop innermost in linalg.generic contractions";
  let description = [{
    A contraction lowered to loops in linalg's order (for a matmul: m, n, k)
    runs its reduction innermost, striding through the rhs and the result.
    For every linalg.generic whose innermost loop is a reduction, this pass
    moves the loop that indexes the result's last (contiguous) dimension
    innermost, when that loop also indexes the last dimension of an input:
    a matmul becomes (m, k, n), whose inner loop reads a row of the rhs and
    updates a row of the result, which LLVM vectorizes. Loop order only; the
    computation is unchanged (linalg::interchangeGenericOp).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def WidenSubByteMemrefs : Pass<"hlox-widen-sub-byte-memrefs"> {
  let summary = "Store sub-byte integers as bytes: memref<...xiN> (N < 8) becomes memref<...xi8>";
  let description = [{
    LLVM lowering of memrefs does not support sub-byte element types (it
    asserts on i2), and NumPy stores a bool, and ml_dtypes an int4/uint4/
    int2/uint2, in a byte (the value's low bits, the rest zero). This pass (for
    loops on memrefs, after bufferization and convert-linalg-to-loops) retypes
    every memref of i1/i2/i4 to i8: loads are followed by arith.trunci to the
    narrow type, stores preceded by arith.extui (zero-extended, as ml_dtypes
    stores them), narrow globals get i8 initial values, function signatures
    change with them; other memref ops (alloc, copy, reinterpret_cast, ...)
    only change types.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def Bf16TruncationOnBits : Pass<"hlox-bf16-truncation-on-bits"> {
  let summary = "Round float32 to bfloat16 with integer ops, keeping subnormals";
  let description = [{
    LLVM lowers `fptrunc float to bfloat` (and the float32 arithmetic it
    promotes bfloat16 arithmetic to) with vcvtneps2bf16 on CPUs that have it,
    and that instruction flushes subnormal results to zero, where XLA and the
    spec keep them. This pass rewrites every arith.truncf from f32 to bf16
    (scalar or vector) as round-to-nearest-even on the bits: add 0x7fff plus
    the lowest kept bit, keep the top 16 bits; NaN keeps its sign and top
    payload bits, quieted. Run after arith-emulate-unsupported-floats (which
    turns bfloat16 arithmetic into float32 arithmetic and truncf), before
    convert-arith-to-llvm.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def SpmdPartition : Pass<"hlox-spmd-partition", "mlir::ModuleOp"> {
  let summary = "Partition a fully-annotated sharded program into the per-device program";
  let description = [{
    Input: Shardy's fully-annotated form (every op result in @main, and in
    the regions of while/case/if, carries `sdy.sharding`; @main's arguments
    and results carry `sdy.sharding`; `sdy.sharding_constraint`,
    `sdy.reshard` and `sdy.manual_computation` kept). Output: the program
    every partition runs, on local (per-device) types, with explicit
    `all_reduce`/`all_gather`/`reduce_scatter`/`all_to_all`/
    `collective_permute` (channel handles, partition-id groups) and
    `partition_id`; `sdy.mesh` and @main's argument/result shardings stay,
    every other sdy op and attribute goes; `mhlo.num_partitions` and
    `mhlo.num_replicas` are set. Partition p is the row-major position in
    the mesh.

    Rules (passes/native/spmd/, one file per op family), as XLA's SPMD
    partitioner: elementwise ops, broadcast_in_dim, transpose, reshape (a
    split on a group's major dimension), iota (plus the chunk offset),
    constants (sliced per partition); slice/pad/concatenate/dynamic slices/
    reverse/sort/reduce_window keep splits along the dimensions they leave
    alone; convolution along batch and output features; dot_general (batch,
    free and contracting splits, all_reduce or reduce_scatter); reduce
    (local reduce + all_reduce with the same op; argmax-like reduces
    gather their partials); an embedding gather from a row-split table
    (local gather + all_reduce) and its scatter-add gradient (local);
    while/case/if (regions
    partitioned recursively); sharding constraints and reshards (all_to_all,
    collective_permute, or all_gather + local dynamic_slice). Any other op
    runs replicated (operands gathered, results sliced). A dimension that
    does not divide its axes is padded to a multiple and masked where the
    padding could leak (reductions, contractions); @main's arguments and
    results must divide. What cannot be partitioned is an error naming the
    op.
  }];
}

def SdyPropagate : Pass<"hlox-sdy-propagate", "mlir::ModuleOp"> {
  let summary = "Propagate Shardy shardings to every value (Shardy's fully annotated form)";
  let description = [{
    Input: StableHLO with Shardy annotations as JAX prints them (GSPMD
    strings are first converted by hlox-import-mhlo-sharding). Output, for
    every function with a body: `sdy.sharding` on every argument and result,
    and `sdy.sharding = #sdy.sharding_per_value<[...]>` on every op result,
    inside while/case/if bodies too (not inside sdy.manual_computation bodies,
    whose values are per-device locals, nor in the scalar bodies of
    reduce/sort/...). Written shardings are closed and carry no priority;
    sdy.sharding_constraint and sdy.manual_computation are kept.

    Calls are inlined first (JAX calls private functions for nested jits
    and scan bodies), as XLA does before partitioning: the partitioner sees
    one function; private functions left unused are erased.

    Model (Shardy's): each op has sharding rules that map the dimensions of
    its operands and results to shared factors (SdyPropagation.h; one file
    of rules per op family). Propagation projects the tensors' shardings onto
    the factors, chooses one axis list per factor, and grows every open
    dimension that it extends; it sweeps all rules forward then backward
    until nothing changes (a fixpoint: dimensions only ever gain axes).

    Fixed: a closed dimension (`{"x"}`, `{}`) never changes: explicit
    argument/result shardings, sdy.sharding_constraint results, existing op
    shardings, manual_computation in/out shardings (always fixed), custom
    calls without an sdy.sharding_rule (results replicated). Open
    dimensions (`{"x", ?}`) and unannotated values may gain axes.

    Conflicts (two tensors of one op disagree on a factor): a sharding given
    by the user (annotation or constraint) wins over an inferred one; then
    the one splitting into more shards; then the first in operand order
    (operands before results). A projection that extends the winner replaces
    it. A tensor is split over an axis once: where two of its dimensions'
    factors want the same axis, the factor that ranks first in that same
    order gets it. Priorities:
    dimensions with priority pN take part from round N on (no priority = p0);
    each round runs to its fixpoint before the next adds its dimensions.

    Divisibility: a dimension made of one factor may take axes whose size
    does not divide it (the partitioner pads). Within a split or merged
    dimension (reshape) a factor takes only axes whose product divides it,
    and a minor factor only once the major ones are split exactly; otherwise
    the value stays replicated there.

    Errors (diagnostics, the pass fails): a sharding naming an unknown mesh,
    an axis the mesh lacks, an axis used twice, a rank that differs from the
    value's.
  }];
  let dependentDialects = ["mlir::sdy::SdyDialect"];
}

#endif // HLOX_PASSES_TD
