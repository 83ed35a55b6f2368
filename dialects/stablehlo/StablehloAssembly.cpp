//===- StablehloAssembly.cpp - custom<...> directives of StableHLO --------===//
#include "dialects/stablehlo/StablehloAssembly.h"

#include "mlir/IR/BuiltinTypes.h"

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

} // namespace mlir::stablehlo
