//===- ReduceToLinalg.cpp - reduce, reduce_window, map -> linalg.generic --===//
//
//   reduce        -> linalg.generic: the inputs with identity maps, the
//                    results (filled with the init values) projecting the
//                    reduced dimensions away; `dimensions` are reduction loops
//   reduce_window -> each input padded with its init value (edge padding and
//                    base dilation as interior padding), then a
//                    linalg.generic over (result dims, window dims) with the
//                    window as an extra input (tensor.empty of the window's
//                    shape, for the loop bounds); the input map is
//                    out * stride + window * window_dilation
//   map           -> linalg.generic with identity maps
//
// The body (any number of operands: e.g. argmax's (value, index) pairs) is
// inlined as scalar code (scalarizeRegion). Bodies get (accumulators...,
// elements...), linalg gives (inputs..., outputs...).
//
// bfloat16/float16 reductions whose body only adds, subtracts, multiplies or
// takes maxima/minima accumulate in float32 and round once at the end, as the
// contractions do (and as the interpreter and JAX's jnp.sum compute them):
// summing 1000 values near 1 in bfloat16 otherwise stalls ~2% short.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

/// The type a reduction of `inputs` with `body` accumulates in when wider
/// than its own: float32 for bfloat16/float16 inputs whose body computes
/// only in that type with add/subtract/multiply/maximum/minimum (ops the
/// wider type computes exactly or more accurately); null otherwise.
Type widerAccumulator(ValueRange inputs, Region &body) {
  Type element = cast<ShapedType>(inputs[0].getType()).getElementType();
  Type wide = accumulatorElementType(element);
  if (wide == element)
    return {};
  auto ofElement = [&](Type t) { return cast<ShapedType>(t).getElementType() == element; };
  if (!llvm::all_of(inputs.getTypes(), ofElement) ||
      !llvm::all_of(body.getArgumentTypes(), ofElement))
    return {};
  for (Operation &op : body.front())
    if (!isa<hlo::AddOp, hlo::SubtractOp, hlo::MulOp, hlo::MaxOp, hlo::MinOp, hlo::ReturnOp>(op) ||
        !llvm::all_of(op.getOperandTypes(), ofElement))
      return {};
  return wide;
}

/// `types` with their element type replaced by `wide` (when set).
SmallVector<Type> withElementType(ArrayRef<Type> types, Type wide) {
  SmallVector<Type> result;
  for (Type t : types)
    result.push_back(wide ? cast<RankedTensorType>(t).clone(wide) : t);
  return result;
}

/// The generic's results truncated back to `resultTypes`' element types.
SmallVector<Value> truncatedResults(OpBuilder &b, Location loc, ValueRange results,
                                    ArrayRef<Type> resultTypes) {
  SmallVector<Value> truncated;
  for (auto [value, type] : llvm::zip(results, resultTypes))
    truncated.push_back(truncateToElementType(b, loc, value,
                                              cast<RankedTensorType>(type).getElementType()));
  return truncated;
}

/// Results filled with the init values (0-d tensors), extended to the
/// results' element type when it is wider.
SmallVector<Value> filledInits(OpBuilder &b, Location loc, ValueRange inits,
                               ArrayRef<Type> resultTypes) {
  SmallVector<Value> outs;
  for (auto [init, type] : llvm::zip(inits, resultTypes)) {
    Value scalar = extractScalar(b, loc, init);
    Type element = cast<RankedTensorType>(type).getElementType();
    if (scalar.getType() != element)
      scalar = arith::ExtFOp::create(b, loc, element, scalar);
    Value empty = emptyLike(b, loc, cast<RankedTensorType>(type));
    outs.push_back(linalg::FillOp::create(b, loc, ValueRange{scalar}, ValueRange{empty})
                       .getResult(0));
  }
  return outs;
}

