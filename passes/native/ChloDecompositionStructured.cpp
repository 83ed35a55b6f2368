//===- ChloDecompositionStructured.cpp - mulhi, ragged_dot, scan ----------===//
//
// mulhi: the product in twice the width (64-bit: four 32-bit partial
// products), shifted down. ragged_dot: one dot_general over every group, then
// each row keeps its own group's result (a select, never a multiplication by
// zero: another group's inf or NaN must not leak in). scan: a stablehlo.while
// over the scan dimension, with the body inlined.
//
//===----------------------------------------------------------------------===//
#include "passes/native/ChloDecomposition.h"

#include "dialects/chlo/ChloOps.h"
#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace hlox {
namespace {

Value zeroLike(HloEmitter &h, RankedTensorType type) {
  Type elem = type.getElementType();
  Attribute value;
  if (auto c = llvm::dyn_cast<ComplexType>(elem)) {
    auto f = llvm::cast<FloatType>(c.getElementType());
    APFloat zero = APFloat::getZero(f.getFloatSemantics());
    value = DenseElementsAttr::get(type, std::complex<APFloat>(zero, zero));
  } else {
    value = DenseElementsAttr::get(type, h.builder().getZeroAttr(elem));
  }
  return h.create("constant", {}, type, {h.builder().getNamedAttr("value", value)})
      ->getResult(0);
}

Value scalarI64(HloEmitter &h, int64_t v) {
  auto type = RankedTensorType::get({}, h.builder().getI64Type());
  auto attr = DenseElementsAttr::get(type, h.builder().getI64IntegerAttr(v));
  return h.create("constant", {}, type, {h.builder().getNamedAttr("value", attr)})
      ->getResult(0);
}

Value broadcastInDim(HloEmitter &h, Value v, RankedTensorType to, ArrayRef<int64_t> dims) {
  return h.create("broadcast_in_dim", {v}, to,
                  {h.builder().getNamedAttr("broadcast_dimensions",
                                            h.builder().getDenseI64ArrayAttr(dims))})
      ->getResult(0);
}

Value iota(HloEmitter &h, RankedTensorType type, int64_t dim) {
  return h.create("iota", {}, type,
                  {h.builder().getNamedAttr("iota_dimension", h.builder().getI64IntegerAttr(dim))})
      ->getResult(0);
}

/// `stablehlo.reduce` of `v` over `dims` with `add` (`or` for i1).
Value sumOver(HloEmitter &h, Value v, ArrayRef<int64_t> dims) {
  OpBuilder &b = h.builder();
  auto type = llvm::cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      shape.push_back(type.getDimSize(d));
  auto scalar = RankedTensorType::get({}, type.getElementType());
  OperationState state(h.location(), "stablehlo.reduce");
  state.addOperands({v, zeroLike(h, scalar)});
  state.addTypes(type.clone(shape));
  state.addAttribute("dimensions", b.getDenseI64ArrayAttr(dims));
  Block *block = new Block();
  state.addRegion()->push_back(block);
  block->addArgument(scalar, h.location());
  block->addArgument(scalar, h.location());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(block);
    bool isBool = type.getElementType().isInteger(1);
    Value sum = h.same(isBool ? "or" : "add", {block->getArgument(0), block->getArgument(1)});
    h.create("return", {sum}, {});
  }
  return b.create(state)->getResult(0);
}

//===----------------------------------------------------------------------===//
// mulhi
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>> decomposeMulhi(chlo::MulhiOp op, HloEmitter &h) {
  Value a = op.getLhs(), b = op.getRhs();
  auto elem = llvm::cast<IntegerType>(getElementTypeOrSelf(a.getType()));
  unsigned width = elem.getWidth();
  bool isSigned = !elem.isUnsigned();
  if (width < 64) {
    // Exact in twice the width; the shift keeps the sign for signed types.
    auto wide = IntegerType::get(op.getContext(), 2 * width, elem.getSignedness());
    Value product = h.mul(h.convert(a, wide), h.convert(b, wide));
    Value high = h.same(isSigned ? "shift_right_arithmetic" : "shift_right_logical",
                        {product, h.splatInt(product, width)});
    return SmallVector<Value>{h.convert(high, elem)};
  }
  // 64 bits: the unsigned high word from 32-bit halves (each partial product
  // and sum fits in 64 bits), then for signed operands the two's-complement
  // correction hi(a*b) = hi(A*B) - [a<0] b - [b<0] a.
  auto shr = [&](Value v, int64_t n) {
    return h.same("shift_right_logical", {v, h.splatInt(v, n)});
  };
  Value mask = h.splatInt(a, 0xFFFFFFFFLL);
  Value aLo = h.andOp(a, mask), aHi = shr(a, 32);
  Value bLo = h.andOp(b, mask), bHi = shr(b, 32);
  Value loLo = h.mul(aLo, bLo), hiLo = h.mul(aHi, bLo);
  Value loHi = h.mul(aLo, bHi), hiHi = h.mul(aHi, bHi);
  Value t = h.add(hiLo, shr(loLo, 32));
  Value u = h.add(loHi, h.andOp(t, mask));
  Value high = h.add(h.add(hiHi, shr(t, 32)), shr(u, 32));
  if (isSigned) {
    Value zero = h.splatInt(a, 0);
    high = h.sub(high, h.select(h.lt(a, zero), b, zero));
    high = h.sub(high, h.select(h.lt(b, zero), a, zero));
  }
  return SmallVector<Value>{high};
}

