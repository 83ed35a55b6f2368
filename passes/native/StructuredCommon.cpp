//===- StructuredCommon.cpp - bodies as scalar code, padding, loop nests --===//
//
// The helpers of StructuredLowering.h. scalarizeRegion lowers the bodies of
// reducers, comparators and update computations: every elementwise op through
// the elementwise patterns' scalar builders (scalarizeElementwiseOp), splat
// constants, complex ops (scalarizeComplex); anything else is reported at
// that op.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
namespace hlo = mlir::stablehlo;

namespace hlox::linalg_lowering {

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
}

namespace {

/// The scalar of `op` from scalar operands, or null if `op` is not known.
Value scalarize(OpBuilder &b, Location loc, Operation *op, ArrayRef<Value> a, Type computeIn) {
  Type resultType;
  if (op->getNumResults() == 1) {
    auto tensor = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!tensor || tensor.getRank() != 0)
      return {};
    resultType = tensor.getElementType();
    if (resultType.isUnsignedInteger())
      resultType = b.getIntegerType(resultType.getIntOrFloatBitWidth());
    if (computeIn && isa<FloatType>(resultType))
      resultType = computeIn;
  }
  if ((resultType && isa<ComplexType>(resultType)) ||
      llvm::any_of(a, [](Value v) { return isa<ComplexType>(v.getType()); }))
    return scalarizeComplex(b, loc, op, a);
  if (auto c = dyn_cast<hlo::ConstantOp>(op)) {
    auto dense = dyn_cast<DenseElementsAttr>(c.getValue());
    if (!dense || !dense.isSplat())
      return {};
    Attribute element = dense.getSplatValue<Attribute>();
    if (auto i = dyn_cast<IntegerAttr>(element))
      element = b.getIntegerAttr(resultType, i.getValue());
    return arith::ConstantOp::create(b, loc, cast<TypedAttr>(element));
  }
  if (!resultType)
    return {};
  return scalarizeElementwiseOp(b, loc, op, a, resultType);
}

} // namespace

bool hasScalarizedBody(Operation *op) {
  return isa<hlo::ReduceOp, hlo::ReduceWindowOp, hlo::MapOp, hlo::SortOp, hlo::ScatterOp,
             hlo::SelectAndScatterOp, hlo::AllReduceOp, hlo::ReduceScatterOp>(op);
}

FailureOr<SmallVector<Value>> scalarizeRegion(OpBuilder &b, Location loc, Region &region,
                                              ValueRange args, Type computeIn) {
  Block &block = region.front();
  IRMapping map;
  for (auto [arg, scalar] : llvm::zip(block.getArguments(), args))
    map.map(arg, scalar);
  for (Operation &op : block) {
    SmallVector<Value> operands;
    for (Value v : op.getOperands()) {
      Value mapped = map.lookupOrNull(v);
      if (!mapped) {
        op.emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op.getName()
                       << "' in the body of '" << region.getParentOp()->getName()
                       << "' uses a value defined outside the body; not supported";
        return failure();
      }
      operands.push_back(mapped);
    }
    if (isa<hlo::ReturnOp>(op))
      return operands;
    Value result = scalarize(b, op.getLoc(), &op, operands, computeIn);
    if (!result) {
      op.emitError() << "hlox-stablehlo-legalize-to-linalg: '" << op.getName()
                     << "' in the body of '" << region.getParentOp()->getName()
                     << "' cannot be lowered to scalar code (not supported yet)";
      return failure();
    }
    map.map(op.getResult(0), result);
  }
  return failure();
}