/// Builds a generic whose body is the StableHLO `body` with (outs, ins) as
/// arguments; fails (after reporting) if the body cannot be scalarized. With
/// `accumulatorsAfterInputs`, the body's accumulators are the ins that follow
/// the `numBodyInputs` inputs instead of the outs (which are then not read).
FailureOr<linalg::GenericOp> reductionGeneric(ConversionPatternRewriter &rewriter,
                                              Location loc, ArrayRef<Type> resultTypes,
                                              ValueRange ins, int64_t numBodyInputs,
                                              ValueRange outs, ArrayRef<AffineMap> maps,
                                              ArrayRef<utils::IteratorType> iterators,
                                              Region &body,
                                              bool accumulatorsAfterInputs = false,
                                              Type wide = {}) {
  bool ok = true;
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultTypes, ins, outs, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        auto bodyArgs = llvm::to_vector_of<Value>(
            accumulatorsAfterInputs ? args.slice(numBodyInputs, outs.size())
                                    : args.take_back(outs.size()));
        for (Value element : args.take_front(numBodyInputs))
          bodyArgs.push_back(wide ? arith::ExtFOp::create(b, l, wide, element).getResult()
                                  : element);
        auto results = scalarizeRegion(b, l, body, bodyArgs, wide);
        if (failed(results)) {
          ok = false;
          linalg::YieldOp::create(b, l, args.take_back(outs.size()));
          return;
        }
        linalg::YieldOp::create(b, l, *results);
      });
  if (!ok)
    return failure();
  return generic;
}

