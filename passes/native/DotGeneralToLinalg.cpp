//===- DotGeneralToLinalg.cpp - dot_general -> linalg contractions --------===//
#include "passes/native/LegalizeToLinalg.h"

#include "dialects/stablehlo/StablehloOps.h"

using namespace mlir;
using namespace hlox::linalg_lowering;

void hlox::linalg_lowering::populateDotGeneralPatterns(RewritePatternSet &patterns) {}
