//===- RegisterPasses.cpp - hlox's C++ passes in MLIR's registry ----------===//
#include "dialects/native/Registration.h"
#include "passes/native/ChloDecomposition.h"

void hlox::registerPasses() {
  registerDecompositionPasses();
}
