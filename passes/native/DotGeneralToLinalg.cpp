//===- DotGeneralToLinalg.cpp - dot_general -> linalg contractions --------===//
//
//   [m,k] x [k,n], contracting [1] x [0]               -> linalg.matmul
//   [b,m,k] x [b,k,n], batch [0] x [0], contr. [2] x [1] -> linalg.batch_matmul
//   anything else (vectors, transposed operands, several
//   batch/contracting dims, mixed element types, complex) -> linalg.generic
//
// The accumulator is the result filled with zero; bfloat16 and float16
// accumulate in float32 (a generic with a float32 result, then truncated once),
// as XLA CPU does. In the generic form the
// loops are (batch..., lhs free..., rhs free..., contracting...), so the
// result map is the identity on the leading loops, as dot_general orders its
// result dimensions. Without contracting dimensions (outer and batch-only
// products) the generic is elementwise: it yields the product and never
// reads its init. (Besides saving the fill, that matters for correctness:
// linalg-fuse-elementwise-ops fuses an all-parallel producer that reads its
// init into a consumer with more loops by making that init an output of the
// fused op, which is then accumulated once per extra loop iteration.)
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

using namespace mlir;
using namespace hlox::linalg_lowering;

namespace {

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  Value zero = zeroScalar(b, loc, type.getElementType());
  Value init = emptyLike(b, loc, type);
  return linalg::FillOp::create(b, loc, ValueRange{zero}, ValueRange{init}).getResult(0);
}

bool equals(ArrayRef<int64_t> dims, std::initializer_list<int64_t> expected) {
  return dims == ArrayRef<int64_t>(expected);
}

struct DotGeneralToLinalg : OpConversionPattern<stablehlo::DotGeneralOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(stablehlo::DotGeneralOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    auto numbers = op.getDotDimensionNumbers();
    ArrayRef<int64_t> lb = numbers.getLhsBatchingDimensions();
    ArrayRef<int64_t> rb = numbers.getRhsBatchingDimensions();
    ArrayRef<int64_t> lc = numbers.getLhsContractingDimensions();
    ArrayRef<int64_t> rc = numbers.getRhsContractingDimensions();
    auto finalType = convertedTensorType(*getTypeConverter(), op.getType());
    // bfloat16/float16 contractions sum in float32 and round once at the end.
    auto resultType = lc.empty()
                          ? finalType
                          : finalType.clone(accumulatorElementType(finalType.getElementType()));
    bool lhsUnsigned = isUnsigned(op.getLhs().getType());
    bool rhsUnsigned = isUnsigned(op.getRhs().getType());
    bool resultUnsigned = isUnsigned(op.getType());
    Location loc = op.getLoc();
    Type elementType = resultType.getElementType();
    bool sameTypes = lhsType.getElementType() == elementType &&
                     rhsType.getElementType() == elementType;
    // Complex contractions stay generic (the matmul kernels are real-valued).
    bool isComplex = isa<ComplexType>(elementType);
    bool contracts = !lc.empty();
    Value init = contracts ? zeroFilled(rewriter, loc, resultType)
                           : emptyLike(rewriter, loc, resultType);

    if (contracts && sameTypes && !isComplex && lb.empty() && lhsType.getRank() == 2 && rhsType.getRank() == 2 &&
        equals(lc, {1}) && equals(rc, {0})) {
      auto matmul = linalg::MatmulOp::create(rewriter, loc, TypeRange{resultType},
                                             ValueRange{lhs, rhs}, ValueRange{init});
      rewriter.replaceOp(op, matmul->getResults());
      return success();
    }
    if (contracts && sameTypes && !isComplex && equals(lb, {0}) && equals(rb, {0}) && lhsType.getRank() == 3 &&
        rhsType.getRank() == 3 && equals(lc, {2}) && equals(rc, {1})) {
      auto matmul = linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{resultType},
                                                  ValueRange{lhs, rhs}, ValueRange{init});
      rewriter.replaceOp(op, matmul->getResults());
      return success();
    }

    // The general contraction.
    auto freeDims = [](int64_t rank, ArrayRef<int64_t> batch, ArrayRef<int64_t> contract) {
      SmallVector<int64_t> free;
      for (int64_t d = 0; d < rank; ++d)
        if (!llvm::is_contained(batch, d) && !llvm::is_contained(contract, d))
          free.push_back(d);
      return free;
    };
    SmallVector<int64_t> lf = freeDims(lhsType.getRank(), lb, lc);
    SmallVector<int64_t> rf = freeDims(rhsType.getRank(), rb, rc);
    int64_t nb = lb.size(), nlf = lf.size(), nrf = rf.size(), nc = lc.size();
    int64_t numLoops = nb + nlf + nrf + nc;
    MLIRContext *context = rewriter.getContext();
    auto operandMap = [&](int64_t rank, ArrayRef<int64_t> batch, ArrayRef<int64_t> contract,
                          ArrayRef<int64_t> free, int64_t freeOffset) {
      SmallVector<AffineExpr> exprs;
      for (int64_t d = 0; d < rank; ++d) {
        if (auto *it = llvm::find(batch, d); it != batch.end())
          exprs.push_back(getAffineDimExpr(it - batch.begin(), context));
        else if (auto *it = llvm::find(contract, d); it != contract.end())
          exprs.push_back(getAffineDimExpr(nb + nlf + nrf + (it - contract.begin()), context));
        else
          exprs.push_back(getAffineDimExpr(
              freeOffset + (llvm::find(free, d) - free.begin()), context));
      }
      return AffineMap::get(numLoops, 0, exprs, context);
    };
    SmallVector<AffineExpr> resultExprs;
    for (int64_t i = 0; i < nb + nlf + nrf; ++i)
      resultExprs.push_back(getAffineDimExpr(i, context));
    SmallVector<AffineMap> maps = {
        operandMap(lhsType.getRank(), lb, lc, lf, nb),
        operandMap(rhsType.getRank(), rb, rc, rf, nb + nlf),
        AffineMap::get(numLoops, 0, resultExprs, context)};
    SmallVector<utils::IteratorType> iterators(numLoops, utils::IteratorType::parallel);
    for (int64_t i = nb + nlf + nrf; i < numLoops; ++i)
      iterators[i] = utils::IteratorType::reduction;

    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convertScalar(b, l, elementType, args[0], lhsUnsigned, resultUnsigned);
          Value y = convertScalar(b, l, elementType, args[1], rhsUnsigned, resultUnsigned);
          Value product, sum;
          if (isComplex) {
            product = complex::MulOp::create(b, l, x, y);
            if (contracts)
              sum = complex::AddOp::create(b, l, args[2], product);
          } else if (isa<FloatType>(elementType)) {
            product = arith::MulFOp::create(b, l, x, y);
            if (contracts)
              sum = arith::AddFOp::create(b, l, args[2], product);
          } else if (elementType.isInteger(1)) {
            product = arith::AndIOp::create(b, l, x, y);
            if (contracts)
              sum = arith::OrIOp::create(b, l, args[2], product);
          } else {
            product = arith::MulIOp::create(b, l, x, y);
            if (contracts)
              sum = arith::AddIOp::create(b, l, args[2], product);
          }
          linalg::YieldOp::create(b, l, contracts ? sum : product);
        });
    rewriter.replaceOp(op, truncateToElementType(rewriter, loc, generic.getResult(0),
                                                 finalType.getElementType()));
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateDotGeneralPatterns(const TypeConverter &converter,
                                                       RewritePatternSet &patterns) {
  patterns.add<DotGeneralToLinalg>(converter, patterns.getContext());
}
