//===- RngBitGeneratorToLinalg.cpp - rng_bit_generator -> linalg.generic --===//
//
// stablehlo.rng_bit_generator, bit-exact with XLA's CPU backend (which
// expands it before code generation): one linalg.generic over the output
// computes each element from its index, and the next state is a few scalar
// ops on the initial one. The state is ui64[2] (ui64[3] also for PHILOX);
// state[0] is the key and is returned unchanged.
//
//   THREE_FRY  Threefry-2x32, 20 rounds, key = state[0] as two 32-bit words,
//              counter = state[1] + a linear index. 32-bit outputs: the shape
//              is split in two halves along its first even dimension (else
//              its largest one): element k of that dimension is word k % 2 of
//              the block of counter index k / 2 (row-major over the halved
//              shape); the state advances by the number of blocks. 64-bit
//              outputs: both words of one block per element. Narrower
//              outputs: the 32-bit result truncated.
//   PHILOX     Philox-4x32, 10 rounds, key = state[0], 128-bit counter
//   (DEFAULT,  (state[1], state[2]), or (state[1], state[0]) for ui64[2];
//    as XLA's  element n is word n % 4 of block n / 4 (64-bit: the words'
//    CPU)      pairs, n % 2 of block n / 2); the counter advances by the
//              number of blocks (carried into its high half).
//
// The generators are Salmon et al., "Parallel random numbers: as easy as 1,
// 2, 3" (SC 2011); the block layout is XLA's (xla/hlo/builder/lib/prng.cc).
// Each element computes its whole block and keeps one word: simple, and
// cheap next to what consumes random numbers.
//
//===----------------------------------------------------------------------===//
#include "passes/native/StructuredLowering.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/Support/MathExtras.h"

#include <array>

using namespace mlir;
using namespace hlox::linalg_lowering;
namespace hlo = mlir::stablehlo;

namespace {

/// Scalar integer arithmetic on signless i32/i64 values (wrapping, as the
/// generators need).
struct Bits {
  OpBuilder &b;
  Location loc;

  Value c32(uint32_t v) { return constant(b.getI32Type(), v); }
  Value c64(uint64_t v) { return constant(b.getI64Type(), v); }
  Value constant(Type type, uint64_t v) {
    APInt bits(type.getIntOrFloatBitWidth(), v);
    return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, bits));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value xor_(Value x, Value y) { return arith::XOrIOp::create(b, loc, x, y); }
  Value or_(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value rotl32(Value x, int r) { return or_(shl(x, c32(r)), shr(x, c32(32 - r))); }
  Value lo32(Value x) { return arith::TruncIOp::create(b, loc, b.getI32Type(), x); }
  Value hi32(Value x) { return lo32(shr(x, c64(32))); }
  Value wide(Value x) { return arith::ExtUIOp::create(b, loc, b.getI64Type(), x); }
  /// `lo | hi << 32` from two 32-bit words.
  Value join(Value lo, Value hi) { return or_(wide(lo), shl(wide(hi), c64(32))); }
  Value eq(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }
  Value select(Value c, Value x, Value y) { return arith::SelectOp::create(b, loc, c, x, y); }
  /// `words[index]` for an i64 `index` in [0, words.size()).
  Value pick(ArrayRef<Value> words, Value index) {
    Value r = words.back();
    for (int64_t i = words.size() - 2; i >= 0; --i)
      r = select(eq(index, c64(i)), words[i], r);
    return r;
  }
};

/// Threefry-2x32 with 20 rounds on the block (x0, x1) under key (k0, k1).
std::array<Value, 2> threefry2x32(Bits &z, Value x0, Value x1, Value k0, Value k1) {
  static constexpr int kRotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  Value ks[3] = {k0, k1, z.xor_(z.xor_(k0, k1), z.c32(0x1BD11BDA))};
  std::array<Value, 2> x = {z.add(x0, ks[0]), z.add(x1, ks[1])};
  for (int group = 0; group < 5; ++group) {
    for (int r : kRotations[group % 2]) {
      x[0] = z.add(x[0], x[1]);
      x[1] = z.xor_(x[0], z.rotl32(x[1], r));
    }
    // Key injection after every four rounds.
    x[0] = z.add(x[0], ks[(group + 1) % 3]);
    x[1] = z.add(z.add(x[1], ks[(group + 2) % 3]), z.c32(group + 1));
  }
  return x;
}

/// Philox-4x32 with 10 rounds on the block `x` under key (k0, k1).
std::array<Value, 4> philox4x32(Bits &z, std::array<Value, 4> x, Value k0, Value k1) {
  auto mulHiLo = [&](Value v, uint32_t m) {
    Value product = z.mul(z.wide(v), z.c64(m));
    return std::pair<Value, Value>{z.hi32(product), z.lo32(product)};
  };
  for (int round = 0; round < 10; ++round) {
    auto [hi0, lo0] = mulHiLo(x[0], 0xD2511F53);
    auto [hi1, lo1] = mulHiLo(x[2], 0xCD9E8D57);
    x = {z.xor_(z.xor_(hi1, x[1]), k0), lo1, z.xor_(z.xor_(hi0, x[3]), k1), lo0};
    k0 = z.add(k0, z.c32(0x9E3779B9));
    k1 = z.add(k1, z.c32(0xBB67AE85));
  }
  return x;
}

/// The row-major linear index (i64) of `ivs` in `shape`.
Value linearIndex(Bits &z, ValueRange ivs, ArrayRef<int64_t> shape) {
  Value linear = z.c64(0);
  for (auto [iv, size] : llvm::zip(ivs, shape)) {
    Value i = arith::IndexCastOp::create(z.b, z.loc, z.b.getI64Type(), iv);
    linear = z.add(z.mul(linear, z.c64(size)), i);
  }
  return linear;
}

/// The dimension XLA halves for 32-bit Threefry outputs: the first of even
/// size, else the (first) largest. Rank 0 has none (-1).
int64_t threefrySplitDim(ArrayRef<int64_t> shape) {
  for (auto [i, size] : llvm::enumerate(shape))
    if (size % 2 == 0)
      return i;
  int64_t best = -1;
  for (auto [i, size] : llvm::enumerate(shape))
    if (best < 0 || size > shape[best])
      best = i;
  return best;
}

/// One rng_bit_generator: its algorithm (THREE_FRY or PHILOX), output shape,
/// generated word width (32 or 64) and initial state (i64 scalars).
class RngLowering {
public:
  RngLowering(hlo::RngAlgorithm algorithm, ArrayRef<int64_t> shape, unsigned width,
              ArrayRef<Value> state)
      : algorithm(algorithm), shape(shape), width(width), state(state) {}

