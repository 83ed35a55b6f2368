//===- StructuredLowering.h - helpers of the region/structured families -*- C++ -*-===//
//
// Shared by the families that lower ops with StableHLO bodies (reduce,
// reduce_window, map, sort, scatter, select_and_scatter): a body on 0-d
// tensors is inlined as scalar arith ops, and padding with a value.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_STRUCTUREDLOWERING_H
#define HLOX_PASSES_NATIVE_STRUCTUREDLOWERING_H

#include "passes/native/LegalizeToLinalg.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace hlox::linalg_lowering {

/// Inlines the single block of `region` (a StableHLO body whose arguments
/// and values are 0-d tensors, ending in stablehlo.return) at `b`'s insertion
/// point as scalar arith/math ops, with `args` (signless scalars) for the
/// block arguments. Returns the scalars the body returns, or failure after
/// reporting the first op it cannot scalarize (an error at that op). With
/// `computeIn` (float32), float results are computed in that type instead of
/// the body's own (bfloat16/float16 reductions accumulating in float32; the
/// caller passes `args` of that type).
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
scalarizeRegion(mlir::OpBuilder &b, mlir::Location loc, mlir::Region &region,
                mlir::ValueRange args, mlir::Type computeIn = {});

/// Whether `op`'s bodies are inlined as scalar code by its pattern (reduce,
/// reduce_window, map, sort, scatter, select_and_scatter): the ops inside
/// them need no pattern of their own.
bool hasScalarizedBody(mlir::Operation *op);

/// `input` padded with the scalar `value`: `low`/`high` edge padding (may
/// be negative: cropping) and `interior` padding (dilation), as
/// stablehlo.pad defines it.
mlir::Value padWithScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                          mlir::Value value, llvm::ArrayRef<int64_t> low,
                          llvm::ArrayRef<int64_t> high,
                          llvm::ArrayRef<int64_t> interior);

/// The element of a 0-d tensor.
mlir::Value extractScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor);

/// An `index` constant.
mlir::Value indexConstant(mlir::OpBuilder &b, mlir::Location loc, int64_t value);

/// A nest of scf.for loops over `shape` (row-major), carrying `iterArgs`;
/// `body(b, loc, ivs, iterArgs)` returns the next iteration's values.
/// Returns the final values.
llvm::SmallVector<mlir::Value> buildLoopNest(
    mlir::OpBuilder &b, mlir::Location loc, llvm::ArrayRef<int64_t> shape,
    mlir::ValueRange iterArgs,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::OpBuilder &, mlir::Location,
                                                      mlir::ValueRange, mlir::ValueRange)>
        body);

/// `all && lo <= index < end` for an `index` value (bounds checks of
/// windows and scatter updates).
mlir::Value andInRange(mlir::OpBuilder &b, mlir::Location loc, mlir::Value all,
                       mlir::Value index, int64_t lo, int64_t end);

/// The read-modify-write of scatter-like updates: every accumulator tensor
/// `acc[k]` with its element at `at` replaced by the k-th result of `body`
/// applied to (acc[0][at], ..., acc[n-1][at], values...). Failure if `body`
/// cannot be scalarized (reported at the op).
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
combineAt(mlir::OpBuilder &b, mlir::Location loc, mlir::Region &body, mlir::ValueRange acc,
          mlir::ValueRange at, mlir::ValueRange values);

/// An scf.if on `cond` that yields `then`'s values (the next values of
/// `carried`) when `cond` holds, and `carried` unchanged otherwise. When
/// `then` fails (it has reported why), `carried` is yielded and `ok` is set
/// to false. Returns the if's results.
llvm::SmallVector<mlir::Value> updateIf(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value cond, mlir::ValueRange carried,
    llvm::function_ref<mlir::FailureOr<llvm::SmallVector<mlir::Value>>(mlir::OpBuilder &,
                                                                     mlir::Location)>
        then,
    bool &ok);

} // namespace hlox::linalg_lowering

#endif
