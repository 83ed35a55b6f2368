//===- StablehloAssembly.h - custom<...> directives of StableHLO -*- C++ -*-===//
//
// Parsers and printers for the pieces of StableHLO's pretty syntax that ODS's
// declarative format cannot express, named after the `custom<Name>` directive
// that uses them (parseName / printName).
//
//===----------------------------------------------------------------------===//
#ifndef HLOX_DIALECTS_STABLEHLO_STABLEHLOASSEMBLY_H
#define HLOX_DIALECTS_STABLEHLO_STABLEHLOASSEMBLY_H

#include "mlir/IR/OpImplementation.h"

#include <optional>
#include <type_traits>
#include <utility>

namespace mlir::stablehlo {

// `: tensor<4xf32>` when every operand and the result share one type, else
// the functional type `: (tensor<..>, ...) -> tensor<..>`.
ParseResult parseSameOperandsAndResultTypeImpl(OpAsmParser &parser,
                                               ArrayRef<Type *> operands,
                                               Type &result);
void printSameOperandsAndResultTypeImpl(OpAsmPrinter &p, Operation *op,
                                        TypeRange operands, Type result);

template <class... OpTypes>
ParseResult parseSameOperandsAndResultType(OpAsmParser &parser, OpTypes &...types) {
  constexpr size_t n = sizeof...(OpTypes);
  static_assert(n >= 1, "need at least the result type");
  SmallVector<Type *> all{&types...};
  return parseSameOperandsAndResultTypeImpl(
      parser, ArrayRef<Type *>(all).drop_back(), *all.back());
}

template <class... OpTypes>
void printSameOperandsAndResultType(OpAsmPrinter &p, Operation *op, OpTypes... types) {
  SmallVector<Type> all{types...};
  printSameOperandsAndResultTypeImpl(p, op, TypeRange(all).drop_back(), all.back());
}


// select: `: pred_type, result_type` when on_true, on_false and the result
// share one type, else the functional type of all three operands.
ParseResult parseSelectOpType(OpAsmParser &parser, Type &pred, Type &onTrue,
                              Type &onFalse, Type &result);
void printSelectOpType(OpAsmPrinter &p, Operation *op, Type pred, Type onTrue,
                       Type onFalse, Type result);

// complex: `: tensor<4xcomplex<f32>>` (the operands are the matching float
// tensors), else the functional type.
ParseResult parseComplexOpType(OpAsmParser &parser, Type &lhs, Type &rhs,
                               Type &result);
void printComplexOpType(OpAsmPrinter &p, Operation *op, Type lhs, Type rhs,
                        Type result);

// reduce_precision: `e5m10` for exponent_bits = 5, mantissa_bits = 10.
ParseResult parseExponentMantissa(OpAsmParser &parser, IntegerAttr &exponent,
                                  IntegerAttr &mantissa);
void printExponentMantissa(OpAsmPrinter &p, Operation *op, IntegerAttr exponent,
                           IntegerAttr mantissa);

// slice: `[0:4, 1:7:2]` (start:limit[:stride], the stride printed if not 1).
ParseResult parseSliceRanges(OpAsmParser &parser, DenseI64ArrayAttr &start,
                             DenseI64ArrayAttr &limit, DenseI64ArrayAttr &strides);
void printSliceRanges(OpAsmPrinter &p, Operation *op, DenseI64ArrayAttr start,
                      DenseI64ArrayAttr limit, DenseI64ArrayAttr strides);

// `%a, %b,` : operands, each followed by a comma, before a keyword
// (concatenate's `dim = `, dynamic_slice's `sizes = `).
ParseResult parseVariadicOperandWithAttribute(
    OpAsmParser &parser, SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands);
void printVariadicOperandWithAttribute(OpAsmPrinter &p, Operation *op,
                                       OperandRange operands);

// tuple: `: tuple<...>` (the operand types are the tuple's element types).
ParseResult parseTupleOpType(OpAsmParser &parser, SmallVectorImpl<Type> &operands,
                             Type &result);
void printTupleOpType(OpAsmPrinter &p, Operation *op, TypeRange operands,
                      Type result);

// optimization_barrier: `: type, type` (results have the operands' types).
ParseResult parsePairwiseOpType(OpAsmParser &parser, SmallVectorImpl<Type> &operands,
                                SmallVectorImpl<Type> &results);
void printPairwiseOpType(OpAsmPrinter &p, Operation *op, TypeRange operands,
                         TypeRange results);

// after_all: `: !stablehlo.token` (every operand has the result's type).
ParseResult parseVariadicSameOperandsAndResultType(
    OpAsmParser &parser, SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands,
    SmallVectorImpl<Type> &operandTypes, Type &result);
void printVariadicSameOperandsAndResultType(OpAsmPrinter &p, Operation *op,
                                            OperandRange operands,
                                            TypeRange operandTypes, Type result);

// custom_call: `@target` (a string attribute holding the symbol's name).
ParseResult parseCustomCallTarget(OpAsmParser &parser, StringAttr &target);
void printCustomCallTarget(OpAsmPrinter &p, Operation *op, StringAttr target);


// Enum attributes inside an op's pretty syntax: the bare case (`GT`). (The
// attribute's own printer starts with a space, for `#stablehlo<name CASE>`.)
template <typename EnumType>
std::optional<EnumType> symbolizeEnum(llvm::StringRef);

template <typename AttrT>
ParseResult parseEnumCase(OpAsmParser &parser, AttrT &attr) {
  using EnumT = std::decay_t<decltype(std::declval<AttrT>().getValue())>;
  llvm::SMLoc loc = parser.getCurrentLocation();
  llvm::StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<EnumT> value = symbolizeEnum<EnumT>(keyword);
  if (!value)
    return parser.emitError(loc) << "unknown " << AttrT::getMnemonic() << " '"
                                 << keyword << "'";
  attr = AttrT::get(parser.getContext(), *value);
  return success();
}

template <typename AttrT>
void printEnumCase(OpAsmPrinter &p, Operation *, AttrT attr) {
  p << stringifyEnum(attr.getValue());
}

// `, CASE` if present (used after an operand with an empty literal before it).
template <typename AttrT>
ParseResult parseOptionalCommaEnumCase(OpAsmParser &parser, AttrT &attr) {
  if (failed(parser.parseOptionalComma()))
    return success();
  return parseEnumCase(parser, attr);
}

template <typename AttrT>
void printOptionalCommaEnumCase(OpAsmPrinter &p, Operation *op, AttrT attr) {
  if (!attr)
    return;
  p << ", ";
  printEnumCase(p, op, attr);
}

} // namespace mlir::stablehlo

#endif // HLOX_DIALECTS_STABLEHLO_STABLEHLOASSEMBLY_H