  /// The 32- or 64-bit value of the element at `ivs` (built in a generic body).
  Value element(Bits &z, ValueRange ivs) const {
    Value key0 = z.lo32(state[0]), key1 = z.hi32(state[0]);
    if (algorithm == hlo::RngAlgorithm::THREE_FRY) {
      if (width == 64) {
        Value counter = z.add(state[1], linearIndex(z, ivs, shape));
        auto y = threefry2x32(z, z.lo32(counter), z.hi32(counter), key0, key1);
        return z.join(y[0], y[1]);
      }
      int64_t split = threefrySplitDim(shape);
      Value word = z.c64(0);
      SmallVector<Value> halfIvs(ivs.begin(), ivs.end());
      if (split >= 0) {
        Value two = arith::ConstantIndexOp::create(z.b, z.loc, 2);
        word = arith::IndexCastOp::create(
            z.b, z.loc, z.b.getI64Type(), arith::RemUIOp::create(z.b, z.loc, ivs[split], two));
        halfIvs[split] = arith::DivUIOp::create(z.b, z.loc, ivs[split], two);
      }
      Value counter = z.add(state[1], linearIndex(z, halfIvs, threefryHalfShape()));
      auto y = threefry2x32(z, z.lo32(counter), z.hi32(counter), key0, key1);
      return z.pick({y[0], y[1]}, word);
    }
    // PHILOX: 4 words (32-bit) or 2 pairs (64-bit) per block.
    int64_t perBlock = width == 64 ? 2 : 4;
    Value n = linearIndex(z, ivs, shape);
    Value block = arith::DivUIOp::create(z.b, z.loc, n, z.c64(perBlock));
    Value which = arith::RemUIOp::create(z.b, z.loc, n, z.c64(perBlock));
    auto [lo, hi] = philoxCounterPlus(z, block);
    auto w = philox4x32(z, {z.lo32(lo), z.hi32(lo), z.lo32(hi), z.hi32(hi)}, key0, key1);
    if (width == 64)
      return z.pick({z.join(w[0], w[1]), z.join(w[2], w[3])}, which);
    return z.pick({w[0], w[1], w[2], w[3]}, which);
  }

