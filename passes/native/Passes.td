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
