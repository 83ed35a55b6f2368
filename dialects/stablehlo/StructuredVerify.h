//===- StructuredVerify.h - checks shared by the structured ops -*- C++ -*-===//
//
// Internal to the hand-written .cpp files of StructuredOps, RegionOps and
// CollectiveOps. Every check reports through `emitOptionalError(loc, ...)`
// (no location: silent failure, as shape inference wants) and returns
// failure; nothing asserts on bad IR.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_DIALECTS_STABLEHLO_STRUCTUREDVERIFY_H
#define HLOX_DIALECTS_STABLEHLO_STRUCTUREDVERIFY_H

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/IR/Diagnostics.h"

namespace mlir::stablehlo::detail {

// Two dimension sizes agree unless both are static and differ.
inline bool compatibleDims(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

// `name` dims all in [0, rank).
LogicalResult checkDimsInRange(std::optional<Location> loc, StringRef name,
                               ArrayRef<int64_t> dims, int64_t rank);

// No value repeated in `dims` (`name` describes them).
LogicalResult checkUnique(std::optional<Location> loc, StringRef name,
                          ArrayRef<int64_t> dims);

// Sorted ascending, no repeats.
LogicalResult checkSortedUnique(std::optional<Location> loc, StringRef name,
                                ArrayRef<int64_t> dims);

// Every dimension of `shape` compatible with `expected`, same rank. `what`
// names the checked value ("result").
LogicalResult checkCompatibleShape(Location loc, StringRef what,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<int64_t> expected);

// A list as text: [1, 2].
std::string listString(ArrayRef<int64_t> values);

// A shape as text: 2x?x3.
std::string shapeString(ArrayRef<int64_t> shape);

// `region` has one block whose terminator is stablehlo.return; its argument
// types must be `argTypes` and its returned types `resultTypes` (a null
// entry in either matches any type). `what` names the region ("body").
LogicalResult checkRegion(Operation *op, Region &region, StringRef what,
                          ArrayRef<Type> argTypes, ArrayRef<Type> resultTypes);

// The 0-d tensor of `type`'s element type.
RankedTensorType scalarOf(Type type);

// A reducer body (reduce, reduce_window, all_reduce, reduce_scatter, scatter,
// select_and_scatter's scatter): N inputs' element types `elementTypes`
// (from the inits or inputs), body takes 2N 0-d tensors (acc..., value...)
// and returns N 0-d tensors whose element types equal the accumulators'.
// Returns the N accumulator types in `accTypes` if given.
LogicalResult checkReducerBody(Operation *op, Region &region, StringRef what,
                               TypeRange accumulatorTypes,
                               TypeRange inputElementTypes);

// replica_groups: a 2-d i64 tensor holding distinct non-negative ids, plus
// -1 padding where `allowPadding` (all_reduce); if `dense`, the ids are
// exactly 0..n-1.
LogicalResult checkReplicaGroups(Operation *op, DenseIntElementsAttr groups,
                                 bool allowEmpty, bool allowPadding,
                                 bool dense = true);

// A window of `rank` dimensions (reduce_window, select_and_scatter).
LogicalResult checkWindow(Operation *op, int64_t rank,
                          ArrayRef<int64_t> dimensions,
                          std::optional<ArrayRef<int64_t>> strides,
                          std::optional<ArrayRef<int64_t>> baseDilations,
                          std::optional<ArrayRef<int64_t>> windowDilations,
                          DenseIntElementsAttr padding);

} // namespace mlir::stablehlo::detail

#endif // HLOX_DIALECTS_STABLEHLO_STRUCTUREDVERIFY_H
