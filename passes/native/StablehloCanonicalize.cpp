//===- StablehloCanonicalize.cpp - hlox-stablehlo-canonicalize ------------===//
//
// Simplifications of StableHLO, run with the greedy rewrite driver (which
// also applies the ops' own folders, merges equal constants and erases dead
// pure ops):
//
//   identity ops     reshape/convert to the same type, transpose with the
//                    identity permutation, broadcast_in_dim to the same
//                    type with dims [0, 1, ...]
//   chains           reshape(reshape x), transpose(transpose x),
//                    convert(convert x) when the middle type is wider
//   neutral operands x + (-0.0), x - 0.0, x * 1, x / 1 (exact for every x,
//                    -0.0 and nan included); integer x + 0, x - 0, x * 1,
//                    x | 0, x ^ 0, x & ~0
//   data movement    full slice, pad by nothing, one-operand concatenate,
//                    reverse(reverse x)
//   constants        convert of a small constant (exact conversions only),
//                    broadcast_in_dim / reshape of a constant (splat or
//                    small), and elementwise ops (add, subtract, multiply,
//                    divide (float), maximum, minimum (float), negate,
//                    abs (float), and, or, xor, not (integer)) on constants
//                    of at most kMaxFoldElements elements; select with a
//                    splat constant predicate
//
// Patterns match ops by name (the spec's names and attributes), so they do
// not depend on the C++ classes of our StableHLO ODS.
//
//===----------------------------------------------------------------------===//
#include "passes/native/ChloDecomposition.h"

#include "dialects/stablehlo/StablehloOps.h"

#include "llvm/ADT/APSInt.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace hlox {
namespace {

constexpr int64_t kMaxFoldElements = 4096;

Value makeConstant(PatternRewriter &rewriter, Location loc, DenseElementsAttr value) {
  OperationState state(loc, "stablehlo.constant");
  state.addTypes(value.getType());
  state.addAttribute("value", value);
  return rewriter.create(state)->getResult(0);
}

DenseElementsAttr constantOf(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return {};
  return attr;
}

bool isIdentityPermutation(ArrayRef<int64_t> perm) {
  for (auto [i, p] : llvm::enumerate(perm))
    if (p != static_cast<int64_t>(i))
      return false;
  return true;
}

ArrayRef<int64_t> i64Array(Operation *op, StringRef name) {
  if (auto a = llvm::dyn_cast_or_null<DenseI64ArrayAttr>(op->getAttr(name)))
    return a.asArrayRef();
  return {};
}

/// Replaces a one-operand op whose result type equals its operand's type
/// (and `extra(op)` holds) by the operand.
struct IdentityOp : RewritePattern {
  IdentityOp(StringRef name, MLIRContext *ctx,
             std::function<bool(Operation *)> extra = nullptr)
      : RewritePattern(name, 2, ctx), extra(std::move(extra)) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (op->getNumOperands() != 1 || op->getNumResults() != 1 ||
        op->getOperand(0).getType() != op->getResult(0).getType())
      return failure();
    if (extra && !extra(op))
      return failure();
    rewriter.replaceOp(op, op->getOperand(0));
    return success();
  }
  std::function<bool(Operation *)> extra;
};

/// reshape(reshape(x)) -> reshape(x).
struct ReshapeChain : RewritePattern {
  ReshapeChain(MLIRContext *ctx) : RewritePattern("stablehlo.reshape", 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!inner || inner->getName() != op->getName())
      return failure();
    rewriter.modifyOpInPlace(op, [&] { op->setOperand(0, inner->getOperand(0)); });
    return success();
  }
};

/// transpose(transpose(x, p), q) -> transpose(x, p o q).
struct TransposeChain : RewritePattern {
  TransposeChain(MLIRContext *ctx) : RewritePattern("stablehlo.transpose", 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!inner || inner->getName() != op->getName())
      return failure();
    ArrayRef<int64_t> outer = i64Array(op, "permutation"), first = i64Array(inner, "permutation");
    if (outer.size() != first.size() || outer.empty())
      return failure();
    SmallVector<int64_t> composed;
    for (int64_t p : outer)
      composed.push_back(first[p]);
    rewriter.modifyOpInPlace(op, [&] {
      op->setOperand(0, inner->getOperand(0));
      op->setAttr("permutation", rewriter.getDenseI64ArrayAttr(composed));
    });
    return success();
  }
};

