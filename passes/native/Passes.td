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
    bufferization and LLVM pipelines understand:

      elementwise ops       -> linalg.generic with an arith/math scalar body
                               (one table entry per op)
      stablehlo.constant    -> arith.constant
      stablehlo.convert     -> linalg.generic with arith casts
      broadcast_in_dim      -> linalg.broadcast (or linalg.generic when a size-1
                               dimension expands or dimensions are permuted)
      reshape               -> tensor.collapse_shape / tensor.expand_shape
      transpose             -> linalg.transpose
      dot_general           -> linalg.matmul / linalg.batch_matmul, or a
                               linalg.generic contraction otherwise

    Only statically shaped tensors of float and signless integer element types
    are handled. An op that has no lowering is reported as an error naming the
    op (at its location, which names the user's Python line when hlox emitted
    it); the pass then fails, nothing aborts.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
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

def WidenI1Memrefs : Pass<"hlox-widen-i1-memrefs"> {
  let summary = "Store booleans as bytes: memref<...xi1> becomes memref<...xi8>";
  let description = [{
    LLVM lowering of memrefs does not support sub-byte element types, and
    NumPy stores a bool in a byte. This pass (for loops on memrefs, after
    bufferization and convert-linalg-to-loops) retypes every i1 memref to i8:
    loads are followed by arith.trunci to i1, stores preceded by arith.extui,
    i1 globals get i8 initial values (0/1), function signatures change with
    them; other memref ops (alloc, copy, reinterpret_cast, ...) only change
    types.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

#endif // HLOX_PASSES_TD
