//===- LegalizeToLinalg.h - StableHLO -> linalg pattern families -*- C++ -*-===//
//
// The pass (StablehloLegalizeToLinalg.cpp) collects its patterns from one
// populate function per family; each family is its own translation unit.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_LEGALIZETOLINALG_H
#define HLOX_PASSES_NATIVE_LEGALIZETOLINALG_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace hlox::linalg_lowering {

/// Elementwise ops (table-driven: op -> scalar body) and stablehlo.convert.
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
/// stablehlo.constant -> arith.constant.
void populateConstantPatterns(mlir::RewritePatternSet &patterns);
/// broadcast_in_dim, reshape, transpose.
void populateShapePatterns(mlir::RewritePatternSet &patterns);
/// dot_general.
void populateDotGeneralPatterns(mlir::RewritePatternSet &patterns);

/// `x` (a scalar of float, signless integer or i1 type) converted to `to`,
/// with stablehlo.convert's semantics (i1 is 0/1; to i1 means != 0).
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Type to,
                          mlir::Value x);

/// `tensor.empty` of `type`'s (static) shape and element type.
mlir::Value emptyLike(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::RankedTensorType type);

/// The parallel iterator types of a `rank`-dimensional elementwise loop nest.
llvm::SmallVector<mlir::utils::IteratorType>
parallelIterators(int64_t rank);

} // namespace hlox::linalg_lowering

#endif