bool isLosslessFloatWidening(Type from, Type to) {
  auto f = llvm::dyn_cast<FloatType>(from), t = llvm::dyn_cast<FloatType>(to);
  if (!f || !t)
    return false;
  return (f.isF16() || f.isBF16() || f.isF32()) && (t.isF32() || t.isF64()) &&
         f.getWidth() < t.getWidth() && !(f.isF16() && t.isBF16());
}

/// convert(convert(x: A) : B) : C -> convert(x) : C when A -> B is exact.
struct ConvertChain : RewritePattern {
  ConvertChain(MLIRContext *ctx) : RewritePattern("stablehlo.convert", 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!inner || inner->getName() != op->getName())
      return failure();
    Type a = getElementTypeOrSelf(inner->getOperand(0).getType());
    Type b = getElementTypeOrSelf(inner->getResult(0).getType());
    if (!isLosslessFloatWidening(a, b))
      return failure();
    Type c = getElementTypeOrSelf(op->getResult(0).getType());
    if (!llvm::isa<FloatType>(c))
      return failure();
    if (a == c) {
      rewriter.replaceOp(op, inner->getOperand(0));
      return success();
    }
    rewriter.modifyOpInPlace(op, [&] { op->setOperand(0, inner->getOperand(0)); });
    return success();
  }
};

/// broadcast_in_dim / reshape of a splat constant -> splat constant; of a
/// small constant -> its elements in the new shape (reshape) or broadcast.
struct ReshapeOrBroadcastConstant : RewritePattern {
  ReshapeOrBroadcastConstant(StringRef name, MLIRContext *ctx) : RewritePattern(name, 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    DenseElementsAttr value = constantOf(op->getOperand(0));
    auto type = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!value || !type || !type.hasStaticShape())
      return failure();
    if (value.isSplat()) {
      rewriter.replaceOp(op, makeConstant(rewriter, op->getLoc(),
                                          value.resizeSplat(llvm::cast<ShapedType>(type))));
      return success();
    }
    if (type.getNumElements() > kMaxFoldElements)
      return failure();
    if (op->getName().getStringRef() == "stablehlo.reshape") {
      rewriter.replaceOp(op, makeConstant(rewriter, op->getLoc(), value.reshape(type)));
      return success();
    }
    // broadcast_in_dim: result[i...] = operand[i[dims[0]], ...] (size-1 -> 0).
    ArrayRef<int64_t> dims = i64Array(op, "broadcast_dimensions");
    auto inType = llvm::cast<RankedTensorType>(value.getType());
    if (static_cast<int64_t>(dims.size()) != inType.getRank())
      return failure();
    SmallVector<Attribute> in(value.getValues<Attribute>());
    SmallVector<Attribute> out;
    out.reserve(type.getNumElements());
    SmallVector<int64_t> index(type.getRank(), 0);
    SmallVector<int64_t> inStrides(inType.getRank(), 1);
    for (int64_t d = inType.getRank() - 2; d >= 0; --d)
      inStrides[d] = inStrides[d + 1] * inType.getDimSize(d + 1);
    for (int64_t n = 0; n < type.getNumElements(); ++n) {
      int64_t flat = 0;
      for (auto [k, d] : llvm::enumerate(dims))
        if (inType.getDimSize(k) != 1)
          flat += index[d] * inStrides[k];
      out.push_back(in[flat]);
      for (int64_t d = type.getRank() - 1; d >= 0; --d) {
        if (++index[d] < type.getDimSize(d))
          break;
        index[d] = 0;
      }
    }
    rewriter.replaceOp(op, makeConstant(rewriter, op->getLoc(), DenseElementsAttr::get(type, out)));
    return success();
  }
};