struct ReduceToLinalg : OpConversionPattern<hlo::ReduceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::ReduceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    auto inType = cast<RankedTensorType>(inputs[0].getType());
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> dims = op.getDimensions();
    SmallVector<Type> resultTypes;
    for (Type t : op.getResultTypes())
      resultTypes.push_back(convertedTensorType(*getTypeConverter(), t));
    MLIRContext *ctx = rewriter.getContext();
    if (dims.empty()) {
      // XLA (the spec leaves it to the implementation) reduces each element
      // alone, without an init value: the result is the input.
      if (llvm::equal(inputs.getTypes(), resultTypes)) {
        rewriter.replaceOp(op, inputs);
        return success();
      }
      return rewriteElementwise(op, adaptor, rewriter, resultTypes);
    }
    Type wide = widerAccumulator(inputs, op.getBody());
    SmallVector<Type> accTypes = withElementType(resultTypes, wide);
    SmallVector<Value> outs = filledInits(rewriter, loc, adaptor.getInitValues(), accTypes);

    SmallVector<AffineExpr> kept;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      bool reduced = llvm::is_contained(dims, d);
      iterators.push_back(reduced ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
      if (!reduced)
        kept.push_back(getAffineDimExpr(d, ctx));
    }
    SmallVector<AffineMap> maps(inputs.size(), AffineMap::getMultiDimIdentityMap(rank, ctx));
    maps.append(outs.size(), AffineMap::get(rank, 0, kept, ctx));
    auto generic = reductionGeneric(rewriter, loc, accTypes, inputs, inputs.size(), outs,
                                    maps, iterators, op.getBody(),
                                    /*accumulatorsAfterInputs=*/false, wide);
    if (failed(generic))
      return failure();
    rewriter.replaceOp(op, truncatedResults(rewriter, loc, generic->getResults(), resultTypes));
    return success();
  }

  /// A reduce over no dimension into wider result types: `body(init, x)` per
  /// element, an all-parallel generic that takes the init values as 0-d
  /// inputs and does not read its outs. (An all-parallel generic reading its outs is fused wrongly
  /// by linalg-fuse-elementwise-ops into consumers with more loops: the outs
  /// become an output of the fused op and accumulate once per extra loop.)
  LogicalResult rewriteElementwise(hlo::ReduceOp op, OpAdaptor adaptor,
                                   ConversionPatternRewriter &rewriter,
                                   ArrayRef<Type> resultTypes) const {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    int64_t rank = cast<RankedTensorType>(inputs[0].getType()).getRank();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<Value> ins(inputs.begin(), inputs.end());
    llvm::append_range(ins, adaptor.getInitValues());
    SmallVector<Value> outs;
    for (Type type : resultTypes)
      outs.push_back(emptyLike(rewriter, loc, cast<RankedTensorType>(type)));
    auto identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<AffineMap> maps(inputs.size(), identity);
    maps.append(inputs.size(), AffineMap::get(rank, 0, ctx));  // the 0-d inits
    maps.append(outs.size(), identity);
    auto generic = reductionGeneric(rewriter, loc, resultTypes, ins, inputs.size(), outs,
                                    maps, parallelIterators(rank), op.getBody(),
                                    /*accumulatorsAfterInputs=*/true);
    if (failed(generic))
      return failure();
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

SmallVector<int64_t> orOnes(std::optional<ArrayRef<int64_t>> values, int64_t rank) {
  if (values)
    return SmallVector<int64_t>(*values);
  return SmallVector<int64_t>(rank, 1);
}

/// (low, high) per dimension from an optional [rank, 2] padding attribute.
void paddingPairs(std::optional<DenseIntElementsAttr> padding, int64_t rank,
                  SmallVector<int64_t> &low, SmallVector<int64_t> &high) {
  low.assign(rank, 0);
  high.assign(rank, 0);
  if (!padding)
    return;
  auto values = llvm::to_vector(padding->getValues<int64_t>());
  for (int64_t d = 0; d < rank && 2 * d + 1 < (int64_t)values.size(); ++d) {
    low[d] = values[2 * d];
    high[d] = values[2 * d + 1];
  }
}

struct ReduceWindowToLinalg : OpConversionPattern<hlo::ReduceWindowOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::ReduceWindowOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ValueRange inputs = adaptor.getInputs();
    ValueRange inits = adaptor.getInitValues();
    auto inType = cast<RankedTensorType>(inputs[0].getType());
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> window = op.getWindowDimensions();
    SmallVector<int64_t> strides = orOnes(op.getWindowStrides(), rank);
    SmallVector<int64_t> baseDil = orOnes(op.getBaseDilations(), rank);
    SmallVector<int64_t> winDil = orOnes(op.getWindowDilations(), rank);
    SmallVector<int64_t> low, high;
    std::optional<DenseIntElementsAttr> padding;
    if (auto attr = op.getPaddingAttr())
      padding = cast<DenseIntElementsAttr>(attr);
    paddingPairs(padding, rank, low, high);
    SmallVector<int64_t> interior;
    for (int64_t d : baseDil)
      interior.push_back(d - 1);

    SmallVector<Value> ins;
    for (auto [input, init] : llvm::zip(inputs, inits))
      ins.push_back(padWithScalar(rewriter, loc, input, extractScalar(rewriter, loc, init),
                                  low, high, interior));
    ins.push_back(tensor::EmptyOp::create(rewriter, loc, window, inType.getElementType()));

    SmallVector<Type> resultTypes;
    for (Type t : op.getResultTypes())
      resultTypes.push_back(convertedTensorType(*getTypeConverter(), t));
    Type wide = widerAccumulator(inputs, op.getBody());
    SmallVector<Type> accTypes = withElementType(resultTypes, wide);
    SmallVector<Value> outs = filledInits(rewriter, loc, inits, accTypes);

    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> inExprs, winExprs, outExprs;
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.append(rank, utils::IteratorType::reduction);
    for (int64_t d = 0; d < rank; ++d) {
      AffineExpr o = getAffineDimExpr(d, ctx), w = getAffineDimExpr(rank + d, ctx);
      inExprs.push_back(o * strides[d] + w * winDil[d]);
      winExprs.push_back(w);
      outExprs.push_back(o);
    }
    SmallVector<AffineMap> maps(inputs.size(), AffineMap::get(2 * rank, 0, inExprs, ctx));
    maps.push_back(AffineMap::get(2 * rank, 0, winExprs, ctx));
    maps.append(outs.size(), AffineMap::get(2 * rank, 0, outExprs, ctx));
    auto generic = reductionGeneric(rewriter, loc, accTypes, ins, inputs.size(), outs, maps,
                                    iterators, op.getBody(), /*accumulatorsAfterInputs=*/false,
                                    wide);
    if (failed(generic))
      return failure();
    rewriter.replaceOp(op, truncatedResults(rewriter, loc, generic->getResults(), resultTypes));
    return success();
  }
};

struct MapToLinalg : OpConversionPattern<hlo::MapOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::MapOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedTensorType(*getTypeConverter(), op.getType());
    int64_t rank = resultType.getRank();
    Value init = emptyLike(rewriter, loc, resultType);
    SmallVector<AffineMap> maps(adaptor.getInputs().size() + 1,
                                rewriter.getMultiDimIdentityMap(rank));
    bool ok = true;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, adaptor.getInputs(), ValueRange{init}, maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          auto results = scalarizeRegion(b, l, op.getComputation(), args.drop_back());
          if (failed(results)) {
            ok = false;
            linalg::YieldOp::create(b, l, args.back());
            return;
          }
          linalg::YieldOp::create(b, l, *results);
        });
    if (!ok)
      return failure();
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateReducePatterns(const TypeConverter &converter,
                                                   RewritePatternSet &patterns) {
  patterns.add<ReduceToLinalg, ReduceWindowToLinalg, MapToLinalg>(converter,
                                                                  patterns.getContext());
}