//===----------------------------------------------------------------------===//
// ragged_dot
//===----------------------------------------------------------------------===//

/// For each index 0..n-1 along a ragged dimension, the group it falls in
/// (0..g-1; g past the last group): the number of group ends at or below it.
Value groupOfIndex(HloEmitter &h, Value groupSizes, int64_t n) {
  OpBuilder &b = h.builder();
  Type i64 = b.getI64Type();
  auto sizesType = llvm::cast<RankedTensorType>(groupSizes.getType());
  int64_t g = sizesType.getDimSize(0);
  Value sizes = h.convert(groupSizes, i64);
  // ends[j] = sum_{i <= j} sizes[i], as a masked [g(j), g(i)] sum.
  auto square = RankedTensorType::get({g, g}, i64);
  Value bySize = broadcastInDim(h, sizes, square, {1});
  Value upto = h.le(iota(h, square, 1), iota(h, square, 0));
  Value ends = sumOver(h, h.select(upto, bySize, zeroLike(h, square)), {1});
  auto grid = RankedTensorType::get({n, g}, i64);
  Value past = h.ge(iota(h, grid, 0), broadcastInDim(h, ends, grid, {1}));
  return sumOver(h, h.convert(past, i64), {1});
}

SmallVector<int64_t> freeDims(int64_t rank, ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                              ArrayRef<int64_t> c = {}) {
  SmallVector<int64_t> free;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(a, d) && !llvm::is_contained(b, d) && !llvm::is_contained(c, d))
      free.push_back(d);
  return free;
}

Value dotGeneral(HloEmitter &h, Value lhs, Value rhs, ArrayRef<int64_t> lb,
                 ArrayRef<int64_t> rb, ArrayRef<int64_t> lc, ArrayRef<int64_t> rc,
                 Type elem, ArrayAttr precision) {
  auto lt = llvm::cast<RankedTensorType>(lhs.getType());
  auto rt = llvm::cast<RankedTensorType>(rhs.getType());
  SmallVector<int64_t> shape;
  for (int64_t d : lb)
    shape.push_back(lt.getDimSize(d));
  for (int64_t d : freeDims(lt.getRank(), lb, lc))
    shape.push_back(lt.getDimSize(d));
  for (int64_t d : freeDims(rt.getRank(), rb, rc))
    shape.push_back(rt.getDimSize(d));
  OpBuilder &b = h.builder();
  SmallVector<NamedAttribute> attrs = {b.getNamedAttr(
      "dot_dimension_numbers",
      stablehlo::DotDimensionNumbersAttr::get(b.getContext(), lb, rb, lc, rc))};
  if (precision)
    attrs.push_back(b.getNamedAttr("precision_config", precision));
  return h.create("dot_general", {lhs, rhs}, RankedTensorType::get(shape, elem), attrs)
      ->getResult(0);
}

SmallVector<int64_t> shifted(ArrayRef<int64_t> dims) {
  return llvm::map_to_vector(dims, [](int64_t d) { return d + 1; });
}

