//===- FusionContraction.cpp - hlox-fuse: the output (contraction) rule ----===//
//
// A dot_general, dot or convolution joins the loop cluster of its epilogue
// (bias add, activation, residual add, convert) when that cluster reads all
// of its result and every op of the cluster computes over the contraction's
// result shape: the epilogue then runs on each output element right after
// the contraction (the CPU lowering hands the contraction generic and the
// epilogue generics to hlox-cpu-vectorize-contractions in one function). A
// contraction is never duplicated, and its operands' producers (a prologue)
// stay outside: the packed-panel copy is where a prologue would go.
//
//===----------------------------------------------------------------------===//
#include "passes/native/Fusion.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;

namespace hlox::fusion {

bool isContraction(Operation *op) {
  static const llvm::StringSet<> names = {"stablehlo.dot_general", "stablehlo.dot",
                                          "stablehlo.convolution"};
  return names.contains(op->getName().getStringRef());
}

bool mayAbsorbContraction(const Clustering &c, int id, Operation *contraction) {
  const Cluster &cluster = c.clusters[id];
  if (cluster.kind != mlir::hlox::FusionKind::loop || !hasFusibleTypes(contraction) ||
      contraction->getNumResults() != 1 || !c.usersOwnedBy(contraction, id))
    return false;
  auto shape = cast<ShapedType>(contraction->getResult(0).getType()).getShape();
  for (Operation *member : cluster.owned)
    for (Type type : member->getResultTypes())
      if (cast<ShapedType>(type).getShape() != shape)
        return false;
  return true;
}

} // namespace hlox::fusion
