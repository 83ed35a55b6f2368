//===- ChloDecompositionEmitter.cpp - StableHLO ops by name ---------------===//
#include "passes/native/ChloDecomposition.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace hlox {

Operation *HloEmitter::create(StringRef name, ValueRange operands,
                              TypeRange results, ArrayRef<NamedAttribute> attrs) {
  OperationState state(loc, ("stablehlo." + name).str());
  state.addOperands(operands);
  state.addTypes(results);
  state.addAttributes(attrs);
  return b.create(state);
}

Value HloEmitter::same(StringRef name, ValueRange operands) {
  return create(name, operands, operands.front().getType())->getResult(0);
}

RankedTensorType HloEmitter::withElement(Value v, Type elem) {
  return llvm::cast<RankedTensorType>(v.getType()).clone(elem);
}

bool HloEmitter::isF64(Value v) { return getElementTypeOrSelf(v.getType()).isF64(); }

Value HloEmitter::select(Value pred, Value onTrue, Value onFalse) {
  return create("select", {pred, onTrue, onFalse}, onTrue.getType())->getResult(0);
}

Value HloEmitter::compare(StringRef direction, Value a, Value bv) {
  MLIRContext *ctx = b.getContext();
  Type elem = getElementTypeOrSelf(a.getType());
  StringRef kind = "FLOAT";
  if (auto i = llvm::dyn_cast<IntegerType>(elem))
    kind = i.isUnsigned() || i.getWidth() == 1 ? "UNSIGNED" : "SIGNED";
  Attribute dir = parseAttribute(
      ("#stablehlo<comparison_direction " + direction + ">").str(), ctx);
  Attribute type = parseAttribute(("#stablehlo<comparison_type " + kind + ">").str(), ctx);
  NamedAttribute attrs[] = {b.getNamedAttr("comparison_direction", dir),
                            b.getNamedAttr("compare_type", type)};
  return create("compare", {a, bv}, withElement(a, b.getI1Type()), attrs)->getResult(0);
}

Value HloEmitter::convert(Value v, Type elem) {
  if (getElementTypeOrSelf(v.getType()) == elem)
    return v;
  return create("convert", {v}, withElement(v, elem))->getResult(0);
}

Value HloEmitter::bitcast(Value v, Type elem) {
  return create("bitcast_convert", {v}, withElement(v, elem))->getResult(0);
}

Value HloEmitter::real(Value v) {
  auto c = llvm::cast<ComplexType>(getElementTypeOrSelf(v.getType()));
  return create("real", {v}, withElement(v, c.getElementType()))->getResult(0);
}

Value HloEmitter::imag(Value v) {
  auto c = llvm::cast<ComplexType>(getElementTypeOrSelf(v.getType()));
  return create("imag", {v}, withElement(v, c.getElementType()))->getResult(0);
}

Value HloEmitter::complex(Value re, Value im) {
  Type elem = ComplexType::get(getElementTypeOrSelf(re.getType()));
  return create("complex", {re, im}, withElement(re, elem))->getResult(0);
}

Value HloEmitter::splatAttr(Value like, TypedAttr value) {
  auto type = withElement(like, value.getType());
  auto attr = DenseElementsAttr::get(type, value);
  return create("constant", {}, type, {b.getNamedAttr("value", attr)})->getResult(0);
}

Value HloEmitter::splat(Value like, double value) {
  auto elem = llvm::cast<FloatType>(getElementTypeOrSelf(like.getType()));
  return splatAttr(like, b.getFloatAttr(elem, value));
}

Value HloEmitter::splatInt(Value like, int64_t value, Type elem) {
  if (!elem)
    elem = getElementTypeOrSelf(like.getType());
  auto intType = llvm::cast<IntegerType>(elem);
  APInt bits(intType.getWidth(), value, /*isSigned=*/true, /*implicitTrunc=*/true);
  return splatAttr(like, IntegerAttr::get(intType, bits));
}

Value HloEmitter::inf(Value like, bool negative) {
  auto elem = llvm::cast<FloatType>(getElementTypeOrSelf(like.getType()));
  return splatAttr(like, b.getFloatAttr(elem, APFloat::getInf(elem.getFloatSemantics(), negative)));
}

Value HloEmitter::nan(Value like) {
  auto elem = llvm::cast<FloatType>(getElementTypeOrSelf(like.getType()));
  return splatAttr(like, b.getFloatAttr(elem, APFloat::getNaN(elem.getFloatSemantics())));
}

Value HloEmitter::chebyshev(Value v, const ChebyshevTable &table) {
  int n = isF64(v) ? table.n64 : table.n32;
  // t = (2v - lo - hi) / (hi - lo), clamped to [-1, 1].
  double scale = 2.0 / (table.hi - table.lo);
  double shift = -(table.lo + table.hi) / (table.hi - table.lo);
  Value t = add(mul(v, splat(v, scale)), splat(v, shift));
  t = max(min(t, splat(v, 1.0)), splat(v, -1.0));
  // Clenshaw: b_k = a_k + 2t b_{k+1} - b_{k+2}; f = a_0 + t b_1 - b_2.
  Value twoT = add(t, t);
  Value b1 = splat(v, 0.0), b2 = splat(v, 0.0);
  for (int k = n - 1; k >= 1; --k) {
    Value next = add(sub(mul(twoT, b1), b2), splat(v, table.coeffs[k]));
    b2 = b1;
    b1 = next;
  }
  return add(sub(mul(t, b1), b2), splat(v, table.coeffs[0]));
}

Value HloEmitter::polynomial(Value v, ArrayRef<double> coeffs) {
  Value acc = splat(v, coeffs.back());
  for (double c : llvm::reverse(coeffs.drop_back()))
    acc = add(mul(acc, v), splat(v, c));
  return acc;
}

} // namespace hlox