FailureOr<SmallVector<Value>> decomposeRaggedDot(chlo::RaggedDotOp op, HloEmitter &h) {
  OpBuilder &b = h.builder();
  auto dn = op.getRaggedDotDimensionNumbers();
  ArrayRef<int64_t> lb = dn.getLhsBatchingDimensions(), rb = dn.getRhsBatchingDimensions(),
                    lc = dn.getLhsContractingDimensions(),
                    rc = dn.getRhsContractingDimensions();
  int64_t ragged = dn.getLhsRaggedDimensions().front();
  Value lhs = op.getLhs(), rhs = op.getRhs(), sizes = op.getGroupSizes();
  auto lt = llvm::cast<RankedTensorType>(lhs.getType());
  auto rt = llvm::cast<RankedTensorType>(rhs.getType());
  auto resultType = llvm::cast<RankedTensorType>(op.getType());
  Type elem = resultType.getElementType();
  if (llvm::cast<RankedTensorType>(sizes.getType()).getRank() != 1) {
    op.emitOpError("with group_sizes of rank > 1 (sizes per batch) is not supported "
                   "by hlox");
    return failure();
  }
  ArrayAttr precision;
  if (auto config = op.getPrecisionConfigAttr()) {
    SmallVector<Attribute> values;
    for (Attribute a : config)
      values.push_back(parseAttribute(
          ("#stablehlo<precision " +
           chlo::stringifyPrecision(llvm::cast<chlo::PrecisionAttr>(a).getValue()) + ">")
              .str(),
          b.getContext()));
    precision = b.getArrayAttr(values);
  }
  Type i64 = b.getI64Type();

  if (llvm::is_contained(lc, ragged)) {
    // Mode 2: group j contracts over its slice of k only; both operands get a
    // leading group dimension with the other groups' entries zeroed.
    int64_t g = llvm::cast<RankedTensorType>(sizes.getType()).getDimSize(0);
    int64_t k = lt.getDimSize(ragged);
    int64_t rk = rc[llvm::find(lc, ragged) - lc.begin()];
    Value group = groupOfIndex(h, sizes, k);
    auto masked = [&](Value v, RankedTensorType t, int64_t kDim) {
      SmallVector<int64_t> shape{g};
      llvm::append_range(shape, t.getShape());
      auto wide = t.clone(shape);
      SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(1, t.getRank() + 1));
      Value all = broadcastInDim(h, v, wide, dims);
      auto indexType = wide.clone(i64);
      Value inGroup = h.eq(broadcastInDim(h, group, indexType, {kDim + 1}),
                           iota(h, indexType, 0));
      return h.select(inGroup, all, zeroLike(h, wide));
    };
    SmallVector<int64_t> mlb{0}, mrb{0};
    llvm::append_range(mlb, shifted(lb));
    llvm::append_range(mrb, shifted(rb));
    Value dot = dotGeneral(h, masked(lhs, lt, ragged), masked(rhs, rt, rk), mlb, mrb,
                           shifted(lc), shifted(rc), elem, precision);
    return SmallVector<Value>{dot};
  }

  if (llvm::is_contained(lb, ragged)) {
    // Mode 3: a plain dot_general; batches past the last group are 0.
    Value dot = dotGeneral(h, lhs, rhs, lb, rb, lc, rc, elem, precision);
    int64_t pos = llvm::find(lb, ragged) - lb.begin();
    Value group = groupOfIndex(h, sizes, lt.getDimSize(ragged));
    int64_t g = llvm::cast<RankedTensorType>(sizes.getType()).getDimSize(0);
    auto indexType = resultType.clone(i64);
    Value inside = h.lt(broadcastInDim(h, group, indexType, {pos}),
                        h.create("constant", {}, indexType,
                                 {b.getNamedAttr("value", DenseElementsAttr::get(
                                                              indexType, b.getI64IntegerAttr(g)))})
                            ->getResult(0));
    return SmallVector<Value>{h.select(inside, dot, zeroLike(h, resultType))};
  }

  // Mode 1: every row against every group, [batch, lhs free, rhs free (with
  // the group)], then each row keeps its group's column; rows past the last
  // group are 0.
  int64_t rg = dn.getRhsGroupDimensions().front();
  Value dot = dotGeneral(h, lhs, rhs, lb, rb, lc, rc, elem, precision);
  SmallVector<int64_t> lfree = freeDims(lt.getRank(), lb, lc);
  SmallVector<int64_t> rfree = freeDims(rt.getRank(), rb, rc);
  int64_t rowPos = lb.size() + (llvm::find(lfree, ragged) - lfree.begin());
  int64_t groupPos = lb.size() + lfree.size() + (llvm::find(rfree, rg) - rfree.begin());
  auto dotType = llvm::cast<RankedTensorType>(dot.getType());
  auto indexType = dotType.clone(i64);
  Value group = groupOfIndex(h, sizes, lt.getDimSize(ragged));
  Value mine = h.eq(broadcastInDim(h, group, indexType, {rowPos}), iota(h, indexType, groupPos));
  Value picked = sumOver(h, h.select(mine, dot, zeroLike(h, dotType)), {groupPos});
  return SmallVector<Value>{picked};
}