  /// The state after generating (built outside the generic).
  SmallVector<Value> nextState(Bits &z) const {
    if (algorithm == hlo::RngAlgorithm::THREE_FRY) {
      ArrayRef<int64_t> counted = shape;
      SmallVector<int64_t> half;
      if (width != 64) {
        half = threefryHalfShape();
        counted = half;
      }
      return {state[0], z.add(state[1], z.c64(numElements(counted)))};
    }
    int64_t perBlock = width == 64 ? 2 : 4;
    int64_t blocks = llvm::divideCeil(numElements(shape), perBlock);
    auto [lo, hi] = philoxCounterPlus(z, z.c64(blocks));
    if (state.size() == 2)
      return {state[0], lo};
    return {state[0], lo, hi};
  }

private:
  static int64_t numElements(ArrayRef<int64_t> shape) {
    int64_t n = 1;
    for (int64_t s : shape)
      n *= s;
    return n;
  }

  SmallVector<int64_t> threefryHalfShape() const {
    SmallVector<int64_t> half(shape.begin(), shape.end());
    int64_t split = threefrySplitDim(shape);
    if (split >= 0)
      half[split] = llvm::divideCeil(half[split], 2);
    return half;
  }

  /// The 128-bit Philox counter plus `delta` (i64), as (low, high) words.
  std::pair<Value, Value> philoxCounterPlus(Bits &z, Value delta) const {
    Value lo = state[1];
    Value hi = state.size() >= 3 ? state[2] : state[0];
    Value sum = z.add(lo, delta);
    Value carry = arith::CmpIOp::create(z.b, z.loc, arith::CmpIPredicate::ult, sum, lo);
    return {sum, z.select(carry, z.add(hi, z.c64(1)), hi)};
  }

  hlo::RngAlgorithm algorithm;
  ArrayRef<int64_t> shape;
  unsigned width; // 32 or 64: the generated word size
  ArrayRef<Value> state;
};

struct RngBitGeneratorToGeneric : OpConversionPattern<hlo::RngBitGeneratorOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(hlo::RngBitGeneratorOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto stateType = convertedTensorType(*getTypeConverter(), op.getInitialState().getType());
    auto outType = convertedTensorType(*getTypeConverter(), op.getOutput().getType());
    hlo::RngAlgorithm algorithm = op.getRngAlgorithm();
    // XLA's CPU backend expands DEFAULT as PHILOX.
    if (algorithm == hlo::RngAlgorithm::DEFAULT)
      algorithm = hlo::RngAlgorithm::PHILOX;
    int64_t stateSize = stateType.getRank() == 1 ? stateType.getDimSize(0) : -1;
    bool stateOk = stateType.getElementType().isInteger(64) &&
                   (stateSize == 2 ||
                    (stateSize == 3 && algorithm == hlo::RngAlgorithm::PHILOX));
    if (!stateOk)
      return op.emitError() << "hlox-stablehlo-legalize-to-linalg: "
                               "'stablehlo.rng_bit_generator' needs a 64-bit integer "
                               "state of 2 elements (3 also for PHILOX), got "
                            << op.getInitialState().getType();
    auto elementType = dyn_cast<IntegerType>(outType.getElementType());
    unsigned outWidth = elementType ? elementType.getWidth() : 0;
    if (outWidth != 8 && outWidth != 16 && outWidth != 32 && outWidth != 64)
      return op.emitError() << "hlox-stablehlo-legalize-to-linalg: "
                               "'stablehlo.rng_bit_generator' generates 8-, 16-, 32- or "
                               "64-bit integers, not "
                            << op.getOutput().getType();

    Bits outside{rewriter, loc};
    SmallVector<Value> state;
    for (int64_t i = 0; i < stateSize; ++i)
      state.push_back(tensor::ExtractOp::create(rewriter, loc, adaptor.getInitialState(),
                                                ValueRange{indexConstant(rewriter, loc, i)}));
    unsigned width = outWidth == 64 ? 64 : 32;
    RngLowering rng(algorithm, outType.getShape(), width, state);

    int64_t rank = outType.getRank();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, ValueRange{},
        ValueRange{emptyLike(rewriter, loc, outType)},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange) {
          Bits z{b, l};
          SmallVector<Value> ivs;
          for (int64_t d = 0; d < rank; ++d)
            ivs.push_back(linalg::IndexOp::create(b, l, d));
          Value bits = rng.element(z, ivs);
          if (outWidth < width)
            bits = arith::TruncIOp::create(b, l, elementType, bits);
          linalg::YieldOp::create(b, l, bits);
        });
    Value next = tensor::FromElementsOp::create(rewriter, loc, stateType,
                                                rng.nextState(outside));
    rewriter.replaceOp(op, ValueRange{next, generic->getResult(0)});
    return success();
  }
};

} // namespace

void hlox::linalg_lowering::populateRngPatterns(const TypeConverter &converter,
                                                RewritePatternSet &patterns) {
  patterns.add<RngBitGeneratorToGeneric>(converter, patterns.getContext());
}