using FloatFn = std::function<std::optional<APFloat>(ArrayRef<APFloat>)>;
using IntFn = std::function<std::optional<APInt>(ArrayRef<APInt>)>;

/// Folds an elementwise op whose operands are all constants.
struct FoldElementwise : RewritePattern {
  FoldElementwise(StringRef name, MLIRContext *ctx, FloatFn f, IntFn i)
      : RewritePattern(name, 1, ctx), floatFn(std::move(f)), intFn(std::move(i)) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    SmallVector<DenseElementsAttr> args;
    for (Value v : op->getOperands()) {
      DenseElementsAttr c = constantOf(v);
      if (!c)
        return failure();
      args.push_back(c);
    }
    auto type = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || !type.hasStaticShape() || args.empty())
      return failure();
    Type in = getElementTypeOrSelf(args[0].getType());
    if (getElementTypeOrSelf(type) != in)
      return failure();
    bool splat = llvm::all_of(args, [](DenseElementsAttr a) { return a.isSplat(); });
    int64_t n = splat ? 1 : type.getNumElements();
    if (n > kMaxFoldElements)
      return failure();
    std::optional<DenseElementsAttr> folded;
    if (llvm::isa<FloatType>(in) && floatFn)
      folded = foldElements<APFloat>(args, type, n, splat, floatFn);
    else if (llvm::isa<IntegerType>(in) && intFn)
      folded = foldElements<APInt>(args, type, n, splat, intFn);
    if (!folded)
      return failure();
    rewriter.replaceOp(op, makeConstant(rewriter, op->getLoc(), *folded));
    return success();
  }

private:
  /// `fn` applied to the `n` elements of `args` (T: APFloat or APInt), as a
  /// constant of `type` (a splat when every argument is); nullopt when `fn`
  /// declines an element.
  template <typename T>
  static std::optional<DenseElementsAttr>
  foldElements(ArrayRef<DenseElementsAttr> args, RankedTensorType type, int64_t n, bool splat,
               const std::function<std::optional<T>(ArrayRef<T>)> &fn) {
    SmallVector<T> out;
    for (int64_t k = 0; k < n; ++k) {
      SmallVector<T> xs;
      for (DenseElementsAttr a : args)
        xs.push_back(a.isSplat() ? a.getSplatValue<T>() : a.getValues<T>()[k]);
      std::optional<T> r = fn(xs);
      if (!r)
        return std::nullopt;
      out.push_back(*r);
    }
    return splat ? DenseElementsAttr::get(type, out[0]) : DenseElementsAttr::get(type, out);
  }

public:
  FloatFn floatFn;
  IntFn intFn;
};

/// select(constant pred, a, b) -> a or b when pred is a splat.
struct SelectConstantPred : RewritePattern {
  SelectConstantPred(MLIRContext *ctx) : RewritePattern("stablehlo.select", 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    DenseElementsAttr pred = constantOf(op->getOperand(0));
    if (!pred || !pred.isSplat() || op->getOperand(1).getType() != op->getResult(0).getType())
      return failure();
    rewriter.replaceOp(op, op->getOperand(pred.getSplatValue<bool>() ? 1 : 2));
    return success();
  }
};

/// Is `v` a splat constant equal to `value` (float: bitwise -0.0/+0.0 and 1.0
/// as requested; integer: the value)?
bool isSplatOf(Value v, double value, bool negativeZero = false) {
  DenseElementsAttr c = constantOf(v);
  if (!c || !c.isSplat())
    return false;
  Type elem = getElementTypeOrSelf(c.getType());
  if (auto f = llvm::dyn_cast<FloatType>(elem)) {
    APFloat x = c.getSplatValue<APFloat>();
    if (value == 0.0)
      return x.isZero() && x.isNegative() == negativeZero;
    bool lost;
    APFloat want(value);
    want.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    return x.bitwiseIsEqual(want);
  }
  if (llvm::isa<IntegerType>(elem))
    return c.getSplatValue<APInt>().getSExtValue() == static_cast<int64_t>(value);
  return false;
}