//===----------------------------------------------------------------------===//
// scan
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Value>> decomposeScan(chlo::ScanOp op, HloEmitter &h) {
  OpBuilder &b = h.builder();
  Location loc = h.location();
  int64_t dim = op.getDimension();
  int64_t length = -1;
  for (Value v : llvm::concat<Value>(op.getInputs(), op.getOutputs()))
    length = llvm::cast<RankedTensorType>(v.getType()).getDimSize(dim);
  if (length < 0 && op.getScanDimSize())
    length = static_cast<int64_t>(*op.getScanDimSize());
  if (length < 0) {
    op.emitOpError("without inputs or outputs needs scan_dim_size");
    return failure();
  }
  bool reverse = op.getIsReverse();
  size_t numInputs = op.getInputs().size(), numOutputs = op.getOutputs().size(),
         numCarries = op.getInits().size();

  // Loop values: the step i, the carries, the outputs filled so far.
  SmallVector<Value> initial{scalarI64(h, 0)};
  llvm::append_range(initial, op.getInits());
  for (Value out : op.getOutputs())
    initial.push_back(zeroLike(h, llvm::cast<RankedTensorType>(out.getType())));
  SmallVector<Type> types = llvm::map_to_vector(initial, [](Value v) { return v.getType(); });
  SmallVector<Location> locs(types.size(), loc);

  OperationState state(loc, "stablehlo.while");
  state.addOperands(initial);
  state.addTypes(types);
  Region *cond = state.addRegion();
  Region *body = state.addRegion();
  Block *condBlock = b.createBlock(cond, {}, types, locs);
  {
    Value below = h.lt(condBlock->getArgument(0), scalarI64(h, length));
    h.create("return", {below}, {});
  }
  Block *bodyBlock = b.createBlock(body, {}, types, locs);
  Value step = bodyBlock->getArgument(0);
  Value index = reverse ? h.sub(scalarI64(h, length - 1), step) : step;
  Value zero = scalarI64(h, 0);
  // Start indices along every dimension: `index` at the scan dimension.
  auto starts = [&](int64_t rank) {
    SmallVector<Value> s(rank, zero);
    s[dim] = index;
    return s;
  };
  IRMapping map;
  Block &scanBody = op.getBody().front();
  for (auto [i, input] : llvm::enumerate(op.getInputs())) {
    auto type = llvm::cast<RankedTensorType>(input.getType());
    SmallVector<int64_t> sizes(type.getShape());
    sizes[dim] = 1;
    SmallVector<Value> operands{input};
    llvm::append_range(operands, starts(type.getRank()));
    Value slice = h.create("dynamic_slice", operands, type.clone(sizes),
                           {b.getNamedAttr("slice_sizes", b.getDenseI64ArrayAttr(sizes))})
                      ->getResult(0);
    Value element = h.create("reshape", {slice}, scanBody.getArgument(i).getType())->getResult(0);
    map.map(scanBody.getArgument(i), element);
  }
  for (size_t c = 0; c < numCarries; ++c)
    map.map(scanBody.getArgument(numInputs + c), bodyBlock->getArgument(1 + c));
  for (Operation &inner : scanBody.without_terminator())
    b.clone(inner, map);
  Operation *terminator = scanBody.getTerminator();
  SmallVector<Value> next{h.add(step, scalarI64(h, 1))};
  for (size_t c = 0; c < numCarries; ++c)
    next.push_back(map.lookupOrDefault(terminator->getOperand(numOutputs + c)));
  for (size_t o = 0; o < numOutputs; ++o) {
    Value buffer = bodyBlock->getArgument(1 + numCarries + o);
    auto type = llvm::cast<RankedTensorType>(buffer.getType());
    SmallVector<int64_t> sizes(type.getShape());
    sizes[dim] = 1;
    Value element = map.lookupOrDefault(terminator->getOperand(o));
    Value update = h.create("reshape", {element}, type.clone(sizes))->getResult(0);
    SmallVector<Value> operands{buffer, update};
    llvm::append_range(operands, starts(type.getRank()));
    next.push_back(h.create("dynamic_update_slice", operands, type)->getResult(0));
  }
  h.create("return", next, {});
  b.setInsertionPoint(op);
  Operation *loop = b.create(state);

  SmallVector<Value> results;
  for (size_t o = 0; o < numOutputs; ++o)
    results.push_back(loop->getResult(1 + numCarries + o));
  for (size_t c = 0; c < numCarries; ++c)
    results.push_back(loop->getResult(1 + c));
  return results;
}

} // namespace

FailureOr<SmallVector<Value>> decomposeStructured(Operation *op, HloEmitter &h) {
  if (auto mulhi = llvm::dyn_cast<chlo::MulhiOp>(op))
    return decomposeMulhi(mulhi, h);
  if (auto ragged = llvm::dyn_cast<chlo::RaggedDotOp>(op))
    return decomposeRaggedDot(ragged, h);
  return decomposeScan(llvm::cast<chlo::ScanOp>(op), h);
}

} // namespace hlox