Value padWithScalar(OpBuilder &b, Location loc, Value input, Value value, ArrayRef<int64_t> low,
                    ArrayRef<int64_t> high, ArrayRef<int64_t> interior) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  bool trivial = llvm::all_of(low, [](int64_t x) { return x == 0; }) &&
                 llvm::all_of(high, [](int64_t x) { return x == 0; }) &&
                 llvm::all_of(interior, [](int64_t x) { return x == 0; });
  if (trivial)
    return input;
  // Pad with max(low, 0), max(high, 0) and interior, then crop the negative parts.
  SmallVector<int64_t> bigShape, offsets, strides, cropOffsets, finalShape;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t n = type.getDimSize(d);
    int64_t dilated = n == 0 ? 0 : (n - 1) * (interior[d] + 1) + 1;
    int64_t lo = std::max<int64_t>(low[d], 0), hi = std::max<int64_t>(high[d], 0);
    bigShape.push_back(lo + dilated + hi);
    offsets.push_back(lo);
    strides.push_back(interior[d] + 1);
    cropOffsets.push_back(std::max<int64_t>(-low[d], 0));
    finalShape.push_back(std::max<int64_t>(dilated + low[d] + high[d], 0));
  }
  auto finalType = RankedTensorType::get(finalShape, type.getElementType());
  // Cropped to nothing: the crop offset may equal the padded size, which
  // tensor.extract_slice rejects.
  if (finalType.getNumElements() == 0)
    return emptyLike(b, loc, finalType);
  auto bigType = RankedTensorType::get(bigShape, type.getElementType());
  Value big = emptyLike(b, loc, bigType);
  big = linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{big}).getResult(0);
  SmallVector<OpFoldResult> o, s, st;
  for (int64_t d = 0; d < rank; ++d) {
    o.push_back(b.getIndexAttr(offsets[d]));
    s.push_back(b.getIndexAttr(type.getDimSize(d)));
    st.push_back(b.getIndexAttr(strides[d]));
  }
  if (type.getNumElements() != 0) // nothing to insert (and no stride to apply)
    big = tensor::InsertSliceOp::create(b, loc, input, big, o, s, st);
  if (finalShape == bigShape)
    return big;
  SmallVector<OpFoldResult> co, cs, one;
  for (int64_t d = 0; d < rank; ++d) {
    co.push_back(b.getIndexAttr(cropOffsets[d]));
    cs.push_back(b.getIndexAttr(finalShape[d]));
    one.push_back(b.getIndexAttr(1));
  }
  return tensor::ExtractSliceOp::create(b, loc, finalType, big, co, cs, one);
}

Value andInRange(OpBuilder &b, Location loc, Value all, Value index, int64_t lo,
                 int64_t end) {
  Value atLeastLo = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, index,
                                          indexConstant(b, loc, lo));
  Value belowEnd = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index,
                                         indexConstant(b, loc, end));
  Value both = arith::AndIOp::create(b, loc, atLeastLo, belowEnd);
  return arith::AndIOp::create(b, loc, all, both);
}

SmallVector<Value> updateIf(
    OpBuilder &b, Location loc, Value cond, ValueRange carried,
    function_ref<FailureOr<SmallVector<Value>>(OpBuilder &, Location)> then, bool &ok) {
  auto ifOp = scf::IfOp::create(
      b, loc, cond,
      [&](OpBuilder &tb, Location tl) {
        FailureOr<SmallVector<Value>> next = then(tb, tl);
        if (failed(next)) {
          ok = false;
          scf::YieldOp::create(tb, tl, carried);
          return;
        }
        scf::YieldOp::create(tb, tl, *next);
      },
      [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, carried); });
  return llvm::to_vector_of<Value>(ifOp.getResults());
}

FailureOr<SmallVector<Value>> combineAt(OpBuilder &b, Location loc, Region &body,
                                        ValueRange acc, ValueRange at, ValueRange values) {
  SmallVector<Value> args;
  for (Value t : acc)
    args.push_back(tensor::ExtractOp::create(b, loc, t, at));
  llvm::append_range(args, values);
  auto combined = scalarizeRegion(b, loc, body, args);
  if (failed(combined))
    return failure();
  SmallVector<Value> next;
  for (auto [value, t] : llvm::zip(*combined, acc))
    next.push_back(tensor::InsertOp::create(b, loc, value, t, at));
  return next;
}

SmallVector<Value> buildLoopNest(
    OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ValueRange iterArgs,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange, ValueRange)> body) {
  SmallVector<Value> ivs;
  std::function<SmallVector<Value>(OpBuilder &, size_t, ValueRange)> level =
      [&](OpBuilder &builder, size_t d, ValueRange args) -> SmallVector<Value> {
    if (d == shape.size())
      return body(builder, loc, ivs, args);
    Value lb = indexConstant(builder, loc, 0);
    Value ub = indexConstant(builder, loc, shape[d]);
    Value step = indexConstant(builder, loc, 1);
    auto loop = scf::ForOp::create(
        builder, loc, lb, ub, step, args,
        [&](OpBuilder &nested, Location l, Value iv, ValueRange inner) {
          ivs.push_back(iv);
          SmallVector<Value> next = level(nested, d + 1, inner);
          ivs.pop_back();
          scf::YieldOp::create(nested, l, next);
        });
    return llvm::to_vector_of<Value>(loop.getResults());
  };
  return level(b, 0, iterArgs);
}

} // namespace hlox::linalg_lowering