bool isAllOnes(Value v) {
  DenseElementsAttr c = constantOf(v);
  return c && c.isSplat() && llvm::isa<IntegerType>(getElementTypeOrSelf(c.getType())) &&
         c.getSplatValue<APInt>().isAllOnes();
}

/// x op c -> x for the neutral constants that are exact for every x
/// (including -0.0 and nan): x + (-0.0), x - (+0.0), x * 1, x / 1; integer
/// x + 0, x - 0, x * 1, x | 0, x ^ 0, x & ~0. Commutative ops also c op x.
struct NeutralOperand : RewritePattern {
  NeutralOperand(StringRef name, MLIRContext *ctx, bool commutative,
                 std::function<bool(Value)> neutral)
      : RewritePattern(name, 2, ctx), commutative(commutative), neutral(std::move(neutral)) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    Type type = op->getResult(0).getType();
    if (neutral(rhs) && lhs.getType() == type) {
      rewriter.replaceOp(op, lhs);
      return success();
    }
    if (commutative && neutral(lhs) && rhs.getType() == type) {
      rewriter.replaceOp(op, rhs);
      return success();
    }
    return failure();
  }
  bool commutative;
  std::function<bool(Value)> neutral;
};

bool isIntTensor(Value v) { return llvm::isa<IntegerType>(getElementTypeOrSelf(v.getType())); }

/// slice taking everything, pad adding nothing: the operand.
struct FullSliceOrEmptyPad : RewritePattern {
  FullSliceOrEmptyPad(StringRef name, MLIRContext *ctx) : RewritePattern(name, 2, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    Value operand = op->getOperand(0);
    if (operand.getType() != op->getResult(0).getType())
      return failure();
    auto zeros = [](ArrayRef<int64_t> a) { return llvm::all_of(a, [](int64_t x) { return x == 0; }); };
    if (op->getName().getStringRef() == "stablehlo.pad") {
      if (!zeros(i64Array(op, "edge_padding_low")) || !zeros(i64Array(op, "edge_padding_high")) ||
          !zeros(i64Array(op, "interior_padding")))
        return failure();
    } else {
      ArrayRef<int64_t> strides = i64Array(op, "strides");
      if (!llvm::all_of(strides, [](int64_t x) { return x == 1; }))
        return failure();
    }
    rewriter.replaceOp(op, operand);
    return success();
  }
};

/// concatenate of one operand, reverse(reverse(x)) with the same dims.
struct TrivialDataMovement : RewritePattern {
  TrivialDataMovement(StringRef name, MLIRContext *ctx) : RewritePattern(name, 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (op->getName().getStringRef() == "stablehlo.concatenate") {
      if (op->getNumOperands() != 1 || op->getOperand(0).getType() != op->getResult(0).getType())
        return failure();
      rewriter.replaceOp(op, op->getOperand(0));
      return success();
    }
    Operation *inner = op->getOperand(0).getDefiningOp();
    if (!inner || inner->getName() != op->getName())
      return failure();
    SmallVector<int64_t> a(i64Array(op, "dimensions")), b(i64Array(inner, "dimensions"));
    llvm::sort(a);
    llvm::sort(b);
    if (a != b)
      return failure();
    rewriter.replaceOp(op, inner->getOperand(0));
    return success();
  }
};

