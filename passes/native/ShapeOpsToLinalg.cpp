//===- ShapeOpsToLinalg.cpp - broadcast_in_dim, reshape, transpose --------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;

void hlox::linalg_lowering::populateShapePatterns(RewritePatternSet &patterns) {}
