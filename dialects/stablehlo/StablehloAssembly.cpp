//===- StablehloAssembly.cpp - custom<...> directives of StableHLO --------===//
#include "dialects/stablehlo/StablehloAssembly.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace mlir::stablehlo {

ParseResult parseSameOperandsAndResultTypeImpl(OpAsmParser &parser,
                                               ArrayRef<Type *> operands,
                                               Type &result) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  Type type;
  if (parser.parseType(type))
    return failure();
  // Functional form: (operand types) -> result type.
  if (auto fn = llvm::dyn_cast<FunctionType>(type)) {
    if (fn.getInputs().size() != operands.size())
      return parser.emitError(loc) << "expected " << operands.size()
                                   << " operand types but got "
                                   << fn.getInputs().size();
    if (fn.getResults().size() != 1)
      return parser.emitError(loc) << "expected one result type";
    for (auto [slot, t] : llvm::zip(operands, fn.getInputs()))
      *slot = t;
    result = fn.getResult(0);
    return success();
  }
  for (Type *slot : operands)
    *slot = type;
  result = type;
  return success();
}

void printSameOperandsAndResultTypeImpl(OpAsmPrinter &p, Operation *op,
                                        TypeRange operands, Type result) {
  bool same = llvm::all_of(operands, [&](Type t) { return t == result; });
  if (same) {
    p.printType(result);
    return;
  }
  p.printFunctionalType(operands, TypeRange(result));
}


//===----------------------------------------------------------------------===//
// select
//===----------------------------------------------------------------------===//

ParseResult parseSelectOpType(OpAsmParser &parser, Type &pred, Type &onTrue,
                              Type &onFalse, Type &result) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  Type first;
  if (parser.parseType(first))
    return failure();
  if (auto fn = llvm::dyn_cast<FunctionType>(first)) {
    if (fn.getNumInputs() != 3 || fn.getNumResults() != 1)
      return parser.emitError(loc, "expected (pred, on_true, on_false) -> result");
    pred = fn.getInput(0);
    onTrue = fn.getInput(1);
    onFalse = fn.getInput(2);
    result = fn.getResult(0);
    return success();
  }
  pred = first;
  if (parser.parseComma() || parser.parseType(result))
    return failure();
  onTrue = onFalse = result;
  return success();
}

void printSelectOpType(OpAsmPrinter &p, Operation *op, Type pred, Type onTrue,
                       Type onFalse, Type result) {
  if (onTrue == result && onFalse == result) {
    p << pred << ", " << result;
    return;
  }
  p.printFunctionalType(TypeRange{pred, onTrue, onFalse}, TypeRange{result});
}

//===----------------------------------------------------------------------===//
// complex
//===----------------------------------------------------------------------===//

static Type realPartType(Type complexTensor) {
  auto shaped = llvm::dyn_cast<ShapedType>(complexTensor);
  if (!shaped)
    return {};
  auto complex = llvm::dyn_cast<ComplexType>(shaped.getElementType());
  if (!complex)
    return {};
  return shaped.clone(complex.getElementType());
}

ParseResult parseComplexOpType(OpAsmParser &parser, Type &lhs, Type &rhs,
                               Type &result) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  Type type;
  if (parser.parseType(type))
    return failure();
  if (auto fn = llvm::dyn_cast<FunctionType>(type)) {
    if (fn.getNumInputs() != 2 || fn.getNumResults() != 1)
      return parser.emitError(loc, "expected (lhs, rhs) -> result");
    lhs = fn.getInput(0);
    rhs = fn.getInput(1);
    result = fn.getResult(0);
    return success();
  }
  Type real = realPartType(type);
  if (!real)
    return parser.emitError(loc, "expected a tensor of complex type, got ") << type;
  lhs = rhs = real;
  result = type;
  return success();
}

void printComplexOpType(OpAsmPrinter &p, Operation *op, Type lhs, Type rhs,
                        Type result) {
  if (lhs == rhs && realPartType(result) == lhs) {
    p << result;
    return;
  }
  p.printFunctionalType(TypeRange{lhs, rhs}, TypeRange{result});
}

//===----------------------------------------------------------------------===//
// reduce_precision: e5m10
//===----------------------------------------------------------------------===//

ParseResult parseExponentMantissa(OpAsmParser &parser, IntegerAttr &exponent,
                                  IntegerAttr &mantissa) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  // e<digits>m<digits>
  auto bad = [&]() {
    return parser.emitError(loc, "expected a format like e5m10, got '")
           << keyword << "'";
  };
  if (!keyword.consume_front("e"))
    return bad();
  size_t m = keyword.find('m');
  if (m == StringRef::npos)
    return bad();
  unsigned e = 0, mant = 0;
  if (keyword.take_front(m).getAsInteger(10, e) ||
      keyword.drop_front(m + 1).getAsInteger(10, mant))
    return bad();
  Builder b(parser.getContext());
  exponent = b.getI32IntegerAttr(e);
  mantissa = b.getI32IntegerAttr(mant);
  return success();
}