/// convert of a small constant: exact integer/float conversions done by
/// APFloat/APInt with the spec's rounding (to nearest even; float -> int
/// only when the value is in range and has no fraction).
struct ConvertConstant : RewritePattern {
  ConvertConstant(MLIRContext *ctx) : RewritePattern("stablehlo.convert", 1, ctx) {}
  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    DenseElementsAttr value = constantOf(op->getOperand(0));
    auto type = llvm::dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!value || !type || !type.hasStaticShape())
      return failure();
    Type from = getElementTypeOrSelf(value.getType()), to = type.getElementType();
    int64_t n = value.isSplat() ? 1 : type.getNumElements();
    if (n > kMaxFoldElements)
      return failure();
    SmallVector<Attribute> out;
    for (int64_t k = 0; k < n; ++k) {
      Attribute x = value.isSplat() ? value.getSplatValue<Attribute>() : value.getValues<Attribute>()[k];
      Attribute r = convertScalar(x, from, to);
      if (!r)
        return failure();
      out.push_back(r);
    }
    DenseElementsAttr result = value.isSplat() ? DenseElementsAttr::get(type, out[0])
                                               : DenseElementsAttr::get(type, out);
    rewriter.replaceOp(op, makeConstant(rewriter, op->getLoc(), result));
    return success();
  }

  static Attribute convertScalar(Attribute x, Type from, Type to) {
    auto fromInt = llvm::dyn_cast<IntegerType>(from);
    auto toInt = llvm::dyn_cast<IntegerType>(to);
    auto toFloat = llvm::dyn_cast<FloatType>(to);
    if (fromInt && toInt) {
      if (toInt.getWidth() == 1) // nonzero -> true
        return IntegerAttr::get(toInt, !llvm::cast<IntegerAttr>(x).getValue().isZero());
      APInt v = llvm::cast<IntegerAttr>(x).getValue();
      bool isSigned = !fromInt.isUnsigned() && fromInt.getWidth() != 1;
      return IntegerAttr::get(toInt, isSigned ? v.sextOrTrunc(toInt.getWidth())
                                              : v.zextOrTrunc(toInt.getWidth()));
    }
    if (fromInt && toFloat) {
      APFloat f(toFloat.getFloatSemantics());
      bool isSigned = !fromInt.isUnsigned() && fromInt.getWidth() != 1;
      f.convertFromAPInt(llvm::cast<IntegerAttr>(x).getValue(), isSigned,
                         APFloat::rmNearestTiesToEven);
      return FloatAttr::get(toFloat, f);
    }
    auto fromFloat = llvm::dyn_cast<FloatType>(from);
    if (fromFloat && toFloat) {
      APFloat f = llvm::cast<FloatAttr>(x).getValue();
      bool lost;
      f.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      return FloatAttr::get(toFloat, f);
    }
    if (fromFloat && toInt && toInt.getWidth() > 1) {
      APFloat f = llvm::cast<FloatAttr>(x).getValue();
      APSInt i(toInt.getWidth(), toInt.isUnsigned());
      bool exact;
      if (f.convertToInteger(i, APFloat::rmTowardZero, &exact) != APFloat::opOK)
        return {}; // out of range, nan or inexact: left to the backend
      return IntegerAttr::get(toInt, i);
    }
    return {};
  }
};

