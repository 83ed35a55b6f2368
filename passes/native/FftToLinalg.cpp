//===- FftToLinalg.cpp - stablehlo.fft as direct DFTs ---------------------===//
//
// Each transformed axis is one linalg.generic contraction
//   out[..., k] = sum_j in[..., j] * w(j, k)
// whose twiddle factor w is computed in the body from the two loop indices
// (cos and sin of 2 pi (j k mod n) / n, in f64, then rounded to the element
// type). That is O(n^2) per axis: correct for every length, not fast.
//
//   FFT   every axis of fft_length forward (e^-i...)
//   IFFT  every axis inverse (e^+i..., scaled by 1/n)
//   RFFT  the last axis real -> the n/2 + 1 non-negative frequencies, then
//         the other axes forward
//   IRFFT the other axes inverse, then the last axis from n/2 + 1 complex
//         frequencies to n reals (the Hermitian-symmetric half counted
//         twice; imaginary parts of the self-conjugate terms ignored, as XLA)
//
//===----------------------------------------------------------------------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "mlir/Dialect/Complex/IR/Complex.h"

#include <cmath>

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

enum class AxisTransform { Forward, Inverse, RealForward, HermitianInverse };

/// The DFT of `input` along `axis` (of length n in the time domain) as
/// `kind` says; the result's element type is `element`.
Value transformAxis(OpBuilder &b, Location loc, Value input, int64_t axis, int64_t n,
                    AxisTransform kind, Type element) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> shape(inputType.getShape());
  shape[axis] = kind == AxisTransform::RealForward        ? n / 2 + 1
                : kind == AxisTransform::HermitianInverse ? n
                                                          : shape[axis];
  auto resultType = RankedTensorType::get(shape, element);
  Value init = linalg::FillOp::create(b, loc, ValueRange{zeroScalar(b, loc, element)},
                                      ValueRange{emptyLike(b, loc, resultType)})
                   .getResult(0);
  if (resultType.getNumElements() == 0 || inputType.getNumElements() == 0)
    return init;

  // Loops: the result's dimensions, then the summed input position.
  MLIRContext *context = b.getContext();
  SmallVector<AffineExpr> inputExprs, resultExprs;
  for (int64_t d = 0; d < rank; ++d) {
    resultExprs.push_back(getAffineDimExpr(d, context));
    inputExprs.push_back(getAffineDimExpr(d == axis ? rank : d, context));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(rank + 1, 0, inputExprs, context),
                                 AffineMap::get(rank + 1, 0, resultExprs, context)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);

  bool inverse = kind == AxisTransform::Inverse || kind == AxisTransform::HermitianInverse;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{input}, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Type f64 = nb.getF64Type();
        auto constant = [&](double v) {
          return arith::ConstantOp::create(nb, l, nb.getFloatAttr(f64, v)).getResult();
        };
        auto asF64 = [&](Value index) {
          Value i = arith::IndexCastOp::create(nb, l, nb.getI64Type(), index);
          return arith::SIToFPOp::create(nb, l, f64, i).getResult();
        };
        Value summed = linalg::IndexOp::create(nb, l, rank);
        Value produced = linalg::IndexOp::create(nb, l, axis);
        // j k mod n keeps the angle in [0, 2 pi): exact twiddles for any n.
        Value jk = arith::MulIOp::create(nb, l, summed, produced);
        jk = arith::RemUIOp::create(nb, l, jk, arith::ConstantIndexOp::create(nb, l, n));
        double turn = (inverse ? 2.0 : -2.0) * M_PI / static_cast<double>(n);
        Value angle = arith::MulFOp::create(nb, l, asF64(jk), constant(turn));
        Value scale = constant(inverse ? 1.0 / static_cast<double>(n) : 1.0);
        if (kind == AxisTransform::HermitianInverse) {
          // Frequencies other than 0 and n/2 stand for themselves and their
          // conjugates.
          Value k = summed;
          Value isZero = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, k,
                                               arith::ConstantIndexOp::create(nb, l, 0));
          Value selfConjugate = isZero;
          if (n % 2 == 0)
            selfConjugate = arith::OrIOp::create(
                nb, l, isZero,
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, k,
                                      arith::ConstantIndexOp::create(nb, l, n / 2)));
          Value twice = arith::SelectOp::create(nb, l, selfConjugate, constant(1.0), constant(2.0));
          scale = arith::MulFOp::create(nb, l, scale, twice);
        }
        Value c = arith::MulFOp::create(nb, l, scale, math::CosOp::create(nb, l, angle));
        Value s = arith::MulFOp::create(nb, l, scale, math::SinOp::create(nb, l, angle));
        Type part = isa<ComplexType>(element) ? cast<ComplexType>(element).getElementType()
                                              : element;
        c = convertScalar(nb, l, part, c);
        s = convertScalar(nb, l, part, s);
        Value x = args[0], acc = args[1];
        Value sum;
        if (kind == AxisTransform::HermitianInverse) {
          // Re(x (c + i s)) = re c - im s.
          Value re = complex::ReOp::create(nb, l, x), im = complex::ImOp::create(nb, l, x);
          Value term = arith::SubFOp::create(nb, l, arith::MulFOp::create(nb, l, re, c),
                                             arith::MulFOp::create(nb, l, im, s));
          sum = arith::AddFOp::create(nb, l, acc, term);
        } else {
          if (kind == AxisTransform::RealForward)
            x = complex::CreateOp::create(nb, l, element, x,
                                          arith::ConstantOp::create(nb, l, nb.getZeroAttr(part)));
          Value twiddle = complex::CreateOp::create(nb, l, element, c, s);
          sum = complex::AddOp::create(nb, l, acc, complex::MulOp::create(nb, l, x, twiddle));
        }
        linalg::YieldOp::create(nb, l, sum);
      });
  return generic.getResult(0);
}

struct FftToLinalg : OpConversionPattern<hlo::FftOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::FftOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedTensorType(*getTypeConverter(), op.getType());
    Type element = resultType.getElementType();
    ArrayRef<int64_t> lengths = op.getFftLength();
    int64_t rank = resultType.getRank();
    int64_t first = rank - static_cast<int64_t>(lengths.size());
    int64_t last = rank - 1;
    Value value = adaptor.getOperand();
    // The complex type of the intermediate (RFFT/IRFFT) results.
    Type complexElement = isa<ComplexType>(element) ? element : ComplexType::get(element);
    switch (op.getFftType()) {
    case hlo::FftType::FFT:
    case hlo::FftType::IFFT: {
      auto kind = op.getFftType() == hlo::FftType::FFT ? AxisTransform::Forward
                                                        : AxisTransform::Inverse;
      for (int64_t axis = first; axis <= last; ++axis)
        value = transformAxis(rewriter, loc, value, axis, lengths[axis - first], kind, element);
      break;
    }
    case hlo::FftType::RFFT:
      value = transformAxis(rewriter, loc, value, last, lengths.back(),
                            AxisTransform::RealForward, element);
      for (int64_t axis = first; axis < last; ++axis)
        value = transformAxis(rewriter, loc, value, axis, lengths[axis - first],
                              AxisTransform::Forward, element);
      break;
    case hlo::FftType::IRFFT:
      for (int64_t axis = first; axis < last; ++axis)
        value = transformAxis(rewriter, loc, value, axis, lengths[axis - first],
                              AxisTransform::Inverse, complexElement);
      value = transformAxis(rewriter, loc, value, last, lengths.back(),
                            AxisTransform::HermitianInverse, element);
      break;
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateFftPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<FftToLinalg>(converter, patterns.getContext());
}
