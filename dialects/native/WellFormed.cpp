//===- WellFormed.cpp - what the verifiers accept but passes abort on -----===//
//
// MLIR's verifiers accept two kinds of IR that later abort the process in the
// assertion-enabled build (BuiltinAttributes/BuiltinTypes assert):
//   - a dense literal whose data does not match its type: the parser accepts
//     `dense<(1.0, 2.0)> : tensor<f32>` (a complex literal for a real type),
//     and the first pass that reads its elements asserts;
//   - a shaped type whose byte size overflows int64 (tensor<2^62x4xf32>).
// firstMalformed finds the first such op, so that hlox-opt and the backends
// refuse the module with a message before any pass runs.
//
//===----------------------------------------------------------------------===//
#include "dialects/native/WellFormed.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// Why `type` is malformed (its byte size overflows int64), or "".
std::string typeProblem(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return "";
  int64_t elements = 1;
  for (int64_t dim : shaped.getShape()) {
    if (ShapedType::isDynamic(dim))
      return "";
    if (llvm::MulOverflow(elements, dim, elements))
      elements = -1;
    if (elements < 0)
      break;
  }
  Type element = shaped.getElementType();
  int64_t bits = element.isIndex() ? 64 : 8;
  if (element.isIntOrFloat())
    bits = std::max<int64_t>(element.getIntOrFloatBitWidth(), 8);
  else if (auto complex = dyn_cast<ComplexType>(element))
    bits = 2 * std::max<int64_t>(complex.getElementType().getIntOrFloatBitWidth(), 8);
  int64_t bytes;
  if (elements >= 0 && !llvm::MulOverflow(elements, bits / 8, bytes))
    return "";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "the type " << type << " has more bytes than fit in a 64-bit size";
  return text;
}

/// Why `attribute` is malformed (dense data of the wrong size for its type), or "".
std::string attributeProblem(Attribute attribute) {
  auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attribute);
  if (!dense)
    return "";
  std::string problem = typeProblem(dense.getType());
  if (!problem.empty())
    return problem;
  bool splat = false;
  if (DenseElementsAttr::isValidRawBuffer(dense.getType(), dense.getRawData(), splat))
    return "";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "a dense literal's data does not match its type " << dense.getType()
     << " (e.g. a complex literal for a real element type)";
  return text;
}

std::string opProblem(Operation *op) {
  for (Type type : op->getResultTypes())
    if (std::string p = typeProblem(type); !p.empty())
      return p;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (Type type : block.getArgumentTypes())
        if (std::string p = typeProblem(type); !p.empty())
          return p;
  std::string problem;
  op->getAttrDictionary().walk([&](Attribute attribute) {
    if (problem.empty())
      problem = attributeProblem(attribute);
    auto typed = dyn_cast<TypeAttr>(attribute);
    auto function = typed ? dyn_cast<FunctionType>(typed.getValue()) : FunctionType();
    if (!function)
      return;
    for (Type type : function.getInputs())
      if (problem.empty())
        problem = typeProblem(type);
    for (Type type : function.getResults())
      if (problem.empty())
        problem = typeProblem(type);
  });
  return problem;
}

} // namespace

std::string hlox::firstMalformed(Operation *root) {
  std::string message;
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    std::string problem = opProblem(op);
    if (problem.empty())
      return WalkResult::advance();
    llvm::raw_string_ostream os(message);
    os << op->getLoc() << ": '" << op->getName() << "': " << problem;
    return WalkResult::interrupt();
  });
  return message;
}
