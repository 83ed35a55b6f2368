//===- SdyPropagateState.h - sdy attributes <-> tensor states ---*- C++ -*-===//
#ifndef HLOX_PASSES_NATIVE_SDYPROPAGATESTATE_H
#define HLOX_PASSES_NATIVE_SDYPROPAGATESTATE_H

#include "passes/native/SdyPropagation.h"

namespace hlox::sdy_propagation {

/// A sharding given in the input, checked against its mesh.
struct Annotation {
  sdy::TensorShardingAttr attr;
  mlir::Attribute meshRef;
  llvm::SmallVector<DimState, 4> dims;
  llvm::SmallVector<int64_t, 4> priorities; // per dimension; none = 0 (first)
  AxisList reserved;                         // replicated and unreduced axes
};

/// Reads `attr` (the sharding of a value of `type`): its mesh must resolve
/// from `scope`, its axes be the mesh's, each used once, its rank the value's.
/// Errors go to `emitError`.
mlir::FailureOr<Annotation> readAnnotation(sdy::TensorShardingAttr attr, mlir::Type type,
                                           Operation *scope,
                                           llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// Sets the dimensions of `tensor` whose priority is `round` from `annotation`
/// (after round 0: only where they extend what earlier rounds propagated).
void applyAnnotation(const Annotation &annotation, int64_t round, TensorState &tensor);

/// The final (closed) sharding of `tensor`, keeping the `replicated`/
/// `unreduced` axes of the original annotation if there was one.
sdy::TensorShardingAttr writeSharding(mlir::MLIRContext *ctx, mlir::Attribute meshRef,
                                      const TensorState &tensor, const Annotation *original);

} // namespace hlox::sdy_propagation

#endif
