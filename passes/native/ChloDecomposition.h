//===- ChloDecomposition.h - CHLO -> StableHLO decompositions ---*- C++ -*-===//
//
// Internal to hlox-chlo-legalize-to-stablehlo. `HloEmitter` creates StableHLO
// ops by name (through OperationState), so the decompositions depend only on
// the spec's op names and attributes, not on the C++ classes of our StableHLO
// ODS; each `lower*` function builds the StableHLO for one CHLO op.
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_PASSES_NATIVE_CHLODECOMPOSITION_H
#define HLOX_PASSES_NATIVE_CHLODECOMPOSITION_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace hlox {

/// A Chebyshev series sum_k coeffs[k] T_k(t) on v in [lo, hi], with
/// t = (2v - lo - hi) / (hi - lo); float64 uses n64 terms, float32 n32.
struct ChebyshevTable {
  double lo, hi;
  const double *coeffs;
  int n64, n32;
};

/// Emits StableHLO ops at a builder's insertion point. Every value is a
/// ranked, statically shaped tensor; constants are splats shaped like a
/// given value.
class HloEmitter {
public:
  HloEmitter(mlir::OpBuilder &builder, mlir::Location loc)
      : b(builder), loc(loc) {}

  mlir::OpBuilder &builder() { return b; }
  mlir::Location location() const { return loc; }

  /// `stablehlo.<name>` with the given operands, result types and attributes.
  mlir::Operation *create(llvm::StringRef name, mlir::ValueRange operands,
                          mlir::TypeRange results,
                          llvm::ArrayRef<mlir::NamedAttribute> attrs = {});
  /// One-result op whose result type is the first operand's type.
  mlir::Value same(llvm::StringRef name, mlir::ValueRange operands);

  // Elementwise arithmetic (result type = lhs type).
  mlir::Value add(mlir::Value a, mlir::Value b) { return same("add", {a, b}); }
  mlir::Value sub(mlir::Value a, mlir::Value b) { return same("subtract", {a, b}); }
  mlir::Value mul(mlir::Value a, mlir::Value b) { return same("multiply", {a, b}); }
  mlir::Value div(mlir::Value a, mlir::Value b) { return same("divide", {a, b}); }
  mlir::Value rem(mlir::Value a, mlir::Value b) { return same("remainder", {a, b}); }
  mlir::Value max(mlir::Value a, mlir::Value b) { return same("maximum", {a, b}); }
  mlir::Value min(mlir::Value a, mlir::Value b) { return same("minimum", {a, b}); }
  mlir::Value pow(mlir::Value a, mlir::Value b) { return same("power", {a, b}); }
  mlir::Value atan2(mlir::Value a, mlir::Value b) { return same("atan2", {a, b}); }
  mlir::Value neg(mlir::Value a) { return same("negate", {a}); }
  mlir::Value abs(mlir::Value a) { return same("abs", {a}); }
  mlir::Value exp(mlir::Value a) { return same("exponential", {a}); }
  mlir::Value expm1(mlir::Value a) { return same("exponential_minus_one", {a}); }
  mlir::Value log(mlir::Value a) { return same("log", {a}); }
  mlir::Value log1p(mlir::Value a) { return same("log_plus_one", {a}); }
  mlir::Value sqrt(mlir::Value a) { return same("sqrt", {a}); }
  mlir::Value floor(mlir::Value a) { return same("floor", {a}); }
  mlir::Value roundEven(mlir::Value a) { return same("round_nearest_even", {a}); }
  mlir::Value sin(mlir::Value a) { return same("sine", {a}); }
  mlir::Value cos(mlir::Value a) { return same("cosine", {a}); }
  mlir::Value tan(mlir::Value a) { return same("tan", {a}); }
  mlir::Value sign(mlir::Value a) { return same("sign", {a}); }
  mlir::Value andOp(mlir::Value a, mlir::Value b) { return same("and", {a, b}); }
  mlir::Value orOp(mlir::Value a, mlir::Value b) { return same("or", {a, b}); }
  mlir::Value notOp(mlir::Value a) { return same("not", {a}); }
  mlir::Value select(mlir::Value pred, mlir::Value onTrue, mlir::Value onFalse);

