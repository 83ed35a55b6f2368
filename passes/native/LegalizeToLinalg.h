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

/// StableHLO's unsigned integers become signless ones (arith and linalg only
/// know signless integers); the ops that care use their unsigned forms.
/// Everything else is unchanged.
class SignlessTypeConverter : public mlir::TypeConverter {
public:
  SignlessTypeConverter();
};

/// Whether `type` (a tensor or a scalar) has an unsigned integer element type.
bool isUnsigned(mlir::Type type);

/// Elementwise ops (table-driven: op -> scalar body) and stablehlo.convert.
void populateElementwisePatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
/// stablehlo.constant -> arith.constant.
void populateConstantPatterns(const mlir::TypeConverter &converter,
                              mlir::RewritePatternSet &patterns);
/// broadcast_in_dim, reshape, transpose.
void populateShapePatterns(const mlir::TypeConverter &converter,
                           mlir::RewritePatternSet &patterns);
/// dot_general.
void populateDotGeneralPatterns(const mlir::TypeConverter &converter,
                                mlir::RewritePatternSet &patterns);
/// The other elementwise ops, compare/select/clamp, convert (saturating),
/// bitcast_convert, reduce_precision (ElementwiseSemanticsToLinalg.cpp).
void populateElementwiseSemanticsPatterns(const mlir::TypeConverter &converter,
                                          mlir::RewritePatternSet &patterns);
/// iota, broadcast, slice, dynamic_(update_)slice, concatenate, pad, reverse,
/// get_dimension_size, optimization_barrier (DataMovementToLinalg.cpp).
void populateDataMovementPatterns(const mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
/// reduce, reduce_window, map (ReduceToLinalg.cpp).
void populateReducePatterns(const mlir::TypeConverter &converter,
                            mlir::RewritePatternSet &patterns);
/// gather, scatter (GatherScatterToLinalg.cpp).
void populateGatherScatterPatterns(const mlir::TypeConverter &converter,
                                   mlir::RewritePatternSet &patterns);
/// sort (SortToScf.cpp).
void populateSortPatterns(const mlir::TypeConverter &converter,
                          mlir::RewritePatternSet &patterns);
/// convolution (ConvolutionToLinalg.cpp).
void populateConvolutionPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);
/// select_and_scatter (SelectAndScatterToScf.cpp).
void populateSelectAndScatterPatterns(const mlir::TypeConverter &converter,
                                      mlir::RewritePatternSet &patterns);
/// Collectives on one device (CollectivesSingleDevice.cpp).
void populateCollectivePatterns(const mlir::TypeConverter &converter,
                                mlir::RewritePatternSet &patterns);
/// rng_bit_generator, bit-exact with XLA CPU (RngBitGeneratorToLinalg.cpp).
void populateRngPatterns(const mlir::TypeConverter &converter,
                         mlir::RewritePatternSet &patterns);
/// Elementwise ops on complex numbers -> complex dialect bodies
/// (ComplexToLinalg.cpp).
void populateComplexPatterns(const mlir::TypeConverter &converter,
                             mlir::RewritePatternSet &patterns);
/// Whether `op` lowers correctly when its operands or results are complex
/// (a complex pattern, or a lowering that ignores element types).
bool acceptsComplex(mlir::Operation *op);
/// Zero of `type`: a complex.constant for complex types, else an
/// arith.constant.
mlir::Value zeroScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type);
/// The complex scalar of a reducer's or update computation's `op` (add,
/// subtract, multiply, divide, negate, a splat constant, compare EQ/NE, real,
/// imag) from scalar operands `args`, or null if `op` is not one of those.
mlir::Value scalarizeComplex(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                             mlir::ArrayRef<mlir::Value> args);
/// fft: direct DFTs per axis (FftToLinalg.cpp).
void populateFftPatterns(const mlir::TypeConverter &converter,
                         mlir::RewritePatternSet &patterns);
/// while, if, case -> scf (ControlFlowToScf.cpp).
void populateControlFlowPatterns(const mlir::TypeConverter &converter,
                                 mlir::RewritePatternSet &patterns);

/// `x` (a scalar of float, signless integer or i1 type) converted to `to`,
/// with stablehlo.convert's semantics as XLA implements them: i1 is 0/1, to
/// i1 means != 0, float -> int saturates with NaN -> 0 (the one
/// implementation, in ElementwiseSemanticsToLinalg.cpp).
/// `fromUnsigned`/`toUnsigned`: the integers' StableHLO signedness.
/// The scalar result of elementwise StableHLO op `op` (rank-0 operands and
/// result, signless `resultType`) on scalar `args`, from the same table as the
/// elementwise patterns (ElementwiseToLinalg, ElementwiseSemanticsToLinalg);
/// null if `op` is not elementwise.
/// Visitors of an elementwise file's op table (`visitor.add<Op>(builder)` per
/// op): registers a pattern per op, or finds the builder of one op.
template <template <typename> class Pattern, typename Builder>
struct AddPatternsVisitor {
  const mlir::TypeConverter &converter;
  mlir::RewritePatternSet &patterns;
  template <typename OpTy>
  void add(Builder build) {
    patterns.add<Pattern<OpTy>>(converter, patterns.getContext(), build);
  }
};

template <typename Builder>
struct FindBuilderVisitor {
  mlir::Operation *op;
  Builder found = nullptr;
  template <typename OpTy>
  void add(Builder build) {
    if (!found && mlir::isa<OpTy>(op))
      found = build;
  }
};

mlir::Value scalarizeElementwiseOp(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *op,
                                   mlir::ValueRange args, mlir::Type resultType);
mlir::Value scalarizeElementwiseSemanticsOp(mlir::OpBuilder &b, mlir::Location loc,
                                            mlir::Operation *op, mlir::ValueRange args,
                                            mlir::Type resultType);

mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Type to,
                          mlir::Value x, bool fromUnsigned = false,
                          bool toUnsigned = false);

/// `compareOp` (a stablehlo.compare) applied to the scalars `x` and `y`:
/// FLOAT compares ordered (NE unordered), TOTALORDER orders floats by their
/// bits, integers signed or unsigned as the compare type or the operands'
/// StableHLO signedness says (in ElementwiseSemanticsToLinalg.cpp).
mlir::Value compareScalars(mlir::OpBuilder &b, mlir::Location loc, mlir::Operation *compareOp,
                           mlir::Value x, mlir::Value y);

/// `type` converted by the pattern's converter, as a ranked tensor type.
mlir::RankedTensorType convertedTensorType(const mlir::TypeConverter &converter,
                                           mlir::Type type);

/// `tensor.empty` of `type`'s (static) shape and element type.
mlir::Value emptyLike(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::RankedTensorType type);

/// The element type contractions accumulate in: float32 for bfloat16 and
/// float16 (as XLA CPU does: sum in float32, round once), else `type`.
mlir::Type accumulatorElementType(mlir::Type type);

/// `tensor` with its float elements truncated to `elementType` (itself when
/// it already has that element type).
mlir::Value truncateToElementType(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor,
                                  mlir::Type elementType);

/// The parallel iterator types of a `rank`-dimensional elementwise loop nest.
llvm::SmallVector<mlir::utils::IteratorType>
parallelIterators(int64_t rank);

} // namespace hlox::linalg_lowering

#endif
