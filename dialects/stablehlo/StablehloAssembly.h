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

} // namespace mlir::stablehlo

#endif // HLOX_DIALECTS_STABLEHLO_STABLEHLOASSEMBLY_H