  /// `stablehlo.compare` with direction "EQ", "LT", ...; the comparison type
  /// follows the element type (FLOAT, SIGNED or UNSIGNED).
  mlir::Value compare(llvm::StringRef direction, mlir::Value a, mlir::Value b);
  mlir::Value lt(mlir::Value a, mlir::Value b) { return compare("LT", a, b); }
  mlir::Value le(mlir::Value a, mlir::Value b) { return compare("LE", a, b); }
  mlir::Value gt(mlir::Value a, mlir::Value b) { return compare("GT", a, b); }
  mlir::Value ge(mlir::Value a, mlir::Value b) { return compare("GE", a, b); }
  mlir::Value eq(mlir::Value a, mlir::Value b) { return compare("EQ", a, b); }
  mlir::Value ne(mlir::Value a, mlir::Value b) { return compare("NE", a, b); }

  /// `stablehlo.convert` / `bitcast_convert` of `v` to element type `elem`.
  mlir::Value convert(mlir::Value v, mlir::Type elem);
  mlir::Value bitcast(mlir::Value v, mlir::Type elem);
  mlir::Value real(mlir::Value v);
  mlir::Value imag(mlir::Value v);
  mlir::Value complex(mlir::Value re, mlir::Value im);

  /// A splat constant shaped like `like` (its element type, or `elem`).
  mlir::Value splat(mlir::Value like, double value);
  mlir::Value splatInt(mlir::Value like, int64_t value, mlir::Type elem = {});
  mlir::Value splatAttr(mlir::Value like, mlir::TypedAttr value);
  mlir::Value inf(mlir::Value like, bool negative = false);
  mlir::Value nan(mlir::Value like);

  /// Sum of the table's Chebyshev series at `v` (Clenshaw), with as many
  /// terms as `v`'s element type needs.
  mlir::Value chebyshev(mlir::Value v, const ChebyshevTable &table);
  /// sum_k coeffs[k] v^k (Horner).
  mlir::Value polynomial(mlir::Value v, llvm::ArrayRef<double> coeffs);

  /// Is the element type float64 (else: computed in float32's precision)?
  static bool isF64(mlir::Value v);
  static mlir::RankedTensorType withElement(mlir::Value v, mlir::Type elem);

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
};

// Each returns the replacement values, or failure after emitting an error on
// `op`. Float16/bfloat16 operands are computed in float32.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
decomposeElementwise(mlir::Operation *op, HloEmitter &h);
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
decomposeSpecial(mlir::Operation *op, HloEmitter &h);
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
decomposeTopK(mlir::Operation *op, HloEmitter &h);
/// mulhi, ragged_dot and scan.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
decomposeStructured(mlir::Operation *op, HloEmitter &h);

// Shared pieces (real float tensors; float16/bfloat16 callers upcast first).
mlir::Value lowerNextAfter(HloEmitter &h, mlir::Value x, mlir::Value y);
mlir::Value lowerZeta(HloEmitter &h, mlir::Value x, mlir::Value q);
mlir::Value lowerPolygamma(HloEmitter &h, mlir::Value n, mlir::Value x);
/// Runs `fn` on `x` (and `y`) converted to float32 when they are narrower
/// floats, and converts the result back.
mlir::Value inF32(HloEmitter &h, mlir::Value x,
                  llvm::function_ref<mlir::Value(mlir::Value)> fn);
mlir::Value inF32(HloEmitter &h, mlir::Value x, mlir::Value y,
                  llvm::function_ref<mlir::Value(mlir::Value, mlir::Value)> fn);

/// Registers hlox-chlo-legalize-to-stablehlo (and the other passes of this
/// directory's decomposition/canonicalization family).
void registerDecompositionPasses();

} // namespace hlox

#endif