struct StablehloCanonicalize : PassWrapper<StablehloCanonicalize, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(StablehloCanonicalize)
  StringRef getArgument() const final { return "hlox-stablehlo-canonicalize"; }
  StringRef getDescription() const final {
    return "Simplify StableHLO: identity ops, reshape/transpose/convert chains, "
           "constant folding of small elementwise ops and broadcasts";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<stablehlo::StableHLODialect>();
  }

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<IdentityOp>("stablehlo.reshape", ctx);
    patterns.add<IdentityOp>("stablehlo.convert", ctx);
    patterns.add<IdentityOp>("stablehlo.transpose", ctx, [](Operation *op) {
      return isIdentityPermutation(i64Array(op, "permutation"));
    });
    patterns.add<IdentityOp>("stablehlo.broadcast_in_dim", ctx, [](Operation *op) {
      return isIdentityPermutation(i64Array(op, "broadcast_dimensions"));
    });
    patterns.add<ReshapeChain, TransposeChain, ConvertChain, SelectConstantPred>(ctx);
    patterns.add<ReshapeOrBroadcastConstant>("stablehlo.reshape", ctx);
    patterns.add<ReshapeOrBroadcastConstant>("stablehlo.broadcast_in_dim", ctx);

    auto rm = APFloat::rmNearestTiesToEven;
    auto f2 = [rm](auto fn) -> FloatFn {
      return [fn, rm](ArrayRef<APFloat> x) -> std::optional<APFloat> {
        APFloat r = x[0];
        fn(r, x[1], rm);
        return r;
      };
    };
    patterns.add<FoldElementwise>(
        "stablehlo.add", ctx, f2([](APFloat &a, const APFloat &b, auto m) { a.add(b, m); }),
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0] + x[1]; });
    patterns.add<FoldElementwise>(
        "stablehlo.subtract", ctx,
        f2([](APFloat &a, const APFloat &b, auto m) { a.subtract(b, m); }),
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0] - x[1]; });
    patterns.add<FoldElementwise>(
        "stablehlo.multiply", ctx,
        f2([](APFloat &a, const APFloat &b, auto m) { a.multiply(b, m); }),
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0] * x[1]; });
    // Integer division is left alone (division by zero, signedness).
    patterns.add<FoldElementwise>(
        "stablehlo.divide", ctx,
        f2([](APFloat &a, const APFloat &b, auto m) { a.divide(b, m); }), nullptr);
    // maximum/minimum propagate nan, as the spec says.
    patterns.add<FoldElementwise>(
        "stablehlo.maximum", ctx,
        [](ArrayRef<APFloat> x) -> std::optional<APFloat> { return llvm::maximum(x[0], x[1]); },
        nullptr);
    patterns.add<FoldElementwise>(
        "stablehlo.minimum", ctx,
        [](ArrayRef<APFloat> x) -> std::optional<APFloat> { return llvm::minimum(x[0], x[1]); },
        nullptr);
    patterns.add<FoldElementwise>(
        "stablehlo.negate", ctx,
        [](ArrayRef<APFloat> x) -> std::optional<APFloat> { return neg(x[0]); },
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return -x[0]; });
    patterns.add<FoldElementwise>(
        "stablehlo.abs", ctx,
        [](ArrayRef<APFloat> x) -> std::optional<APFloat> { return abs(x[0]); }, nullptr);
    patterns.add<FoldElementwise>(
        "stablehlo.and", ctx, nullptr,
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0] & x[1]; });
    patterns.add<FoldElementwise>(
        "stablehlo.or", ctx, nullptr,
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0] | x[1]; });
    patterns.add<FoldElementwise>(
        "stablehlo.xor", ctx, nullptr,
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return x[0] ^ x[1]; });
    patterns.add<FoldElementwise>(
        "stablehlo.not", ctx, nullptr,
        [](ArrayRef<APInt> x) -> std::optional<APInt> { return ~x[0]; });

    // Neutral operands.
    auto floatOrInt = [](double fv, bool negZero, double iv) {
      return [=](Value v) { return isIntTensor(v) ? isSplatOf(v, iv) : isSplatOf(v, fv, negZero); };
    };
    patterns.add<NeutralOperand>("stablehlo.add", ctx, true, floatOrInt(0.0, true, 0));
    patterns.add<NeutralOperand>("stablehlo.subtract", ctx, false, floatOrInt(0.0, false, 0));
    patterns.add<NeutralOperand>("stablehlo.multiply", ctx, true, floatOrInt(1.0, false, 1));
    patterns.add<NeutralOperand>("stablehlo.divide", ctx, false, floatOrInt(1.0, false, 1));
    patterns.add<NeutralOperand>("stablehlo.or", ctx, true,
                                 [](Value v) { return isIntTensor(v) && isSplatOf(v, 0); });
    patterns.add<NeutralOperand>("stablehlo.xor", ctx, true,
                                 [](Value v) { return isIntTensor(v) && isSplatOf(v, 0); });
    patterns.add<NeutralOperand>("stablehlo.and", ctx, true, isAllOnes);
    patterns.add<FullSliceOrEmptyPad>("stablehlo.slice", ctx);
    patterns.add<FullSliceOrEmptyPad>("stablehlo.pad", ctx);
    patterns.add<TrivialDataMovement>("stablehlo.concatenate", ctx);
    patterns.add<TrivialDataMovement>("stablehlo.reverse", ctx);
    patterns.add<ConvertConstant>(ctx);

    GreedyRewriteConfig config;
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace

void registerCanonicalizePass() { PassRegistration<StablehloCanonicalize>(); }

} // namespace hlox