void printExponentMantissa(OpAsmPrinter &p, Operation *op, IntegerAttr exponent,
                           IntegerAttr mantissa) {
  p << 'e' << exponent.getInt() << 'm' << mantissa.getInt();
}

//===----------------------------------------------------------------------===//
// slice: [0:4, 1:7:2]
//===----------------------------------------------------------------------===//

ParseResult parseSliceRanges(OpAsmParser &parser, DenseI64ArrayAttr &start,
                             DenseI64ArrayAttr &limit, DenseI64ArrayAttr &strides) {
  SmallVector<int64_t> starts, limits, steps;
  auto parseOne = [&]() -> ParseResult {
    int64_t a = 0, b = 0, c = 1;
    if (parser.parseInteger(a) || parser.parseColon() || parser.parseInteger(b))
      return failure();
    if (succeeded(parser.parseOptionalColon()) && parser.parseInteger(c))
      return failure();
    starts.push_back(a);
    limits.push_back(b);
    steps.push_back(c);
    return success();
  };
  if (parser.parseCommaSeparatedList(OpAsmParser::Delimiter::Square, parseOne))
    return failure();
  start = DenseI64ArrayAttr::get(parser.getContext(), starts);
  limit = DenseI64ArrayAttr::get(parser.getContext(), limits);
  strides = DenseI64ArrayAttr::get(parser.getContext(), steps);
  return success();
}

void printSliceRanges(OpAsmPrinter &p, Operation *op, DenseI64ArrayAttr start,
                      DenseI64ArrayAttr limit, DenseI64ArrayAttr strides) {
  p << '[';
  // The verifier reports mismatched lengths; print what there is.
  size_t n = std::min({start.size(), limit.size(), strides.size()});
  for (size_t i = 0; i < n; ++i) {
    if (i)
      p << ", ";
    p << start[i] << ':' << limit[i];
    if (strides[i] != 1)
      p << ':' << strides[i];
  }
  p << ']';
}

//===----------------------------------------------------------------------===//
// %a, %b, <keyword>
//===----------------------------------------------------------------------===//

ParseResult parseVariadicOperandWithAttribute(
    OpAsmParser &parser, SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands) {
  while (true) {
    OpAsmParser::UnresolvedOperand operand;
    OptionalParseResult r = parser.parseOptionalOperand(operand);
    if (!r.has_value())
      return success();
    if (failed(*r) || parser.parseComma())
      return failure();
    operands.push_back(operand);
  }
}

void printVariadicOperandWithAttribute(OpAsmPrinter &p, Operation *op,
                                       OperandRange operands) {
  llvm::interleave(
      operands, p, [&](Value v) { p << v << ','; }, " ");
}

//===----------------------------------------------------------------------===//
// tuple, optimization_barrier, after_all
//===----------------------------------------------------------------------===//

ParseResult parseTupleOpType(OpAsmParser &parser, SmallVectorImpl<Type> &operands,
                             Type &result) {
  llvm::SMLoc loc = parser.getCurrentLocation();
  if (parser.parseType(result))
    return failure();
  auto tuple = llvm::dyn_cast<TupleType>(result);
  if (!tuple)
    return parser.emitError(loc, "expected a tuple type, got ") << result;
  llvm::append_range(operands, tuple.getTypes());
  return success();
}

void printTupleOpType(OpAsmPrinter &p, Operation *op, TypeRange operands,
                      Type result) {
  p << result;
}

ParseResult parsePairwiseOpType(OpAsmParser &parser, SmallVectorImpl<Type> &operands,
                                SmallVectorImpl<Type> &results) {
  if (parser.parseTypeList(operands))
    return failure();
  results.assign(operands.begin(), operands.end());
  return success();
}

void printPairwiseOpType(OpAsmPrinter &p, Operation *op, TypeRange operands,
                         TypeRange results) {
  llvm::interleaveComma(operands, p);
}

ParseResult parseVariadicSameOperandsAndResultType(
    OpAsmParser &parser, SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands,
    SmallVectorImpl<Type> &operandTypes, Type &result) {
  if (parser.parseType(result))
    return failure();
  operandTypes.assign(operands.size(), result);
  return success();
}

void printVariadicSameOperandsAndResultType(OpAsmPrinter &p, Operation *op,
                                            OperandRange operands,
                                            TypeRange operandTypes, Type result) {
  p << result;
}

//===----------------------------------------------------------------------===//
// custom_call @target
//===----------------------------------------------------------------------===//

ParseResult parseCustomCallTarget(OpAsmParser &parser, StringAttr &target) {
  return parser.parseSymbolName(target);
}

void printCustomCallTarget(OpAsmPrinter &p, Operation *op, StringAttr target) {
  p.printSymbolName(target.getValue());
}

} // namespace mlir::stablehlo
